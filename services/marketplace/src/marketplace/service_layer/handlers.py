"""Marketplace's use cases. Each runs inside the caller's transaction (``session``); events are
enqueued in the outbox in that same transaction.

Locking (PostgreSQL; SQLite serialises writers already): listing or changing a product reads
the seller with ``get_for_update`` before checking that they are active, and a change then
locks the product itself: always seller first, then product. Opening a profile is a
check-then-insert guarded by the unique participant id. Consent, withdrawal, pause and resume
lock the seller (``get_for_update``) before checking its status, and write one audit row each.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import union
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import InvalidInput, NotFound
from berdaya_shared.events import Envelope
from berdaya_shared.pagination import after, area_page, next_cursor

from ..adapters.tables import Category, Product, SellerProfile, SellerStatusChange
from ..domain import model
from ..domain.commands import Consent, NewProduct
from ..domain.model import PausedBy, SellerStatus
from ..messaging import outgoing


def open_seller_profile(*, session: Session, participant_id: str, display_name: str,
                        phone: str | None, kelurahan_code: str, kecamatan_code: str,
                        kota_code: str, programme_code: str, track: str | None, source: str,
                        cause: Envelope) -> SellerProfile:
    """One profile per participant: a later graduation (or a redelivery) changes nothing."""
    existing = session.exec(select(SellerProfile)
                            .where(SellerProfile.participant_id == participant_id)).first()
    if existing is not None:
        return existing
    seller = SellerProfile(participant_id=participant_id, display_name=display_name, phone=phone,
                           kelurahan_code=kelurahan_code, kecamatan_code=kecamatan_code,
                           kota_code=kota_code, programme_code=programme_code, track=track,
                           status=SellerStatus.PENDING_CONSENT, created_at=datetime.now(UTC))
    # Two deliveries at once: the second insert meets the unique key; the consumer retries it,
    # and the retry finds the profile.
    with conflict_on_duplicate(session, field="participant_id",
                               detail="Profil penjual peserta ini sudah ada.",
                               en="This participant already has a seller profile."):
        session.add(seller)
    outgoing.seller_profile_created(session, seller, source=source, cause=cause)
    return seller


def get_seller(*, session: Session, seller_id: str, principal: Principal,
               for_update: bool = False) -> SellerProfile:
    """The seller, or 404 when they do not exist or sell outside the caller's area."""
    seller = (get_for_update(session, SellerProfile, seller_id) if for_update
              else session.get(SellerProfile, seller_id))
    if seller is None or not principal.covers(seller.kelurahan_code):
        raise NotFound("Penjual ini tidak ada di wilayah Anda.", en="No such seller in your area.",
                       field="seller_id")
    return seller


def _change_status(session: Session, seller: SellerProfile, *, new_status: str,
                   reason: str | None, principal: Principal | None) -> SellerStatusChange:
    """``principal`` None: monitoring's event caused the change."""
    change = SellerStatusChange(seller_id=seller.id, old_status=seller.status,
                                new_status=new_status, reason=reason,
                                changed_by=principal.subject if principal
                                else model.MONITORING_ACTOR, changed_at=datetime.now(UTC))
    if new_status != SellerStatus.PAUSED:
        seller.paused_by = None
    seller.status = new_status
    session.add(seller)
    session.add(change)
    session.flush()
    return change


def give_consent(*, session: Session, principal: Principal, seller_id: str, consent: Consent,
                 source: str) -> SellerProfile:
    """The graduate's consent, recorded by an officer of the seller's area (who, when). Given
    again, it updates the shop's name, description and choices."""
    seller = get_seller(session=session, seller_id=seller_id, principal=principal,
                        for_update=True)
    seller.shop_name, seller.shop_description = consent.shop_name, consent.description
    seller.contact_preference = consent.contact_preference
    seller.show_full_name = consent.show_full_name
    new_status = model.status_after_consent(seller.status, business_status=seller.business_status)
    if new_status == SellerStatus.PAUSED and seller.status != SellerStatus.PAUSED:
        seller.paused_by = PausedBy.MONITORING
    change = _change_status(session, seller, new_status=new_status, reason=None,
                            principal=principal)
    seller.consent_recorded_by, seller.consent_recorded_at = change.changed_by, change.changed_at
    outgoing.consent_given(session, seller, change, source=source)
    return seller


