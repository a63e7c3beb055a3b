"""Request and response bodies of marketplace's API.

Money is whole rupiah and strict: ``"25000"``, ``25000.5`` and ``true`` are refused, not coerced.
Public bodies (``Catalogue*``) carry no phone and no participant id."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from berdaya_shared.api.types import INT32_MAX

from ..adapters.tables import Product, SellerProfile
from ..domain import model
from ..domain.model import ContactPreference, SellerStatus

MAX_PHOTOS = 5
HttpsUrl = Annotated[str, Field(max_length=500, pattern=r"^https://[^\s/?#]+\.[^\s]+$",
                                description="An https URL of a photo")]
CategoryCode = Annotated[str, Field(min_length=1, max_length=60, examples=["kue-basah"])]
Stock = Annotated[int, Field(ge=0, le=INT32_MAX, strict=True,
                             description="Items in stock; leave out for made to order")]
MAX_PRICE = 1_000_000_000  # whole rupiah; within the price column's 32-bit INTEGER (2**31 - 1)


def _bilingual(en: str, bahasa: str) -> PydanticCustomError:
    """A validation error whose problem text is ``bahasa``, or ``en`` on Accept-Language: en."""
    return PydanticCustomError("value_error", en, {"error": bahasa})


class ProductCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    price: int = Field(gt=0, le=MAX_PRICE, strict=True, description="Whole rupiah")
    unit: str = Field(min_length=1, max_length=20, examples=["pcs", "box", "porsi"])
    category: CategoryCode | None = None
    stock: Stock | None = None
    photo_urls: list[HttpsUrl] = Field(default_factory=list, max_length=MAX_PHOTOS)


class ProductChange(BaseModel):
    price: int | None = Field(default=None, gt=0, le=MAX_PRICE, strict=True)
    available: bool | None = Field(default=None, strict=True)
    stock: Stock | None = None

    @field_validator("price", "available", "stock", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Leaving a field out keeps its value; an explicit null would say "no price".
        if value is None:
            raise _bilingual("must not be null: leave the field out to keep its value",
                             "tidak boleh null: hilangkan kolom ini bila nilainya tetap")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> "ProductChange":
        if self.price is None and self.available is None and self.stock is None:
            raise _bilingual("Send price, available or stock.",
                             "Kirim price, available, atau stock.")
        return self


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    seller_id: str
    name: str
    description: str | None
    price: int
    unit: str
    category: str | None
    available: bool
    stock: int | None
    photo_urls: list[str]
    listed_by: str
    listed_at: datetime
    updated_by: str
    updated_at: datetime


class SellerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    participant_id: str
    display_name: str
    phone: str | None
    kelurahan_code: str
    kecamatan_code: str
    kota_code: str
    programme_code: str
    track: str | None
    status: SellerStatus
    created_at: datetime
    shop_name: str | None
    shop_description: str | None
    contact_preference: ContactPreference | None
    show_full_name: bool
    consent_recorded_by: str | None
    consent_recorded_at: datetime | None
    paused_by: str | None = Field(description="officer or monitoring, while paused")
    business_status: str | None = Field(description="Monitoring's latest business status")


class ConsentGive(BaseModel):
    """The graduate's consent as the officer records it: the shop's public identity."""

    model_config = ConfigDict(str_strip_whitespace=True)
    shop_name: str = Field(min_length=1, max_length=80, description="Nama usaha",
                           examples=["Dapur Bu Siti"])
    description: str | None = Field(default=None, max_length=500)
    contact_preference: ContactPreference = ContactPreference.VIA_OFFICER
    show_full_name: bool = Field(default=False, strict=True,
                                 description="May the public see the graduate's full name?")


class Reason(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    reason: str = Field(min_length=1, max_length=500, description="Why, in Bahasa")


class OptionalReason(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    reason: str | None = Field(default=None, min_length=1, max_length=500)


class StatusChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    old_status: SellerStatus
    new_status: SellerStatus
    reason: str | None
    changed_by: str
    changed_at: datetime


class SellerPage(BaseModel):
    items: list[SellerRead]
    next_cursor: str | None


class CatalogueItem(BaseModel):
    id: str
    name: str
    description: str | None
    price: int
    unit: str
    category: str | None
    stock: int | None
    photo_urls: list[str]
    shop_name: str
    seller_name: str | None = Field(description="The full name, only when the graduate chose so")
    contact_preference: ContactPreference | None
    kelurahan_code: str

    @classmethod
    def of(cls, product: Product, seller: SellerProfile) -> "CatalogueItem":
        return cls(id=product.id, name=product.name, description=product.description,
                   price=product.price, unit=product.unit, category=product.category,
                   stock=product.stock, photo_urls=list(product.photo_urls),
                   shop_name=seller.shop_name or "",
                   seller_name=model.public_seller_name(full_name=seller.display_name,
                                                        show_full_name=seller.show_full_name),
                   contact_preference=(ContactPreference(seller.contact_preference)
                                       if seller.contact_preference else None),
                   kelurahan_code=seller.kelurahan_code)


class ProductPage(BaseModel):
    items: list[ProductRead]
    next_cursor: str | None


class CategoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str
    name_en: str


class CataloguePage(BaseModel):
    items: list[CatalogueItem]
    next_cursor: str | None
