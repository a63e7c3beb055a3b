"""Domain changes -> integration events, enqueued in the outbox of the same transaction.

Both events are keyed by the participant, so a consumer sees a seller's profile before their
products (one participant's events stay on one partition, in order)."""

from sqlmodel import Session

from berdaya_shared.events import Envelope, new_event
from berdaya_shared.events.marketplace import ProductListed, SellerProfileCreated
from berdaya_shared.outbox import enqueue

from ..adapters.tables import Product, SellerProfile, outbox


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
