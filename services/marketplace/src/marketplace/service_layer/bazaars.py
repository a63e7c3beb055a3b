"""Bazaars: a lurah, camat or city admin opens one for their area and its eligible sellers are
invited; officers apply on behalf of the sellers of their area; the organiser allocates the
booths once (``domain.bazaar.allocate``), withdrawn booths pass to the next in line, and the
organiser records the bazaar's sales (``record_sale``: one sale row and one SaleRecorded).

Who: the *organisers* of a bazaar are the officers whose area covers the bazaar's area (its
lurah for a kelurahan bazaar, the camat, city admins). Officers of an area inside the bazaar's
(a lurah at a kecamatan bazaar) see it and apply for their own sellers; anyone else gets 404.

Locking (PostgreSQL; SQLite serialises writers already), always in this order: the event
(``get_for_update``), then the seller or the application. Applying, allocating and withdrawing
lock the event first, so an application cannot slip in while the allocation runs, two
allocations make one (the second sees ``allocated``: 409), and two withdrawals pass booths on
one after the other. Applying twice is also refused by the unique (event, seller) pair.
A bazaar sale locks the seller's application, so a withdrawal and a sale do not cross.
"""

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import Exists, func
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area, within
from berdaya_shared.calendar_id import touches_season
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from berdaya_shared.events import Envelope
from berdaya_shared.gazetteer import Gazetteer

from ..adapters.tables import BazaarApplication, Category, MarketEvent, Product, Sale, SellerProfile
from ..domain import bazaar
from ..domain.bazaar import ApplicationStatus, MarketEventStatus, NewBazaar
from ..domain.model import SaleChannel, SellerStatus
from ..messaging import outgoing_bazaars as outgoing
from . import handlers
from .sales import record_sale

Pair = tuple[BazaarApplication, SellerProfile]


def _sees(principal: Principal, event: MarketEvent) -> bool:
    return principal.covers(event.area_code) or within(principal.area, event.area_code)


def get_bazaar(*, session: Session, principal: Principal, event_id: str,
               for_update: bool = False) -> MarketEvent:
    """The bazaar, or 404 when it does not exist or the caller's area and its area do not
    overlap."""
    event = (get_for_update(session, MarketEvent, event_id) if for_update
             else session.get(MarketEvent, event_id))
    if event is None or not _sees(principal, event):
        raise NotFound("Bazar ini tidak ada di wilayah Anda.", en="No such bazaar in your area.",
                       field="event_id")
    return event


def _check_organiser(principal: Principal, event: MarketEvent) -> None:
    if not principal.covers(event.area_code):
        raise Forbidden(f"Hanya penyelenggara bazar wilayah {event.area_code} yang dapat "
                        "melakukan ini.",
                        en=f"Only the organisers of this bazaar (area {event.area_code}) may "
                           "do this.", field="event_id")


def _check_area(principal: Principal, area_code: str) -> None:
    if Gazetteer.load().get(area_code) is None:
        raise InvalidInput(f"{area_code!r} bukan kode wilayah di DKI Jakarta.",
                           en=f"{area_code!r} is not an area code in DKI Jakarta.",
                           field="area_code")
    if not principal.covers(area_code):
        raise Forbidden(f"Wilayah {area_code} berada di luar wilayah Anda ({principal.area}).",
                        en=f"Area {area_code} is outside your area {principal.area}.",
                        field="area_code")


def _check_categories(session: Session, codes: tuple[str, ...]) -> None:
    known = set(session.exec(select(Category.code).where(col(Category.code).in_(codes))).all())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(f"Kategori {unknown[0]!r} tidak dikenal; lihat GET /categories.",
                           en=f"Unknown category {unknown[0]!r}; see GET /categories.",
                           field="categories")


def _selling_in(categories: list[str]) -> Exists:
    """SQL: the seller has an available product in one of ``categories``."""
    return (select(Product.id).where(Product.seller_id == SellerProfile.id,
                                     col(Product.available).is_(True),
                                     col(Product.category).in_(categories)).exists())


def create_bazaar(*, session: Session, principal: Principal, new: NewBazaar,
                  source: str) -> MarketEvent:
    """Open a bazaar for an area the organiser covers, and invite its eligible sellers (active,
    selling in its categories when it names some): one NotificationRequested each."""
    _check_area(principal, new.area_code)
    bazaar.check_dates(new.starts_on, new.ends_on)
    _check_categories(session, new.categories)
    query = select(SellerProfile).where(SellerProfile.status == SellerStatus.ACTIVE,
                                        in_area(col(SellerProfile.kelurahan_code), new.area_code))
    if new.categories:
        query = query.where(_selling_in(list(new.categories)))
    invited = list(session.exec(query.order_by(col(SellerProfile.id))).all())
    event = MarketEvent(name=new.name, area_code=new.area_code, starts_on=new.starts_on,
                        ends_on=new.ends_on, venue=new.venue, booths=new.booths,
                        categories=list(new.categories), status=MarketEventStatus.OPEN,
                        invited=len(invited), organised_by=principal.subject,
                        created_at=datetime.now(UTC))
    session.add(event)
    session.flush()
    created = outgoing.market_event_created(session, event, source=source)
    for seller in invited:
        outgoing.bazaar_invitation(session, event, seller, source=source, cause=created)
    return event


