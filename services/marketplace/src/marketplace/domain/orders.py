"""Order rules, free of I/O: the life cycle, what may be ordered, idempotency and the public
rate limit (a token bucket)."""

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from berdaya_shared.errors import Conflict, InvalidInput, ProblemError

from .model import SellerStatus

MAX_ORDER_QUANTITY = 10_000  # per order, also for made-to-order products (no stock count)


class OrderStatus(StrEnum):
    """placed -> accepted | declined; accepted -> fulfilled | cancelled (changed only by the
    service layer, each transition under the order's lock)."""

    PLACED = "placed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class BuyerKind(StrEnum):
    CITY_UNIT = "city_unit"  # a UKPD (the integration role or an officer)
    PUBLIC = "public"  # a member of the public: name and phone, no account


_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PLACED: {OrderStatus.ACCEPTED, OrderStatus.DECLINED},
    OrderStatus.ACCEPTED: {OrderStatus.FULFILLED, OrderStatus.CANCELLED},
}
_STATUS_ID: dict[str, str] = {OrderStatus.PLACED: "baru", OrderStatus.ACCEPTED: "diterima",
              OrderStatus.DECLINED: "ditolak", OrderStatus.FULFILLED: "selesai",
              OrderStatus.CANCELLED: "dibatalkan"}
# Stock reserved at placing goes back to the product when an order ends unsold.
RETURNS_STOCK = {OrderStatus.DECLINED, OrderStatus.CANCELLED}


def check_transition(current: str, new: OrderStatus) -> None:
    if new not in _TRANSITIONS.get(current, set()):
        raise Conflict(f"Pesanan ini berstatus {_STATUS_ID.get(current, current)}: tidak dapat "
                       f"menjadi {_STATUS_ID[new]}.",
                       en=f"This order is {current}: it cannot become {new}.", field="status")


def check_orderable(*, available: bool, seller_status: str) -> None:
    """Only a product the public catalogue shows may be ordered (seller active, product
    available); stock is checked apart, by ``check_quantity``."""
    if seller_status != SellerStatus.ACTIVE:
        raise Conflict("Penjual produk ini sedang tidak menerima pesanan.",
                       en="This product's seller is not taking orders now.", field="product_id")
    if not available:
        raise Conflict("Produk ini sedang tidak tersedia.", en="This product is not available now.",
                       field="product_id")


def check_quantity(quantity: int, stock: int | None) -> None:
    """``stock`` None: made to order, any quantity up to ``MAX_ORDER_QUANTITY``."""
    if quantity < 1 or quantity > MAX_ORDER_QUANTITY:
        raise InvalidInput(f"Jumlah harus 1 sampai {MAX_ORDER_QUANTITY}.",
                           en=f"Quantity must be 1 to {MAX_ORDER_QUANTITY}.", field="quantity")
    if stock is not None and quantity > stock:
        raise Conflict(f"Stok tinggal {stock}: pesan paling banyak {stock}.",
                       en=f"Only {stock} left in stock.", field="quantity", available=stock)


def fingerprint(request: dict[str, Any]) -> str:
    """The request an ``Idempotency-Key`` was first used with, as a stable digest."""
    canonical = json.dumps(request, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_same_request(stored: str, sent: str) -> None:
    if stored != sent:
        raise InvalidInput("Idempotency-Key ini sudah dipakai untuk pesanan lain; pakai kunci "
                           "baru untuk pesanan baru.",
                           en="This Idempotency-Key was used for a different order; use a new "
                              "key for a new order.", field="idempotency-key")


class RateLimited(ProblemError):
    status, title, title_en, slug = 429, "Terlalu banyak permintaan", "Too many requests", \
        "too-many-requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Terlalu banyak pesanan dari alamat ini; coba lagi dalam {retry_after} "
                         "detik.", en=f"Too many orders from this address; try again in "
                                      f"{retry_after} seconds.", retry_after=retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Bucket:
    tokens: float
    updated_at: datetime


def take_token(bucket: Bucket | None, *, now: datetime, per_minute: float,
               burst: int) -> tuple[Bucket, int | None]:
    """A token bucket: ``burst`` requests at once, refilled at ``per_minute``. Returns the
    bucket after this request and, when refused, the whole seconds until a token is back."""
    rate = per_minute / 60
    if bucket is None:
        tokens = float(burst)
    else:
        elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
        tokens = min(float(burst), bucket.tokens + elapsed * rate)
    if tokens >= 1:
        return Bucket(tokens - 1, now), None
    return Bucket(tokens, now), max(1, math.ceil((1 - tokens) / rate))


@dataclass(frozen=True, kw_only=True)
class NewOrder:
    """An order as the caller sent it (a city unit's or a person's)."""

    product_id: str
    quantity: int
    buyer_kind: BuyerKind
    buyer_name: str
    buyer_phone: str | None = None  # the public's, normalised to E.164
    delivery_date: date | None = None
    delivery_place: str | None = None
    budget_reference: str | None = None
    note: str | None = None

    def fingerprint(self) -> str:
        return fingerprint(asdict(self))


MAX_DELIVERY_DAYS_AHEAD = 366


def check_delivery_date(delivery_date: date | None, *, today: date) -> None:
    if delivery_date is None:
        return
    if delivery_date < today or (delivery_date - today).days > MAX_DELIVERY_DAYS_AHEAD:
        raise InvalidInput("Tanggal antar harus hari ini atau sesudahnya, paling lambat setahun "
                           "lagi.", en="The delivery date must be today or later, within a year.",
                           field="delivery_date")
