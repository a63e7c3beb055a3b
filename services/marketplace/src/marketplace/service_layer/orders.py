"""Orders: placed by a city unit or by the public, accepted or declined by an officer of the
seller's area for the seller, then fulfilled (a sale) or cancelled.

Invariants and locking (PostgreSQL; SQLite serialises writers already):

* Stock is reserved when an order is placed: placing locks the seller, then the product
  (``get_for_update``, the order every product change uses), checks both and takes the
  quantity off ``stock``. Two orders for the last items wait for each other on the product
  row, so the second sees what the first left and gets a 409 naming ``quantity``. A declined
  or cancelled order gives its quantity back (product locked, then the order).
* An ``Idempotency-Key`` makes a retried order one order: the key (per caller) is looked up
  first, and again once the product is locked, because a concurrent retry with the same key
  orders the same product and so waits on the same lock, then finds the first order
  committed. The unique (scope, key) pair is the last line: a different body under one key
  for another product becomes a 409 naming the key.
* Every transition locks the order (``get_for_update``) before checking its status; a wrong
  transition is a 409 naming ``status`` and changes nothing.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import conflict_on_duplicate, get_for_update, is_sqlite, skip_locked
from berdaya_shared.errors import NotFound
from berdaya_shared.pagination import area_page

from ..adapters.tables import Order, OrderRateBucket, Product, SellerProfile
from ..domain import orders as rules
from ..domain.model import SaleChannel
from ..domain.orders import NewOrder, OrderStatus
from ..messaging import outgoing_orders
from .sales import record_sale

PUBLIC = "public"  # placed_by and idempotency scope of the public's orders
OFFICER_ROLES = ("city_admin", "kecamatan_officer", "kelurahan_officer", "field_officer")
STALE_BUCKETS_PER_CALL = 20


def _by_key(session: Session, scope: str, key: str) -> Order | None:
    return session.exec(select(Order).where(Order.idempotency_scope == scope,
                                            Order.idempotency_key == key)).first()


def _replay(existing: Order | None, fingerprint: str) -> Order | None:
    if existing is not None:
        rules.check_same_request(existing.request_fingerprint or "", fingerprint)
    return existing


def place_order(*, session: Session, order: NewOrder, placed_by: str,
                idempotency_key: str | None, source: str) -> tuple[Order, bool]:
    """Returns the order and whether it is a replay of an earlier request with the same key."""
    fingerprint = order.fingerprint()
    if idempotency_key and (first := _replay(_by_key(session, placed_by, idempotency_key),
                                             fingerprint)):
        return first, True
    rules.check_delivery_date(order.delivery_date, today=today_in_jakarta())
    found = session.get(Product, order.product_id)
    seller = get_for_update(session, SellerProfile, found.seller_id) if found else None
    product = get_for_update(session, Product, order.product_id) if seller else None
    if product is None or seller is None:
        raise NotFound("Produk ini tidak ada di katalog.", en="No such product in the catalogue.",
                       field="product_id")
    if idempotency_key and (first := _replay(_by_key(session, placed_by, idempotency_key),
                                             fingerprint)):
        return first, True
    rules.check_orderable(available=product.available, seller_status=seller.status)
    rules.check_quantity(order.quantity, product.stock)
    if product.stock is not None:
        product.stock -= order.quantity
        session.add(product)
    row = Order(product_id=product.id, seller_id=seller.id, participant_id=seller.participant_id,
                kelurahan_code=seller.kelurahan_code, kecamatan_code=seller.kecamatan_code,
                kota_code=seller.kota_code, product_name=product.name, unit_price=product.price,
                quantity=order.quantity, amount=product.price * order.quantity,
                buyer_kind=order.buyer_kind, buyer_name=order.buyer_name,
                buyer_phone=order.buyer_phone, delivery_date=order.delivery_date,
                delivery_place=order.delivery_place, budget_reference=order.budget_reference,
                note=order.note, status=OrderStatus.PLACED, placed_by=placed_by,
                placed_at=datetime.now(UTC), idempotency_scope=placed_by if idempotency_key
                else None, idempotency_key=idempotency_key,
                request_fingerprint=fingerprint if idempotency_key else None)
    with conflict_on_duplicate(session, field="idempotency-key",
                               detail="Idempotency-Key ini sudah dipakai untuk pesanan lain.",
                               en="This Idempotency-Key was used for another order."):
        session.add(row)
    outgoing_orders.order_placed(session, row, source=source)
    return row, False


def _may_read(principal: Principal, order: Order) -> bool:
    return order.placed_by == principal.subject or (
        principal.has(*OFFICER_ROLES) and principal.covers(order.kelurahan_code))


def get_order(*, session: Session, principal: Principal, order_id: str) -> Order:
    """An officer of the seller's area, or the city unit that placed it; else 404."""
    order = session.get(Order, order_id)
    if order is None or not _may_read(principal, order):
        raise NotFound("Pesanan ini tidak ada di wilayah Anda.", en="No such order in your area.",
                       field="order_id")
    return order


