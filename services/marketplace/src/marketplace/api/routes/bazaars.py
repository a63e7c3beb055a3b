"""Bazaars (local market events): a lurah, camat or city admin opens one for their area (its
eligible sellers are invited), officers apply on behalf of the sellers of their area, the
organiser allocates the booths once and records the sales; the outcomes report in JSON or
CSV. Another area's bazaar is a 404."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import Response
from sqlmodel import Session

from berdaya_shared.api.auth import Principal
from berdaya_shared.api.csvexport import csv_response
from berdaya_shared.api.deps import CursorQuery, LanguageDep, LimitQuery, SessionsDep
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction

from ...domain.bazaar import MarketEventStatus, NewBazaar
from ...service_layer import bazaar_queries as queries
from ...service_layer import bazaars
from ..deps import Officer, Reader, SettingsDep
from ..schemas_bazaars import (
    AllocationRead,
    ApplicationCreate,
    ApplicationRead,
    BazaarCreate,
    BazaarPage,
    BazaarRead,
    BazaarSaleCreate,
    BazaarSaleRead,
    OutcomeReport,
    OutcomeRow,
)

router = APIRouter(prefix="/bazaars", tags=["bazaars"])
EventId = Annotated[str, Path(max_length=36)]
ApplicationId = Annotated[str, Path(max_length=36)]
Status = Annotated[MarketEventStatus | None, Query(alias="status")]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BazaarRead)
def create_bazaar(body: BazaarCreate, principal: Officer, sessions: SessionsDep,
                  settings: SettingsDep) -> BazaarRead:
    """Open a bazaar for an area inside the organiser's; every eligible seller is invited
    through the officers of their kelurahan (MarketEventCreated, NotificationRequested)."""
    new = NewBazaar(name=body.name, area_code=body.area_code, starts_on=body.starts_on,
                    ends_on=body.ends_on, venue=body.venue, booths=body.booths,
                    categories=tuple(body.categories))
    with transaction(sessions) as session:
        return BazaarRead.model_validate(bazaars.create_bazaar(
            session=session, principal=principal, new=new, source=settings.source))


@router.get("", response_model=BazaarPage)
def list_bazaars(principal: Reader, sessions: SessionsDep, event_status: Status = None,
                 limit: LimitQuery = 100, cursor: CursorQuery = None) -> BazaarPage:
    """Bazaars of the caller's area and of the areas around it."""
    with transaction(sessions) as session:
        rows, next_cursor = queries.list_bazaars(session=session, principal=principal,
                                                 status=event_status, limit=limit,
                                                 cursor=cursor)
        return BazaarPage(items=[BazaarRead.model_validate(r) for r in rows],
                          next_cursor=next_cursor)


@router.get("/{event_id}", response_model=BazaarRead)
def get_bazaar(event_id: EventId, principal: Reader, sessions: SessionsDep) -> BazaarRead:
    with transaction(sessions) as session:
        return BazaarRead.model_validate(bazaars.get_bazaar(session=session, principal=principal,
                                                            event_id=event_id))


@router.post("/{event_id}/applications", status_code=status.HTTP_201_CREATED,
             response_model=ApplicationRead)
def apply(event_id: EventId, body: ApplicationCreate, principal: Officer,
          sessions: SessionsDep, language: LanguageDep) -> ApplicationRead:
    """An officer of the seller's area applies for them (once per bazaar, before the
    allocation)."""
    with transaction(sessions) as session:
        application, seller = bazaars.apply(session=session, principal=principal,
                                            event_id=event_id, seller_id=body.seller_id)
        return ApplicationRead.of(application, seller, language)


@router.get("/{event_id}/applications", response_model=list[ApplicationRead])
def applications(event_id: EventId, principal: Reader, sessions: SessionsDep,
                 language: LanguageDep) -> list[ApplicationRead]:
    """The applications of the caller's area, by rank once allocated."""
    with transaction(sessions) as session:
        return [ApplicationRead.of(a, s, language) for a, s in queries.applications(
            session=session, principal=principal, event_id=event_id)]


