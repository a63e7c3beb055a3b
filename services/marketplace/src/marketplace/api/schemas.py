"""Request and response bodies of marketplace's API.

Money is whole rupiah and strict: ``"25000"``, ``25000.5`` and ``true`` are refused, not coerced.
Public bodies (``Catalogue*``) carry no phone and no participant id."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..adapters.tables import Product, SellerProfile

MAX_PRICE = 1_000_000_000  # whole rupiah; keeps the column a 32-bit INTEGER everywhere


class ProductCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    price: int = Field(gt=0, le=MAX_PRICE, strict=True, description="Whole rupiah")
    unit: str = Field(min_length=1, max_length=20, examples=["pcs", "box", "porsi"])
    category: str | None = Field(default=None, max_length=60)


class ProductChange(BaseModel):
    price: int | None = Field(default=None, gt=0, le=MAX_PRICE, strict=True)
    available: bool | None = Field(default=None, strict=True)

    @model_validator(mode="after")
    def _something_to_change(self) -> "ProductChange":
        if self.price is None and self.available is None:
            raise ValueError("Send price, available or both.")
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
    status: str
    created_at: datetime


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
    seller_display_name: str
    kelurahan_code: str

    @classmethod
    def of(cls, product: Product, seller: SellerProfile) -> "CatalogueItem":
        return cls(id=product.id, name=product.name, description=product.description,
                   price=product.price, unit=product.unit, category=product.category,
                   seller_display_name=seller.display_name, kelurahan_code=seller.kelurahan_code)


class CataloguePage(BaseModel):
    items: list[CatalogueItem]
    next_cursor: str | None
