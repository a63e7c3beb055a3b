"""Closing a cohort decides every member at once with the track's rule; an officer may then
override one decision with a written reason (audited).

Locking (PostgreSQL): the cohort row first (``FOR UPDATE``): of two closes at once, one
decides and the other then finds the cohort closed (409), so one set of decisions and one
set of events exists. Then the members' roster entries, locked in one query in
participant-id order (the same order as everywhere else). An override locks the cohort, the
decision, then the entry.

Reads are constant in the cohort's size: sessions, members, attendance counts (grouped),
scores and mentors are one query each.
"""

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import get_for_update, is_sqlite
from berdaya_shared.errors import Conflict, NotFound
from berdaya_shared.events.training import MentorRef

from ..adapters.tables import (
    Assessment,
    Attendance,
    CohortSession,
    DecisionOverride,
    GraduationDecision,
    MentorAssignment,
    Person,
    RosterEntry,
    Track,
)
from ..domain import model
from ..domain.graduation import AttendanceStatus, Decision, Outcome, decide
from ..domain.model import CohortStatus, RosterStatus
from ..messaging import outgoing
from . import tracks
from .cohorts import get_cohort
from .roster import locked_entry


def mentors_of(session: Session, *, cohort_id: str, programme_id: str,
               participant_id: str | None = None) -> dict[str, MentorRef]:
    """The current mentor of each member of the cohort (or of one member), in one query: the
    open assignment on the programme (``mentors.current_mentor``, for the whole cohort)."""
    query = (select(MentorAssignment.participant_id, Person)
             .join(Person, col(Person.id) == col(MentorAssignment.mentor_id))
             .join(RosterEntry, (col(RosterEntry.participant_id)
                                 == col(MentorAssignment.participant_id))
                   & (col(RosterEntry.programme_id) == col(MentorAssignment.programme_id)))
             .where(MentorAssignment.programme_id == programme_id,
                    RosterEntry.cohort_id == cohort_id, col(MentorAssignment.ended_at).is_(None)))
    if participant_id is not None:
        query = query.where(MentorAssignment.participant_id == participant_id)
    return {pid: MentorRef(mentor_id=person.id, name=person.full_name,
                           organisation=person.organisation)
            for pid, person in session.exec(query).all()}


def _check_recorded(sittings: list[CohortSession]) -> None:
    if not sittings:
        raise Conflict("Kelompok pelatihan ini belum memiliki sesi.",
                       en="This cohort has no sessions.", field="sessions")
    unrecorded = [s.id for s in sittings if s.attendance_recorded_at is None]
    if unrecorded:
        raise Conflict(f"{len(unrecorded)} sesi belum dicatat kehadirannya.",
                       en=f"{len(unrecorded)} sessions have no attendance recorded.",
                       field="sessions", unrecorded=unrecorded)


def _track(session: Session, programme_id: str, code: str | None) -> Track:
    track = tracks.get_track(session=session, programme_id=programme_id, code=code or "")
    if track is None:
        raise Conflict("Kelompok pelatihan ini tidak memiliki jalur pelatihan dengan aturan "
                       "kelulusan.", en="This cohort has no track with a graduation rule.",
                       field="track_code")
    return track


def close_cohort(*, session: Session, principal: Principal, cohort_id: str,
                 source: str) -> list[GraduationDecision]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    model.check_cohort_status(cohort.status, allowed=(CohortStatus.RUNNING,),
                              action="ditutup", action_en="close")
    sittings = list(session.exec(select(CohortSession)
                                 .where(CohortSession.cohort_id == cohort.id)).all())
    _check_recorded(sittings)
    track = _track(session, cohort.programme_id, cohort.track_code)
    query = (select(RosterEntry).where(RosterEntry.cohort_id == cohort.id,
                                       RosterEntry.status == RosterStatus.ENROLLED)
             .order_by(RosterEntry.participant_id).execution_options(populate_existing=True))
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    entries = list(session.exec(query).all())
    attended = dict(session.exec(
        select(Attendance.participant_id, func.count()).where(
            Attendance.cohort_id == cohort.id, Attendance.status == AttendanceStatus.PRESENT)
        .group_by(Attendance.participant_id)).all())
    scores: dict[str, list[int]] = {}
    for participant_id, score in session.exec(select(Assessment.participant_id, Assessment.score)
                                              .where(Assessment.cohort_id == cohort.id)).all():
        scores.setdefault(participant_id, []).append(score)
    mentors = mentors_of(session, cohort_id=cohort.id, programme_id=cohort.programme_id)
    rule, now, decisions = tracks.rule_of(track), datetime.now(UTC), []
    for entry in entries:
        outcome = decide(rule, attended=attended.get(entry.participant_id, 0),
                         held=len(sittings), scores=scores.get(entry.participant_id, []))
        decision = _record(cohort.id, entry, outcome, who=principal.subject, now=now)
        decisions.append(decision)
        session.add(decision)
        _apply(session, entry, decision, track, mentors.get(entry.participant_id), now=now,
               source=source)
    cohort.status, cohort.closed_by, cohort.closed_at = CohortStatus.CLOSED, principal.subject, now
    session.add(cohort)
    session.flush()
    return decisions


