"""Contracts owned by the marketplace service (topic ``marketplace.events``)."""

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from .envelope import EventPayload
from .registration import AreaCodes

_P = "0b7d3c1e-5f0a-4a7e-9d2b-1c3e5f7a9b0d"
_S = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
_AREA = {"kelurahan_code": "31.74.06.1001", "kecamatan_code": "31.74.06", "kota_code": "31.74"}


class SellerProfileCreated(AreaCodes):
    TYPE: ClassVar[str] = "marketplace.seller_profile_created.v1"
    seller_id: str
    participant_id: str
    display_name: str
    created_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"seller_id": _S, "participant_id": _P,
                               "display_name": "Siti Aminah", "created_at": "2026-12-20T09:00:00Z",
                               **_AREA}


class ProductListed(AreaCodes):
    TYPE: ClassVar[str] = "marketplace.product_listed.v1"
    product_id: str
    seller_id: str
    participant_id: str
    name: str
    price: int
    listed_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"product_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                               "seller_id": _S, "participant_id": _P, "name": "Kue lapis",
                               "price": 25000, "listed_at": "2026-12-21T09:00:00Z", **_AREA}


class SaleRecorded(AreaCodes):
    """A graduate sold something: at a bazaar, through an order (also from city units buying
    for their own events) or otherwise. ``amount`` is the total in Rupiah for ``quantity``
    items, ``sold_on`` the Jakarta date of the sale; monitoring reads real revenue from it
    (keyed by participant id)."""

    TYPE: ClassVar[str] = "marketplace.sale_recorded.v1"
    sale_id: str
    seller_id: str
    participant_id: str
    amount: int
    quantity: int
    sold_on: date
    channel: Literal["bazaar", "order", "other"]
    recorded_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"sale_id": "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c",
                               "seller_id": _S, "participant_id": _P, "amount": 250000,
                               "quantity": 10, "sold_on": "2027-03-01", "channel": "bazaar",
                               "recorded_at": "2027-03-01T10:00:00Z", **_AREA}


class SellerConsentGiven(AreaCodes):
    """The graduate agreed to sell publicly (recorded by an officer of their area): the shop
    name, contact preference and whether the full name may be shown. Carries no NIK, KK or
    phone (keyed by participant id)."""

    TYPE: ClassVar[str] = "marketplace.seller_consent_given.v1"
    seller_id: str
    participant_id: str
    shop_name: str
    contact_preference: str
    show_full_name: bool
    recorded_by: str
    recorded_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"seller_id": _S, "participant_id": _P,
                               "shop_name": "Dapur Bu Siti", "contact_preference": "via_officer",
                               "show_full_name": False, "recorded_by": "lurah.cilandak-barat",
                               "recorded_at": "2026-12-22T09:00:00Z", **_AREA}


class SellerConsentWithdrawn(AreaCodes):
    """The graduate withdrew their consent: the shop and its products are hidden at once."""

    TYPE: ClassVar[str] = "marketplace.seller_consent_withdrawn.v1"
    seller_id: str
    participant_id: str
    recorded_by: str
    withdrawn_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"seller_id": _S, "participant_id": _P,
                               "recorded_by": "lurah.cilandak-barat",
                               "withdrawn_at": "2027-01-05T09:00:00Z", **_AREA}


class SellerPaused(AreaCodes):
    """A seller's shop is hidden for now (an officer, with a reason in Bahasa)."""

    TYPE: ClassVar[str] = "marketplace.seller_paused.v1"
    seller_id: str
    participant_id: str
    reason: str
    changed_by: str
    changed_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"seller_id": _S, "participant_id": _P,
                               "reason": "Usaha berhenti sementara karena sakit",
                               "changed_by": "lurah.cilandak-barat",
                               "changed_at": "2027-02-01T09:00:00Z", **_AREA}


class SellerResumed(AreaCodes):
    """A paused seller's shop shows again (an officer, with a reason in Bahasa)."""

    TYPE: ClassVar[str] = "marketplace.seller_resumed.v1"
    seller_id: str
    participant_id: str
    reason: str
    changed_by: str
    changed_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"seller_id": _S, "participant_id": _P,
                               "reason": "Usaha berjalan lagi", "changed_by": "lurah.cilandak-barat",
                               "changed_at": "2027-03-01T09:00:00Z", **_AREA}


class ProductUpdated(AreaCodes):
    """An officer changed a product's price, availability or stock (the values after it)."""

    TYPE: ClassVar[str] = "marketplace.product_updated.v1"
    product_id: str
    seller_id: str
    participant_id: str
    name: str
    price: int
    available: bool
    stock: int | None = None
    updated_by: str
    updated_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"product_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                               "seller_id": _S, "participant_id": _P, "name": "Kue lapis",
                               "price": 27500, "available": True, "stock": 12,
                               "updated_by": "lurah.cilandak-barat",
                               "updated_at": "2027-01-10T09:00:00Z", **_AREA}


__all__ = ["SellerProfileCreated", "ProductListed", "SaleRecorded", "SellerConsentGiven",
           "SellerConsentWithdrawn", "SellerPaused", "SellerResumed", "ProductUpdated"]


# ---- orders (B) ----
_O = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
_PRODUCT = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"


