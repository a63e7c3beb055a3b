from typing import Annotated

from fastapi import APIRouter, Path

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...domain.commands import VisitReport
from ...service_layer import handlers, officers
from ..deps import AreaOfficer, SettingsDep, TodayDep, Visitor
from ..schemas import VisitAssign, VisitRead, VisitRecord

router = APIRouter(prefix="/visits", tags=["visits"])
VisitId = Annotated[str, Path(max_length=36)]


@router.post("/{visit_id}/record", response_model=VisitRead)
def record_visit(visit_id: VisitId, body: VisitRecord, principal: Visitor, sessions: SessionsDep,
                 settings: SettingsDep, today: TodayDep) -> VisitRead:
    report = VisitReport(visited_on=body.visited_on, business_status=body.business_status,
                         monthly_income=body.monthly_income, notes=body.notes,
                         monthly_net_income=body.monthly_net_income,
                         monthly_revenue=body.monthly_revenue,
                         production_days_per_week=body.production_days_per_week,
                         main_products=tuple(body.main_products),
                         channels=tuple(body.channels), kit_state=body.kit_state,
                         needs=tuple(body.needs))
    with transaction(sessions) as session:
        visit = handlers.record_visit(session=session, principal=principal, visit_id=visit_id,
                                      report=report, today=today,
                                      source=settings.source)
        return VisitRead.model_validate(visit)


@router.post("/{visit_id}/assign", response_model=VisitRead)
def assign_visit(visit_id: VisitId, body: VisitAssign, principal: AreaOfficer,
                 sessions: SessionsDep, today: TodayDep) -> VisitRead:
    """Reassign a scheduled visit to another field officer covering its kelurahan."""
    with transaction(sessions) as session:
        visit = officers.assign_visit(session=session, principal=principal, visit_id=visit_id,
                                      officer=body.officer, today=today)
        return VisitRead.model_validate(visit)
