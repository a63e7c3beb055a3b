"""Domain changes -> integration events, enqueued in the outbox of the same transaction."""

import uuid
from datetime import UTC, datetime

from sqlmodel import Session

from berdaya_shared.events import Envelope, EventPayload, new_event
from berdaya_shared.events.monitoring import (
    BusinessStatusChanged,
    EscalationRaised,
    ReferralClosed,
    ReferralOpened,
    VisitOverdue,
    VisitRecorded,
    VisitScheduled,
)
from berdaya_shared.events.notifications import NotificationRequested
from berdaya_shared.outbox import enqueue

from ..adapters.tables import Escalation, FollowUpPlan, Referral, Visit, outbox


def _about(plan: FollowUpPlan, visit: Visit) -> dict[str, str]:
    return {"visit_id": visit.id, "plan_id": plan.id, "participant_id": plan.participant_id,
            "kelurahan_code": plan.kelurahan_code, "kecamatan_code": plan.kecamatan_code,
            "kota_code": plan.kota_code}


def _publish(session: Session, plan: FollowUpPlan, payload: EventPayload, *, source: str,
             cause: Envelope | None = None) -> None:
    enqueue(session, outbox, new_event(payload, subject=plan.participant_id, source=source,
                                       cause=cause))


def visit_scheduled(session: Session, plan: FollowUpPlan, visit: Visit, *, source: str,
                    cause: Envelope | None) -> None:
    payload = VisitScheduled(**_about(plan, visit), sequence=visit.sequence, due_on=visit.due_on)
    _publish(session, plan, payload, source=source, cause=cause)


def visit_recorded(session: Session, plan: FollowUpPlan, visit: Visit, *, recorded_by: str,
                   source: str) -> None:
    assert visit.visited_on is not None and visit.business_status is not None
    payload = VisitRecorded(
        **_about(plan, visit), business_status=visit.business_status,
        monthly_income=visit.monthly_income, visited_on=visit.visited_on,
        recorded_by=recorded_by, monthly_net_income=visit.monthly_income,
        monthly_revenue=visit.monthly_revenue,
        production_days_per_week=visit.production_days_per_week,
        main_products=visit.main_products, channels=visit.channels, kit_state=visit.kit_state,
        needs=visit.needs, income_baseline=visit.income_baseline,
        income_change_amount=visit.income_change_amount,
        income_change_pct=visit.income_change_pct)
    _publish(session, plan, payload, source=source)


def visit_overdue(session: Session, plan: FollowUpPlan, visit: Visit, *, detected_at: datetime,
                  source: str) -> None:
    payload = VisitOverdue(**_about(plan, visit), due_on=visit.due_on, detected_at=detected_at)
    _publish(session, plan, payload, source=source)


def business_status_changed(session: Session, plan: FollowUpPlan, *, old: str | None, new: str,
                            reason: str, visit: Visit | None, changed_at: datetime,
                            source: str) -> None:
    payload = BusinessStatusChanged(
        participant_id=plan.participant_id, programme_id=plan.programme_id, plan_id=plan.id,
        old_status=old, new_status=new, reason=reason,
        visit_id=visit.id if visit is not None else None, changed_at=changed_at,
        kelurahan_code=plan.kelurahan_code, kecamatan_code=plan.kecamatan_code,
        kota_code=plan.kota_code)
    _publish(session, plan, payload, source=source)


def escalation_raised(session: Session, plan: FollowUpPlan, row: Escalation, *,
                      source: str) -> None:
    payload = EscalationRaised(
        escalation_id=row.id, visit_id=row.visit_id, plan_id=plan.id,
        participant_id=plan.participant_id, level=row.level, role=row.role,
        area_code=row.area_code, due_on=row.due_on, days_overdue=row.days_overdue,
        raised_at=row.raised_at, kelurahan_code=plan.kelurahan_code,
        kecamatan_code=plan.kecamatan_code, kota_code=plan.kota_code)
    _publish(session, plan, payload, source=source)
    _notify(session, plan, recipient_role=row.role, recipient_area=row.area_code,
            template="monitoring.escalation", source=source, parameters={
                "participant_name": plan.full_name, "kelurahan_code": plan.kelurahan_code,
                "due_on": row.due_on.isoformat(), "days_overdue": str(row.days_overdue),
                "level": str(row.level), "visit_id": row.visit_id})


def visit_reminder(session: Session, plan: FollowUpPlan, visit: Visit, *, source: str) -> None:
    _notify(session, plan, recipient_subject=visit.assigned_to, template="monitoring.visit_reminder",
            source=source, parameters={
                "participant_name": plan.full_name, "phone": plan.phone or "",
                "kelurahan_code": plan.kelurahan_code, "due_on": visit.due_on.isoformat(),
                "visit_id": visit.id})


def _notify(session: Session, plan: FollowUpPlan, *, template: str, parameters: dict[str, str],
            source: str, recipient_subject: str | None = None, recipient_role: str | None = None,
            recipient_area: str | None = None) -> None:
    payload = NotificationRequested(
        notification_id=str(uuid.uuid4()), recipient_subject=recipient_subject,
        recipient_role=recipient_role, recipient_area=recipient_area, template=template,
        parameters=parameters, requested_by=source, requested_at=datetime.now(UTC))
    _publish(session, plan, payload, source=source)


def referral_opened(session: Session, plan: FollowUpPlan, row: Referral, *,
                    source: str) -> None:
    assert row.opened_by is not None and row.opened_at is not None and row.due_on is not None
    payload = ReferralOpened(
        referral_id=row.id, plan_id=plan.id, participant_id=plan.participant_id,
        programme_id=plan.programme_id, need=row.need, agency_code=row.agency_code,
        visit_id=row.visit_id, opened_by=row.opened_by, opened_at=row.opened_at,
        due_on=row.due_on, kelurahan_code=plan.kelurahan_code,
        kecamatan_code=plan.kecamatan_code, kota_code=plan.kota_code)
    _publish(session, plan, payload, source=source)


def referral_closed(session: Session, plan: FollowUpPlan, row: Referral, *,
                    source: str) -> None:
    assert row.outcome is not None and row.closed_by is not None and row.closed_at is not None
    payload = ReferralClosed(
        referral_id=row.id, plan_id=plan.id, participant_id=plan.participant_id, need=row.need,
        agency_code=row.agency_code, outcome=row.outcome, closed_by=row.closed_by,
        closed_at=row.closed_at, kelurahan_code=plan.kelurahan_code,
        kecamatan_code=plan.kecamatan_code, kota_code=plan.kota_code)
    _publish(session, plan, payload, source=source)
