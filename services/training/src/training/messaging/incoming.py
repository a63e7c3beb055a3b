"""Events from other services -> training's use cases. Handlers only translate."""

from collections.abc import Sequence

from sqlmodel import Session

from berdaya_shared.events import Envelope
from berdaya_shared.events.registration import EnrolmentWithdrawn, ParticipantEnrolled, ParticipantUpdated
from berdaya_shared.inbox import Handler, batched
from berdaya_shared.inbox.snapshots import refresh_participant

from ..adapters.tables import RosterEntry
from ..config import TrainingSettings
from ..domain.commands import RecordEnrolment
from ..service_layer import roster

TOPICS = ["registration.events"]


def on_participants_enrolled(session: Session, envelopes: Sequence[Envelope]) -> None:
    """A run of enrolments at once (a batch handler: a kota's list arrives as many)."""
    roster.record_enrolments(session=session, enrolments=[
        (_enrolment(envelope.payload(ParticipantEnrolled)), envelope.type, envelope.time)
        for envelope in envelopes])


def _enrolment(event: ParticipantEnrolled) -> RecordEnrolment:
    return RecordEnrolment(
        participant_id=event.participant_id, programme_id=event.programme_id,
        programme_code=event.programme_code, track=event.track, full_name=event.full_name,
        phone=event.phone, gender=event.gender, kelurahan_code=event.kelurahan_code,
        kecamatan_code=event.kecamatan_code, kota_code=event.kota_code,
        baseline_business=event.baseline_business,
        baseline_monthly_income=event.baseline_monthly_income, enrolled_at=event.enrolled_at)


def on_enrolment_withdrawn(session: Session, envelope: Envelope) -> None:
    event: EnrolmentWithdrawn = envelope.payload(EnrolmentWithdrawn)
    roster.record_withdrawal(session=session, participant_id=event.participant_id,
                             programme_id=event.programme_id, event_type=envelope.type,
                             happened_at=envelope.time)


def on_participant_updated(session: Session, envelope: Envelope) -> None:
    refresh_participant(session, RosterEntry, envelope.payload(ParticipantUpdated))


def handlers_for(settings: TrainingSettings) -> dict[str, Handler]:
    """The consumer's handlers (training's need no settings: they emit no events)."""
    return {
        ParticipantEnrolled.TYPE: batched(on_participants_enrolled),
        EnrolmentWithdrawn.TYPE: on_enrolment_withdrawn,
        ParticipantUpdated.TYPE: on_participant_updated,
    }
