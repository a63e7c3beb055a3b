"""Training rules, free of I/O."""

from datetime import date, time
from enum import StrEnum

from berdaya_shared.errors import Conflict, InvalidInput


class RosterStatus(StrEnum):
    """Where a participant stands on a programme's roster (changed only by the service layer)."""

    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"
    GRADUATED = "graduated"
    NOT_GRADUATED = "not_graduated"


class CohortStatus(StrEnum):
    """A cohort moves planned -> running -> closed (changed only by the service layer)."""

    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"


_STATUS_ID: dict[str, str] = {
    RosterStatus.ENROLLED: "terdaftar", RosterStatus.WITHDRAWN: "mengundurkan diri",
    RosterStatus.GRADUATED: "lulus", RosterStatus.NOT_GRADUATED: "tidak lulus",
    CohortStatus.PLANNED: "direncanakan", CohortStatus.RUNNING: "berjalan",
    CohortStatus.CLOSED: "ditutup"}


def status_in_bahasa(status: str) -> str:
    return _STATUS_ID.get(status, status)


def status_after_enrolment(current: str | None) -> RosterStatus:
    """Registration (re-)enrolled the participant: a withdrawn participant is back on the
    roster, a new one starts enrolled, and a graduation decision (either way) is never undone."""
    if current in (RosterStatus.GRADUATED, RosterStatus.NOT_GRADUATED):
        return RosterStatus(current)
    return RosterStatus.ENROLLED


def check_cohort_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidInput("Kelompok pelatihan tidak boleh berakhir sebelum dimulai.",
                           en="A cohort cannot end before it starts.", field="ends_on")


def check_cohort_status(status: str, *, allowed: tuple[CohortStatus, ...], action: str,
                        action_en: str) -> None:
    """A cohort's status decides what may happen to it: 409 naming ``status`` otherwise."""
    if status not in allowed:
        raise Conflict(f"Kelompok pelatihan berstatus {status_in_bahasa(status)}: tidak dapat "
                       f"{action}.", en=f"The cohort is {status}: cannot {action_en}.",
                       field="status", cohort_status=status)


def check_capacity(*, members: int, capacity: int) -> None:
    """A cohort holds no more members than its venue seats."""
    if members > capacity:
        raise Conflict(f"Kelompok pelatihan akan berisi {members} peserta, melebihi kapasitas "
                       f"tempat pelatihan ({capacity}).",
                       en=f"The cohort would hold {members} participants, over the venue's "
                          f"capacity of {capacity}.", field="participant_ids", capacity=capacity)


def check_session_times(starts_at: time, ends_at: time) -> None:
    if ends_at <= starts_at:
        raise InvalidInput("Sesi harus berakhir setelah dimulai.",
                           en="A session must end after it starts.", field="ends_at")


def attendance_rate(present_sessions: int, total_sessions: int) -> float:
    return present_sessions / total_sessions if total_sessions else 0.0


def check_can_join(status: str, *, field: str) -> None:
    """Only an enrolled participant joins a cohort."""
    if status != RosterStatus.ENROLLED:
        raise Conflict(f"Peserta berstatus {status_in_bahasa(status)}: tidak dapat masuk kelompok.",
                       en=f"Participant is {status}.", field=field)


def check_session_date(session_on: date, starts_on: date, ends_on: date) -> None:
    if not starts_on <= session_on <= ends_on:
        raise InvalidInput("Tanggal sesi berada di luar tanggal kelompok pelatihan.",
                           en="The session date is outside the cohort's dates.", field="held_on")
