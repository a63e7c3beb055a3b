"""Overdue visits climb the escalation ladder; field officers are reminded of visits due.

* ``escalate``: for each step of the ladder (``escalation_step``, as data), every scheduled
  visit at least ``days_overdue`` days past the later of its due date and its last
  reassignment gets one Escalation (EscalationRaised, and a NotificationRequested to the
  step's role over the plan's area). Concurrent runs take visits ``FOR UPDATE SKIP LOCKED``
  on PostgreSQL; the (visit, level, started_on) key stops a double anyway.
* ``close_for``: a recorded or reassigned visit closes its open escalations.
* ``remind``: a scheduled visit due within ``days_before`` days (and not yet overdue) sends
  one NotificationRequested to its field officer per assignment.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, exists, update
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.errors import InvalidInput
from berdaya_shared.pagination import area_page

from ..adapters.tables import Escalation, EscalationStep, Visit
from ..messaging import outgoing
from . import queries

AREA_OF_ROLE = {"kelurahan_officer": "kelurahan_code", "kecamatan_officer": "kecamatan_code",
                "city_admin": "kota_code"}


def _started_on() -> object:
    return case((col(Visit.escalation_from) > col(Visit.due_on), col(Visit.escalation_from)),
                else_=col(Visit.due_on))


def escalate(*, session: Session, today: date, source: str, limit: int = 500) -> int:
    now, raised = datetime.now(UTC), 0
    started_on = _started_on()
    for step in session.exec(select(EscalationStep).order_by(col(EscalationStep.level))).all():
        cutoff = today - timedelta(days=step.days_overdue)
        already = exists().where(col(Escalation.visit_id) == col(Visit.id),
                                 col(Escalation.level) == step.level,
                                 col(Escalation.started_on) == started_on)
        for visit, plan in queries.claim_scheduled(
                session, started_on <= cutoff, ~already, limit=limit):  # type: ignore[operator]
            start = max(visit.due_on, visit.escalation_from or visit.due_on)
            area = getattr(plan, AREA_OF_ROLE.get(step.role, "kelurahan_code"))
            row = Escalation(visit_id=visit.id, plan_id=plan.id,
                             participant_id=plan.participant_id, full_name=plan.full_name,
                             level=step.level, role=step.role, area_code=area,
                             kelurahan_code=plan.kelurahan_code, due_on=visit.due_on,
                             started_on=start, days_overdue=(today - visit.due_on).days,
                             raised_at=now)
            session.add(row)
            outgoing.escalation_raised(session, plan, row, source=source)
            raised += 1
    return raised


def close_for(*, session: Session, visit_id: str, reason: str) -> None:
    session.exec(update(Escalation).where(
        and_(col(Escalation.visit_id) == visit_id, col(Escalation.closed_at).is_(None)))
        .values(closed_at=datetime.now(UTC), closed_reason=reason))


def remind(*, session: Session, today: date, days_before: int, source: str,
           limit: int = 500) -> int:
    rows = queries.claim_scheduled(
        session, col(Visit.assigned_to).is_not(None), col(Visit.reminded_at).is_(None),
        Visit.due_on >= today, Visit.due_on <= today + timedelta(days=days_before), limit=limit)
    now = datetime.now(UTC)
    for visit, plan in rows:
        visit.reminded_at = now
        session.add(visit)
        outgoing.visit_reminder(session, plan, visit, source=source)
    return len(rows)


def escalations(*, session: Session, principal: Principal, open_only: bool, level: int | None,
                limit: int, cursor: str | None) -> tuple[list[Escalation], str | None]:
    """The escalations of the caller's area (a camat: their kecamatan), in id order."""
    filters: list[Any] = []
    if open_only:
        filters.append(col(Escalation.closed_at).is_(None))
    if level is not None:
        filters.append(Escalation.level == level)
    rows, next_cursor = area_page(session, Escalation, area=principal.area, limit=limit,
                                  cursor=cursor, filters=filters)
    return list(rows), next_cursor


def ladder(*, session: Session) -> list[EscalationStep]:
    return list(session.exec(select(EscalationStep).order_by(col(EscalationStep.level))).all())


def set_ladder(*, session: Session, steps: list[tuple[int, str]],
               set_by: str) -> list[EscalationStep]:
    """Replace the ladder: steps as (days overdue, role), levels numbered 1..n in order, with
    who set it and when. Escalations already raised keep their level; the next sweep uses the
    new ladder."""
    days = [d for d, _ in steps]
    if not steps or any(not 1 <= d <= 3650 for d in days) or any(
            b <= a for a, b in zip(days, days[1:], strict=False)):
        raise InvalidInput("Tangga eskalasi berisi 1 sampai 10 langkah dengan jumlah hari "
                           "terlambat yang terus bertambah (1-3650).", field="steps",
                           en="The escalation ladder has 1 to 10 steps with strictly "
                              "increasing days overdue (1-3650).")
    for _, role in steps:
        if role not in AREA_OF_ROLE:
            raise InvalidInput(f"Peran '{role}' tidak dapat menerima eskalasi.",
                               en=f"The role '{role}' cannot receive escalations.",
                               field="steps")
    session.exec(select(EscalationStep).with_for_update()).all()  # one change at a time
    session.exec(delete(EscalationStep))
    now = datetime.now(UTC)
    session.add_all([EscalationStep(level=i, days_overdue=d, role=r, set_by=set_by, set_at=now)
                     for i, (d, r) in enumerate(steps, start=1)])
    session.flush()
    return ladder(session=session)
