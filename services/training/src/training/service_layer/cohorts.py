"""Cohorts, their members, attendance and graduation. Each use case runs inside the caller's
transaction (``session``); events are enqueued in the outbox in that same transaction.

Locking (PostgreSQL; SQLite serialises writers already). Every row whose state decides an
action is read with ``get_for_update`` before the check, always in the same order:
the cohort first, then roster entries in participant-id order.

* Attendance locks its cohort, so two trainers saving the same sheet at once are applied one
  after the other: the second finds the first one's rows and updates them (an idempotent
  repeat, never a second row or a 500).
* Graduation locks the cohort (the attendance it counts is not changing under it) and then
  the participant's entry: of two simultaneous graduations one succeeds, the other sees
  "already graduated" (409), and one ParticipantGraduated is enqueued.
* Adding members locks each entry, so a participant joins one cohort even when two
  organisers add them to different cohorts at once.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import Conflict, NotFound

from ..adapters.tables import Attendance, Cohort, RosterEntry
from ..domain import model
from ..domain.model import RosterStatus
from ..messaging import outgoing
from .roster import locked_entry


@dataclass(frozen=True, kw_only=True)
class NewCohort:
    programme_id: str
    track: str | None
    name: str
    venue: str
    area_code: str
    starts_on: date
    ends_on: date


def _not_found() -> NotFound:
    return NotFound("Kelompok pelatihan ini tidak ada di wilayah Anda.",
                    en="No such cohort in your area.", field="cohort_id")


def get_cohort(*, session: Session, cohort_id: str, principal: Principal,
               for_update: bool = False) -> Cohort:
    """The cohort, or 404 when it does not exist or lies outside the caller's area."""
    cohort = (get_for_update(session, Cohort, cohort_id) if for_update
              else session.get(Cohort, cohort_id))
    if cohort is None or not principal.covers(cohort.area_code):
        raise _not_found()
    return cohort


def create_cohort(*, session: Session, principal: Principal, cohort: NewCohort) -> Cohort:
    principal.ensure_covers(cohort.area_code, hide=False)
    model.check_cohort_dates(cohort.starts_on, cohort.ends_on)
    row = Cohort(programme_id=cohort.programme_id, track=cohort.track, name=cohort.name,
                 venue=cohort.venue, area_code=cohort.area_code, starts_on=cohort.starts_on,
                 ends_on=cohort.ends_on, created_by=principal.subject, created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    return row


def _member_entry(session: Session, cohort: Cohort, participant_id: str, *,
                  field: str) -> RosterEntry:
    entry = locked_entry(session, participant_id=participant_id, programme_id=cohort.programme_id)
    if entry is None:
        raise NotFound("Peserta ini tidak ada di daftar peserta program.",
                       en="This participant is not on the programme's roster.", field=field)
    return entry


def add_members(*, session: Session, principal: Principal, cohort_id: str,
                participant_ids: list[str]) -> list[RosterEntry]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    for participant_id in sorted(set(participant_ids)):  # one lock order: no deadlocks
        locked_entry(session, participant_id=participant_id, programme_id=cohort.programme_id)
    entries = []
    for index, participant_id in enumerate(participant_ids):
        field = f"participant_ids.{index}"
        entry = _member_entry(session, cohort, participant_id, field=field)
        if not principal.covers(entry.kelurahan_code) and not principal.covers(cohort.area_code):
            raise NotFound("Peserta ini tidak ada di wilayah Anda.",
                           en="No such participant in your area.", field=field)
        model.check_can_join(entry.status, field=field)
        if entry.cohort_id not in (None, cohort.id):
            raise Conflict("Peserta sudah menjadi anggota kelompok pelatihan lain.",
                           en="Participant is already in another cohort.", field=field)
        entry.cohort_id = cohort.id
        session.add(entry)
        entries.append(entry)
    return entries


def record_attendance(*, session: Session, principal: Principal, cohort_id: str, session_on: date,
                      present: list[str], absent: list[str]) -> int:
    """Store one session's attendance sheet; recording it again updates it (no second row)."""
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    model.check_session_date(session_on, cohort.starts_on, cohort.ends_on)
    members = set(session.exec(select(RosterEntry.participant_id)
                               .where(RosterEntry.cohort_id == cohort.id)).all())
    existing = {row.participant_id: row for row in session.exec(select(Attendance).where(
        Attendance.cohort_id == cohort.id, Attendance.session_on == session_on)).all()}
    now, recorded, new = datetime.now(UTC), 0, []
    for field, ids, is_present in (("present", present, True), ("absent", absent, False)):
        for index, participant_id in enumerate(ids):
            if participant_id not in members:
                raise NotFound("Bukan anggota kelompok pelatihan ini.",
                               en="Not a member of this cohort.", field=f"{field}.{index}")
            row = existing.get(participant_id)
            if row is None:
                row = Attendance(cohort_id=cohort.id, participant_id=participant_id,
                                 session_on=session_on, present=is_present,
                                 recorded_by=principal.subject, recorded_at=now)
                existing[participant_id] = row
                new.append(row)  # added below, inside the savepoint
            else:
                row.present, row.recorded_by, row.recorded_at = is_present, principal.subject, now
                session.add(row)
            recorded += 1
    # The cohort lock serialises sheets of one cohort; the unique key is the last word.
    with conflict_on_duplicate(session, field="session_on",
                               detail="Kehadiran sesi ini sedang dicatat bersamaan; coba lagi.",
                               en="This session's attendance is being recorded at the same "
                                  "time; try again."):
        session.add_all(new)
    return recorded


def graduate(*, session: Session, principal: Principal, cohort_id: str, participant_id: str,
             min_rate: float, source: str) -> RosterEntry:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    entry = _member_entry(session, cohort, participant_id, field="participant_id")
    if entry.cohort_id != cohort.id:
        raise NotFound("Bukan anggota kelompok pelatihan ini.", en="Not a member of this cohort.",
                       field="participant_id")
    total = session.exec(select(func.count(func.distinct(Attendance.session_on)))
                         .where(Attendance.cohort_id == cohort.id)).one()
    attended = session.exec(select(func.count()).select_from(Attendance).where(
        Attendance.cohort_id == cohort.id, Attendance.participant_id == participant_id,
        col(Attendance.present).is_(True))).one()
    rate = model.attendance_rate(attended, total)
    model.check_can_graduate(status=entry.status, rate=rate, minimum=min_rate)
    graduated_at = datetime.now(UTC)
    entry.status, entry.graduated_at = RosterStatus.GRADUATED, graduated_at
    session.add(entry)
    outgoing.participant_graduated(session, entry, cohort, rate, graduated_at=graduated_at,
                                   source=source)
    return entry
