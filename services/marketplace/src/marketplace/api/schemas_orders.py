"""Bodies of the order endpoints. A city unit's order says who pays (budget reference), when
and where to deliver; the public's gives a name and a phone (no account). The public's
answer carries neither back, and no seller's phone."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..domain.orders import MAX_ORDER_QUANTITY, BuyerKind, OrderStatus

ProductId = Annotated[str, Field(min_length=1, max_length=36)]
Quantity = Annotated[int, Field(ge=1, le=MAX_ORDER_QUANTITY, strict=True,
                                description="Items ordered (at most the stock)")]
Place = Annotated[str, Field(min_length=1, max_length=300, examples=["Kantor Kelurahan Cilandak "
                                                                     "Barat, Aula lt. 2"])]
Note = Annotated[str | None, Field(default=None, max_length=500)]


class CityUnitOrderCreate(BaseModel):
    """A UKPD orders for its own event."""

    model_config = ConfigDict(str_strip_whitespace=True)
    product_id: ProductId
    quantity: Quantity
    unit_name: str = Field(min_length=1, max_length=120, description="The ordering city unit",
                           examples=["Sudin UMKM Jakarta Selatan"])
    delivery_date: date
    delivery_place: Place
    budget_reference: str = Field(min_length=1, max_length=60,
                                  examples=["DPA-SUDIN-UMKM-2027/045"])
    note: Note = None


class PublicOrderCreate(BaseModel):
    """A member of the public orders: name and phone so the seller can reach them."""

    model_config = ConfigDict(str_strip_whitespace=True)
    product_id: ProductId
    quantity: Quantity
    name: str = Field(min_length=1, max_length=120, examples=["Rina"])
    phone: str = Field(min_length=1, max_length=30, examples=["0812-3456-7890"])
    delivery_date: date | None = None
    delivery_place: Annotated[str | None, Field(max_length=300)] = None
    note: Note = None


class OrderRead(BaseModel):
    """An order as officers (and the city unit that placed it) see it."""

    model_config = ConfigDict(from_attributes=True)
    id: str
    product_id: str
    product_name: str
    seller_id: str
    kelurahan_code: str
    unit_price: int
    quantity: int
    amount: int
    buyer_kind: BuyerKind
    buyer_name: str
    buyer_phone: str | None
    delivery_date: date | None
    delivery_place: str | None
    budget_reference: str | None
    note: str | None
    status: OrderStatus
    placed_by: str
    placed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None
    reason: str | None
    sale_id: str | None


class PublicOrderRead(BaseModel):
    """What the public buyer gets back: no name, no phone (theirs or the seller's)."""

    model_config = ConfigDict(from_attributes=True)
    id: str
    product_id: str
    product_name: str
    unit_price: int
    quantity: int
    amount: int
    status: OrderStatus
    placed_at: datetime


class OrderPage(BaseModel):
    items: list[OrderRead]
    next_cursor: str | None