class OrderPlaced(AreaCodes):
    """A city unit (UKPD) or a member of the public ordered a product; the stock is reserved.
    Keyed by participant id; carries no buyer's name or phone (the area is the seller's)."""

    TYPE: ClassVar[str] = "marketplace.order_placed.v1"
    order_id: str
    product_id: str
    seller_id: str
    participant_id: str
    quantity: int
    unit_price: int
    amount: int
    buyer_kind: Literal["city_unit", "public"]
    delivery_date: date | None = None
    placed_by: str
    placed_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"order_id": _O, "product_id": _PRODUCT, "seller_id": _S,
                               "participant_id": _P, "quantity": 100, "unit_price": 3000,
                               "amount": 300000, "buyer_kind": "city_unit",
                               "delivery_date": "2027-04-20", "placed_by": "sudin-umkm.jaksel",
                               "placed_at": "2027-04-10T09:00:00Z", **_AREA}


class OrderAccepted(AreaCodes):
    """An officer of the seller's area accepted the order for the seller."""

    TYPE: ClassVar[str] = "marketplace.order_accepted.v1"
    order_id: str
    product_id: str
    seller_id: str
    participant_id: str
    quantity: int
    amount: int
    accepted_by: str
    accepted_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"order_id": _O, "product_id": _PRODUCT, "seller_id": _S,
                               "participant_id": _P, "quantity": 100, "amount": 300000,
                               "accepted_by": "lurah.cilandak-barat",
                               "accepted_at": "2027-04-10T11:00:00Z", **_AREA}


class OrderFulfilled(AreaCodes):
    """The order was delivered and paid: it became the sale ``sale_id`` (``SaleRecorded``)."""

    TYPE: ClassVar[str] = "marketplace.order_fulfilled.v1"
    order_id: str
    product_id: str
    seller_id: str
    participant_id: str
    quantity: int
    amount: int
    sale_id: str
    fulfilled_by: str
    fulfilled_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"order_id": _O, "product_id": _PRODUCT, "seller_id": _S,
                               "participant_id": _P, "quantity": 100, "amount": 300000,
                               "sale_id": "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c",
                               "fulfilled_by": "lurah.cilandak-barat",
                               "fulfilled_at": "2027-04-20T15:00:00Z", **_AREA}


class OrderCancelled(AreaCodes):
    """The order ended unsold: ``declined`` (a placed order the seller could not take) or
    ``cancelled`` (an accepted one); the reserved quantity went back to stock. ``reason`` is
    Bahasa Indonesia."""

    TYPE: ClassVar[str] = "marketplace.order_cancelled.v1"
    order_id: str
    product_id: str
    seller_id: str
    participant_id: str
    quantity: int
    status: Literal["declined", "cancelled"]
    reason: str
    cancelled_by: str
    cancelled_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"order_id": _O, "product_id": _PRODUCT, "seller_id": _S,
                               "participant_id": _P, "quantity": 100, "status": "declined",
                               "reason": "Tidak sanggup membuat 100 kotak sampai tanggal itu",
                               "cancelled_by": "lurah.cilandak-barat",
                               "cancelled_at": "2027-04-10T11:00:00Z", **_AREA}


__all__ += ["OrderPlaced", "OrderAccepted", "OrderFulfilled", "OrderCancelled"]


# ---- bazaars (A) ----
_EVENT = "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d"


class MarketEventCreated(EventPayload):
    """A lurah, camat or city admin opened a bazaar (local market event) for their area:
    ``area_code`` is the kota, kecamatan or kelurahan whose active sellers may apply (only
    those selling in ``categories`` when it names some); ``invited`` sellers were sent an
    invitation through their kelurahan's officers. Keyed by the event id."""

    TYPE: ClassVar[str] = "marketplace.market_event_created.v1"
    event_id: str
    name: str
    area_code: str
    starts_on: date
    ends_on: date
    venue: str
    booths: int
    categories: list[str] = []
    invited: int
    organised_by: str
    created_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "event_id": _EVENT, "name": "Bazar UMKM Cilandak Barat", "area_code": "31.74.06.1001",
        "starts_on": "2027-07-10", "ends_on": "2027-07-11", "venue": "Halaman Kantor Lurah",
        "booths": 20, "categories": ["kue-basah", "makanan"], "invited": 18,
        "organised_by": "lurah.cilandak-barat", "created_at": "2027-06-20T09:00:00Z"}


class BoothPlacement(BaseModel):
    """One applicant's place: a booth holder or a place in line (``rank`` 1 = first)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    seller_id: str
    participant_id: str
    kelurahan_code: str
    rank: int


class BoothsAllocated(EventPayload):
    """The organiser ran the bazaar's booth allocation (``revision`` 1), or a withdrawn booth
    passed to the next in line (each later revision): the booth holders and the waiting list
    in order, as they stand now, and the seed of the draw that broke ties (stored for audit;
    anyone can recompute the allocation from it). Keyed by the event id: read the latest
    revision."""

    TYPE: ClassVar[str] = "marketplace.booths_allocated.v1"
    event_id: str
    area_code: str
    booths: int
    seed: str
    off_season: bool
    revision: int
    allocated: list[BoothPlacement]
    waitlist: list[BoothPlacement]
    allocated_by: str
    allocated_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "event_id": _EVENT, "area_code": "31.74.06.1001", "booths": 1,
        "seed": "5f0c2e3b4d4e6f8a", "off_season": True, "revision": 1,
        "allocated": [{"seller_id": _S, "participant_id": _P, "kelurahan_code": "31.74.06.1001",
                       "rank": 1}],
        "waitlist": [{"seller_id": "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f",
                      "participant_id": "1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b",
                      "kelurahan_code": "31.74.06.1001", "rank": 2}],
        "allocated_by": "lurah.cilandak-barat", "allocated_at": "2027-07-01T09:00:00Z"}


__all__ += ["MarketEventCreated", "BoothsAllocated"]
