"""Inputs of marketplace's use cases, as plain data."""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class NewProduct:
    """A product an officer lists on a seller's behalf (price in whole rupiah)."""

    name: str
    description: str | None
    price: int
    unit: str
    category: str | None
    stock: int | None = None
    photo_urls: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Consent:
    """The graduate's consent to sell publicly, as recorded by an officer of their area."""

    shop_name: str
    description: str | None
    contact_preference: str  # a ContactPreference
    show_full_name: bool
