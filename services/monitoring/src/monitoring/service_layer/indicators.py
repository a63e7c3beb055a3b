"""Outcome indicators per area, track or cohort, against the city's targets.

Every number is a SQL aggregate over monitoring's own tables (no rows loaded into Python):
plans (graduates, statuses, latest income change, new entrepreneurs, visits done and on time,
kept on the plan with its status), starter kits (in use), sales (revenue) and referrals
(open, closed with a positive outcome). The median income change is PostgreSQL's
``percentile_cont(0.5)`` in the same pass; SQLite gets it from window functions (ROW_NUMBER
and COUNT over the group). Bench: ``make bench-monitoring``.

A "new entrepreneur" is a graduate found active (daily or weekly) at two visits at least six
months apart (``FollowUpPlan.entrepreneur_on``, kept current when visits are recorded).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, text
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area, within
from berdaya_shared.errors import Forbidden, InvalidInput

from ..adapters.tables import FollowUpPlan, OutcomeTarget, Referral, Sale, StarterKit
from ..domain.referrals import POSITIVE_OUTCOMES, ReferralStatus
from ..domain.report import KitState
from ..domain.status import BusinessStatus

GROUPS: dict[str, Any] = {
    "kota": FollowUpPlan.kota_code, "kecamatan": FollowUpPlan.kecamatan_code,
    "kelurahan": FollowUpPlan.kelurahan_code,
    "track": func.coalesce(FollowUpPlan.track_code, FollowUpPlan.track, ""),
    "cohort": func.coalesce(FollowUpPlan.cohort_id, ""),
}
ALL_PROGRAMMES = "*"


@dataclass(kw_only=True)
class Row:
    key: str
    graduates: int = 0
    active_daily: int = 0
    active_weekly: int = 0
    seasonal: int = 0
    stopped: int = 0
    no_status_yet: int = 0
    new_entrepreneurs: int = 0
    kits_in_use: int = 0
    kits_issued: int = 0
    income_change_mean: float | None = None
    income_change_median: float | None = None
    visits_done: int = 0
    visits_on_time: int = 0
    revenue_recorded: int = 0
    referrals_open: int = 0
    referrals_closed_positive: int = 0
    target: dict[str, Any] | None = field(default=None)


def _rows(session: Session, statement: Any) -> Any:
    return session.connection().execute(statement).all()


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _plan_area(area: str) -> Any:
    """The plans of ``area`` by the plan's own column for that level: one equality (the kota,
    kecamatan or kelurahan code), not a prefix match over every kelurahan code."""
    depth = area.count(".")
    if depth == 0:
        return in_area(FollowUpPlan.kota_code, area)
    column = (FollowUpPlan.kota_code, FollowUpPlan.kecamatan_code, FollowUpPlan.kelurahan_code)
    return column[min(depth, 3) - 1] == area


def indicators(*, session: Session, principal: Principal, group_by: str,
               programme_id: str | None, today: date) -> list[Row]:
    key = GROUPS[group_by]
    scope = [_plan_area(principal.area)]
    if programme_id:
        scope.append(FollowUpPlan.programme_id == programme_id)
    status = col(FollowUpPlan.business_status)
    change = col(FollowUpPlan.income_change_amount)
    # PostgreSQL has the median as an aggregate (one pass with the rest); SQLite gets it from
    # window functions below.
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:  # the median sorts a kota's plans: in memory, not in temporary files
        session.connection().execute(text("SET LOCAL work_mem = '64MB'"))
    median = (func.percentile_cont(0.5).within_group(change) if postgres
              else literal(None))
    rows: dict[str, Row] = {}
    for (k, grads, daily, weekly, seasonal, stopped, entrepreneurs, mean, done, on_time,
         middle) in _rows(session,
            sql_select(key, func.count(), _count(status == BusinessStatus.ACTIVE_DAILY),
                   _count(status == BusinessStatus.ACTIVE_WEEKLY),
                   _count(status == BusinessStatus.SEASONAL),
                   _count(status == BusinessStatus.STOPPED),
                   _count(col(FollowUpPlan.entrepreneur_on).is_not(None)),
                   func.avg(change), func.coalesce(func.sum(FollowUpPlan.visits_done), 0),
                   func.coalesce(func.sum(FollowUpPlan.visits_on_time), 0), median)
            .where(*scope).group_by(key)):
        rows[k] = Row(key=k, graduates=grads, active_daily=daily, active_weekly=weekly,
                      seasonal=seasonal, stopped=stopped, new_entrepreneurs=entrepreneurs,
                      no_status_yet=grads - daily - weekly - seasonal - stopped,
                      income_change_mean=round(float(mean), 1) if mean is not None else None,
                      visits_done=int(done), visits_on_time=int(on_time),
                      income_change_median=round(float(middle), 1) if middle is not None
                      else None)
    for k, issued, in_use in _rows(session,
            sql_select(key, func.count(), _count(StarterKit.state == KitState.IN_USE))
            .join(FollowUpPlan, and_(
                col(StarterKit.participant_id) == col(FollowUpPlan.participant_id),
                col(StarterKit.programme_id) == col(FollowUpPlan.programme_id)))
            .where(*scope).group_by(key)):
        rows[k].kits_issued, rows[k].kits_in_use = issued, in_use
    for k, revenue in _rows(session,
            sql_select(key, func.coalesce(func.sum(Sale.amount), 0))
            .join(FollowUpPlan, col(Sale.participant_id) == FollowUpPlan.participant_id)
            .where(*scope).group_by(key)):
        rows[k].revenue_recorded = int(revenue)
    referral = col(Referral.status)
    for k, unclosed, positive in _rows(session,
            sql_select(key, _count(referral.in_([ReferralStatus.OPEN, ReferralStatus.ACCEPTED])),
                       _count(and_(referral == ReferralStatus.CLOSED,
                                   col(Referral.outcome).in_(POSITIVE_OUTCOMES))))
            .join(FollowUpPlan, col(Referral.plan_id) == col(FollowUpPlan.id))
            .where(*scope).group_by(key)):
        rows[k].referrals_open, rows[k].referrals_closed_positive = unclosed, positive
    if not postgres:
        for k, value in _medians(session, key, scope):
            rows[k].income_change_median = round(float(value), 1)
    if group_by in ("kota", "kecamatan", "kelurahan"):
        # A target is measured only where the caller sees the whole area: a lurah's view of
        # "their part of the kecamatan" is not the kecamatan's progress.
        whole = {k: r for k, r in rows.items() if within(k, principal.area)}
        _targets(session, whole, programme_id=programme_id, today=today)
    return [rows[k] for k in sorted(rows)]


def _medians(session: Session, key: Any, scope: list[Any]) -> Any:
    change = col(FollowUpPlan.income_change_amount)
    ranked = (sql_select(key.label("k"), change.label("c"),
                     func.row_number().over(partition_by=key, order_by=change).label("r"),
                     func.count().over(partition_by=key).label("n"))
              .where(*scope, change.is_not(None)).subquery())
    middle = or_(ranked.c.r == (ranked.c.n + 1) // 2, ranked.c.r == (ranked.c.n + 2) // 2)
    return _rows(session, sql_select(ranked.c.k, func.avg(ranked.c.c)).where(middle)
                 .group_by(ranked.c.k))


def _targets(session: Session, rows: dict[str, Row], *, programme_id: str | None,
             today: date) -> None:
    wanted = [programme_id, ALL_PROGRAMMES] if programme_id else [ALL_PROGRAMMES]
    for target in session.exec(select(OutcomeTarget).where(
            col(OutcomeTarget.area_code).in_(list(rows)),
            col(OutcomeTarget.programme_id).in_(wanted))
            .order_by(col(OutcomeTarget.programme_id) == literal(ALL_PROGRAMMES))).all():
        row = rows[target.area_code]
        if row.target is not None:
            continue  # the programme's own target wins over the all-programmes one
        total = max(1, (target.ends_on - target.starts_on).days)
        elapsed = min(total, max(0, (today - target.starts_on).days))
        expected = round(target.new_entrepreneurs_min * elapsed / total)
        row.target = {"programme_id": target.programme_id, "starts_on": target.starts_on,
                      "ends_on": target.ends_on, "new_entrepreneurs_min":
                      target.new_entrepreneurs_min, "new_entrepreneurs_max":
                      target.new_entrepreneurs_max, "expected_to_date": expected,
                      "gap_to_expected": max(0, expected - row.new_entrepreneurs),
                      "gap_to_min": max(0, target.new_entrepreneurs_min - row.new_entrepreneurs)}


def set_target(*, session: Session, principal: Principal, area_code: str, programme_id: str,
               new_entrepreneurs_min: int, new_entrepreneurs_max: int, starts_on: date,
               ends_on: date) -> OutcomeTarget:
    if not principal.covers(area_code):
        raise Forbidden(f"Wilayah {area_code} berada di luar wilayah Anda ({principal.area}).",
                        en=f"Area {area_code} is outside your area {principal.area}.",
                        field="area_code")
    if new_entrepreneurs_max < new_entrepreneurs_min:
        raise InvalidInput("Batas atas target tidak boleh di bawah batas bawah.",
                           en="The target's maximum cannot be below its minimum.",
                           field="new_entrepreneurs_max")
    if ends_on <= starts_on:
        raise InvalidInput("Akhir target harus sesudah awalnya.",
                           en="The target must end after it starts.", field="ends_on")
    row = session.exec(select(OutcomeTarget).where(
        OutcomeTarget.area_code == area_code, OutcomeTarget.programme_id == programme_id)
        .with_for_update()).first()
    if row is None:
        row = OutcomeTarget(area_code=area_code, programme_id=programme_id,
                            new_entrepreneurs_min=0, new_entrepreneurs_max=0,
                            starts_on=starts_on, ends_on=ends_on, set_by=principal.subject,
                            set_at=datetime.now(UTC))
    row.new_entrepreneurs_min, row.new_entrepreneurs_max = (new_entrepreneurs_min,
                                                            new_entrepreneurs_max)
    row.starts_on, row.ends_on = starts_on, ends_on
    row.set_by, row.set_at = principal.subject, datetime.now(UTC)
    session.add(row)
    return row
