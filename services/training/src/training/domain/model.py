"""Training rules, free of I/O."""

from datetime import date

from berdaya_shared.errors import Conflict, InvalidInput


def check_cohort_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidInput("A cohort cannot end before it starts.", field="ends_on")


def attendance_rate(present_sessions: int, total_sessions: int) -> float:
    return present_sessions / total_sessions if total_sessions else 0.0


def check_can_graduate(*, status: str, rate: float, minimum: float) -> None:
    if status == "graduated":
        raise Conflict("This participant has already graduated.", field="participant_id")
    if status != "enrolled":
        raise Conflict(f"A {status} participant cannot graduate.", field="participant_id")
    if rate < minimum:
        raise Conflict(f"Attendance {rate:.0%} is below the required {minimum:.0%}.",
                       field="attendance", attendance_rate=round(rate, 3))


def check_session_date(session_on: date, starts_on: date, ends_on: date) -> None:
    if not starts_on <= session_on <= ends_on:
        raise InvalidInput("The session date is outside the cohort's dates.", field="session_on")