def _record(cohort_id: str, entry: RosterEntry, outcome: Decision, *, who: str,
            now: datetime) -> GraduationDecision:
    return GraduationDecision(cohort_id=cohort_id, participant_id=entry.participant_id,
                              outcome=outcome.outcome, attendance_share=outcome.attendance_share,
                              score=outcome.score, reason=outcome.reason,
                              reason_en=outcome.reason_en, decided_by=who, decided_at=now)


def _apply(session: Session, entry: RosterEntry, decision: GraduationDecision,
           track: Track | None, mentor: MentorRef | None, *, now: datetime, source: str) -> None:
    """The decision on the roster entry, and its event in the outbox."""
    if decision.outcome == Outcome.GRADUATED:
        entry.status, entry.graduated_at = RosterStatus.GRADUATED, now
        outgoing.participant_graduated(session, entry, decision, track, mentor,
                                       graduated_at=now, source=source)
    else:
        entry.status, entry.graduated_at = RosterStatus.NOT_GRADUATED, None
        outgoing.participant_not_graduated(session, entry, decision, track, source=source)
    session.add(entry)


def list_decisions(*, session: Session, principal: Principal,
                   cohort_id: str) -> list[GraduationDecision]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    return list(session.exec(select(GraduationDecision)
                             .where(GraduationDecision.cohort_id == cohort.id)
                             .order_by(col(GraduationDecision.participant_id))).all())


def override_decision(*, session: Session, principal: Principal, cohort_id: str,
                      participant_id: str, outcome: Outcome, reason: str,
                      source: str) -> GraduationDecision:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    decision_id = session.exec(select(GraduationDecision.id).where(
        GraduationDecision.cohort_id == cohort.id,
        GraduationDecision.participant_id == participant_id)).first()
    decision = get_for_update(session, GraduationDecision, decision_id) if decision_id else None
    entry = locked_entry(session, participant_id=participant_id, programme_id=cohort.programme_id)
    if decision is None or entry is None or not principal.covers(entry.kelurahan_code):
        raise NotFound("Belum ada keputusan kelulusan untuk peserta ini di kelompok ini.",
                       en="No graduation decision for this participant in this cohort.",
                       field="participant_id")
    if decision.outcome == outcome:
        raise Conflict("Keputusan peserta ini sudah demikian.",
                       en="The decision already has this outcome.", field="outcome")
    now = datetime.now(UTC)
    session.add(DecisionOverride(decision_id=decision.id, old_outcome=decision.outcome,
                                 new_outcome=outcome, reason=reason,
                                 overridden_by=principal.subject, overridden_at=now))
    graduated = outcome == Outcome.GRADUATED
    decision.outcome, decision.decided_by, decision.decided_at = outcome, principal.subject, now
    decision.reason = None if graduated else reason
    decision.reason_en = None
    session.add(decision)
    track = tracks.get_track(session=session, programme_id=cohort.programme_id,
                             code=cohort.track_code or "")
    mentor = mentors_of(session, cohort_id=cohort.id, programme_id=cohort.programme_id,
                        participant_id=participant_id).get(participant_id)
    _apply(session, entry, decision, track, mentor, now=now, source=source)
    return decision


def overrides_of(*, session: Session, principal: Principal, cohort_id: str) -> list[DecisionOverride]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    return list(session.exec(select(DecisionOverride).join(
        GraduationDecision, col(GraduationDecision.id) == col(DecisionOverride.decision_id))
        .where(GraduationDecision.cohort_id == cohort.id)
        .order_by(col(DecisionOverride.overridden_at))).all())
