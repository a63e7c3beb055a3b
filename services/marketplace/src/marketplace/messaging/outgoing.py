"""Domain changes -> integration events, enqueued in the outbox of the same transaction.

Both events are keyed by the participant, so a consumer sees a seller's profile before their
products (one participant's events stay on one partition, in order)."""

from sqlmodel import Session

from berdaya_shared.events import Envelope, new_event
from berdaya_shared.events.marketplace import (
    ProductListed,
    ProductUpdated,
    SaleRecorded,
    SellerConsentGiven,
    SellerConsentWithdrawn,
    SellerPaused,
    SellerProfileCreated,
    SellerResumed,
)
from berdaya_shared.outbox import enqueue

from ..adapters.tables import Product, Sale, SellerProfile, SellerStatusChange, outbox


def seller_profile_created(session: Session, seller: SellerProfile, *, source: str,
                           cause: Envelope) -> None:
    payload = SellerProfileCreated(
        seller_id=seller.id, participant_id=seller.participant_id,
        display_name=seller.display_name, created_at=seller.created_at,
        kelurahan_code=seller.kelurahan_code, kecamatan_code=seller.kecamatan_code,
        kota_code=seller.kota_code)
    enqueue(session, outbox, new_event(payload, subject=seller.participant_id, source=source,
                                       cause=cause))


def product_listed(session: Session, product: Product, seller: SellerProfile, *,
                   source: str) -> None:
    payload = ProductListed(
        product_id=product.id, seller_id=seller.id, participant_id=seller.participant_id,
        name=product.name, price=product.price, listed_at=product.listed_at,
        kelurahan_code=seller.kelurahan_code, kecamatan_code=seller.kecamatan_code,
        kota_code=seller.kota_code)
    enqueue(session, outbox, new_event(payload, subject=seller.participant_id, source=source))


def _area(seller: SellerProfile) -> dict[str, str]:
    return {"kelurahan_code": seller.kelurahan_code, "kecamatan_code": seller.kecamatan_code,
            "kota_code": seller.kota_code}


def consent_given(session: Session, seller: SellerProfile, change: SellerStatusChange, *,
                  source: str) -> None:
    payload = SellerConsentGiven(
        seller_id=seller.id, participant_id=seller.participant_id,
        shop_name=seller.shop_name or "", contact_preference=seller.contact_preference or "",
        show_full_name=seller.show_full_name, recorded_by=change.changed_by,
        recorded_at=change.changed_at, **_area(seller))
    enqueue(session, outbox, new_event(payload, subject=seller.participant_id, source=source))


def consent_withdrawn(session: Session, seller: SellerProfile, change: SellerStatusChange, *,
                      source: str) -> None:
    payload = SellerConsentWithdrawn(
        seller_id=seller.id, participant_id=seller.participant_id, recorded_by=change.changed_by,
        withdrawn_at=change.changed_at, **_area(seller))
    enqueue(session, outbox, new_event(payload, subject=seller.participant_id, source=source))


def seller_paused(session: Session, seller: SellerProfile, change: SellerStatusChange, *,
                  source: str, cause: Envelope | None = None) -> None:
    payload = SellerPaused(
        seller_id=seller.id, participant_id=seller.participant_id, reason=change.reason or "",
        changed_by=change.changed_by, changed_at=change.changed_at, **_area(seller))
    enqueue(session, outbox, new_event(payload, subject=seller.participant_id, source=source,
                                       cause=cause))


def seller_resumed(session: Session, seller: SellerProfile, change: SellerStatusChange, *,
                   source: str, cause: Envelope | None = None) -> None:
    payload = SellerResumed(
        seller_id=seller.id, participant_id=seller.participant_id, reason=change.reason or "",
        changed_by=change.changed_by, changed_at=change.changed_at, **_area(seller))
    enqueue(session, outbox, new_event(payload, subject=seller.participant_id, source=source,
                                       cause=cause))


def product_updated(session: Session, product: Product, seller: SellerProfile, *,
                    source: str) -> None:
    payload = ProductUpdated(
        product_id=product.id, seller_id=seller.id, participant_id=seller.participant_id,
        name=product.name, price=product.price, available=product.available,
        stock=product.stock, updated_by=product.updated_by, updated_at=product.updated_at,
        **_area(seller))
    enqueue(session, outbox, new_event(payload, subject=seller.participant_id, source=source))


def sale_recorded(session: Session, sale: Sale, *, source: str) -> None:
    payload = SaleRecorded(
        sale_id=sale.id, seller_id=sale.seller_id, participant_id=sale.participant_id,
        amount=sale.amount, quantity=sale.quantity, sold_on=sale.sold_on,
        channel=sale.channel,  # type: ignore[arg-type]  # a SaleChannel value
        recorded_at=sale.recorded_at, kelurahan_code=sale.kelurahan_code,
        kecamatan_code=sale.kecamatan_code, kota_code=sale.kota_code)
    enqueue(session, outbox, new_event(payload, subject=sale.participant_id, source=source))
