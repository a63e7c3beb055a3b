"""Field officers: the kelurahan each one covers, and who makes which visit.

* Coverage is set by the area's officers (lurah, camat, city admin) for the part of an
  officer's coverage inside the caller's area: the rows there are replaced, rows elsewhere are
  another area's business and stay. Newly covered kelurahan hand their unassigned scheduled
  visits to the officer; visits already assigned stay with their officer (reassign them).
* A new plan's visits go to the covering officer with the fewest scheduled visits (ties by
  subject), or to nobody while no one covers the kelurahan.
* Reassignment reads the visit ``FOR UPDATE`` (as recording does), so a visit recorded at the
  same moment is either reassigned first or refused with 409, never both.
"""

from datetime import UTC, date, datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import Forbidden, InvalidInput, NotFound
from berdaya_shared.gazetteer import Gazetteer

from ..adapters.tables import FieldOfficerArea, FollowUpPlan, Visit
from ..domain import model
from ..domain.model import VisitStatus
from . import escalations

_gazetteer: Gazetteer | None = None


def _kelurahan(code: str) -> str:
    global _gazetteer
    _gazetteer = _gazetteer or Gazetteer.load()
    area = _gazetteer.get(code)
    if area is None or area.level != "kelurahan":
        raise InvalidInput(f"'{code}' bukan kode kelurahan di DKI Jakarta.",
                           en=f"'{code}' is not a kelurahan code in DKI Jakarta.",
                           field="kelurahan_codes")
    return area.code


def set_coverage(*, session: Session, principal: Principal, subject: str,
                 kelurahan_codes: list[str]) -> list[str]:
    codes = sorted({_kelurahan(code) for code in kelurahan_codes})
    for code in codes:
        if not principal.covers(code):
            raise Forbidden(f"Kelurahan {code} berada di luar wilayah Anda ({principal.area}).",
                            en=f"Kelurahan {code} is outside your area {principal.area}.",
                            field="kelurahan_codes")
    session.exec(delete(FieldOfficerArea).where(
        col(FieldOfficerArea.subject) == subject,
        in_area(FieldOfficerArea.kelurahan_code, principal.area)))
    now = datetime.now(UTC)
    with conflict_on_duplicate(session, field="subject",
                               detail="Wilayah petugas ini sedang diubah orang lain; coba lagi.",
                               en="This officer's area is being changed by someone else; "
                                  "try again."):
        session.add_all([FieldOfficerArea(subject=subject, kelurahan_code=code,
                                          assigned_by=principal.subject, assigned_at=now)
                         for code in codes])
    if codes:
        in_codes = select(FollowUpPlan.id).where(col(FollowUpPlan.kelurahan_code).in_(codes))
        session.exec(update(Visit).where(
            col(Visit.assigned_to).is_(None), col(Visit.status) == VisitStatus.SCHEDULED,
            col(Visit.plan_id).in_(in_codes))
            .values(assigned_to=subject, assigned_by=principal.subject, assigned_at=now))
    return coverage_of(session=session, principal=principal, subject=subject)


def coverage_of(*, session: Session, principal: Principal, subject: str) -> list[str]:
    """The kelurahan an officer covers, as far as the caller's area reaches."""
    return list(session.exec(select(FieldOfficerArea.kelurahan_code).where(
        FieldOfficerArea.subject == subject,
        in_area(FieldOfficerArea.kelurahan_code, principal.area))
        .order_by(col(FieldOfficerArea.kelurahan_code))).all())


def officer_for(*, session: Session, kelurahan_code: str) -> str | None:
    """The covering officer with the fewest scheduled visits, or None."""
    load = func.count(col(Visit.id))
    row = session.exec(
        select(FieldOfficerArea.subject, load)
        .join(Visit, (col(Visit.assigned_to) == col(FieldOfficerArea.subject))
              & (col(Visit.status) == VisitStatus.SCHEDULED), isouter=True)
        .where(FieldOfficerArea.kelurahan_code == kelurahan_code)
        .group_by(col(FieldOfficerArea.subject))
        .order_by(load, col(FieldOfficerArea.subject)).limit(1)).first()
    return row[0] if row is not None else None


def get_visit_for_update(*, session: Session, principal: Principal,
                         visit_id: str) -> tuple[Visit, FollowUpPlan]:
    """A visit (locked) and its plan, or 404 when it is not in the caller's area."""
    visit = get_for_update(session, Visit, visit_id)
    plan = session.get(FollowUpPlan, visit.plan_id) if visit is not None else None
    if visit is None or plan is None or not principal.covers(plan.kelurahan_code):
        raise NotFound("Kunjungan ini tidak ada di wilayah Anda.",
                       en="No such visit in your area.", field="visit_id")
    return visit, plan


def assign_visit(*, session: Session, principal: Principal, visit_id: str, officer: str,
                 today: date) -> Visit:
    """Hand a scheduled visit to another covering officer: its open escalations close, the
    escalation count restarts today, and the new officer gets a reminder of their own."""
    visit, plan = get_visit_for_update(session=session, principal=principal, visit_id=visit_id)
    model.check_can_assign(visit.status)
    if officer == visit.assigned_to:  # no restarting the escalation count in place
        raise InvalidInput(f"Kunjungan ini sudah ditugaskan kepada {officer}.",
                           en=f"This visit is already assigned to {officer}.", field="officer")
    covers = session.exec(select(FieldOfficerArea.subject).where(
        FieldOfficerArea.subject == officer,
        FieldOfficerArea.kelurahan_code == plan.kelurahan_code)).first()
    if covers is None:
        raise InvalidInput(f"Petugas {officer} tidak bertugas di kelurahan {plan.kelurahan_code}.",
                           en=f"Officer {officer} does not cover kelurahan "
                              f"{plan.kelurahan_code}.", field="officer")
    visit.assigned_to, visit.assigned_by = officer, principal.subject
    visit.assigned_at = datetime.now(UTC)
    visit.escalation_from, visit.reminded_at = today, None
    session.add(visit)
    escalations.close_for(session=session, visit_id=visit.id, reason="reassigned")
    return visit
