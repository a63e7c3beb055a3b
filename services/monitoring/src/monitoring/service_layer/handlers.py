"""Monitoring's use cases. Each runs inside the caller's transaction (``session``); events are
enqueued in the outbox in that same transaction.

Locking (PostgreSQL; SQLite serialises writers already): a visit is read with
``get_for_update`` before its status is checked, so of two officers recording the same visit
at once one records it and the other gets 409; the overdue job takes visits ``FOR UPDATE
SKIP LOCKED`` so concurrent runs (and a visit being recorded) never flag one twice. Opening a
plan is a check-then-insert guarded by the (participant, programme) unique key.

Lock order, everywhere: the visit, then the graduate's starter kits, then the plan (whose
business status a recorded visit or a sale re-derives). Reassignment locks the visit only;
the escalation and reminder jobs take visits with SKIP LOCKED.
"""

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import NotFound
from berdaya_shared.events import Envelope
from berdaya_shared.events.registration import ParticipantUpdated
from berdaya_shared.inbox.snapshots import refresh_participant
from berdaya_shared.logging import get_logger
from berdaya_shared.pagination import area_page

from ..adapters.tables import Escalation, FollowUpPlan, Referral, StarterKit, Visit
from ..domain import model
from ..domain import report as rules
from ..domain.commands import OpenPlan, VisitReport
from ..domain.model import VisitStatus
from ..domain.status import normalise
from ..messaging import outgoing
from . import escalations, kits, officers, queries, referrals, schedules, status

log = get_logger(__name__)


def open_plan(*, session: Session, plan: OpenPlan, offsets_days: list[int], source: str,
              cause: Envelope | None) -> FollowUpPlan:
    """One plan per participant and programme: a second graduation event changes nothing.
    Visits follow the programme's schedule (``offsets_days`` when it has none), on working
    days, assigned to the covering field officer with the fewest scheduled visits."""
    existing = session.exec(select(FollowUpPlan).where(
        FollowUpPlan.participant_id == plan.participant_id,
        FollowUpPlan.programme_id == plan.programme_id)).first()
    if existing is not None:
        log.info("plan.already_open", plan_id=existing.id)
        return existing
    row = FollowUpPlan(
        participant_id=plan.participant_id, programme_id=plan.programme_id,
        programme_code=plan.programme_code, track=plan.track, full_name=plan.full_name,
        phone=plan.phone, kelurahan_code=plan.kelurahan_code, kecamatan_code=plan.kecamatan_code,
        kota_code=plan.kota_code, baseline_business=plan.baseline_business,
        baseline_monthly_income=plan.baseline_monthly_income, graduated_at=plan.graduated_at,
        created_at=datetime.now(UTC), cohort_id=plan.cohort_id,
        track_code=plan.track_code or plan.track)
    # Two deliveries at once: the second insert meets the unique key; the consumer retries it,
    # and the retry finds the plan open.
    with conflict_on_duplicate(session, field="participant_id",
                               detail="Rencana tindak lanjut peserta ini sudah dibuka.",
                               en="This participant's follow-up plan is already open."):
        session.add(row)
    offsets = schedules.offsets_for(session=session, programme_id=plan.programme_id,
                                    default=offsets_days)
    due_dates = model.visit_due_dates(model.local_date(plan.graduated_at), offsets)
    officer = officers.officer_for(session=session, kelurahan_code=plan.kelurahan_code)
    for sequence, due_on in enumerate(due_dates, start=1):
        visit = Visit(plan_id=row.id, kelurahan_code=row.kelurahan_code, sequence=sequence,
                      due_on=due_on, assigned_to=officer,
                      assigned_at=row.created_at if officer else None)
        session.add(visit)
        outgoing.visit_scheduled(session, row, visit, source=source, cause=cause)
    return row


def get_plan(*, session: Session, plan_id: str, principal: Principal) -> FollowUpPlan:
    plan = session.get(FollowUpPlan, plan_id)
    if plan is None or not principal.covers(plan.kelurahan_code):
        raise NotFound("Rencana tindak lanjut ini tidak ada di wilayah Anda.",
                       en="No such follow-up plan in your area.", field="plan_id")
    return plan


def visits_of(*, session: Session, plan: FollowUpPlan) -> list[Visit]:
    return list(session.exec(select(Visit).where(Visit.plan_id == plan.id)
                             .order_by(col(Visit.sequence))).all())


def kits_of(*, session: Session, plan: FollowUpPlan) -> list[StarterKit]:
    return list(session.exec(select(StarterKit).where(
        StarterKit.participant_id == plan.participant_id,
        StarterKit.programme_id == plan.programme_id).order_by(col(StarterKit.issued_at))).all())


def referrals_of(*, session: Session, plan: FollowUpPlan) -> list[Referral]:
    return list(session.exec(select(Referral).where(Referral.plan_id == plan.id)
                             .order_by(col(Referral.created_at), col(Referral.id))).all())


def open_escalations_of(*, session: Session, plan: FollowUpPlan) -> list[Escalation]:
    return list(session.exec(select(Escalation).where(
        Escalation.plan_id == plan.id, col(Escalation.closed_at).is_(None))
        .order_by(col(Escalation.level))).all())


def plans(*, session: Session, principal: Principal, programme_id: str | None,
          limit: int, cursor: str | None,
          business_status: str | None = None) -> tuple[list[FollowUpPlan], str | None]:
    filters = [FollowUpPlan.programme_id == programme_id] if programme_id else []
    if business_status:
        filters.append(FollowUpPlan.business_status == business_status)
    rows, next_cursor = area_page(session, FollowUpPlan, area=principal.area, limit=limit,
                                  cursor=cursor, filters=filters)
    return list(rows), next_cursor


