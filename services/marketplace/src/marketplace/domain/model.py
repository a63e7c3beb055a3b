"""Marketplace rules, free of I/O."""

from enum import StrEnum

from berdaya_shared.errors import Conflict


class SellerStatus(StrEnum):
    """Whether a seller's products show and may change (changed only by the service layer)."""

    ACTIVE = "active"
    PAUSED = "paused"


_STATUS_ID: dict[str, str] = {SellerStatus.ACTIVE: "aktif",
                              SellerStatus.PAUSED: "dihentikan sementara"}


def check_seller_active(status: str) -> None:
    """Only an active seller's listings may be created or changed."""
    if status != SellerStatus.ACTIVE:
        raise Conflict(f"Penjual ini berstatus {_STATUS_ID.get(status, status)}: produknya tidak "
                       "dapat ditambahkan atau diubah.",
                       en=f"This seller is {status}: their products cannot be listed or changed.",
                       field="seller_id")


def is_public(*, available: bool, seller_status: str) -> bool:
    """A product shows in the public catalogue when it is available and its seller is active."""
    return available and seller_status == SellerStatus.ACTIVE
