"""Events from other services -> training's own records. Handlers only translate."""

from sqlmodel import Session, select

from berdaya_shared.events import Envelope
from berdaya_shared.events.registration import EnrolmentWithdrawn, ParticipantEnrolled, ParticipantUpdated
from berdaya_shared.inbox import Handler
from berdaya_shared.inbox.snapshots import refresh_participant

from ..adapters.tables import RosterEntry
from ..config import TrainingSettings

TOPICS = ["registration.events"]


def _entry(session: Session, participant_id: str, programme_id: str) -> RosterEntry | None:
    return session.exec(select(RosterEntry).where(
        RosterEntry.participant_id == participant_id,
        RosterEntry.programme_id == programme_id)).first()


def on_participant_enrolled(session: Session, envelope: Envelope) -> None:
    event: ParticipantEnrolled = envelope.payload(ParticipantEnrolled)
    entry = _entry(session, event.participant_id, event.programme_id) or RosterEntry(
        participant_id=event.participant_id, programme_id=event.programme_id,
        enrolled_at=event.enrolled_at, programme_code=event.programme_code, full_name="",
        gender=event.gender, kelurahan_code="", kecamatan_code="", kota_code="")
    for name in ("programme_code", "track", "full_name", "phone", "gender", "kelurahan_code",
                 "kecamatan_code", "kota_code", "baseline_business", "baseline_monthly_income",
                 "enrolled_at"):
        setattr(entry, name, getattr(event, name))
    if entry.status != "graduated":  # re-enrolment after a withdrawal: back on the roster
        entry.status = "enrolled"
    session.add(entry)


def on_enrolment_withdrawn(session: Session, envelope: Envelope) -> None:
    event: EnrolmentWithdrawn = envelope.payload(EnrolmentWithdrawn)
    entry = _entry(session, event.participant_id, event.programme_id)
    if entry is not None and entry.status == "enrolled":
        entry.status, entry.cohort_id = "withdrawn", None
        session.add(entry)


def on_participant_updated(session: Session, envelope: Envelope) -> None:
    refresh_participant(session, RosterEntry, envelope.payload(ParticipantUpdated))


def handlers_for(settings: TrainingSettings) -> dict[str, Handler]:
    """The consumer's handlers (training's need no settings: they emit no events)."""
    return {
        ParticipantEnrolled.TYPE: on_participant_enrolled,
        EnrolmentWithdrawn.TYPE: on_enrolment_withdrawn,
        ParticipantUpdated.TYPE: on_participant_updated,
    }