@router.post("/{event_id}/applications/{application_id}/withdrawal",
             response_model=ApplicationRead)
def withdraw(event_id: EventId, application_id: ApplicationId, principal: Officer,
             sessions: SessionsDep, settings: SettingsDep,
             language: LanguageDep) -> ApplicationRead:
    """The seller gives up; a booth given back passes to the first on the waiting list."""
    with transaction(sessions) as session:
        application, seller = bazaars.withdraw(
            session=session, principal=principal, event_id=event_id,
            application_id=application_id, today=today_in_jakarta(), source=settings.source)
        return ApplicationRead.of(application, seller, language)


def _allocation(session: Session, principal: Principal, event_id: str, language: str, *,
                check: bool) -> AllocationRead:
    event, pairs, same = queries.recompute(session=session, principal=principal,
                                           event_id=event_id)
    assert event.seed is not None and event.off_season is not None
    return AllocationRead(event_id=event.id, booths=event.booths, seed=event.seed,
                          off_season=event.off_season, revision=event.revision,
                          same_from_seed=same if check else None,
                          placements=[ApplicationRead.of(a, s, language) for a, s in pairs])


@router.post("/{event_id}/allocation", response_model=AllocationRead)
def allocate(event_id: EventId, principal: Officer, sessions: SessionsDep,
             settings: SettingsDep, language: LanguageDep) -> AllocationRead:
    """Allocate the booths by the documented rule, once (a second run is a 409)."""
    with transaction(sessions) as session:
        bazaars.allocate_booths(session=session, principal=principal, event_id=event_id,
                                source=settings.source)
        return _allocation(session, principal, event_id, language, check=False)


@router.get("/{event_id}/allocation", response_model=AllocationRead)
def get_allocation(event_id: EventId, principal: Reader, sessions: SessionsDep,
                   language: LanguageDep) -> AllocationRead:
    """The allocation with every applicant's rank and reason, and whether the rule gives the
    same ranks again from the stored seed."""
    with transaction(sessions) as session:
        return _allocation(session, principal, event_id, language, check=True)


@router.post("/{event_id}/sales", status_code=status.HTTP_201_CREATED,
             response_model=BazaarSaleRead)
def record_sale(event_id: EventId, body: BazaarSaleCreate, principal: Officer,
                sessions: SessionsDep, settings: SettingsDep) -> BazaarSaleRead:
    """The organiser records a booth holder's sales on a day of the bazaar (SaleRecorded)."""
    with transaction(sessions) as session:
        return BazaarSaleRead.model_validate(bazaars.record_bazaar_sale(
            session=session, principal=principal, event_id=event_id, seller_id=body.seller_id,
            amount=body.amount, quantity=body.quantity, sold_on=body.sold_on,
            today=today_in_jakarta(), source=settings.source))


CSV_COLUMNS = list(OutcomeRow.model_fields)


@router.get("/{event_id}/report", response_model=OutcomeReport)
def report(event_id: EventId, principal: Reader, sessions: SessionsDep,
           format: Literal["json", "csv"] = "json") -> OutcomeReport | Response:
    """Booths, applicants and sales per seller (the caller's area) with the bazaar's totals;
    ``format=csv`` gives the rows and a totals line."""
    with transaction(sessions) as session:
        event, rows, totals = queries.outcomes(session=session, principal=principal,
                                               event_id=event_id)
        body = OutcomeReport(event=BazaarRead.model_validate(event),
                             totals=totals,
                             rows=[OutcomeRow.of(r) for r in rows])
    if format == "json":
        return body
    t = body.totals
    total_row = ["total", None, None, event.area_code, f"{t.allocated}/{t.booths}", None,
                 t.sales, t.quantity, t.amount]
    return csv_response(CSV_COLUMNS, [*([r.model_dump(mode="json")[c] for c in CSV_COLUMNS]
                                        for r in body.rows), total_row],
                        filename=f"bazar-{event.id}.csv")
