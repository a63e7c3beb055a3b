"""A cohort's schedule of sessions and the attendance sheet of each session. A session's trainer
is a trainer record (``/people``); the trainer sees the cohort through their login's subject.

Attendance is entered for a whole session in one request and read in constant queries: one
for the cohort's members, one for the session's existing rows, then bulk inserts and updates
(no per-participant statement). A sheet names every member exactly once; a status that
changes an earlier one is a correction and leaves an audit row (who, when, old -> new).

Locking: the cohort row is taken ``FOR UPDATE`` first (``get_cohort(for_update=True)``), so
two sheets of one cohort are applied one after the other, and a close cannot count attendance
that is changing under it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import new_id
from berdaya_shared.errors import InvalidInput, NotFound

from ..adapters.tables import Attendance, AttendanceCorrection, CohortSession, Person, RosterEntry
from ..domain import model
from ..domain.graduation import AttendanceStatus
from ..domain.model import CohortStatus
from ..domain.people import PersonKind
from .cohorts import get_cohort


@dataclass(frozen=True, kw_only=True)
class NewSession:
    held_on: date
    starts_at: time
    ends_at: time
    topic: str
    trainer_id: str


@dataclass(frozen=True, kw_only=True)
class Mark:
    participant_id: str
    status: AttendanceStatus


@dataclass(frozen=True, kw_only=True)
class SheetResult:
    recorded: int
    corrected: int


def create_session(*, session: Session, principal: Principal, cohort_id: str,
                   new: NewSession) -> CohortSession:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    model.check_cohort_status(cohort.status, allowed=(CohortStatus.PLANNED, CohortStatus.RUNNING),
                              action="dijadwalkan sesinya", action_en="schedule sessions")
    model.check_session_date(new.held_on, cohort.starts_on, cohort.ends_on)
    model.check_session_times(new.starts_at, new.ends_at)
    _check_trainer(session, new.trainer_id)
    row = CohortSession(cohort_id=cohort.id, held_on=new.held_on, starts_at=new.starts_at,
                        ends_at=new.ends_at, topic=new.topic, trainer_id=new.trainer_id,
                        created_by=principal.subject, created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    return row


def _check_trainer(session: Session, trainer_id: str) -> None:
    """A session's trainer is a trainer of training's people (``/people``, kind trainer)."""
    person = session.get(Person, trainer_id)
    if person is None or person.kind != PersonKind.TRAINER:
        raise InvalidInput("Pelatih ini tidak terdaftar sebagai pelatih.",
                           en="No such trainer.", field="trainer_id")


def list_sessions(*, session: Session, principal: Principal, cohort_id: str) -> list[CohortSession]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    return list(session.exec(select(CohortSession).where(CohortSession.cohort_id == cohort.id)
                             .order_by(col(CohortSession.held_on), col(CohortSession.starts_at))).all())


def _sitting(session: Session, cohort_id: str, session_id: str) -> CohortSession:
    sitting = session.get(CohortSession, session_id)
    if sitting is None or sitting.cohort_id != cohort_id:
        raise NotFound("Sesi ini tidak ada di kelompok pelatihan ini.",
                       en="No such session in this cohort.", field="session_id")
    return sitting


def members_of(session: Session, cohort_id: str) -> set[str]:
    """The cohort's members' participant ids, in one query."""
    return set(session.exec(select(RosterEntry.participant_id)
                            .where(RosterEntry.cohort_id == cohort_id)).all())


def check_sheet(marks: list[Mark], members: set[str]) -> None:
    """Every member exactly once, nobody else: else 422 naming the entry (or ``entries``)."""
    seen: set[str] = set()
    for index, mark in enumerate(marks):
        field = f"entries.{index}.participant_id"
        if mark.participant_id not in members:
            raise InvalidInput("Bukan anggota kelompok pelatihan ini.",
                               en="Not a member of this cohort.", field=field)
        if mark.participant_id in seen:
            raise InvalidInput("Peserta ini disebut dua kali dalam daftar hadir.",
                               en="This participant appears twice on the sheet.", field=field)
        seen.add(mark.participant_id)
    missing = len(members - seen)
    if missing:
        raise InvalidInput(f"Daftar hadir harus memuat semua anggota kelompok: {missing} "
                           "anggota belum dicatat.",
                           en=f"The sheet must cover every member: {missing} missing.",
                           field="entries", missing=missing)


def record_attendance(*, session: Session, principal: Principal, cohort_id: str,
                      session_id: str, marks: list[Mark]) -> SheetResult:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    sitting = _sitting(session, cohort.id, session_id)
    model.check_cohort_status(cohort.status, allowed=(CohortStatus.RUNNING,),
                              action="dicatat kehadirannya", action_en="record attendance")
    check_sheet(marks, members_of(session, cohort.id))
    existing = {pid: (row_id, status) for row_id, pid, status in session.exec(
        select(Attendance.id, Attendance.participant_id, Attendance.status)
        .where(Attendance.session_id == sitting.id)).all()}
    now, who = datetime.now(UTC), principal.subject
    new, changed, audit = [], [], []
    for mark in marks:
        before = existing.get(mark.participant_id)
        if before is None:
            new.append({"id": new_id(), "cohort_id": cohort.id, "session_id": sitting.id,
                        "participant_id": mark.participant_id, "status": mark.status,
                        "recorded_by": who, "recorded_at": now})
        elif before[1] != mark.status:
            changed.append({"id": before[0], "status": mark.status, "recorded_by": who,
                            "recorded_at": now})
            audit.append({"id": new_id(), "session_id": sitting.id,
                          "participant_id": mark.participant_id, "old_status": before[1],
                          "new_status": mark.status, "corrected_by": who, "corrected_at": now})
    if new:
        session.execute(insert(Attendance), new)
    if changed:
        session.execute(update(Attendance), changed)
    if audit:
        session.execute(insert(AttendanceCorrection), audit)
    sitting.attendance_recorded_by, sitting.attendance_recorded_at = who, now
    session.add(sitting)
    return SheetResult(recorded=len(marks), corrected=len(audit))


def sheet_of(*, session: Session, principal: Principal, cohort_id: str,
             session_id: str) -> list[Attendance]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    sitting = _sitting(session, cohort.id, session_id)
    return list(session.exec(select(Attendance).where(Attendance.session_id == sitting.id)
                             .order_by(Attendance.participant_id)).all())


def corrections_of(*, session: Session, principal: Principal, cohort_id: str,
                   session_id: str) -> list[AttendanceCorrection]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    sitting = _sitting(session, cohort.id, session_id)
    return list(session.exec(select(AttendanceCorrection)
                             .where(AttendanceCorrection.session_id == sitting.id)
                             .order_by(col(AttendanceCorrection.corrected_at))).all())
