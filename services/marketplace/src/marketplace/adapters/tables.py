"""Marketplace's tables (its own registry and metadata), plus its outbox and inbox."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from berdaya_shared.db import new_id, new_registry
from berdaya_shared.inbox import define_inbox
from berdaya_shared.outbox import define_outbox

from ..domain.model import SellerStatus


class Base(SQLModel, registry=new_registry()):
    """Marketplace's own table registry (a class statement, so type checkers see a base class)."""


metadata = Base.metadata
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)


class SellerProfile(Base, table=True):
    """A graduate who sells, as told by training (one profile per participant)."""

    __tablename__ = "seller_profile"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    participant_id: str = Field(unique=True, max_length=36)
    display_name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=20)  # officers only, never public
    kelurahan_code: str = Field(index=True, max_length=13)
    kecamatan_code: str = Field(index=True, max_length=8)
    kota_code: str = Field(max_length=5)
    programme_code: str = Field(max_length=60)
    track: str | None = Field(default=None, max_length=60)
    status: str = Field(default=SellerStatus.PENDING_CONSENT, max_length=20)  # a SellerStatus
    created_at: datetime
    # The graduate's consent (recorded by an officer): the public sees the shop name, never
    # the phone, and the full name only when show_full_name.
    shop_name: str | None = Field(default=None, max_length=80)
    shop_description: str | None = Field(default=None, max_length=500)
    contact_preference: str | None = Field(default=None, max_length=20)  # a ContactPreference
    show_full_name: bool = False
    consent_recorded_by: str | None = Field(default=None, max_length=100)
    consent_recorded_at: datetime | None = None
    paused_by: str | None = Field(default=None, max_length=20)  # a PausedBy, while paused
    business_status: str | None = Field(default=None, max_length=20)  # monitoring's latest


class SellerStatusChange(Base, table=True):
    """The audit of a seller's status: consent given or withdrawn, paused, resumed (who, when,
    why)."""

    __tablename__ = "seller_status_change"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    seller_id: str = Field(foreign_key="seller_profile.id", index=True, max_length=36)
    old_status: str = Field(max_length=20)
    new_status: str = Field(max_length=20)
    reason: str | None = Field(default=None, max_length=500)
    changed_by: str = Field(max_length=100)
    changed_at: datetime


class Category(Base, table=True):
    """The catalogue's categories, as data (seeded by migration 0003; a product names one by
    its code)."""

    __tablename__ = "category"
    code: str = Field(primary_key=True, max_length=60)
    name: str = Field(max_length=100)  # Bahasa Indonesia
    name_en: str = Field(max_length=100)


