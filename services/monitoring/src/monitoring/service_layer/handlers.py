"""Monitoring's use cases. Each runs inside the caller's transaction (``session``); events are
enqueued in the outbox in that same transaction."""

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import is_sqlite
from berdaya_shared.errors import NotFound
from berdaya_shared.events import Envelope
from berdaya_shared.logging import get_logger
from berdaya_shared.pagination import area_page

from ..adapters.tables import FollowUpPlan, Visit
from ..domain import model
from ..messaging import outgoing

log = get_logger(__name__)


def open_plan(*, session: Session, offsets_days: list[int], source: str, cause: Envelope | None,
              participant_id: str, programme_id: str, programme_code: str, track: str | None,
              full_name: str, phone: str | None, kelurahan_code: str, kecamatan_code: str,
              kota_code: str, baseline_business: str | None,
              baseline_monthly_income: int | None, graduated_at: datetime) -> FollowUpPlan:
    """One plan per participant and programme: a second graduation event changes nothing."""
    existing = session.exec(select(FollowUpPlan).where(
        FollowUpPlan.participant_id == participant_id,
        FollowUpPlan.programme_id == programme_id)).first()
    if existing is not None:
        log.info("plan.already_open", plan_id=existing.id)
        return existing
    plan = FollowUpPlan(
        participant_id=participant_id, programme_id=programme_id, programme_code=programme_code,
        track=track, full_name=full_name, phone=phone, kelurahan_code=kelurahan_code,
        kecamatan_code=kecamatan_code, kota_code=kota_code, baseline_business=baseline_business,
        baseline_monthly_income=baseline_monthly_income, graduated_at=graduated_at,
        created_at=datetime.now(UTC))
    session.add(plan)
    session.flush()
    due_dates = model.visit_due_dates(model.local_date(graduated_at), offsets_days)
    for sequence, due_on in enumerate(due_dates, start=1):
        visit = Visit(plan_id=plan.id, sequence=sequence, due_on=due_on)
        session.add(visit)
        outgoing.visit_scheduled(session, plan, visit, source=source, cause=cause)
    return plan


def get_plan(*, session: Session, plan_id: str, principal: Principal) -> FollowUpPlan:
    plan = session.get(FollowUpPlan, plan_id)
    if plan is None or not principal.covers(plan.kelurahan_code):
        raise NotFound("No such follow-up plan in your area.", field="plan_id")
    return plan


def visits_of(*, session: Session, plan: FollowUpPlan) -> list[Visit]:
    return list(session.exec(select(Visit).where(Visit.plan_id == plan.id)
                             .order_by(Visit.sequence)).all())


def plans(*, session: Session, principal: Principal, programme_id: str | None,
          limit: int, cursor: str | None) -> tuple[list[FollowUpPlan], str | None]:
    filters = [FollowUpPlan.programme_id == programme_id] if programme_id else []
    return area_page(session, FollowUpPlan, area=principal.area, limit=limit, cursor=cursor,
                     filters=filters)


def record_visit(*, session: Session, principal: Principal, visit_id: str, visited_on: date,
                 business_status: str, monthly_income: int | None, notes: str, today: date,
                 source: str) -> Visit:
    visit = session.get(Visit, visit_id, with_for_update=True)  # two officers: one wins
    plan = session.get(FollowUpPlan, visit.plan_id) if visit is not None else None
    if visit is None or plan is None or not principal.covers(plan.kelurahan_code):
        raise NotFound("No such visit in your area.", field="visit_id")
    model.check_can_record(visit.status)
    model.check_business_status(business_status)
    model.check_visited_on(visited_on, graduated_on=model.local_date(plan.graduated_at),
                           today=today)
    visit.status, visit.visited_on, visit.business_status = "done", visited_on, business_status
    visit.monthly_income, visit.notes = monthly_income, notes
    visit.recorded_by, visit.recorded_at = principal.subject, datetime.now(UTC)
    session.add(visit)
    outgoing.visit_recorded(session, plan, visit, source=source)
    return visit


def flag_overdue_visits(*, session: Session, today: date, source: str, limit: int = 500) -> int:
    """Flag scheduled visits due before ``today`` that are not flagged yet, one VisitOverdue
    each. On PostgreSQL concurrent runs skip each other's rows instead of flagging them twice."""
    query = (select(Visit, FollowUpPlan).join(FollowUpPlan, Visit.plan_id == FollowUpPlan.id)
             .where(Visit.status == "scheduled", Visit.due_on < today,
                    Visit.overdue_flagged_at.is_(None))
             .order_by(Visit.due_on, Visit.id).limit(limit))
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update(skip_locked=True, of=Visit)
    rows = session.exec(query).all()
    now = datetime.now(UTC)
    for visit, plan in rows:
        visit.overdue_flagged_at = now
        session.add(visit)
        outgoing.visit_overdue(session, plan, visit, detected_at=now, source=source)
    return len(rows)
