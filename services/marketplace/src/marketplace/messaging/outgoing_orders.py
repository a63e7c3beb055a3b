"""Order changes -> integration events, enqueued in the outbox of the same transaction.

Keyed by the seller's participant id, like every marketplace event, so an order's events and
its ``SaleRecorded`` stay in order on one partition. The buyer's name and phone never leave
the order row."""

from sqlmodel import Session

from berdaya_shared.events import new_event
from berdaya_shared.events.envelope import EventPayload
from berdaya_shared.events.marketplace import (
    OrderAccepted,
    OrderCancelled,
    OrderFulfilled,
    OrderPlaced,
)
from berdaya_shared.outbox import enqueue

from ..adapters.tables import Order, outbox


def _ids(order: Order) -> dict[str, str]:
    return {"order_id": order.id, "product_id": order.product_id, "seller_id": order.seller_id,
            "participant_id": order.participant_id, "kelurahan_code": order.kelurahan_code,
            "kecamatan_code": order.kecamatan_code, "kota_code": order.kota_code}


def _publish(session: Session, order: Order, payload: EventPayload, *, source: str) -> None:
    enqueue(session, outbox, new_event(payload, subject=order.participant_id, source=source))


def order_placed(session: Session, order: Order, *, source: str) -> None:
    _publish(session, order, OrderPlaced(
        quantity=order.quantity, unit_price=order.unit_price, amount=order.amount,
        buyer_kind=order.buyer_kind,  # type: ignore[arg-type]  # a BuyerKind value
        delivery_date=order.delivery_date, placed_by=order.placed_by,
        placed_at=order.placed_at, **_ids(order)), source=source)


def order_accepted(session: Session, order: Order, *, source: str) -> None:
    assert order.decided_by is not None and order.decided_at is not None
    _publish(session, order, OrderAccepted(
        quantity=order.quantity, amount=order.amount, accepted_by=order.decided_by,
        accepted_at=order.decided_at, **_ids(order)), source=source)


def order_fulfilled(session: Session, order: Order, *, source: str) -> None:
    assert order.closed_by is not None and order.closed_at is not None and order.sale_id
    _publish(session, order, OrderFulfilled(
        quantity=order.quantity, amount=order.amount, sale_id=order.sale_id,
        fulfilled_by=order.closed_by, fulfilled_at=order.closed_at, **_ids(order)),
        source=source)


def order_cancelled(session: Session, order: Order, *, source: str) -> None:
    """A decline (of a placed order) or a cancellation (of an accepted one)."""
    by = order.closed_by or order.decided_by
    at = order.closed_at or order.decided_at
    assert by is not None and at is not None
    _publish(session, order, OrderCancelled(
        quantity=order.quantity,
        status=order.status,  # type: ignore[arg-type]  # declined or cancelled
        reason=order.reason or "", cancelled_by=by, cancelled_at=at, **_ids(order)),
        source=source)
