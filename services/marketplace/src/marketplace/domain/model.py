"""Marketplace rules, free of I/O."""

from berdaya_shared.errors import Conflict

ACTIVE, PAUSED = "active", "paused"


def check_seller_active(status: str) -> None:
    """Only an active seller's listings may be created or changed."""
    if status != ACTIVE:
        raise Conflict(f"This seller is {status}: their products cannot be listed or changed.",
                       field="seller_id")


def is_public(*, available: bool, seller_status: str) -> bool:
    """A product shows in the public catalogue when it is available and its seller is active."""
    return available and seller_status == ACTIVE
