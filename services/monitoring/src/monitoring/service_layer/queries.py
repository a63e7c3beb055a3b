"""Reads: the work lists of field officers, lurah and camat (keyset pages, CSV export), and
the visits the jobs claim (``claim_scheduled``).

* A field officer's list: the scheduled visits assigned to them that are due by the end of
  this week (Monday-Sunday, Jakarta dates), overdue ones included (``overdue_only``: those
  alone, the list behind the dashboard's overdue count).
* A lurah's, camat's or admin's list: the overdue scheduled visits of their area, each with
  its highest open escalation level (``escalated_only`` keeps the escalated ones).
Both are in (due_on, visit id) order, so a page never skips or repeats a row under inserts.
Areas filter on the visit's own copy of the kelurahan (``ix_visit_area_scheduled``): a lurah's
list reads the kelurahan's scheduled visits in due order instead of walking the city's.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.db import skip_locked
from berdaya_shared.errors import InvalidInput
from berdaya_shared.pagination import decode_cursor, encode_cursor

from ..adapters.tables import Escalation, FollowUpPlan, Visit
from ..domain.model import VisitStatus

AREA_ROLES = ("city_admin", "kecamatan_officer", "kelurahan_officer")


@dataclass(frozen=True, kw_only=True)
class WorkListFilter:
    kelurahan_code: str | None = None
    programme_id: str | None = None
    assigned_to: str | None = None
    escalated_only: bool = False
    overdue_only: bool = False  # a field officer's list without this week's visits not yet due


@dataclass(frozen=True, kw_only=True)
class WorkItem:
    visit: Visit
    plan: FollowUpPlan
    days_overdue: int
    escalation_level: int | None = None  # the highest open escalation of the visit


def end_of_week(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def _after(cursor: str | None) -> Any:
    if not cursor:
        return and_(True)
    due, visit_id = decode_cursor(cursor, 2)
    try:
        due_on = date.fromisoformat(str(due))
    except ValueError as exc:
        raise InvalidInput("Bukan kursor dari API ini.", en="Not a cursor this API gave out.",
                           field="cursor") from exc
    return or_(col(Visit.due_on) > due_on,
               and_(col(Visit.due_on) == due_on, col(Visit.id) > str(visit_id)))


def work_list(*, session: Session, principal: Principal, today: date, filters: WorkListFilter,
              limit: int, cursor: str | None) -> tuple[list[WorkItem], str | None]:
    level = (select(func.max(Escalation.level))
             .where(col(Escalation.visit_id) == col(Visit.id), col(Escalation.closed_at).is_(None))
             .correlate(Visit).scalar_subquery())
    query = (select(Visit, FollowUpPlan, level)
             .join(FollowUpPlan, col(Visit.plan_id) == FollowUpPlan.id)
             .where(Visit.status == VisitStatus.SCHEDULED,
                    in_area(Visit.kelurahan_code, principal.area), _after(cursor)))
    if principal.has(*AREA_ROLES) or filters.overdue_only:
        query = query.where(Visit.due_on < today)
    else:  # a field officer: their visits of the week, overdue ones included
        query = query.where(Visit.due_on <= end_of_week(today))
    if not principal.has(*AREA_ROLES):  # a field officer sees their own visits only
        query = query.where(Visit.assigned_to == principal.subject)
    if filters.kelurahan_code:
        query = query.where(in_area(Visit.kelurahan_code, filters.kelurahan_code))
    if filters.programme_id:
        query = query.where(FollowUpPlan.programme_id == filters.programme_id)
    if filters.assigned_to:
        query = query.where(Visit.assigned_to == filters.assigned_to)
    if filters.escalated_only:
        query = query.where(level.is_not(None))
    rows = session.exec(query.order_by(col(Visit.due_on), col(Visit.id)).limit(limit)).all()
    items = [WorkItem(visit=v, plan=p, days_overdue=max(0, (today - v.due_on).days),
                      escalation_level=lvl) for v, p, lvl in rows]
    last = items[-1].visit if len(items) == limit else None
    return items, encode_cursor([last.due_on.isoformat(), last.id]) if last else None


CSV_COLUMNS = ["visit_id", "due_on", "days_overdue", "escalation_level", "sequence", "full_name", "phone",
               "kelurahan_code", "programme_code", "assigned_to", "participant_id", "plan_id"]


def csv_row(item: WorkItem) -> list[Any]:
    v, p = item.visit, item.plan
    return [v.id, v.due_on.isoformat(), item.days_overdue, item.escalation_level or "",
            v.sequence, p.full_name, p.phone or "", p.kelurahan_code, p.programme_code,
            v.assigned_to or "", p.participant_id, p.id]


def claim_scheduled(session: Session, *conditions: Any,
                    limit: int) -> list[tuple[Visit, FollowUpPlan]]:
    """For a job (overdue flags, escalations, reminders): scheduled visits meeting
    ``conditions``, with their plans, in due order, refreshed and taken ``FOR UPDATE SKIP
    LOCKED`` on PostgreSQL, so concurrent runs (and an officer recording one) share the rows
    instead of acting on one twice."""
    query = (select(Visit, FollowUpPlan).join(FollowUpPlan, col(Visit.plan_id) == FollowUpPlan.id)
             .where(Visit.status == VisitStatus.SCHEDULED, *conditions)
             .order_by(col(Visit.due_on), col(Visit.id)).limit(limit)
             .execution_options(populate_existing=True))
    return list(session.exec(skip_locked(session.get_bind(), query, Visit)).all())