def record_visit(*, session: Session, principal: Principal, visit_id: str, report: VisitReport,
                 today: date, source: str) -> Visit:
    # two officers at once: one records it
    visit, plan = officers.get_visit_for_update(session=session, principal=principal,
                                                visit_id=visit_id)
    model.check_can_record(visit.status)
    model.check_business_status(report.business_status,
                                production_days=report.production_days_per_week)
    model.check_visited_on(report.visited_on, graduated_on=model.local_date(plan.graduated_at),
                           today=today)
    net = rules.net_income(monthly_income=report.monthly_income,
                           monthly_net_income=report.monthly_net_income)
    rules.check_amount(net, field="monthly_net_income" if report.monthly_net_income is not None
                       else "monthly_income")
    rules.check_amount(report.monthly_revenue, field="monthly_revenue")
    visit.status, visit.visited_on = VisitStatus.DONE, report.visited_on
    visit.monthly_income = net
    visit.notes = report.notes
    visit.production_days_per_week = report.production_days_per_week
    visit.monthly_revenue = report.monthly_revenue
    visit.main_products = list(report.main_products) or None
    visit.channels = sorted(set(report.channels)) or None
    visit.needs = sorted(set(report.needs)) or None
    visit.kit_state = report.kit_state
    visit.income_baseline = plan.baseline_monthly_income
    visit.income_change_amount, visit.income_change_pct = rules.income_change(
        baseline=plan.baseline_monthly_income, net=net)
    visit.recorded_by, visit.recorded_at = principal.subject, datetime.now(UTC)
    visit.observed_status = normalise(report.business_status) if report.business_status else None
    visit.business_status = visit.observed_status or status.evidence_status(visit)
    if report.kit_state is not None:
        kits.kit_seen(session=session, participant_id=plan.participant_id,
                      programme_id=plan.programme_id, state=report.kit_state,
                      seen_on=report.visited_on)
    session.add(visit)
    session.flush()
    escalations.close_for(session=session, visit_id=visit.id, reason="recorded")
    referrals.suggest_from_visit(session=session, plan=plan, visit_id=visit.id,
                                 needs=tuple(visit.needs or ()))
    outgoing.visit_recorded(session, plan, visit, recorded_by=principal.subject, source=source)
    locked = get_for_update(session, FollowUpPlan, plan.id)  # after the visit: one lock order
    status.refresh(session=session, plan=locked or plan, visit=visit, source=source)
    return visit


def flag_overdue_visits(*, session: Session, today: date, source: str, limit: int = 500) -> int:
    """Flag scheduled visits due before ``today`` that are not flagged yet, one VisitOverdue
    each. On PostgreSQL concurrent runs skip each other's rows instead of flagging them twice."""
    rows = queries.claim_scheduled(session, Visit.due_on < today,
                                   col(Visit.overdue_flagged_at).is_(None), limit=limit)
    now = datetime.now(UTC)
    for visit, plan in rows:
        visit.overdue_flagged_at = now
        session.add(visit)
        outgoing.visit_overdue(session, plan, visit, detected_at=now, source=source)
    return len(rows)


def participant_updated(*, session: Session, update: ParticipantUpdated) -> None:
    """Registration corrected a graduate's name, phone or area: the plans follow, and when the
    kelurahan changed, so do the copies the area lists read: the visits (scheduled ones go to
    the new kelurahan's officer, or wait unassigned), the starter kits, the open escalations
    (now on the new lurah's or camat's list) and the referrals not closed yet. Recorded sales
    keep the kelurahan they were made in (decisions.md)."""
    plans = session.exec(select(FollowUpPlan).where(
        FollowUpPlan.participant_id == update.participant_id)).all()
    moved = [p.id for p in plans if p.kelurahan_code != update.kelurahan_code]
    refresh_participant(session, FollowUpPlan, update)
    if not moved:
        return
    new_area = {"kelurahan_code": update.kelurahan_code,
                "kecamatan_code": update.kecamatan_code, "kota_code": update.kota_code}
    officer = officers.officer_for(session=session, kelurahan_code=update.kelurahan_code)
    now = datetime.now(UTC)
    for visit in session.exec(select(Visit).where(col(Visit.plan_id).in_(moved))).all():
        visit.kelurahan_code = update.kelurahan_code
        if visit.status == VisitStatus.SCHEDULED and visit.assigned_to != officer:
            visit.assigned_to, visit.assigned_by = officer, None
            visit.assigned_at = now if officer else None
            visit.reminded_at = None
        session.add(visit)
    for kit in session.exec(select(StarterKit).where(
            StarterKit.participant_id == update.participant_id)).all():
        kit.kelurahan_code = update.kelurahan_code
        session.add(kit)
    for escalation in session.exec(select(Escalation).where(
            col(Escalation.plan_id).in_(moved), col(Escalation.closed_at).is_(None))).all():
        escalation.kelurahan_code = update.kelurahan_code
        escalation.area_code = new_area[escalations.AREA_OF_ROLE.get(escalation.role,
                                                                     "kelurahan_code")]
        session.add(escalation)
    for referral in session.exec(select(Referral).where(
            col(Referral.plan_id).in_(moved), col(Referral.closed_at).is_(None))).all():
        referral.kelurahan_code = update.kelurahan_code
        session.add(referral)
    log.info("plan.moved", participant_id=update.participant_id, plans=len(moved),
             kelurahan_code=update.kelurahan_code)