def apply(*, session: Session, principal: Principal, event_id: str, seller_id: str) -> Pair:
    """An officer of the seller's area applies on the seller's behalf: one application per
    seller per bazaar, only before the allocation, only an eligible seller."""
    event = get_bazaar(session=session, principal=principal, event_id=event_id, for_update=True)
    bazaar.check_open(event.status)
    seller = handlers.get_seller(session=session, seller_id=seller_id, principal=principal,
                                 for_update=True)
    selling = set(session.exec(select(Product.category).where(
        Product.seller_id == seller.id, col(Product.available).is_(True),
        col(Product.category).is_not(None))).all())
    bazaar.check_may_apply(seller_status=seller.status, seller_kelurahan=seller.kelurahan_code,
                           event_area=event.area_code, categories=list(event.categories),
                           seller_categories={c for c in selling if c})
    duplicate = ("Penjual ini sudah terdaftar di bazar ini.",
                 "This seller has already applied to this bazaar.")
    if session.exec(select(BazaarApplication.id).where(
            BazaarApplication.event_id == event.id,
            BazaarApplication.seller_id == seller.id)).first() is not None:
        raise Conflict(duplicate[0], en=duplicate[1], field="seller_id")
    application = BazaarApplication(event_id=event.id, seller_id=seller.id,
                                    kelurahan_code=seller.kelurahan_code,
                                    status=ApplicationStatus.APPLIED,
                                    applied_by=principal.subject, applied_at=datetime.now(UTC))
    with conflict_on_duplicate(session, field="seller_id", detail=duplicate[0], en=duplicate[1]):
        session.add(application)
    return application, seller


def pairs_of(session: Session, event: MarketEvent, *, area: str | None = None,
             statuses: tuple[str, ...] | None = None) -> list[Pair]:
    """The bazaar's applications with their sellers: by rank once allocated, else in order of
    application (``area``: only sellers of that area)."""
    query = (select(BazaarApplication, SellerProfile).join(SellerProfile)
             .where(BazaarApplication.event_id == event.id))
    if area is not None:
        query = query.where(in_area(col(BazaarApplication.kelurahan_code), area))
    if statuses is not None:
        query = query.where(col(BazaarApplication.status).in_(statuses))
    query = query.order_by(col(BazaarApplication.rank).is_(None), col(BazaarApplication.rank),
                           col(BazaarApplication.applied_at), col(BazaarApplication.id))
    return [(a, s) for a, s in session.exec(query).all()]


def _booths_last_year(session: Session, event: MarketEvent, seller_ids: list[str]) -> dict[str, int]:
    """Booths each seller held at bazaars that began in the twelve months before this one."""
    if not seller_ids:
        return {}
    rows = session.exec(
        select(BazaarApplication.seller_id, func.count())
        .join(MarketEvent, col(MarketEvent.id) == BazaarApplication.event_id)
        .where(col(BazaarApplication.seller_id).in_(seller_ids),
               BazaarApplication.status == ApplicationStatus.ALLOCATED,
               MarketEvent.id != event.id,
               MarketEvent.starts_on >= bazaar.history_starts(event.starts_on),
               MarketEvent.starts_on < event.starts_on)
        .group_by(col(BazaarApplication.seller_id))).all()
    return {seller_id: count for seller_id, count in rows}


def allocate_booths(*, session: Session, principal: Principal, event_id: str,
                    source: str) -> MarketEvent:
    """Run the allocation once: the rule's inputs, rank and reason are stored on every
    application, the seed on the event. A second run is a 409. A seller no longer active
    (paused, consent withdrawn since applying) is set aside, withdrawn with the reason."""
    event = get_bazaar(session=session, principal=principal, event_id=event_id, for_update=True)
    _check_organiser(principal, event)
    bazaar.check_open(event.status)
    applied = pairs_of(session, event, statuses=(ApplicationStatus.APPLIED,))
    pairs = [(a, s) for a, s in applied if s.status == SellerStatus.ACTIVE]
    set_aside = [(a, s) for a, s in applied if s.status != SellerStatus.ACTIVE]
    for application, seller in set_aside:
        application.status = ApplicationStatus.WITHDRAWN
        application.withdrawn_by, application.withdrawn_at = principal.subject, datetime.now(UTC)
        application.reason, application.reason_en = bazaar.inactive_reason(seller.status)
        session.add(application)
    history = _booths_last_year(session, event, [s.id for _, s in pairs])
    for application, seller in pairs:
        application.booths_last_year = history.get(seller.id, 0)
        application.seasonal = seller.business_status == bazaar.SEASONAL
    event.seed = secrets.token_hex(8)
    event.off_season = not touches_season(event.starts_on, event.ends_on)
    placements = {p.seller_id: p for p in bazaar.allocate(
        [applicant_of(a) for a, _ in pairs], booths=event.booths, seed=event.seed,
        off_season=event.off_season)}
    for application, _ in pairs:
        placed = placements[application.seller_id]
        application.status = (ApplicationStatus.ALLOCATED if placed.allocated
                              else ApplicationStatus.WAITLISTED)
        application.rank, application.draw = placed.rank, placed.draw
        application.reason, application.reason_en = placed.reason, placed.reason_en
        session.add(application)
    event.status = MarketEventStatus.ALLOCATED
    event.allocated_by, event.allocated_at = principal.subject, datetime.now(UTC)
    event.revision = 1
    session.add(event)
    session.flush()
    told = _tell_allocation(session, event, changed_by=principal.subject, source=source)
    for application, seller in [*sorted(pairs, key=lambda p: p[0].rank or 0), *set_aside]:
        outgoing.booth_outcome(session, event, application, seller, source=source, cause=told)
    return event


