"""Bazaar reads: the bazaars an officer sees, the applications of their area, the stored
allocation recomputed from its seed (audit) and the outcomes report. Writes are in
``bazaars``."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.pagination import after, next_cursor

from ..adapters.tables import BazaarApplication, MarketEvent, Sale, SellerProfile
from ..domain import bazaar
from ..domain.bazaar import ApplicationStatus, MarketEventStatus
from .bazaars import Pair, applicant_of, get_bazaar, pairs_of


def _ancestors(area: str) -> list[str]:
    """The areas that contain ``area``: "31.74.06.1001" -> 31, 31.74, 31.74.06."""
    parts = area.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def list_bazaars(*, session: Session, principal: Principal, status: MarketEventStatus | None,
                 limit: int, cursor: str | None) -> tuple[list[MarketEvent], str | None]:
    """Bazaars of the caller's area and those of the areas around it, in id order."""
    query = select(MarketEvent).where(
        or_(in_area(col(MarketEvent.area_code), principal.area),
            col(MarketEvent.area_code).in_(_ancestors(principal.area))),
        after([col(MarketEvent.id)], cursor))
    if status is not None:
        query = query.where(MarketEvent.status == status)
    rows = list(session.exec(query.order_by(col(MarketEvent.id)).limit(limit)).all())
    return rows, next_cursor(rows, ["id"], limit)


def applications(*, session: Session, principal: Principal, event_id: str) -> list[Pair]:
    """The applications the caller may see: all for an organiser, their own area's otherwise."""
    event = get_bazaar(session=session, principal=principal, event_id=event_id)
    return pairs_of(session, event, area=principal.area)


def recompute(*, session: Session, principal: Principal,
              event_id: str) -> tuple[MarketEvent, list[Pair], bool]:
    """The stored allocation, and whether the rule gives the same ranks again from the stored
    seed and inputs (for audit)."""
    event = get_bazaar(session=session, principal=principal, event_id=event_id)
    bazaar.check_allocated(event.status)
    assert event.seed is not None and event.off_season is not None
    ranked = [p for p in pairs_of(session, event) if p[0].rank is not None]
    again = bazaar.allocate([applicant_of(a) for a, _ in ranked], booths=event.booths,
                            seed=event.seed, off_season=event.off_season)
    same = sorted((p.seller_id, p.rank, p.draw) for p in again) == sorted(
        (a.seller_id, a.rank, a.draw) for a, _ in ranked)
    visible = [p for p in ranked if principal.covers(p[0].kelurahan_code)]
    return event, visible, same


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """One applicant's outcome: their place and what they sold at the bazaar."""

    application: BazaarApplication
    seller: SellerProfile
    sales: int
    quantity: int
    amount: int


@dataclass(frozen=True, kw_only=True)
class Totals:
    booths: int
    applicants: int
    allocated: int
    waitlisted: int
    withdrawn: int
    sales: int
    quantity: int
    amount: int


def outcomes(*, session: Session, principal: Principal,
             event_id: str) -> tuple[MarketEvent, list[Outcome], Totals]:
    """The bazaar's outcomes: per applicant of the caller's area (place, sales), and totals
    over the whole bazaar (counts and money only)."""
    event = get_bazaar(session=session, principal=principal, event_id=event_id)
    per_seller = {seller_id: (count, quantity, amount) for seller_id, count, quantity, amount
                  in session.exec(select(Sale.seller_id, func.count(), func.sum(Sale.quantity),
                                         func.sum(Sale.amount))
                                  .where(Sale.source_ref == f"bazaar:{event.id}")
                                  .group_by(col(Sale.seller_id))).all()}
    everyone = pairs_of(session, event)
    statuses = [a.status for a, _ in everyone]
    sold = list(per_seller.values())
    totals = Totals(booths=event.booths, applicants=len(everyone),
                    allocated=statuses.count(ApplicationStatus.ALLOCATED),
                    waitlisted=statuses.count(ApplicationStatus.WAITLISTED),
                    withdrawn=statuses.count(ApplicationStatus.WITHDRAWN),
                    sales=sum(c for c, _, _ in sold), quantity=sum(int(q) for _, q, _ in sold),
                    amount=sum(int(a) for _, _, a in sold))
    rows = []
    for application, seller in everyone:
        if principal.covers(application.kelurahan_code):
            count, quantity, amount = per_seller.get(seller.id, (0, 0, 0))
            rows.append(Outcome(application=application, seller=seller, sales=count,
                                quantity=int(quantity), amount=int(amount)))
    return event, rows, totals