def _locked(session: Session, principal: Principal, order_id: str, *,
            with_product: bool = False) -> Order:
    """The order locked for a transition by an officer of the seller's area (404 otherwise);
    the product first when stock may go back (lock order: seller, product, order)."""
    found = session.get(Order, order_id)
    if found is None or not principal.covers(found.kelurahan_code):
        raise NotFound("Pesanan ini tidak ada di wilayah Anda.", en="No such order in your area.",
                       field="order_id")
    if with_product:
        get_for_update(session, Product, found.product_id)
    order = get_for_update(session, Order, order_id)
    assert order is not None  # orders are never deleted
    return order


def accept_order(*, session: Session, principal: Principal, order_id: str,
                 source: str) -> Order:
    order = _locked(session, principal, order_id)
    rules.check_transition(order.status, OrderStatus.ACCEPTED)
    order.status = OrderStatus.ACCEPTED
    order.decided_by, order.decided_at = principal.subject, datetime.now(UTC)
    session.add(order)
    session.flush()
    outgoing_orders.order_accepted(session, order, source=source)
    return order


def _end_unsold(session: Session, principal: Principal, order_id: str, *, status: OrderStatus,
                reason: str, source: str) -> Order:
    """Decline a placed order or cancel an accepted one; the reserved stock goes back."""
    order = _locked(session, principal, order_id, with_product=True)
    rules.check_transition(order.status, status)
    product = session.get(Product, order.product_id)
    if product is not None and product.stock is not None:
        product.stock += order.quantity
        session.add(product)
    now = datetime.now(UTC)
    if status == OrderStatus.DECLINED:
        order.decided_by, order.decided_at = principal.subject, now
    else:
        order.closed_by, order.closed_at = principal.subject, now
    order.status, order.reason = status, reason
    session.add(order)
    session.flush()
    outgoing_orders.order_cancelled(session, order, source=source)
    return order


def decline_order(*, session: Session, principal: Principal, order_id: str, reason: str,
                  source: str) -> Order:
    return _end_unsold(session, principal, order_id, status=OrderStatus.DECLINED,
                       reason=reason, source=source)


def cancel_order(*, session: Session, principal: Principal, order_id: str, reason: str,
                 source: str) -> Order:
    return _end_unsold(session, principal, order_id, status=OrderStatus.CANCELLED,
                       reason=reason, source=source)


def fulfil_order(*, session: Session, principal: Principal, order_id: str,
                 source: str) -> Order:
    """Delivered and paid: the order becomes a sale (``SaleRecorded``, monitoring's evidence)."""
    order = _locked(session, principal, order_id)
    rules.check_transition(order.status, OrderStatus.FULFILLED)
    seller = session.get(SellerProfile, order.seller_id)
    assert seller is not None  # an order references its seller
    sale = record_sale(session=session, seller=seller, amount=order.amount,
                       quantity=order.quantity, sold_on=today_in_jakarta(),
                       channel=SaleChannel.ORDER, source_ref=f"order:{order.id}",
                       recorded_by=principal.subject, source=source)
    order.status, order.sale_id = OrderStatus.FULFILLED, sale.id
    order.closed_by, order.closed_at = principal.subject, sale.recorded_at
    session.add(order)
    session.flush()
    outgoing_orders.order_fulfilled(session, order, source=source)
    return order


def list_orders(*, session: Session, principal: Principal, status: OrderStatus | None,
                limit: int, cursor: str | None) -> tuple[list[Order], str | None]:
    """The orders of the caller's area (by the seller's kelurahan), in id order."""
    filters = [Order.status == status] if status else []
    rows, next_cursor = area_page(session, Order, area=principal.area, limit=limit,
                                  cursor=cursor, filters=filters)
    return list(rows), next_cursor


def take_public_token(*, session: Session, client: str, per_minute: float,
                      burst: int) -> int | None:
    """Take one token from ``client``'s bucket; None when taken, else the whole seconds until
    one is back (the caller answers 429 with Retry-After). The caller commits it in its own
    short transaction, before the order's: a refused or failed order still counts.

    A bucket left alone for ``burst / per_minute`` minutes is full again, the same as no row:
    each call deletes a few such rows (skipping rows other requests hold), so the table holds
    only the clients of the last minutes, however many addresses call."""
    now = datetime.now(UTC)
    idle = timedelta(minutes=burst / per_minute)
    stale = skip_locked(session.get_bind(), select(OrderRateBucket.client)
                        .where(col(OrderRateBucket.updated_at) < now - idle)
                        .limit(STALE_BUCKETS_PER_CALL), OrderRateBucket)
    session.execute(delete(OrderRateBucket).where(col(OrderRateBucket.client).in_(stale)))
    insert = sqlite_insert if is_sqlite(session.get_bind()) else pg_insert
    session.execute(insert(OrderRateBucket).values(client=client, tokens=float(burst),
                                                   updated_at=now)
                    .on_conflict_do_nothing(index_elements=["client"]))
    row = get_for_update(session, OrderRateBucket, client)
    if row is None:  # deleted as stale by another request between the insert and the read
        row = OrderRateBucket(client=client, tokens=float(burst), updated_at=now)
    bucket, retry_after = rules.take_token(rules.Bucket(row.tokens, row.updated_at), now=now,
                                           per_minute=per_minute, burst=burst)
    row.tokens, row.updated_at = bucket.tokens, bucket.updated_at
    session.add(row)
    return retry_after
