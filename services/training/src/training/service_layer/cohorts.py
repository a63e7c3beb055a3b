"""Training's use cases. Each runs inside the caller's transaction (``session``); events are
enqueued in the outbox in that same transaction."""

from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.errors import Conflict, NotFound
from berdaya_shared.pagination import area_page

from ..adapters.tables import Attendance, Cohort, RosterEntry
from ..domain import model
from ..messaging import outgoing


def get_cohort(*, session: Session, cohort_id: str, principal: Principal) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not principal.covers(cohort.area_code):
        raise NotFound("No such cohort in your area.", field="cohort_id")
    return cohort


def create_cohort(*, session: Session, principal: Principal, programme_id: str, track: str | None,
                  name: str, venue: str, area_code: str, starts_on: date, ends_on: date) -> Cohort:
    principal.ensure_covers(area_code, hide=False)
    model.check_cohort_dates(starts_on, ends_on)
    cohort = Cohort(programme_id=programme_id, track=track, name=name, venue=venue,
                    area_code=area_code, starts_on=starts_on, ends_on=ends_on,
                    created_by=principal.subject, created_at=datetime.now(UTC))
    session.add(cohort)
    session.flush()
    return cohort


def _roster_entry(session: Session, cohort: Cohort, participant_id: str) -> RosterEntry:
    entry = session.exec(select(RosterEntry).where(
        RosterEntry.participant_id == participant_id,
        RosterEntry.programme_id == cohort.programme_id)).first()
    if entry is None:
        raise NotFound("This participant is not on the programme's roster.", field="participant_id")
    return entry


def add_members(*, session: Session, principal: Principal, cohort_id: str,
                participant_ids: list[str]) -> list[RosterEntry]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    entries = []
    for index, participant_id in enumerate(participant_ids):
        entry = _roster_entry(session, cohort, participant_id)
        if not principal.covers(entry.kelurahan_code) and not principal.covers(cohort.area_code):
            raise NotFound("No such participant in your area.", field=f"participant_ids.{index}")
        if entry.status != "enrolled":
            raise Conflict(f"Participant is {entry.status}.", field=f"participant_ids.{index}")
        if entry.cohort_id not in (None, cohort.id):
            raise Conflict("Participant is already in another cohort.",
                           field=f"participant_ids.{index}")
        entry.cohort_id = cohort.id
        entries.append(entry)
    return entries


def record_attendance(*, session: Session, principal: Principal, cohort_id: str, session_on: date,
                      present: list[str], absent: list[str]) -> int:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    model.check_session_date(session_on, cohort.starts_on, cohort.ends_on)
    members = set(session.exec(select(RosterEntry.participant_id)
                               .where(RosterEntry.cohort_id == cohort.id)).all())
    recorded = 0
    for field, ids, is_present in (("present", present, True), ("absent", absent, False)):
        for index, participant_id in enumerate(ids):
            if participant_id not in members:
                raise NotFound("Not a member of this cohort.", field=f"{field}.{index}")
            existing = session.exec(select(Attendance).where(
                Attendance.cohort_id == cohort.id, Attendance.participant_id == participant_id,
                Attendance.session_on == session_on)).first()
            row = existing or Attendance(cohort_id=cohort.id, participant_id=participant_id,
                                         session_on=session_on, present=is_present,
                                         recorded_by=principal.subject,
                                         recorded_at=datetime.now(UTC))
            row.present, row.recorded_by = is_present, principal.subject
            session.add(row)
            recorded += 1
    return recorded


def graduate(*, session: Session, principal: Principal, cohort_id: str, participant_id: str,
             min_rate: float, source: str) -> RosterEntry:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    entry = _roster_entry(session, cohort, participant_id)
    if entry.cohort_id != cohort.id:
        raise NotFound("Not a member of this cohort.", field="participant_id")
    total = session.exec(select(func.count(func.distinct(Attendance.session_on)))
                         .where(Attendance.cohort_id == cohort.id)).one()
    attended = session.exec(select(func.count()).select_from(Attendance).where(
        Attendance.cohort_id == cohort.id, Attendance.participant_id == participant_id,
        Attendance.present.is_(True))).one()
    rate = model.attendance_rate(attended, total)
    model.check_can_graduate(status=entry.status, rate=rate, minimum=min_rate)
    entry.status, entry.graduated_at = "graduated", datetime.now(UTC)
    session.add(entry)
    outgoing.participant_graduated(session, entry, cohort, rate, source=source)
    return entry


def roster(*, session: Session, principal: Principal, programme_id: str | None,
           limit: int, cursor: str | None) -> tuple[list[RosterEntry], str | None]:
    filters = [RosterEntry.programme_id == programme_id] if programme_id else []
    return area_page(session, RosterEntry, area=principal.area, limit=limit, cursor=cursor,
                     filters=filters)
