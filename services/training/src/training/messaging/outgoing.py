"""Domain changes -> integration events, enqueued in the outbox of the same transaction."""

from datetime import datetime

from sqlmodel import Session

from berdaya_shared.events import EventPayload, new_event
from berdaya_shared.events.training import (
    CohortScheduled,
    MentorRef,
    ParticipantGraduated,
    ParticipantNotGraduated,
)
from berdaya_shared.outbox import enqueue

from ..adapters.tables import Cohort, GraduationDecision, RosterEntry, Track, Venue, outbox


def _publish(session: Session, payload: EventPayload, *, subject: str, source: str) -> None:
    enqueue(session, outbox, new_event(payload, subject=subject, source=source))


def cohort_scheduled(session: Session, cohort: Cohort, venue: Venue, *, source: str) -> None:
    _publish(session, CohortScheduled(
        cohort_id=cohort.id, programme_id=cohort.programme_id, track_code=cohort.track_code or "",
        name=cohort.name, venue_id=venue.id, venue_name=venue.name,
        venue_kelurahan_code=venue.kelurahan_code, capacity=venue.capacity,
        area_code=cohort.area_code, starts_on=cohort.starts_on, ends_on=cohort.ends_on,
        scheduled_by=cohort.created_by, scheduled_at=cohort.created_at),
        subject=cohort.id, source=source)


def participant_graduated(session: Session, entry: RosterEntry, decision: GraduationDecision,
                          track: Track | None, mentor: MentorRef | None, *,
                          graduated_at: datetime, source: str) -> None:
    share = round(decision.attendance_share, 3)
    _publish(session, ParticipantGraduated(
        participant_id=entry.participant_id, cohort_id=decision.cohort_id,
        programme_id=entry.programme_id, programme_code=entry.programme_code,
        track=track.code if track else entry.track, full_name=entry.full_name, phone=entry.phone,
        baseline_business=entry.baseline_business,
        baseline_monthly_income=entry.baseline_monthly_income, attendance_rate=share,
        graduated_at=graduated_at, kelurahan_code=entry.kelurahan_code,
        kecamatan_code=entry.kecamatan_code, kota_code=entry.kota_code,
        track_code=track.code if track else None, attendance_share=share, score=decision.score,
        mentor=mentor, kit_type=track.kit_type if track else None,
        kit_items=list(track.kit_items) if track else None),
        subject=entry.participant_id, source=source)


def participant_not_graduated(session: Session, entry: RosterEntry, decision: GraduationDecision,
                              track: Track | None, *, source: str) -> None:
    _publish(session, ParticipantNotGraduated(
        participant_id=entry.participant_id, cohort_id=decision.cohort_id,
        programme_id=entry.programme_id, programme_code=entry.programme_code,
        track_code=track.code if track else None,
        attendance_share=round(decision.attendance_share, 3), score=decision.score,
        reason=decision.reason or "", decided_at=decision.decided_at,
        kelurahan_code=entry.kelurahan_code, kecamatan_code=entry.kecamatan_code,
        kota_code=entry.kota_code), subject=entry.participant_id, source=source)
