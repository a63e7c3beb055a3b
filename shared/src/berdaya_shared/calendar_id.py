"""Indonesia's calendar as the services need it, from the ``holidays`` package (country ID):
working days, Idul Fitri, and the Lebaran/Natal season windows (no I/O beyond the package).

A working day is a weekday that is neither a public holiday (Idul Fitri and its second day,
Natal, Nyepi, ...) nor a *cuti bersama* day the government adds around them (the package's
GOVERNMENT category: e.g. 2-7 April 2025 after Idul Fitri, 24 December 2026 before Natal).
Islamic dates the package only estimates (years not yet decreed) are used as estimated.

The season windows are the ``WINDOW_DAYS`` days before the first day of Idul Fitri and before
25 December (the day itself excluded): when seasonal graduates produce "only for Lebaran and
Natal". Monitoring reads seasonality from them; marketplace gives seasonal sellers priority
for bazaars outside them.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

SATURDAY = 5
# A due date is never pushed further than this: more than a month of consecutive days off
# would mean a broken calendar, not a holiday.
MAX_SHIFT_DAYS = 31
WINDOW_DAYS = 30


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


def season_windows(year: int) -> list[tuple[date, date]]:
    """The windows of a year as [start, end) pairs: before Idul Fitri and before Natal."""
    windows = []
    lebaran = idul_fitri(year)
    if lebaran is not None:
        windows.append((lebaran - timedelta(days=WINDOW_DAYS), lebaran))
    natal = date(year, 12, 25)
    windows.append((natal - timedelta(days=WINDOW_DAYS), natal))
    return windows


def in_season(day: date) -> bool:
    return any(start <= day < end for start, end in season_windows(day.year))


def touches_season(first: date, last: date) -> bool:
    """Whether any day from ``first`` to ``last`` (both included) lies in a season window."""
    return any(start <= last and first < end
               for year in range(first.year, last.year + 1)
               for start, end in season_windows(year))
