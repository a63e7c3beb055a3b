"""Monitoring rules, free of I/O."""

from datetime import date, datetime, timedelta
from typing import Literal, get_args

from berdaya_shared.clock import JAKARTA
from berdaya_shared.errors import Conflict, InvalidInput

# How a graduate's business is doing at a visit. "seasonal_only": produces only for
# Lebaran and Natal, which the city wants to turn into daily production.
BusinessStatus = Literal["producing_daily", "producing_weekly", "seasonal_only", "stopped"]
BUSINESS_STATUSES: tuple[str, ...] = get_args(BusinessStatus)


def local_date(moment: datetime) -> date:
    """The Jakarta calendar date of a moment: a graduation at 20:00 UTC is the next day here."""
    return moment.astimezone(JAKARTA).date()


def visit_due_dates(graduated_on: date, offsets_days: list[int]) -> list[date]:
    """Due date of each follow-up visit, in visit order (sequence 1..n)."""
    return [graduated_on + timedelta(days=offset) for offset in offsets_days]


def check_business_status(value: str) -> None:
    if value not in BUSINESS_STATUSES:
        raise InvalidInput(f"Business status must be one of {', '.join(BUSINESS_STATUSES)}.",
                           field="business_status")


def check_can_record(status: str) -> None:
    if status == "done":
        raise Conflict("This visit has already been recorded.", field="visit_id")
    if status != "scheduled":
        raise Conflict(f"A {status} visit cannot be recorded.", field="visit_id")


def check_visited_on(visited_on: date, *, graduated_on: date, today: date) -> None:
    if visited_on > today:
        raise InvalidInput("A visit cannot be recorded for a future date.", field="visited_on")
    if visited_on < graduated_on:
        raise InvalidInput("A follow-up visit cannot be before the graduation.",
                           field="visited_on")
