"""Mentor assignment (OK OCE pendampingan): a mentor accompanies at most ``max_caseload``
participants at once; a reassignment ends the old assignment (history kept).

Invariant: the open assignments of a mentor never outnumber their ``max_caseload``, and a
participant has at most one open assignment per programme.

Locking (PostgreSQL; SQLite serialises writers already), always in this order: the mentor's
row first (``get_for_update``), then the roster entries in participant-id order. Two officers
filling a mentor's last place at once are applied one after the other: the second counts the
first one's assignment and gets a 409 naming ``participant_ids``. Two mentors taking the same
participant at once meet on the participant's entry: the second closes the first's assignment.
The partial unique index on open assignments is the last word.
"""

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import within
from berdaya_shared.db import conflict_on_duplicate
from berdaya_shared.errors import Conflict, NotFound

from ..adapters.tables import MentorAssignment, Person, RosterEntry
from ..domain import people as rules
from ..domain.model import RosterStatus
from ..domain.people import PersonKind
from ..messaging import outgoing_people
from .people import get_person
from .roster import locked_entries


def get_mentor(*, session: Session, principal: Principal, person_id: str,
               for_update: bool = False) -> Person:
    """The mentor, or 404 when there is no mentor of that id in the caller's area."""
    person = get_person(session=session, principal=principal, person_id=person_id,
                        for_update=for_update)
    if person.kind != PersonKind.MENTOR:
        raise NotFound("Pendamping ini tidak ada di wilayah Anda.",
                       en="No such mentor in your area.", field="person_id")
    return person


def caseload(session: Session, mentor_id: str) -> int:
    return session.exec(select(func.count()).select_from(MentorAssignment).where(
        MentorAssignment.mentor_id == mentor_id,
        col(MentorAssignment.ended_at).is_(None))).one()


def _checked(principal: Principal, mentor: Person, entry: RosterEntry | None,
             field: str) -> RosterEntry:
    if entry is None or not principal.covers(entry.kelurahan_code):
        raise NotFound("Peserta ini tidak ada di daftar program di wilayah Anda.",
                       en="This participant is not on the programme's roster in your area.",
                       field=field)
    if not within(entry.kelurahan_code, mentor.area_code):
        raise Conflict("Peserta ini tinggal di luar wilayah pendamping.",
                       en="This participant lives outside the mentor's area.", field=field)
    if entry.status == RosterStatus.WITHDRAWN:
        raise Conflict("Peserta yang mengundurkan diri tidak dapat didampingi.",
                       en="A withdrawn participant cannot be given a mentor.", field=field)
    return entry


def assign(*, session: Session, principal: Principal, mentor_id: str, programme_id: str,
           participant_ids: list[str], source: str) -> list[MentorAssignment]:
    """Assign participants of the programme's roster to the mentor; those already with this
    mentor stay as they are. Returns the mentor's assignments for the participants asked."""
    mentor = get_mentor(session=session, principal=principal, person_id=mentor_id,
                        for_update=True)
    wanted = list(dict.fromkeys(participant_ids))  # once each, in the caller's order
    locked = locked_entries(session, programme_id=programme_id, participant_ids=wanted)
    entries = {pid: _checked(principal, mentor, locked.get(pid),
                             f"participant_ids.{participant_ids.index(pid)}") for pid in wanted}
    current = {a.participant_id: a for a in session.exec(select(MentorAssignment).where(
        col(MentorAssignment.participant_id).in_(wanted),
        MentorAssignment.programme_id == programme_id,
        col(MentorAssignment.ended_at).is_(None))).all()}
    moving = [pid for pid in wanted if (a := current.get(pid)) is None or a.mentor_id != mentor.id]
    rules.check_caseload(current=caseload(session, mentor.id), adding=len(moving),
                         cap=mentor.max_caseload or 0)
    now, result = datetime.now(UTC), []
    for pid in wanted:
        previous = current.get(pid)
        if pid not in moving and previous is not None:
            result.append(previous)
            continue
        if previous is not None:
            previous.ended_by, previous.ended_at = principal.subject, now
            session.add(previous)
            session.flush()  # closed before the new open row meets the unique index
        assignment = MentorAssignment(mentor_id=mentor.id, participant_id=pid,
                                      programme_id=programme_id, assigned_by=principal.subject,
                                      assigned_at=now)
        with conflict_on_duplicate(session, field="participant_ids",
                                   detail="Pendamping peserta ini sedang diubah bersamaan; coba lagi.",
                                   en="This participant's mentor is being changed at the same "
                                      "time; try again."):
            session.add(assignment)
        outgoing_people.mentor_assigned(
            session, assignment, mentor, entries[pid],
            previous_mentor_id=previous.mentor_id if previous else None, source=source)
        result.append(assignment)
    return result


def list_assignments(*, session: Session, principal: Principal,
                     mentor_id: str) -> list[MentorAssignment]:
    """The mentor's open assignments (their caseload), oldest first."""
    mentor = get_mentor(session=session, principal=principal, person_id=mentor_id)
    return list(session.exec(select(MentorAssignment).where(
        MentorAssignment.mentor_id == mentor.id, col(MentorAssignment.ended_at).is_(None))
        .order_by(col(MentorAssignment.assigned_at), col(MentorAssignment.id))).all())


def current_mentor(session: Session, *, participant_id: str, programme_id: str) -> Person | None:
    """The participant's mentor on the programme now, or None (graduation puts it on
    ParticipantGraduated as ``MentorRef(mentor_id=p.id, name=p.full_name,
    organisation=p.organisation)``)."""
    return session.exec(select(Person).join(
        MentorAssignment, col(MentorAssignment.mentor_id) == col(Person.id)).where(
        MentorAssignment.participant_id == participant_id,
        MentorAssignment.programme_id == programme_id,
        col(MentorAssignment.ended_at).is_(None))).first()
