"""Events from other services -> marketplace's use cases. Handlers only translate."""

from functools import partial

from sqlmodel import Session

from berdaya_shared.events import Envelope
from berdaya_shared.events.monitoring import BusinessStatusChanged
from berdaya_shared.events.registration import ParticipantUpdated
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.inbox import Handler
from berdaya_shared.inbox.snapshots import refresh_participant

from ..adapters.tables import SellerProfile
from ..config import MarketplaceSettings
from ..service_layer import handlers

TOPICS = ["training.events", "registration.events", "monitoring.events"]


def on_participant_graduated(session: Session, envelope: Envelope, *, source: str) -> None:
    event: ParticipantGraduated = envelope.payload(ParticipantGraduated)
    handlers.open_seller_profile(
        session=session, participant_id=event.participant_id, display_name=event.full_name,
        phone=event.phone, kelurahan_code=event.kelurahan_code,
        kecamatan_code=event.kecamatan_code, kota_code=event.kota_code,
        programme_code=event.programme_code, track=event.track, source=source, cause=envelope)


def on_business_status_changed(session: Session, envelope: Envelope, *, source: str) -> None:
    event: BusinessStatusChanged = envelope.payload(BusinessStatusChanged)
    handlers.apply_business_status(session=session, participant_id=event.participant_id,
                                   business_status=event.new_status, reason=event.reason,
                                   source=source, cause=envelope)


def on_participant_updated(session: Session, envelope: Envelope) -> None:
    refresh_participant(session, SellerProfile, envelope.payload(ParticipantUpdated),
                        name_column="display_name")


def handlers_for(settings: MarketplaceSettings) -> dict[str, Handler]:
    """The consumer's handlers, bound to the settings they need (the CloudEvents source)."""
    return {ParticipantGraduated.TYPE: partial(on_participant_graduated, source=settings.source),
            ParticipantUpdated.TYPE: on_participant_updated,
            BusinessStatusChanged.TYPE: partial(on_business_status_changed,
                                                source=settings.source)}
