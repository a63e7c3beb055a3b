"""Orders: city units (the integration role or an officer) and the public (no token, limited
per client address) order products of the catalogue; officers of the seller's area accept or
decline them for the seller, then mark them fulfilled (a sale) or cancelled. An
``Idempotency-Key`` header makes a retried order one order."""

import hashlib
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import CursorQuery, LanguageDep, LimitQuery, SessionsDep
from berdaya_shared.api.problems import problem
from berdaya_shared.db import transaction
from berdaya_shared.phone import normalise_phone

from ...domain.orders import BuyerKind, NewOrder, OrderStatus, RateLimited
from ...service_layer import orders
from ..deps import OFFICERS, Officer, Reader, SettingsDep
from ..schemas import Reason
from ..schemas_orders import (
    CityUnitOrderCreate,
    OrderPage,
    OrderRead,
    PublicOrderCreate,
    PublicOrderRead,
)

router = APIRouter(prefix="/orders", tags=["orders"])
public_router = APIRouter(prefix="/catalogue", tags=["catalogue"])
CityUnit = Annotated[Principal, Depends(require_roles("integration", *OFFICERS))]
Caller = Annotated[Principal, Depends(require_roles("integration", *OFFICERS, "field_officer"))]
OrderId = Annotated[str, Path(max_length=36)]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$",
    description="A key of your choosing per order: a retry with it returns the first order")]
StatusQuery = Annotated[OrderStatus | None, Query(alias="status")]
REPLAYED = "Idempotent-Replayed"


def _client(request: Request, secret: str) -> str:
    """The client's address as a keyed digest: the store never holds the address itself."""
    address = request.client.host if request.client else "unknown"
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrderRead)
def place_city_unit_order(body: CityUnitOrderCreate, principal: CityUnit, sessions: SessionsDep,
                          settings: SettingsDep, response: Response,
                          idempotency_key: IdempotencyKey = None) -> OrderRead:
    """A city unit (UKPD) orders for its own event: quantity, delivery date and place, budget
    reference. The stock is reserved at once."""
    order = NewOrder(product_id=body.product_id, quantity=body.quantity,
                     buyer_kind=BuyerKind.CITY_UNIT, buyer_name=body.unit_name,
                     delivery_date=body.delivery_date, delivery_place=body.delivery_place,
                     budget_reference=body.budget_reference, note=body.note)
    with transaction(sessions) as session:
        row, replayed = orders.place_order(session=session, order=order,
                                           placed_by=principal.subject,
                                           idempotency_key=idempotency_key,
                                           source=settings.source)
        if replayed:
            response.headers[REPLAYED] = "true"
        return OrderRead.model_validate(row)


@public_router.post("/orders", status_code=status.HTTP_201_CREATED,
                    response_model=PublicOrderRead,
                    responses={429: {"description": "Too many orders from this address; "
                                                    "see Retry-After"}})
def place_public_order(body: PublicOrderCreate, request: Request, sessions: SessionsDep,
                       settings: SettingsDep, language: LanguageDep, response: Response,
                       idempotency_key: IdempotencyKey = None) -> PublicOrderRead | JSONResponse:
    """Anyone orders from the catalogue with a name and a phone (no account). Limited per
    client address; the answer carries no name and no phone."""
    with transaction(sessions) as session:
        wait = orders.take_public_token(session=session,
                                        client=_client(request, settings.jwt_secret),
                                        per_minute=settings.public_orders_per_minute,
                                        burst=settings.public_orders_burst)
    if wait is not None:
        refused = RateLimited(wait)
        return problem(refused.status, refused.title_in(language), refused.detail_in(language),
                       slug=refused.slug, instance=request.url.path, language=language,
                       headers={"Retry-After": str(wait)}, retry_after=wait)
    order = NewOrder(product_id=body.product_id, quantity=body.quantity,
                     buyer_kind=BuyerKind.PUBLIC, buyer_name=body.name,
                     buyer_phone=normalise_phone(body.phone, field="phone"),
                     delivery_date=body.delivery_date, delivery_place=body.delivery_place,
                     note=body.note)
    with transaction(sessions) as session:
        row, replayed = orders.place_order(session=session, order=order,
                                           placed_by=orders.PUBLIC,
                                           idempotency_key=idempotency_key,
                                           source=settings.source)
        if replayed:
            response.headers[REPLAYED] = "true"
        return PublicOrderRead.model_validate(row)


@router.get("", response_model=OrderPage)
def list_orders(principal: Reader, sessions: SessionsDep, order_status: StatusQuery = None,
                limit: LimitQuery = 100, cursor: CursorQuery = None) -> OrderPage:
    """The orders of sellers in the caller's area, in id order, optionally of one status."""
    with transaction(sessions) as session:
        rows, next_cursor = orders.list_orders(session=session, principal=principal,
                                               status=order_status, limit=limit, cursor=cursor)
        return OrderPage(items=[OrderRead.model_validate(r) for r in rows],
                         next_cursor=next_cursor)


@router.get("/{order_id}", response_model=OrderRead)
def get_order(order_id: OrderId, principal: Caller, sessions: SessionsDep) -> OrderRead:
    with transaction(sessions) as session:
        return OrderRead.model_validate(
            orders.get_order(session=session, principal=principal, order_id=order_id))


@router.post("/{order_id}/accept", response_model=OrderRead)
def accept_order(order_id: OrderId, principal: Officer, sessions: SessionsDep,
                 settings: SettingsDep) -> OrderRead:
    with transaction(sessions) as session:
        return OrderRead.model_validate(orders.accept_order(
            session=session, principal=principal, order_id=order_id, source=settings.source))


@router.post("/{order_id}/decline", response_model=OrderRead)
def decline_order(order_id: OrderId, body: Reason, principal: Officer, sessions: SessionsDep,
                  settings: SettingsDep) -> OrderRead:
    with transaction(sessions) as session:
        return OrderRead.model_validate(orders.decline_order(
            session=session, principal=principal, order_id=order_id, reason=body.reason,
            source=settings.source))


@router.post("/{order_id}/fulfil", response_model=OrderRead)
def fulfil_order(order_id: OrderId, principal: Officer, sessions: SessionsDep,
                 settings: SettingsDep) -> OrderRead:
    """Delivered and paid: records the sale (``SaleRecorded``, monitoring's revenue)."""
    with transaction(sessions) as session:
        return OrderRead.model_validate(orders.fulfil_order(
            session=session, principal=principal, order_id=order_id, source=settings.source))


@router.post("/{order_id}/cancel", response_model=OrderRead)
def cancel_order(order_id: OrderId, body: Reason, principal: Officer, sessions: SessionsDep,
                 settings: SettingsDep) -> OrderRead:
    with transaction(sessions) as session:
        return OrderRead.model_validate(orders.cancel_order(
            session=session, principal=principal, order_id=order_id, reason=body.reason,
            source=settings.source))
