"""Request and response bodies of the bazaar API. Money is whole rupiah and strict; reasons are
given in the reader's language (Bahasa Indonesia unless Accept-Language asks for English)."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..adapters.tables import BazaarApplication, SellerProfile
from ..domain.bazaar import MAX_BOOTHS, ApplicationStatus, MarketEventStatus
from ..service_layer.bazaar_queries import Outcome, Totals
from .schemas import CategoryCode

AREA_PATTERN = r"^31\.\d{2}(\.\d{2}(\.\d{4})?)?$"  # a kota, kecamatan or kelurahan
MAX_CATEGORIES = 10
MAX_SALE_AMOUNT = 100_000_000  # whole rupiah for one entry: a day's takings at a booth
MAX_SALE_QUANTITY = 100_000
Id = Annotated[str, Field(min_length=1, max_length=36)]


class BazaarCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=120, examples=["Bazar UMKM Cilandak Barat"])
    area_code: str = Field(max_length=13, pattern=AREA_PATTERN,
                           description="Whose sellers may apply: a kota, kecamatan or "
                                       "kelurahan inside the organiser's area",
                           examples=["31.74.06.1001"])
    starts_on: date
    ends_on: date
    venue: str = Field(min_length=1, max_length=200, examples=["Halaman Kantor Lurah"])
    booths: int = Field(ge=1, le=MAX_BOOTHS, strict=True)
    categories: list[CategoryCode] = Field(
        default_factory=list, max_length=MAX_CATEGORIES,
        description="Only sellers with an available product in one of these may apply")

    @field_validator("categories")
    @classmethod
    def _once_each(cls, codes: list[str]) -> list[str]:
        return list(dict.fromkeys(codes))


class BazaarRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    area_code: str
    starts_on: date
    ends_on: date
    venue: str
    booths: int
    categories: list[str]
    status: MarketEventStatus
    invited: int = Field(description="Sellers invited when the bazaar was opened")
    organised_by: str
    created_at: datetime
    seed: str | None = Field(description="The allocation's draw seed, stored for audit")
    off_season: bool | None = Field(description="Outside the Lebaran/Natal weeks")
    allocated_by: str | None
    allocated_at: datetime | None
    revision: int


class BazaarPage(BaseModel):
    items: list[BazaarRead]
    next_cursor: str | None


class ApplicationCreate(BaseModel):
    seller_id: Id


class ApplicationRead(BaseModel):
    id: str
    event_id: str
    seller_id: str
    display_name: str
    shop_name: str | None
    kelurahan_code: str
    status: ApplicationStatus
    rank: int | None = Field(description="Booth holders first, then the waiting list")
    draw: int | None = Field(description="The applicant's number in the seeded draw")
    booths_last_year: int | None
    seasonal: bool | None
    reason: str | None = Field(description="Why this place, in the reader's language")
    applied_by: str
    applied_at: datetime
    withdrawn_by: str | None
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, application: BazaarApplication, seller: SellerProfile,
           language: str) -> "ApplicationRead":
        return cls(id=application.id, event_id=application.event_id, seller_id=seller.id,
                   display_name=seller.display_name, shop_name=seller.shop_name,
                   kelurahan_code=application.kelurahan_code,
                   status=ApplicationStatus(application.status), rank=application.rank,
                   draw=application.draw, booths_last_year=application.booths_last_year,
                   seasonal=application.seasonal,
                   reason=application.reason_en if language == "en" else application.reason,
                   applied_by=application.applied_by, applied_at=application.applied_at,
                   withdrawn_by=application.withdrawn_by,
                   withdrawn_at=application.withdrawn_at)


class AllocationRead(BaseModel):
    event_id: str
    booths: int
    seed: str
    off_season: bool
    revision: int
    same_from_seed: bool | None = Field(
        default=None, description="The rule gives the same ranks again from the stored seed")
    placements: list[ApplicationRead] = Field(description="In rank order (the caller's area)")


class BazaarSaleCreate(BaseModel):
    seller_id: Id
    amount: int = Field(gt=0, le=MAX_SALE_AMOUNT, strict=True, description="Whole rupiah")
    quantity: int = Field(gt=0, le=MAX_SALE_QUANTITY, strict=True)
    sold_on: date


class BazaarSaleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    seller_id: str
    participant_id: str
    amount: int
    quantity: int
    sold_on: date
    channel: str
    source_ref: str | None
    recorded_by: str
    recorded_at: datetime


class OutcomeRow(BaseModel):
    seller_id: str
    display_name: str
    shop_name: str | None
    kelurahan_code: str
    status: ApplicationStatus
    rank: int | None
    sales: int
    quantity: int
    amount: int

    @classmethod
    def of(cls, row: Outcome) -> "OutcomeRow":
        return cls(seller_id=row.seller.id, display_name=row.seller.display_name,
                   shop_name=row.seller.shop_name, kelurahan_code=row.application.kelurahan_code,
                   status=ApplicationStatus(row.application.status), rank=row.application.rank,
                   sales=row.sales, quantity=row.quantity, amount=row.amount)


class OutcomeReport(BaseModel):
    event: BazaarRead
    totals: Totals = Field(description="Over the whole bazaar")
    rows: list[OutcomeRow] = Field(description="The applicants of the caller's area")
