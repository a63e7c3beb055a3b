"""Training rules, free of I/O."""

from datetime import date
from enum import StrEnum

from berdaya_shared.errors import Conflict, InvalidInput


class RosterStatus(StrEnum):
    """Where a participant stands on a programme's roster (changed only by the service layer)."""

    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"
    GRADUATED = "graduated"


_STATUS_ID: dict[str, str] = {RosterStatus.ENROLLED: "terdaftar", RosterStatus.WITHDRAWN: "mengundurkan diri",
              RosterStatus.GRADUATED: "lulus"}


def status_in_bahasa(status: str) -> str:
    return _STATUS_ID.get(status, status)


def status_after_enrolment(current: str | None) -> RosterStatus:
    """Registration (re-)enrolled the participant: a withdrawn participant is back on the
    roster, a new one starts enrolled, and a graduation is never undone."""
    if current == RosterStatus.GRADUATED:
        return RosterStatus.GRADUATED
    return RosterStatus.ENROLLED


def check_cohort_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidInput("Kelompok pelatihan tidak boleh berakhir sebelum dimulai.",
                           en="A cohort cannot end before it starts.", field="ends_on")


def attendance_rate(present_sessions: int, total_sessions: int) -> float:
    return present_sessions / total_sessions if total_sessions else 0.0


def check_can_join(status: str, *, field: str) -> None:
    """Only an enrolled participant joins a cohort."""
    if status != RosterStatus.ENROLLED:
        raise Conflict(f"Peserta berstatus {status_in_bahasa(status)}: tidak dapat masuk kelompok.",
                       en=f"Participant is {status}.", field=field)


def check_can_graduate(*, status: str, rate: float, minimum: float) -> None:
    if status == RosterStatus.GRADUATED:
        raise Conflict("Peserta ini sudah lulus.", en="This participant has already graduated.",
                       field="participant_id")
    if status != RosterStatus.ENROLLED:
        raise Conflict(f"Peserta berstatus {status_in_bahasa(status)} tidak dapat lulus.",
                       en=f"A {status} participant cannot graduate.", field="participant_id")
    if rate < minimum:
        raise Conflict(f"Kehadiran {rate:.0%} di bawah batas minimal {minimum:.0%}.",
                       en=f"Attendance {rate:.0%} is below the required {minimum:.0%}.",
                       field="attendance", attendance_rate=round(rate, 3))


def check_session_date(session_on: date, starts_on: date, ends_on: date) -> None:
    if not starts_on <= session_on <= ends_on:
        raise InvalidInput("Tanggal sesi berada di luar tanggal kelompok pelatihan.",
                           en="The session date is outside the cohort's dates.", field="session_on")
