"""Marketplace rules, free of I/O."""

from enum import StrEnum

from berdaya_shared.errors import Conflict


class SellerStatus(StrEnum):
    """Where a seller stands (changed only by the service layer).

    A graduation opens a profile in ``pending_consent``; the graduate's consent (recorded by an
    officer) makes it ``active``; an officer may pause an active seller and resume a paused one;
    withdrawing consent (``consent_withdrawn``) hides the shop until consent is given again.
    Only an ``active`` seller shows in the public catalogue."""

    PENDING_CONSENT = "pending_consent"
    ACTIVE = "active"
    PAUSED = "paused"
    CONSENT_WITHDRAWN = "consent_withdrawn"


class ContactPreference(StrEnum):
    """How a buyer reaches the seller; the phone itself is never public."""

    VIA_OFFICER = "via_officer"
    WHATSAPP = "whatsapp"


class PausedBy(StrEnum):
    """Who paused a seller: an officer's pause is an override monitoring does not lift."""

    OFFICER = "officer"
    MONITORING = "monitoring"


BUSINESS_STOPPED = "stopped"  # monitoring's business status that pauses a seller
MONITORING_ACTOR = "monitoring"  # changed_by of a status change monitoring's event caused


_STATUS_ID: dict[str, str] = {SellerStatus.PENDING_CONSENT: "menunggu persetujuan",
                              SellerStatus.ACTIVE: "aktif",
                              SellerStatus.PAUSED: "dihentikan sementara",
                              SellerStatus.CONSENT_WITHDRAWN: "menarik persetujuan"}

# Officers may prepare a shop's products before the graduate consents (they stay hidden).
_MAY_LIST = {SellerStatus.PENDING_CONSENT, SellerStatus.ACTIVE}


def status_id(status: str) -> str:
    return _STATUS_ID.get(status, status)


def check_seller_active(status: str) -> None:
    """Only a seller awaiting consent or active may have products listed or changed."""
    if status not in _MAY_LIST:
        raise Conflict(f"Penjual ini berstatus {status_id(status)}: produknya tidak "
                       "dapat ditambahkan atau diubah.",
                       en=f"This seller is {status}: their products cannot be listed or changed.",
                       field="seller_id")


def check_may_withdraw(status: str) -> None:
    """Consent can be withdrawn only where it was given (active or paused)."""
    if status not in (SellerStatus.ACTIVE, SellerStatus.PAUSED):
        raise Conflict(f"Penjual ini berstatus {status_id(status)}: tidak ada persetujuan "
                       "yang dapat ditarik.",
                       en=f"This seller is {status}: there is no consent to withdraw.",
                       field="status")


def check_may_pause(status: str) -> None:
    if status != SellerStatus.ACTIVE:
        raise Conflict(f"Penjual ini berstatus {status_id(status)}: hanya penjual aktif yang "
                       "dapat dihentikan sementara.",
                       en=f"This seller is {status}: only an active seller can be paused.",
                       field="status")


def check_may_resume(status: str) -> None:
    if status != SellerStatus.PAUSED:
        raise Conflict(f"Penjual ini berstatus {status_id(status)}: hanya penjual yang "
                       "dihentikan sementara yang dapat diaktifkan kembali.",
                       en=f"This seller is {status}: only a paused seller can be resumed.",
                       field="status")


def status_after_consent(status: str, *, business_status: str | None = None) -> str:
    """Consent opens a pending or withdrawn shop, unless monitoring says the business stopped;
    given again, it keeps a pause in place."""
    if status == SellerStatus.PAUSED or business_status == BUSINESS_STOPPED:
        return SellerStatus.PAUSED
    return SellerStatus.ACTIVE


def status_after_business_change(*, status: str, paused_by: str | None,
                                 business_status: str) -> str:
    """Monitoring's business status moves a seller: ``stopped`` pauses an active seller, any
    other status resumes a seller monitoring paused. An officer's pause stands (override), and
    a seller without consent stays where they are."""
    if status == SellerStatus.ACTIVE and business_status == BUSINESS_STOPPED:
        return SellerStatus.PAUSED
    if (status == SellerStatus.PAUSED and paused_by == PausedBy.MONITORING
            and business_status != BUSINESS_STOPPED):
        return SellerStatus.ACTIVE
    return status


def is_public(*, available: bool, seller_status: str, stock: int | None = None) -> bool:
    """A product shows in the public catalogue when it is available, not out of stock (no
    count kept: made to order) and its seller is active (consent given, not paused)."""
    return available and (stock is None or stock > 0) and seller_status == SellerStatus.ACTIVE


def public_seller_name(*, full_name: str, show_full_name: bool) -> str | None:
    """The graduate's full name reaches the public only when they chose so."""
    return full_name if show_full_name else None


class SaleChannel(StrEnum):
    """Where a sale happened (``SaleRecorded.channel``)."""

    BAZAAR = "bazaar"
    ORDER = "order"
    OTHER = "other"
