"""Monitoring rules, free of I/O."""

from datetime import date, datetime, timedelta
from enum import StrEnum

from berdaya_shared.clock import JAKARTA
from berdaya_shared.errors import Conflict, InvalidInput


class VisitStatus(StrEnum):
    """A follow-up visit is scheduled until a field officer records it (changed only by the
    service layer)."""

    SCHEDULED = "scheduled"
    DONE = "done"


class BusinessStatus(StrEnum):
    """How a graduate's business is doing at a visit. ``seasonal_only``: produces only for
    Lebaran and Natal, which the city wants to turn into daily production."""

    PRODUCING_DAILY = "producing_daily"
    PRODUCING_WEEKLY = "producing_weekly"
    SEASONAL_ONLY = "seasonal_only"
    STOPPED = "stopped"


BUSINESS_STATUSES: tuple[str, ...] = tuple(BusinessStatus)


def local_date(moment: datetime) -> date:
    """The Jakarta calendar date of a moment: a graduation at 20:00 UTC is the next day here."""
    return moment.astimezone(JAKARTA).date()


def visit_due_dates(graduated_on: date, offsets_days: list[int]) -> list[date]:
    """Due date of each follow-up visit, in visit order (sequence 1..n)."""
    return [graduated_on + timedelta(days=offset) for offset in offsets_days]


def check_business_status(value: str) -> None:
    if value not in BUSINESS_STATUSES:
        listed = ", ".join(BUSINESS_STATUSES)
        raise InvalidInput(f"Status usaha harus salah satu dari: {listed}.",
                           en=f"Business status must be one of {listed}.", field="business_status")


def check_can_record(status: str) -> None:
    if status == VisitStatus.DONE:
        raise Conflict("Kunjungan ini sudah dicatat.", en="This visit has already been recorded.",
                       field="visit_id")
    if status != VisitStatus.SCHEDULED:
        raise Conflict(f"Kunjungan berstatus {status} tidak dapat dicatat.",
                       en=f"A {status} visit cannot be recorded.", field="visit_id")


def check_visited_on(visited_on: date, *, graduated_on: date, today: date) -> None:
    if visited_on > today:
        raise InvalidInput("Kunjungan tidak dapat dicatat untuk tanggal yang akan datang.",
                           en="A visit cannot be recorded for a future date.", field="visited_on")
    if visited_on < graduated_on:
        raise InvalidInput("Kunjungan tindak lanjut tidak boleh sebelum tanggal kelulusan.",
                           en="A follow-up visit cannot be before the graduation.",
                           field="visited_on")
