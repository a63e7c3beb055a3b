"""Seller profiles, read by officers of the seller's area; officers list products on a seller's
behalf (graduates are not system users yet)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...domain.commands import NewProduct
from ...domain.model import SellerStatus
from ...service_layer import handlers
from ..deps import Officer, Reader, SettingsDep
from ..schemas import ProductCreate, ProductRead, SellerPage, SellerRead

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


@router.get("/{seller_id}/products", response_model=list[ProductRead])
def seller_products(seller_id: SellerId, principal: Reader, sessions: SessionsDep) -> list[ProductRead]:
    with transaction(sessions) as session:
        rows = handlers.seller_products(session=session, principal=principal, seller_id=seller_id)
        return [ProductRead.model_validate(p) for p in rows]


@router.post("/{seller_id}/products", status_code=status.HTTP_201_CREATED,
             response_model=ProductRead)
def list_product(seller_id: SellerId, body: ProductCreate, principal: Officer,
                 sessions: SessionsDep, settings: SettingsDep) -> ProductRead:
    product = NewProduct(name=body.name, description=body.description, price=body.price,
                         unit=body.unit, category=body.category)
    with transaction(sessions) as session:
        row = handlers.list_product(session=session, principal=principal, seller_id=seller_id,
                                    product=product, source=settings.source)
        return ProductRead.model_validate(row)
