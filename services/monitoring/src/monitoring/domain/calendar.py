"""Indonesia's working calendar, from the ``holidays`` package (country ID).

A working day is a weekday that is neither a public holiday (Idul Fitri and its second day,
Natal, Nyepi, ...) nor a *cuti bersama* day the government adds around them (the package's
GOVERNMENT category: e.g. 2-7 April 2025 after Idul Fitri, 24 December 2026 before Natal).
Islamic dates the package only estimates (years not yet decreed) are used as estimated.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

SATURDAY = 5
# A due date is never pushed further than this: more than a month of consecutive days off
# would mean a broken calendar, not a holiday.
MAX_SHIFT_DAYS = 31


@lru_cache(maxsize=64)
def days_off(year: int) -> frozenset[date]:
    """Public holidays and cuti bersama of one year (weekends not included)."""
    calendar = holidays.country_holidays("ID", years=year, categories=(PUBLIC, GOVERNMENT))
    return frozenset(calendar.keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in days_off(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    shifted = day
    while not is_working_day(shifted):
        shifted += timedelta(days=1)
        if shifted - day > timedelta(days=MAX_SHIFT_DAYS):
            return day
    return shifted


@lru_cache(maxsize=64)
def idul_fitri(year: int) -> date | None:
    """The first day of Idul Fitri in a Gregorian year (estimated where not yet decreed)."""
    calendar = holidays.country_holidays("ID", years=year, categories=(PUBLIC,), language="en_US")
    firsts = sorted(d for d, name in calendar.items() if name.startswith("Eid al-Fitr")
                    and "Second" not in name)
    return firsts[0] if firsts else None