class Product(Base, table=True):
    __tablename__ = "product"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    seller_id: str = Field(foreign_key="seller_profile.id", index=True, max_length=36)
    name: str = Field(max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    price: int  # whole rupiah, a PostgreSQL INTEGER
    unit: str = Field(max_length=20)
    category: str | None = Field(default=None, foreign_key="category.code", index=True,
                                 max_length=60)
    available: bool = True
    stock: int | None = None  # None: made to order, no count kept
    photo_urls: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    listed_by: str = Field(max_length=100)
    listed_at: datetime
    updated_by: str = Field(max_length=100)
    updated_at: datetime


class Sale(Base, table=True):
    """A sale by a graduate: a fulfilled order or a bazaar sale recorded by its organiser. Each
    is told to monitoring as ``SaleRecorded`` (its revenue evidence) and feeds the sales
    reports. ``source_ref`` names what it came from (``order:<id>``, ``bazaar:<event id>``)."""

    __tablename__ = "sale"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    seller_id: str = Field(foreign_key="seller_profile.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    kelurahan_code: str = Field(index=True, max_length=13)
    kecamatan_code: str = Field(max_length=8)
    kota_code: str = Field(max_length=5)
    amount: int = Field(sa_type=BigInteger)  # whole rupiah for ``quantity`` items
    quantity: int
    sold_on: date  # the Jakarta date of the sale
    channel: str = Field(max_length=10)  # a SaleChannel
    source_ref: str | None = Field(default=None, index=True, max_length=60)
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime


# ---- orders (B) ----
class Order(Base, table=True):
    """An order of a product, from a city unit (UKPD) or from the public. Stock is reserved
    when the order is placed and goes back when it is declined or cancelled; a fulfilled
    order becomes a sale (``sale_id``). The buyer's name and phone stay in this row: never in
    events or logs. A retried request with the same ``Idempotency-Key`` (per caller: the
    subject, or ``public``) finds this row by the unique pair."""

    __tablename__ = "customer_order"
    __table_args__ = (UniqueConstraint("idempotency_scope", "idempotency_key"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    product_id: str = Field(foreign_key="product.id", index=True, max_length=36)
    seller_id: str = Field(foreign_key="seller_profile.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    kelurahan_code: str = Field(index=True, max_length=13)  # the seller's, at placing
    kecamatan_code: str = Field(max_length=8)
    kota_code: str = Field(max_length=5)
    product_name: str = Field(max_length=120)
    unit_price: int  # whole rupiah at placing
    quantity: int
    amount: int = Field(sa_type=BigInteger)  # unit_price * quantity
    buyer_kind: str = Field(max_length=10)  # a BuyerKind
    buyer_name: str = Field(max_length=120)  # a city unit's name, or a person's
    buyer_phone: str | None = Field(default=None, max_length=20)  # officers only
    delivery_date: date | None = None
    delivery_place: str | None = Field(default=None, max_length=300)
    budget_reference: str | None = Field(default=None, max_length=60)
    note: str | None = Field(default=None, max_length=500)
    status: str = Field(max_length=10, index=True)  # an OrderStatus
    placed_by: str = Field(max_length=100)  # the caller's subject, or "public"
    placed_at: datetime
    decided_by: str | None = Field(default=None, max_length=100)  # accepted or declined
    decided_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=100)  # fulfilled or cancelled
    closed_at: datetime | None = None
    reason: str | None = Field(default=None, max_length=500)  # of a decline or cancellation
    sale_id: str | None = Field(default=None, max_length=36)
    idempotency_scope: str | None = Field(default=None, max_length=100)
    idempotency_key: str | None = Field(default=None, max_length=100)
    request_fingerprint: str | None = Field(default=None, max_length=64)


class OrderRateBucket(Base, table=True):
    """The public order endpoint's token bucket per client (a digest of its IP address, never
    the address itself), held in the store so every replica shares one limit."""

    __tablename__ = "order_rate_bucket"
    client: str = Field(primary_key=True, max_length=64)
    tokens: float
    updated_at: datetime


# ---- bazaars (A) ----
class MarketEvent(Base, table=True):
    """A bazaar (local market event) a lurah, camat or city admin organises for their area:
    ``area_code`` is a kota, kecamatan or kelurahan whose active sellers may apply. The booth
    allocation's seed is drawn when it runs and stored here for audit."""

    __tablename__ = "market_event"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=120)
    area_code: str = Field(index=True, max_length=13)
    starts_on: date
    ends_on: date
    venue: str = Field(max_length=200)
    booths: int
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=10)  # a MarketEventStatus
    invited: int = 0  # sellers invited when it was created
    organised_by: str = Field(max_length=100)
    created_at: datetime
    seed: str | None = Field(default=None, max_length=64)
    off_season: bool | None = None  # outside the Lebaran/Natal weeks, as the allocation saw it
    allocated_by: str | None = Field(default=None, max_length=100)
    allocated_at: datetime | None = None
    revision: int = 0  # 1 at the allocation, +1 each time a withdrawn booth passes on


class BazaarApplication(Base, table=True):
    """A seller's application to a bazaar, made by an officer of the seller's area (one per
    seller per event). The allocation stores what it weighed and why (Bahasa and English)."""

    __tablename__ = "bazaar_application"
    __table_args__ = (UniqueConstraint("event_id", "seller_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    event_id: str = Field(foreign_key="market_event.id", index=True, max_length=36)
    seller_id: str = Field(foreign_key="seller_profile.id", index=True, max_length=36)
    kelurahan_code: str = Field(max_length=13)  # the seller's, when they applied
    status: str = Field(max_length=10)  # an ApplicationStatus
    applied_by: str = Field(max_length=100)
    applied_at: datetime
    booths_last_year: int | None = None
    seasonal: bool | None = None
    draw: int | None = None
    rank: int | None = None
    reason: str | None = Field(default=None, max_length=500)
    reason_en: str | None = Field(default=None, max_length=500)
    withdrawn_by: str | None = Field(default=None, max_length=100)
    withdrawn_at: datetime | None = None
