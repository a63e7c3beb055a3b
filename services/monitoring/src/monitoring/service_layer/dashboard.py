"""The officer dashboard's reads: SQL aggregates over monitoring's own tables, scoped exactly
as ``/indicators`` and ``/work-list`` are (the caller's area, narrowed by the page's filters).

* ``summary``: the KPIs of one area (the caller's, or a kota / kecamatan / kelurahan inside
  it) are ``indicators.indicators`` grouped at that area's level, so the page's numbers are
  the API's numbers. The province (``31``) adds up its kota rows.
* ``per_kelurahan``: overdue visits and visits with an open escalation per kelurahan; the
  same conditions as the work list (``queries.work_list``), so a count equals the list it
  links to (a field officer: their own visits, as their work list shows).
* ``income_by_month``: mean income change of the visits recorded each month, per programme.
* ``sales_by_month``: revenue and number of sales (marketplace's SaleRecorded) per month.
* ``open_referrals``: open or accepted referrals per agency, and their list (CSV too).
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, exists, func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.errors import InvalidInput
from berdaya_shared.gazetteer import Gazetteer

from ..adapters.tables import Agency, Escalation, FollowUpPlan, Referral, Sale, Visit
from ..domain.model import VisitStatus
from ..domain.referrals import ReferralStatus
from ..domain.status import BusinessStatus
from . import indicators
from .queries import AREA_ROLES

LEVELS = ("province", "kota", "kecamatan", "kelurahan")
UNCLOSED = (ReferralStatus.OPEN, ReferralStatus.ACCEPTED)  # indicators' referrals_open
COUNTS = ("graduates", "active_daily", "active_weekly", "seasonal", "stopped", "no_status_yet",
          "new_entrepreneurs", "kits_in_use", "kits_issued", "visits_done", "visits_on_time",
          "revenue_recorded", "referrals_open", "referrals_closed_positive")


@dataclass(frozen=True, kw_only=True)
class Scope:
    """The area the page looks at (inside the caller's), a programme, a period of months."""

    principal: Principal
    area: str
    programme_id: str | None
    period_from: date
    period_to: date


def level_of(area: str) -> str:
    parts = area.split(".")
    if len(parts) > len(LEVELS):
        raise InvalidInput("Kode wilayah tidak dikenal.", en="Unknown area code.", field="area")
    return LEVELS[len(parts) - 1]


def scope_for(*, principal: Principal, area: str | None, programme_id: str | None,
              period_from: date | None, period_to: date | None, today: date) -> Scope:
    """The page's filters checked against the caller: an area outside theirs is a 403."""
    chosen = area or principal.area
    level_of(chosen)
    principal.ensure_covers(chosen, hide=False)
    start = period_from or date(today.year - 1, today.month, 1)
    end = period_to or today
    if end < start:
        raise InvalidInput("Akhir periode tidak boleh sebelum awalnya.",
                           en="The period cannot end before it starts.", field="period_to")
    return Scope(principal=principal, area=chosen, programme_id=programme_id or None,
                 period_from=start, period_to=end)


def _rows(session: Session, statement: Any) -> Any:
    return session.connection().execute(statement).all()


def _plan_scope(scope: Scope) -> list[Any]:
    where: list[Any] = [in_area(FollowUpPlan.kelurahan_code, scope.area)]
    if scope.programme_id:
        where.append(FollowUpPlan.programme_id == scope.programme_id)
    return where


def _month(column: Any) -> Any:
    return func.extract("year", column) * 100 + func.extract("month", column)


def _label(yyyymm: Any) -> str:
    value = int(yyyymm)
    return f"{value // 100:04d}-{value % 100:02d}"


def summary(*, session: Session, scope: Scope, today: date) -> dict[str, Any]:
    """The KPI row of the chosen area: ``/indicators``' row for it, target and pace included."""
    level = level_of(scope.area)
    group_by = "kota" if level == "province" else level
    rows = indicators.indicators(session=session, principal=scope.principal, group_by=group_by,
                                 programme_id=scope.programme_id, today=today)
    if level != "province":
        row = next((r for r in rows if r.key == scope.area), None)
        return asdict(row) if row else asdict(indicators.Row(key=scope.area))
    total = indicators.Row(key=scope.area)
    for row in rows:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    total.income_change_mean, total.income_change_median = _income_change(session, scope)
    return asdict(total)


def _income_change(session: Session, scope: Scope) -> tuple[float | None, float | None]:
    """Mean and median of the plans' latest income change over the whole scope."""
    change = col(FollowUpPlan.income_change_amount)
    where: list[Any] = [*_plan_scope(scope), change.is_not(None)]
    count, mean = _rows(session, sql_select(func.count(), func.avg(change)).where(*where))[0]
    if not count:
        return None, None
    middle = [v for (v,) in _rows(session, sql_select(change).where(*where).order_by(change)
                                  .offset((count - 1) // 2).limit(2 - count % 2))]
    return round(float(mean), 1), round(sum(middle) / len(middle), 1)


def per_kelurahan(*, session: Session, scope: Scope, today: date) -> list[dict[str, Any]]:
    """Overdue visits and visits with an open escalation per kelurahan, named."""
    escalated = exists().where(col(Escalation.visit_id) == col(Visit.id),
                               col(Escalation.closed_at).is_(None))
    # As the work list reads them: by the visit's own kelurahan (its index), scheduled, due
    # before today; the programme from the plan.
    where: list[Any] = [in_area(Visit.kelurahan_code, scope.area),
                        col(Visit.status) == VisitStatus.SCHEDULED, col(Visit.due_on) < today]
    if scope.programme_id:
        where.append(col(FollowUpPlan.programme_id) == scope.programme_id)
    if not scope.principal.has(*AREA_ROLES):  # a field officer: their own visits
        where.append(Visit.assigned_to == scope.principal.subject)
    kelurahan = col(Visit.kelurahan_code)
    gazetteer = Gazetteer.load()
    result = []
    for code, overdue, with_escalation in _rows(session, sql_select(
            kelurahan, func.count(), func.coalesce(func.sum(case((escalated, 1), else_=0)), 0))
            .select_from(Visit).join(FollowUpPlan, col(Visit.plan_id) == col(FollowUpPlan.id))
            .where(*where).group_by(kelurahan).order_by(kelurahan)):
        area = gazetteer.get(code)
        result.append({"kelurahan_code": code, "name": area.name if area else code,
                       "overdue_visits": int(overdue), "escalated_visits": int(with_escalation)})
    return result


def income_by_month(*, session: Session, scope: Scope) -> list[dict[str, Any]]:
    """Per programme and month: the mean income change of the visits recorded that month."""
    month = _month(col(Visit.visited_on))
    change = col(Visit.income_change_amount)
    rows = _rows(session, sql_select(col(FollowUpPlan.programme_code), month, func.avg(change),
                                     func.count())
                 .select_from(Visit)
                 .join(FollowUpPlan, col(Visit.plan_id) == col(FollowUpPlan.id))
                 .where(*_plan_scope(scope), col(Visit.status) == VisitStatus.DONE, change.is_not(None),
                        col(Visit.visited_on) >= scope.period_from,
                        col(Visit.visited_on) <= scope.period_to)
                 .group_by(col(FollowUpPlan.programme_code), month)
                 .order_by(col(FollowUpPlan.programme_code), month))
    return [{"programme_code": code, "month": _label(m), "income_change_mean": round(float(mean)),
             "visits": int(n)} for code, m, mean, n in rows]


def sales_by_month(*, session: Session, scope: Scope) -> list[dict[str, Any]]:
    """Revenue and sales per month in the area (a programme: its graduates' sales)."""
    month = _month(col(Sale.sold_on))
    where: list[Any] = [in_area(Sale.kelurahan_code, scope.area), col(Sale.sold_on) >= scope.period_from,
             col(Sale.sold_on) <= scope.period_to]
    if scope.programme_id:
        where.append(exists().where(col(FollowUpPlan.participant_id) == col(Sale.participant_id),
                                    col(FollowUpPlan.programme_id) == scope.programme_id))
    rows = _rows(session, sql_select(month, func.coalesce(func.sum(Sale.amount), 0), func.count())
                 .where(*where).group_by(month).order_by(month))
    return [{"month": _label(m), "revenue": int(revenue), "sales": int(n)}
            for m, revenue, n in rows]


def _referral_where(scope: Scope, agency_code: str | None = None,
                    kelurahan_code: str | None = None) -> list[Any]:
    where: list[Any] = [*_plan_scope(scope), col(Referral.status).in_(UNCLOSED)]
    if agency_code:
        where.append(Referral.agency_code == agency_code)
    if kelurahan_code:
        where.append(in_area(FollowUpPlan.kelurahan_code, kelurahan_code))
    return where


def open_referrals(*, session: Session, scope: Scope) -> list[dict[str, Any]]:
    """Open (sent, not closed) referrals per agency, with the agency's name."""
    rows = _rows(session, sql_select(col(Referral.agency_code), col(Agency.name), func.count())
                 .join(FollowUpPlan, col(Referral.plan_id) == col(FollowUpPlan.id))
                 .join(Agency, col(Agency.code) == col(Referral.agency_code))
                 .where(*_referral_where(scope)).group_by(Referral.agency_code, Agency.name)
                 .order_by(Referral.agency_code))
    return [{"agency_code": code, "name": name, "open": int(n)} for code, name, n in rows]


@dataclass(frozen=True, kw_only=True)
class ReferralItem:
    referral: Referral
    plan: FollowUpPlan
    overdue: bool


def referral_list(*, session: Session, scope: Scope, agency_code: str | None, today: date,
                  limit: int) -> list[ReferralItem]:
    """The open referrals behind a count (oldest due first), at most ``limit``."""
    rows = session.exec(select(Referral, FollowUpPlan)
                        .join(FollowUpPlan, col(Referral.plan_id) == col(FollowUpPlan.id))
                        .where(*_referral_where(scope, agency_code))
                        .order_by(col(Referral.due_on), col(Referral.id)).limit(limit)).all()
    return [ReferralItem(referral=r, plan=p, overdue=r.due_on is not None and r.due_on < today)
            for r, p in rows]


REFERRAL_CSV_COLUMNS = ["referral_id", "agency_code", "need", "status", "opened_at", "due_on",
                        "overdue", "full_name", "kelurahan_code", "programme_code",
                        "participant_id", "plan_id"]


def referral_csv_row(item: ReferralItem) -> list[Any]:
    r, p = item.referral, item.plan
    return [r.id, r.agency_code, r.need, r.status, r.opened_at.isoformat() if r.opened_at else "",
            r.due_on.isoformat() if r.due_on else "", "ya" if item.overdue else "tidak",
            p.full_name, p.kelurahan_code, p.programme_code, p.participant_id, p.id]


GRADUATE_STATUSES: dict[str, tuple[str, ...]] = {
    "active": (BusinessStatus.ACTIVE_DAILY, BusinessStatus.ACTIVE_WEEKLY),
    "seasonal": (BusinessStatus.SEASONAL,), "stopped": (BusinessStatus.STOPPED,), "none": ()}


def graduate_list(*, session: Session, scope: Scope, status: str,
                  limit: int) -> list[FollowUpPlan]:
    """The graduates behind a KPI share (``indicators``' counts: the same plans): producing
    (daily or weekly), seasonal, stopped, or not visited yet ("none"), by name."""
    column = col(FollowUpPlan.business_status)
    wanted = GRADUATE_STATUSES[status]
    condition = column.in_(wanted) if wanted else column.is_(None)
    return list(session.exec(select(FollowUpPlan).where(*_plan_scope(scope), condition)
                             .order_by(col(FollowUpPlan.kelurahan_code),
                                       col(FollowUpPlan.full_name), col(FollowUpPlan.id))
                             .limit(limit)).all())


GRADUATE_CSV_COLUMNS = ["plan_id", "full_name", "kelurahan_code", "programme_code",
                        "business_status", "business_status_changed_at",
                        "income_change_amount", "participant_id"]


def graduate_csv_row(plan: FollowUpPlan) -> list[Any]:
    changed = plan.business_status_changed_at
    return [plan.id, plan.full_name, plan.kelurahan_code, plan.programme_code,
            plan.business_status or "", changed.isoformat() if changed else "",
            "" if plan.income_change_amount is None else plan.income_change_amount,
            plan.participant_id]


@dataclass(kw_only=True)
class Options:
    areas: list[dict[str, str]] = field(default_factory=list)
    programmes: list[dict[str, str]] = field(default_factory=list)


def options(*, session: Session, principal: Principal) -> Options:
    """What the filters offer: the caller's area and every kota / kecamatan / kelurahan in it
    (named from the gazetteer), and the programmes with graduates in it."""
    gazetteer = Gazetteer.load()
    own = gazetteer.get(principal.area)
    areas = [{"code": principal.area, "level": level_of(principal.area),
              "name": own.name if own else "DKI Jakarta"}]
    pending = [principal.area]
    while pending:
        for child in gazetteer.children(pending.pop(0)):
            areas.append({"code": child.code, "level": child.level, "name": child.name})
            pending.append(child.code)
    programmes = _rows(session, sql_select(col(FollowUpPlan.programme_id),
                                                col(FollowUpPlan.programme_code))
                       .where(in_area(FollowUpPlan.kelurahan_code, principal.area))
                       .group_by(FollowUpPlan.programme_id, FollowUpPlan.programme_code)
                       .order_by(FollowUpPlan.programme_code))
    return Options(areas=areas, programmes=[{"id": i, "code": c} for i, c in programmes])


def everything(*, session: Session, scope: Scope, today: date) -> dict[str, Any]:
    """Every panel of the page in one read (one request, one transaction)."""
    return {"area": scope.area, "level": level_of(scope.area),
            "programme_id": scope.programme_id, "period_from": scope.period_from,
            "period_to": scope.period_to, "as_of": today,
            "summary": summary(session=session, scope=scope, today=today),
            "per_kelurahan": per_kelurahan(session=session, scope=scope, today=today),
            "income_by_month": income_by_month(session=session, scope=scope),
            "sales_by_month": sales_by_month(session=session, scope=scope),
            "open_referrals": open_referrals(session=session, scope=scope)}
