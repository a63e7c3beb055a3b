"""Bazaar changes -> integration events, enqueued in the outbox of the same transaction.

``MarketEventCreated`` and ``BoothsAllocated`` are keyed by the event id (one bazaar's events
stay in order); an invitation (``NotificationRequested``) is keyed by the invited seller's
participant."""

import uuid
from datetime import UTC, datetime

from sqlmodel import Session

from berdaya_shared.events import Envelope, EventPayload, new_event
from berdaya_shared.events.marketplace import BoothPlacement, BoothsAllocated, MarketEventCreated
from berdaya_shared.events.notifications import NotificationRequested
from berdaya_shared.outbox import enqueue

from ..adapters.tables import BazaarApplication, MarketEvent, SellerProfile, outbox

INVITATION_TEMPLATE = "marketplace.bazaar_invitation"
OUTCOME_TEMPLATE = "marketplace.bazaar_booth"  # a booth, or a place on the waiting list
# Sellers have no login: the invitation goes to the officers of the seller's kelurahan, who
# pass it on (WhatsApp first, then SMS, by the notifier's own rule).
INVITATION_ROLE = "kelurahan_officer"


def _publish(session: Session, payload: EventPayload, *, subject: str, source: str,
             cause: Envelope | None = None) -> Envelope:
    envelope = new_event(payload, subject=subject, source=source, cause=cause)
    enqueue(session, outbox, envelope)
    return envelope


def market_event_created(session: Session, event: MarketEvent, *, source: str) -> Envelope:
    payload = MarketEventCreated(
        event_id=event.id, name=event.name, area_code=event.area_code,
        starts_on=event.starts_on, ends_on=event.ends_on, venue=event.venue,
        booths=event.booths, categories=list(event.categories), invited=event.invited,
        organised_by=event.organised_by, created_at=event.created_at)
    return _publish(session, payload, subject=event.id, source=source)


def bazaar_invitation(session: Session, event: MarketEvent, seller: SellerProfile, *,
                      source: str, cause: Envelope) -> None:
    """One invitation per eligible seller: the shop's name, never a phone or NIK."""
    _notify(session, event, seller, template=INVITATION_TEMPLATE, source=source, cause=cause,
            booths=str(event.booths))


def booth_outcome(session: Session, event: MarketEvent, application: BazaarApplication,
                  seller: SellerProfile, *, source: str, cause: Envelope) -> None:
    """The applicant's place after the allocation (or a booth passed on), with the reason
    the officer passes on (Bahasa)."""
    _notify(session, event, seller, template=OUTCOME_TEMPLATE, source=source, cause=cause,
            outcome=application.status,
            rank="" if application.rank is None else str(application.rank),
            reason=application.reason or "")


def _notify(session: Session, event: MarketEvent, seller: SellerProfile, *, template: str,
            source: str, cause: Envelope, **parameters: str) -> None:
    """To the officers of the seller's kelurahan: the bazaar, the seller id and shop name."""
    payload = NotificationRequested(
        notification_id=str(uuid.uuid4()), recipient_role=INVITATION_ROLE,
        recipient_area=seller.kelurahan_code, template=template,
        parameters={"event_id": event.id, "event_name": event.name, "venue": event.venue,
                    "starts_on": event.starts_on.isoformat(),
                    "ends_on": event.ends_on.isoformat(), "seller_id": seller.id,
                    "shop_name": seller.shop_name or "", "kelurahan_code": seller.kelurahan_code,
                    **parameters},
        requested_by=source, requested_at=datetime.now(UTC))
    _publish(session, payload, subject=seller.participant_id, source=source, cause=cause)


def _placement(application: BazaarApplication, seller: SellerProfile) -> BoothPlacement:
    assert application.rank is not None
    return BoothPlacement(seller_id=seller.id, participant_id=seller.participant_id,
                          kelurahan_code=application.kelurahan_code, rank=application.rank)


def booths_allocated(session: Session, event: MarketEvent,
                     holders: list[tuple[BazaarApplication, SellerProfile]],
                     waitlist: list[tuple[BazaarApplication, SellerProfile]], *,
                     changed_by: str, source: str) -> Envelope:
    """The allocation as it stands now (a later revision after a withdrawn booth passed on)."""
    assert event.seed is not None and event.off_season is not None
    payload = BoothsAllocated(
        event_id=event.id, area_code=event.area_code, booths=event.booths, seed=event.seed,
        off_season=event.off_season, revision=event.revision,
        allocated=[_placement(a, s) for a, s in holders],
        waitlist=[_placement(a, s) for a, s in waitlist],
        allocated_by=changed_by, allocated_at=datetime.now(UTC))
    return _publish(session, payload, subject=event.id, source=source)
