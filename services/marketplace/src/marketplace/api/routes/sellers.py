"""Seller profiles, read by officers of the seller's area; officers record the graduate's
consent, pause and resume sellers and list products on a seller's behalf (graduates are not
system users yet). Another area's seller is a 404."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...domain.commands import Consent, NewProduct
from ...domain.model import SellerStatus
from ...service_layer import handlers
from ..deps import Officer, Reader, SettingsDep
from ..schemas import (
    ConsentGive,
    OptionalReason,
    ProductCreate,
    ProductPage,
    ProductRead,
    Reason,
    SellerPage,
    SellerRead,
    StatusChangeRead,
)

router = APIRouter(prefix="/sellers", tags=["sellers"])
Status = Annotated[SellerStatus | None, Query(alias="status")]
SellerId = Annotated[str, Path(max_length=36)]


@router.get("", response_model=SellerPage)
def list_sellers(principal: Reader, sessions: SessionsDep, seller_status: Status = None,
                 limit: LimitQuery = 100, cursor: CursorQuery = None) -> SellerPage:
    with transaction(sessions) as session:
        rows, next_cursor = handlers.sellers(session=session, principal=principal,
                                             status=seller_status, limit=limit, cursor=cursor)
        return SellerPage(items=[SellerRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{seller_id}", response_model=SellerRead)
def get_seller(seller_id: SellerId, principal: Reader, sessions: SessionsDep) -> SellerRead:
    with transaction(sessions) as session:
        return SellerRead.model_validate(
            handlers.get_seller(session=session, seller_id=seller_id, principal=principal))


@router.get("/{seller_id}/products", response_model=ProductPage)
def seller_products(seller_id: SellerId, principal: Reader, sessions: SessionsDep,
                    limit: LimitQuery = 100, cursor: CursorQuery = None) -> ProductPage:
    with transaction(sessions) as session:
        rows, next_cursor = handlers.seller_products(session=session, principal=principal,
                                                     seller_id=seller_id, limit=limit,
                                                     cursor=cursor)
        return ProductPage(items=[ProductRead.model_validate(p) for p in rows],
                           next_cursor=next_cursor)


@router.post("/{seller_id}/products", status_code=status.HTTP_201_CREATED,
             response_model=ProductRead)
def list_product(seller_id: SellerId, body: ProductCreate, principal: Officer,
                 sessions: SessionsDep, settings: SettingsDep) -> ProductRead:
    product = NewProduct(name=body.name, description=body.description, price=body.price,
                         unit=body.unit, category=body.category, stock=body.stock,
                         photo_urls=tuple(body.photo_urls))
    with transaction(sessions) as session:
        row = handlers.list_product(session=session, principal=principal, seller_id=seller_id,
                                    product=product, source=settings.source)
        return ProductRead.model_validate(row)


@router.put("/{seller_id}/consent", response_model=SellerRead)
def give_consent(seller_id: SellerId, body: ConsentGive, principal: Officer,
                 sessions: SessionsDep, settings: SettingsDep) -> SellerRead:
    consent = Consent(shop_name=body.shop_name, description=body.description,
                      contact_preference=body.contact_preference,
                      show_full_name=body.show_full_name)
    with transaction(sessions) as session:
        return SellerRead.model_validate(handlers.give_consent(
            session=session, principal=principal, seller_id=seller_id, consent=consent,
            source=settings.source))


@router.post("/{seller_id}/consent/withdrawal", response_model=SellerRead)
def withdraw_consent(seller_id: SellerId, principal: Officer, sessions: SessionsDep,
                     settings: SettingsDep, body: OptionalReason | None = None) -> SellerRead:
    with transaction(sessions) as session:
        return SellerRead.model_validate(handlers.withdraw_consent(
            session=session, principal=principal, seller_id=seller_id,
            reason=body.reason if body else None, source=settings.source))


@router.post("/{seller_id}/pause", response_model=SellerRead)
def pause_seller(seller_id: SellerId, body: Reason, principal: Officer, sessions: SessionsDep,
                 settings: SettingsDep) -> SellerRead:
    with transaction(sessions) as session:
        return SellerRead.model_validate(handlers.pause_seller(
            session=session, principal=principal, seller_id=seller_id, reason=body.reason,
            source=settings.source))


@router.post("/{seller_id}/resume", response_model=SellerRead)
def resume_seller(seller_id: SellerId, body: Reason, principal: Officer, sessions: SessionsDep,
                  settings: SettingsDep) -> SellerRead:
    with transaction(sessions) as session:
        return SellerRead.model_validate(handlers.resume_seller(
            session=session, principal=principal, seller_id=seller_id, reason=body.reason,
            source=settings.source))


@router.get("/{seller_id}/history", response_model=list[StatusChangeRead])
def status_history(seller_id: SellerId, principal: Reader,
                   sessions: SessionsDep) -> list[StatusChangeRead]:
    """Who gave or withdrew consent, paused or resumed the seller, when and why."""
    with transaction(sessions) as session:
        rows = handlers.status_history(session=session, principal=principal, seller_id=seller_id)
        return [StatusChangeRead.model_validate(r) for r in rows]
