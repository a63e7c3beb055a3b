"""Registration's changes -> integration events, enqueued in the same transaction.

Only what consumers need travels: ids, area codes, name and phone for the roster, the
baseline for monitoring. Never NIK, never KK.
"""

from datetime import UTC, datetime

from sqlmodel import Session

from berdaya_shared.events import EventPayload, new_event
from berdaya_shared.events import registration as contracts
from berdaya_shared.events.registration import area_codes
from berdaya_shared.outbox import enqueue

from ..adapters.tables import Application, Household, Participant, Programme, outbox


def _emit(session: Session, payload: EventPayload, participant_id: str, source: str) -> None:
    enqueue(session, outbox, new_event(payload, subject=participant_id, source=source))


def participant_registered(session: Session, person: Participant, household: Household, *,
                           source: str) -> None:
    _emit(session, contracts.ParticipantRegistered(
        participant_id=person.id, gender=person.gender, birth_year=person.birth_date.year,
        dtks_listed=household.dtks_listed, pkk_cadre=person.pkk_cadre,
        registered_at=person.created_at, **area_codes(person.kelurahan_code)), person.id, source)


def participant_updated(session: Session, person: Participant, changed: list[str], *,
                        source: str) -> None:
    _emit(session, contracts.ParticipantUpdated(
        participant_id=person.id, changed_fields=changed, full_name=person.full_name,
        phone=person.phone, updated_at=person.updated_at, **area_codes(person.kelurahan_code)),
        person.id, source)


def application_submitted(session: Session, app: Application, programme: Programme, *,
                          source: str) -> None:
    _emit(session, contracts.ApplicationSubmitted(
        application_id=app.id, participant_id=app.participant_id, programme_id=programme.id,
        programme_code=programme.code, track=app.track, submitted_at=app.submitted_at,
        **area_codes(app.kelurahan_code)), app.participant_id, source)


def participant_enrolled(session: Session, app: Application, programme: Programme,
                         person: Participant, *, source: str) -> None:
    _emit(session, contracts.ParticipantEnrolled(
        application_id=app.id, participant_id=person.id, programme_id=programme.id,
        programme_code=programme.code, programme_name=programme.name, track=app.track,
        full_name=person.full_name, phone=person.phone, gender=person.gender,
        baseline_business=person.baseline_business,
        baseline_monthly_income=person.baseline_monthly_income,
        enrolled_at=app.enrolled_at or datetime.now(UTC), **area_codes(app.kelurahan_code)),
        person.id, source)


def participant_waitlisted(session: Session, app: Application, position: int, *,
                           source: str) -> None:
    _emit(session, contracts.ParticipantWaitlisted(
        application_id=app.id, participant_id=app.participant_id, programme_id=app.programme_id,
        position=position, waitlisted_at=app.waitlisted_at or datetime.now(UTC),
        **area_codes(app.kelurahan_code)), app.participant_id, source)


def application_rejected(session: Session, app: Application, *, source: str) -> None:
    _emit(session, contracts.ApplicationRejected(
        application_id=app.id, participant_id=app.participant_id, programme_id=app.programme_id,
        reasons=app.reasons, rejected_at=app.decided_at or datetime.now(UTC),
        **area_codes(app.kelurahan_code)), app.participant_id, source)


def enrolment_withdrawn(session: Session, app: Application, reason: str, *, source: str) -> None:
    _emit(session, contracts.EnrolmentWithdrawn(
        application_id=app.id, participant_id=app.participant_id, programme_id=app.programme_id,
        reason=reason, withdrawn_at=app.withdrawn_at or datetime.now(UTC),
        **area_codes(app.kelurahan_code)), app.participant_id, source)