def applicant_of(application: BazaarApplication) -> bazaar.Applicant:
    return bazaar.Applicant(seller_id=application.seller_id,
                            kelurahan_code=application.kelurahan_code,
                            booths_last_year=application.booths_last_year or 0,
                            seasonal=bool(application.seasonal))


def _tell_allocation(session: Session, event: MarketEvent, *, changed_by: str,
                     source: str) -> Envelope:
    pairs = pairs_of(session, event, statuses=(ApplicationStatus.ALLOCATED,
                                               ApplicationStatus.WAITLISTED))
    holders = [p for p in pairs if p[0].status == ApplicationStatus.ALLOCATED]
    waiting = [p for p in pairs if p[0].status == ApplicationStatus.WAITLISTED]
    return outgoing.booths_allocated(session, event, holders, waiting, changed_by=changed_by,
                                     source=source)


def withdraw(*, session: Session, principal: Principal, event_id: str, application_id: str,
             today: date, source: str) -> Pair:
    """The seller gives up their application (through an officer of their area or the
    organiser). A booth given back passes to the first on the waiting list."""
    event = get_bazaar(session=session, principal=principal, event_id=event_id, for_update=True)
    application = get_for_update(session, BazaarApplication, application_id)
    if (application is None or application.event_id != event.id
            or not principal.covers(application.kelurahan_code)):
        raise NotFound("Pendaftaran ini tidak ada di wilayah Anda.",
                       en="No such application in your area.", field="application_id")
    bazaar.check_may_withdraw(application.status, ends_on=event.ends_on, today=today)
    held = application.status == ApplicationStatus.ALLOCATED
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_by, application.withdrawn_at = principal.subject, datetime.now(UTC)
    session.add(application)
    seller = session.get(SellerProfile, application.seller_id)
    assert seller is not None  # an application references its seller
    if event.status != MarketEventStatus.ALLOCATED:
        session.flush()
        return application, seller
    promoted: Pair | None = None
    if held:
        waiting = pairs_of(session, event, statuses=(ApplicationStatus.WAITLISTED,))
        if waiting:
            following = get_for_update(session, BazaarApplication, waiting[0][0].id)
            assert following is not None
            following.status = ApplicationStatus.ALLOCATED
            following.reason, following.reason_en = bazaar.promoted_reason(1)
            session.add(following)
            promoted = following, waiting[0][1]
    event.revision += 1
    session.add(event)
    session.flush()
    told = _tell_allocation(session, event, changed_by=principal.subject, source=source)
    if promoted is not None:
        outgoing.booth_outcome(session, event, *promoted, source=source, cause=told)
    return application, seller


def record_bazaar_sale(*, session: Session, principal: Principal, event_id: str,
                       seller_id: str, amount: int, quantity: int, sold_on: date, today: date,
                       source: str) -> Sale:
    """The organiser records what a booth holder sold at the bazaar."""
    event = get_bazaar(session=session, principal=principal, event_id=event_id)
    _check_organiser(principal, event)
    found = session.exec(select(BazaarApplication.id).where(
        BazaarApplication.event_id == event.id,
        BazaarApplication.seller_id == seller_id)).first()
    application = get_for_update(session, BazaarApplication, found) if found else None
    bazaar.check_sale(holds_booth=application is not None
                      and application.status == ApplicationStatus.ALLOCATED,
                      sold_on=sold_on, starts_on=event.starts_on, ends_on=event.ends_on,
                      today=today)
    seller = session.get(SellerProfile, seller_id)
    assert seller is not None  # an application references its seller
    return record_sale(session=session, seller=seller, amount=amount, quantity=quantity,
                       sold_on=sold_on, channel=SaleChannel.BAZAAR,
                       source_ref=f"bazaar:{event.id}", recorded_by=principal.subject,
                       source=source)
