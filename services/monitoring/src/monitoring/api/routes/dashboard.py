"""The officer dashboard: one page (``/dashboard``, Bahasa Indonesia) and the JSON it reads.

The page itself holds no data: it signs in with a bearer token (kept in sessionStorage) and
calls these endpoints and the work list with it, so it shows exactly what the API shows that
token. Static files are served from the package (no CDN, nothing fetched at run time)."""

from datetime import date, datetime
from importlib import resources
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from berdaya_shared.api.csvexport import csv_response
from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction
from berdaya_shared.errors import NotFound

from ...service_layer import dashboard
from ..deps import TodayDep, Visitor
from ..schemas import IndicatorRow

router = APIRouter(tags=["dashboard"])
AreaQuery = Annotated[str | None, Query(max_length=13, description="A kota, kecamatan or "
                                        "kelurahan code inside the caller's area")]
ProgrammeQuery = Annotated[str | None, Query(max_length=36)]
# Content Security Policy: scripts, styles and data only from this service.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
STATIC = {"dashboard.js": "text/javascript", "dashboard.css": "text/css",
          "chart.umd.min.js": "text/javascript", "chart.js.LICENSE.md": "text/plain"}


class KelurahanLoad(BaseModel):
    kelurahan_code: str
    name: str
    overdue_visits: int
    escalated_visits: int


class IncomeMonth(BaseModel):
    programme_code: str
    month: str
    income_change_mean: int
    visits: int


class SalesMonth(BaseModel):
    month: str
    revenue: int
    sales: int


class AgencyLoad(BaseModel):
    agency_code: str
    name: str
    open: int


class DashboardData(BaseModel):
    area: str
    level: str
    programme_id: str | None
    period_from: date
    period_to: date
    as_of: date
    summary: IndicatorRow
    per_kelurahan: list[KelurahanLoad]
    income_by_month: list[IncomeMonth]
    sales_by_month: list[SalesMonth]
    open_referrals: list[AgencyLoad]


class AreaOption(BaseModel):
    code: str
    level: str
    name: str


class ProgrammeOption(BaseModel):
    id: str
    code: str


class DashboardOptions(BaseModel):
    subject: str
    roles: list[str]
    areas: list[AreaOption]
    programmes: list[ProgrammeOption]


class ReferralItemRead(BaseModel):
    referral_id: str
    agency_code: str
    need: str
    status: str
    due_on: date | None
    overdue: bool
    full_name: str
    kelurahan_code: str
    programme_code: str
    plan_id: str


class GraduateRead(BaseModel):
    plan_id: str
    full_name: str
    kelurahan_code: str
    programme_code: str
    business_status: str | None
    business_status_changed_at: datetime | None
    income_change_amount: int | None


def _file(*parts: str) -> bytes:
    return resources.files("monitoring").joinpath(*parts).read_bytes()


@router.get("/dashboard", include_in_schema=False)
def page() -> Response:
    return Response(_file("templates", "dashboard.html"), media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                             "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"})


@router.get("/dashboard/static/{name}", include_in_schema=False)
def static(name: Annotated[str, Path(max_length=40)]) -> Response:
    if name not in STATIC:
        raise NotFound("Berkas ini tidak ada.", en="No such file.", field="name")
    return Response(_file("static", name), media_type=STATIC[name],
                    headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})


@router.get("/dashboard/options", response_model=DashboardOptions)
def get_options(principal: Visitor, sessions: SessionsDep) -> DashboardOptions:
    """Who is signed in, and what the filters offer: the areas inside the caller's, the
    programmes with graduates there."""
    with transaction(sessions) as session:
        found = dashboard.options(session=session, principal=principal)
    return DashboardOptions(subject=principal.subject, roles=sorted(principal.roles),
                            areas=[AreaOption(**a) for a in found.areas],
                            programmes=[ProgrammeOption(**p) for p in found.programmes])


@router.get("/dashboard/data", response_model=DashboardData)
def get_data(principal: Visitor, sessions: SessionsDep, today: TodayDep, area: AreaQuery = None,
             programme_id: ProgrammeQuery = None, period_from: date | None = None,
             period_to: date | None = None) -> DashboardData:
    """Every panel of the dashboard for an area inside the caller's (default: all of it), a
    programme (default: all) and a period of months (default: the last twelve)."""
    scope = dashboard.scope_for(principal=principal, area=area, programme_id=programme_id,
                                period_from=period_from, period_to=period_to, today=today)
    with transaction(sessions) as session:
        return DashboardData.model_validate(dashboard.everything(session=session, scope=scope,
                                                                 today=today))


@router.get("/dashboard/referrals", response_model=list[ReferralItemRead])
def get_referrals(principal: Visitor, sessions: SessionsDep, today: TodayDep,
                  area: AreaQuery = None, programme_id: ProgrammeQuery = None,
                  agency_code: Annotated[str | None, Query(max_length=40)] = None,
                  limit: Annotated[int, Query(ge=1, le=5000)] = 500,
                  format: Literal["json", "csv"] = "json") -> list[ReferralItemRead] | Response:
    """The open referrals behind a count of the dashboard (oldest due first); CSV on
    ``format=csv``."""
    scope = dashboard.scope_for(principal=principal, area=area, programme_id=programme_id,
                                period_from=None, period_to=None, today=today)
    with transaction(sessions) as session:
        items = dashboard.referral_list(session=session, scope=scope, agency_code=agency_code,
                                        today=today, limit=limit)
        if format == "csv":
            return csv_response(dashboard.REFERRAL_CSV_COLUMNS,
                                (dashboard.referral_csv_row(i) for i in items),
                                filename="rujukan-terbuka.csv")
        return [ReferralItemRead(referral_id=i.referral.id, agency_code=i.referral.agency_code,
                                 need=i.referral.need, status=i.referral.status,
                                 due_on=i.referral.due_on, overdue=i.overdue,
                                 full_name=i.plan.full_name,
                                 kelurahan_code=i.plan.kelurahan_code,
                                 programme_code=i.plan.programme_code, plan_id=i.plan.id)
                for i in items]


@router.get("/dashboard/graduates", response_model=list[GraduateRead])
def get_graduates(principal: Visitor, sessions: SessionsDep, today: TodayDep,
                  status: Literal["active", "seasonal", "stopped", "none"],
                  area: AreaQuery = None, programme_id: ProgrammeQuery = None,
                  limit: Annotated[int, Query(ge=1, le=5000)] = 500,
                  format: Literal["json", "csv"] = "json") -> list[GraduateRead] | Response:
    """The graduates behind a KPI share: producing (daily or weekly), seasonal (only for
    Lebaran and Natal), stopped, or not visited yet (``none``); CSV on ``format=csv``."""
    scope = dashboard.scope_for(principal=principal, area=area, programme_id=programme_id,
                                period_from=None, period_to=None, today=today)
    with transaction(sessions) as session:
        plans = dashboard.graduate_list(session=session, scope=scope, status=status, limit=limit)
        if format == "csv":
            return csv_response(dashboard.GRADUATE_CSV_COLUMNS,
                                (dashboard.graduate_csv_row(p) for p in plans),
                                filename=f"lulusan-{status}.csv")
        return [GraduateRead(plan_id=p.id, full_name=p.full_name,
                             kelurahan_code=p.kelurahan_code, programme_code=p.programme_code,
                             business_status=p.business_status,
                             business_status_changed_at=p.business_status_changed_at,
                             income_change_amount=p.income_change_amount) for p in plans]
