"""Events from other services -> monitoring's use cases. Handlers only translate."""

from functools import partial

from sqlmodel import Session

from berdaya_shared.events import Envelope
from berdaya_shared.events.marketplace import SaleRecorded
from berdaya_shared.events.registration import ParticipantUpdated
from berdaya_shared.events.training import ParticipantGraduated, StarterKitIssued
from berdaya_shared.inbox import Handler

from ..config import MonitoringSettings
from ..domain.commands import OpenPlan
from ..service_layer import handlers, kits, sales

TOPICS = ["training.events", "registration.events", "marketplace.events"]


def on_participant_graduated(session: Session, envelope: Envelope, *, offsets_days: list[int],
                             source: str) -> None:
    event: ParticipantGraduated = envelope.payload(ParticipantGraduated)
    handlers.open_plan(session=session, offsets_days=offsets_days, source=source, cause=envelope,
                       plan=OpenPlan(
                           participant_id=event.participant_id, programme_id=event.programme_id,
                           programme_code=event.programme_code, track=event.track,
                           full_name=event.full_name, phone=event.phone,
                           kelurahan_code=event.kelurahan_code,
                           kecamatan_code=event.kecamatan_code, kota_code=event.kota_code,
                           baseline_business=event.baseline_business,
                           baseline_monthly_income=event.baseline_monthly_income,
                           graduated_at=event.graduated_at, cohort_id=event.cohort_id,
                           track_code=event.track_code))


def on_starter_kit_issued(session: Session, envelope: Envelope) -> None:
    event: StarterKitIssued = envelope.payload(StarterKitIssued)
    kits.add_kit(session=session, kit_id=event.kit_id, participant_id=event.participant_id,
                 programme_id=event.programme_id, kit_type=event.kit_type,
                 items=[item.model_dump(mode="json") for item in event.items],
                 kelurahan_code=event.kelurahan_code, issued_at=event.issued_at)


def on_sale_recorded(session: Session, envelope: Envelope, *, source: str) -> None:
    event: SaleRecorded = envelope.payload(SaleRecorded)
    sales.add_sale(session=session, sale_id=event.sale_id, participant_id=event.participant_id,
                   seller_id=event.seller_id, amount=event.amount, quantity=event.quantity,
                   sold_on=event.sold_on, channel=event.channel,
                   kelurahan_code=event.kelurahan_code, source=source)


def on_participant_updated(session: Session, envelope: Envelope) -> None:
    handlers.participant_updated(session=session, update=envelope.payload(ParticipantUpdated))


def handlers_for(settings: MonitoringSettings) -> dict[str, Handler]:
    """The consumer's handlers, bound to the settings they need (visit offsets, source)."""
    return {
        ParticipantGraduated.TYPE: partial(on_participant_graduated,
                                           offsets_days=settings.visit_offsets_days,
                                           source=settings.source),
        StarterKitIssued.TYPE: on_starter_kit_issued,
        ParticipantUpdated.TYPE: on_participant_updated,
        SaleRecorded.TYPE: partial(on_sale_recorded, source=settings.source),
    }