def withdraw_consent(*, session: Session, principal: Principal, seller_id: str,
                     reason: str | None, source: str) -> SellerProfile:
    """The shop and its products leave the public catalogue at once."""
    seller = get_seller(session=session, seller_id=seller_id, principal=principal,
                        for_update=True)
    model.check_may_withdraw(seller.status)
    change = _change_status(session, seller, new_status=SellerStatus.CONSENT_WITHDRAWN,
                            reason=reason, principal=principal)
    outgoing.consent_withdrawn(session, seller, change, source=source)
    return seller


def pause_seller(*, session: Session, principal: Principal, seller_id: str, reason: str,
                 source: str) -> SellerProfile:
    seller = get_seller(session=session, seller_id=seller_id, principal=principal,
                        for_update=True)
    model.check_may_pause(seller.status)
    change = _change_status(session, seller, new_status=SellerStatus.PAUSED, reason=reason,
                            principal=principal)
    seller.paused_by = PausedBy.OFFICER
    outgoing.seller_paused(session, seller, change, source=source)
    return seller


def resume_seller(*, session: Session, principal: Principal, seller_id: str, reason: str,
                  source: str) -> SellerProfile:
    seller = get_seller(session=session, seller_id=seller_id, principal=principal,
                        for_update=True)
    model.check_may_resume(seller.status)
    change = _change_status(session, seller, new_status=SellerStatus.ACTIVE, reason=reason,
                            principal=principal)
    outgoing.seller_resumed(session, seller, change, source=source)
    return seller


def apply_business_status(*, session: Session, participant_id: str, business_status: str,
                          reason: str, source: str, cause: Envelope) -> SellerProfile | None:
    """Monitoring's business status changed: remember it, and pause or resume the seller by
    ``model.status_after_business_change``. No profile yet: nothing to do (a profile opens
    on graduation, long before the first visit)."""
    found = session.exec(select(SellerProfile.id)
                         .where(SellerProfile.participant_id == participant_id)).first()
    seller = get_for_update(session, SellerProfile, found) if found else None
    if seller is None:
        return None
    seller.business_status = business_status
    new_status = model.status_after_business_change(
        status=seller.status, paused_by=seller.paused_by, business_status=business_status)
    session.add(seller)
    if new_status == seller.status:
        return seller
    change = _change_status(session, seller, new_status=new_status, reason=reason,
                            principal=None)
    if new_status == SellerStatus.PAUSED:
        seller.paused_by = PausedBy.MONITORING
        outgoing.seller_paused(session, seller, change, source=source, cause=cause)
    else:
        outgoing.seller_resumed(session, seller, change, source=source, cause=cause)
    return seller


def status_history(*, session: Session, principal: Principal,
                   seller_id: str) -> list[SellerStatusChange]:
    seller = get_seller(session=session, seller_id=seller_id, principal=principal)
    return list(session.exec(select(SellerStatusChange)
                             .where(SellerStatusChange.seller_id == seller.id)
                             .order_by(col(SellerStatusChange.changed_at),
                                       col(SellerStatusChange.id))).all())


def sellers(*, session: Session, principal: Principal, status: SellerStatus | None,
            limit: int, cursor: str | None) -> tuple[list[SellerProfile], str | None]:
    filters = [SellerProfile.status == status] if status else []
    rows, next_cursor = area_page(session, SellerProfile, area=principal.area, limit=limit,
                                  cursor=cursor, filters=filters)
    return list(rows), next_cursor


def seller_products(*, session: Session, principal: Principal, seller_id: str, limit: int,
                    cursor: str | None) -> tuple[list[Product], str | None]:
    """One page of a seller's products, in id order (the shared opaque keyset cursor)."""
    seller = get_seller(session=session, seller_id=seller_id, principal=principal)
    rows = list(session.exec(select(Product).where(Product.seller_id == seller.id,
                                                   after([col(Product.id)], cursor))
                             .order_by(col(Product.id)).limit(limit)).all())
    return rows, next_cursor(rows, ["id"], limit)


def categories(*, session: Session) -> list[Category]:
    return list(session.exec(select(Category).order_by(col(Category.code))).all())


def _check_category(session: Session, code: str | None) -> None:
    if code is not None and session.get(Category, code) is None:
        raise InvalidInput(f"Kategori {code!r} tidak dikenal; lihat GET /categories.",
                           en=f"Unknown category {code!r}; see GET /categories.",
                           field="category")


