"""Keep a plan's business status in step with its recorded visits (domain.status's rule).

Called by ``record_visit`` with the plan row locked (``FOR UPDATE``, after the visit: the
same order everywhere), so two visits of one plan recorded at once derive one after the
other and emit one BusinessStatusChanged per real change."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..adapters.tables import FollowUpPlan, Sale, Visit
from ..domain import status as rules
from ..domain.model import VisitStatus
from ..messaging import outgoing

SALES_YEAR_DAYS = 365


def evidence(visit: Visit) -> rules.Evidence:
    assert visit.visited_on is not None
    return rules.Evidence(visited_on=visit.visited_on, observed=visit.observed_status,
                          production_days=visit.production_days_per_week,
                          revenue=visit.monthly_revenue)


def _indicators(plan: FollowUpPlan, done: Sequence[Visit]) -> None:
    """The plan's indicator columns: latest income change, when it became a new entrepreneur,
    visits recorded and on time (stored here so the indicators are plain SQL aggregates)."""
    dated = sorted((v for v in done if v.visited_on is not None),
                   key=lambda v: (v.visited_on or date.min, v.id))
    plan.income_change_amount = dated[-1].income_change_amount if dated else None
    plan.entrepreneur_on = rules.entrepreneur_on(
        [v.visited_on for v in dated if v.visited_on and v.business_status in rules.ACTIVE])
    plan.visits_done = len(done)
    plan.visits_on_time = sum(1 for v in dated if v.visited_on and v.visited_on <= v.due_on)


def evidence_status(visit: Visit) -> str:
    """The status one visit shows on its own (a report without the officer's judgement)."""
    return rules.from_visit(evidence(visit))[0]


def refresh(*, session: Session, plan: FollowUpPlan, visit: Visit | None, source: str) -> bool:
    """Derive the plan's status from its done visits and the participant's sales; on a
    change store it and emit BusinessStatusChanged. Returns whether it changed."""
    done = session.exec(select(Visit).where(Visit.plan_id == plan.id,
                                            Visit.status == VisitStatus.DONE)
                        .order_by(col(Visit.recorded_at), col(Visit.id))).all()
    # Sales of the last year before the latest one: both windows, bounded work per sale.
    latest = session.exec(select(func.max(Sale.sold_on)).where(
        Sale.participant_id == plan.participant_id)).one()
    sales = session.exec(select(Sale).where(
        Sale.participant_id == plan.participant_id,
        col(Sale.sold_on) > latest - timedelta(days=SALES_YEAR_DAYS))).all() if latest else []
    derived = rules.derive([evidence(v) for v in done],
                           [rules.Sale(sold_on=s.sold_on, amount=s.amount) for s in sales])
    _indicators(plan, done)
    session.add(plan)
    if derived is None or derived[0] == plan.business_status:
        return False
    new, reason = derived
    old, now = plan.business_status, datetime.now(UTC)
    plan.business_status, plan.business_status_reason = new, reason[:300]
    plan.business_status_changed_at = now
    session.add(plan)
    outgoing.business_status_changed(session, plan, old=old, new=new, reason=reason, visit=visit,
                                     changed_at=now, source=source)
    return True
