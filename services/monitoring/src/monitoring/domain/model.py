"""Monitoring rules, free of I/O."""

from datetime import date, datetime, timedelta
from enum import StrEnum

from berdaya_shared.calendar_id import next_working_day
from berdaya_shared.clock import JAKARTA
from berdaya_shared.errors import Conflict, InvalidInput

from .status import OLD_NAMES, BusinessStatus


class VisitStatus(StrEnum):
    """A follow-up visit is scheduled until a field officer records it (changed only by the
    service layer)."""

    SCHEDULED = "scheduled"
    DONE = "done"


# The names a visit report may use: today's (status.BusinessStatus) and the older ones.
BUSINESS_STATUSES: tuple[str, ...] = (*BusinessStatus, *OLD_NAMES)


def local_date(moment: datetime) -> date:
    """The Jakarta calendar date of a moment: a graduation at 20:00 UTC is the next day here."""
    return moment.astimezone(JAKARTA).date()


def visit_due_dates(graduated_on: date, offsets_days: list[int]) -> list[date]:
    """Due date of each follow-up visit, in visit order (sequence 1..n): ``offset`` days after
    graduation, moved to the next working day when that is a weekend, a public holiday or a
    cuti bersama day. An offset of 0 or less (demos and tests that want a visit overdue at
    once) is kept as it is: the visit is due before anyone could go."""
    return [graduated_on + timedelta(days=offset) if offset <= 0
            else next_working_day(graduated_on + timedelta(days=offset))
            for offset in offsets_days]


def check_business_status(value: str | None, *, production_days: int | None = 0) -> None:
    """A known status name; and a report says at least one of status or production days."""
    if value is None:
        if production_days is None:
            raise InvalidInput("Isi business_status atau production_days_per_week.",
                               en="Give business_status or production_days_per_week.",
                               field="business_status")
        return
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


def check_can_assign(status: str) -> None:
    if status != VisitStatus.SCHEDULED:
        raise Conflict("Kunjungan yang sudah dicatat tidak dapat dialihkan.",
                       en="A recorded visit cannot be reassigned.", field="visit_id")


def check_visited_on(visited_on: date, *, graduated_on: date, today: date) -> None:
    if visited_on > today:
        raise InvalidInput("Kunjungan tidak dapat dicatat untuk tanggal yang akan datang.",
                           en="A visit cannot be recorded for a future date.", field="visited_on")
    if visited_on < graduated_on:
        raise InvalidInput("Kunjungan tindak lanjut tidak boleh sebelum tanggal kelulusan.",
                           en="A follow-up visit cannot be before the graduation.",
                           field="visited_on")


MAX_VISITS = 12
MAX_OFFSET_DAYS = 3650  # ten years after graduation
MIN_OFFSET_DAYS = -366  # demos and tests: a visit already overdue


def check_offsets(offsets_days: list[int]) -> None:
    """A schedule has 1-12 visits, strictly increasing offsets within [-366, 3650] days."""
    if not 1 <= len(offsets_days) <= MAX_VISITS:
        raise InvalidInput(f"Jadwal berisi 1 sampai {MAX_VISITS} kunjungan.",
                           en=f"A schedule has 1 to {MAX_VISITS} visits.", field="offsets_days")
    if any(not MIN_OFFSET_DAYS <= o <= MAX_OFFSET_DAYS for o in offsets_days):
        raise InvalidInput(f"Setiap jarak hari harus antara {MIN_OFFSET_DAYS} dan "
                           f"{MAX_OFFSET_DAYS}.", field="offsets_days",
                           en=f"Every offset must lie between {MIN_OFFSET_DAYS} and "
                              f"{MAX_OFFSET_DAYS} days.")
    if any(b <= a for a, b in zip(offsets_days, offsets_days[1:], strict=False)):
        raise InvalidInput("Jarak hari kunjungan harus terus bertambah.",
                           en="Visit offsets must be strictly increasing.", field="offsets_days")