def list_product(*, session: Session, principal: Principal, seller_id: str, product: NewProduct,
                 source: str) -> Product:
    seller = get_seller(session=session, seller_id=seller_id, principal=principal, for_update=True)
    model.check_seller_active(seller.status)
    _check_category(session, product.category)
    now = datetime.now(UTC)
    row = Product(seller_id=seller.id, name=product.name, description=product.description,
                  price=product.price, unit=product.unit, category=product.category,
                  stock=product.stock, photo_urls=list(product.photo_urls),
                  available=True, listed_by=principal.subject, listed_at=now,
                  updated_by=principal.subject, updated_at=now)
    session.add(row)
    session.flush()
    outgoing.product_listed(session, row, seller, source=source)
    return row


def change_product(*, session: Session, principal: Principal, product_id: str,
                   price: int | None, available: bool | None, stock: int | None = None,
                   source: str) -> Product:
    """Change the price, the availability, the stock; ``None`` leaves a value as it is.
    Emits ProductUpdated."""
    found = session.get(Product, product_id)
    seller = get_for_update(session, SellerProfile, found.seller_id) if found else None
    product = get_for_update(session, Product, product_id) if seller else None
    if product is None or seller is None or not principal.covers(seller.kelurahan_code):
        raise NotFound("Produk ini tidak ada di wilayah Anda.", en="No such product in your area.",
                       field="product_id")
    model.check_seller_active(seller.status)
    if price is not None:
        product.price = price
    if available is not None:
        product.available = available
    if stock is not None:
        product.stock = stock
    product.updated_by, product.updated_at = principal.subject, datetime.now(UTC)
    session.add(product)
    session.flush()
    outgoing.product_updated(session, product, seller, source=source)
    return product


def catalogue(*, session: Session, kota_code: str | None, kecamatan_code: str | None,
              kelurahan_code: str | None, category: str | None, q: str | None, limit: int,
              cursor: str | None) -> tuple[list[tuple[Product, SellerProfile]], str | None]:
    """The public catalogue: available, in-stock products of active sellers, i.e. with consent
    and not paused (no caller, no area). Text matches a product's name or the shop's name.
    Pages in product id order with the shared opaque keyset cursor."""
    query = (select(Product, SellerProfile).join(SellerProfile)
             .where(col(Product.available).is_(True), SellerProfile.status == SellerStatus.ACTIVE,
                    col(Product.stock).is_(None) | (col(Product.stock) > 0),
                    after([col(Product.id)], cursor))
             .order_by(col(Product.id)).limit(limit))
    if kota_code:
        query = query.where(SellerProfile.kota_code == kota_code)
    if kecamatan_code:
        query = query.where(SellerProfile.kecamatan_code == kecamatan_code)
    if kelurahan_code:
        query = query.where(SellerProfile.kelurahan_code == kelurahan_code)
    if category:
        query = query.where(Product.category == category)
    if q:
        query = query.where(_matching(q))
    rows = [(product, seller) for product, seller in session.exec(query).all()]
    return rows, next_cursor([product for product, _ in rows], ["id"], limit)


TRIGRAM = 3  # pg_trgm indexes (migration 0006) serve a search text of 3 characters or more


def _matching(q: str) -> Any:
    """Products whose name, or whose shop's name, contains ``q``. From 3 characters the two
    matches are a union of ids, each served by its trigram index (a rare word answers in a
    millisecond instead of scanning every product); shorter text matches nearly everything,
    so the product-order scan with a filter finds a page soonest (bench/catalogue.py)."""
    by_product = col(Product.name).icontains(q, autoescape=True)
    by_shop = col(SellerProfile.shop_name).icontains(q, autoescape=True)
    if len(q) < TRIGRAM:
        return by_product | by_shop
    ids = union(select(Product.id).where(by_product),
                select(Product.id).join(SellerProfile).where(by_shop)).subquery()
    return col(Product.id).in_(select(ids.c.id))


def catalogue_item(*, session: Session, product_id: str) -> tuple[Product, SellerProfile]:
    product = session.get(Product, product_id)
    seller = session.get(SellerProfile, product.seller_id) if product else None
    if product is None or seller is None or not model.is_public(
            available=product.available, seller_status=seller.status, stock=product.stock):
        raise NotFound("Produk ini tidak ada di katalog.", en="No such product in the catalogue.",
                       field="product_id")
    return product, seller
