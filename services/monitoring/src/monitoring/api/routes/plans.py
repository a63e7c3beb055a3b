from typing import Annotated

from fastapi import APIRouter, Depends

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..schemas import PlanDetail, PlanPage, PlanRead, VisitRead

router = APIRouter(prefix="/plans", tags=["plans"])
Reader = Annotated[Principal, Depends(require_roles(
    "city_admin", "kecamatan_officer", "kelurahan_officer", "field_officer", "integration"))]


@router.get("", response_model=PlanPage)
def list_plans(principal: Reader, sessions: SessionsDep, programme_id: str | None = None,
               limit: LimitQuery = 100, cursor: CursorQuery = None) -> PlanPage:
    with transaction(sessions) as session:
        rows, next_cursor = handlers.plans(session=session, principal=principal,
                                           programme_id=programme_id, limit=limit, cursor=cursor)
        return PlanPage(items=[PlanRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{plan_id}", response_model=PlanDetail)
def get_plan(plan_id: str, principal: Reader, sessions: SessionsDep) -> PlanDetail:
    with transaction(sessions) as session:
        plan = handlers.get_plan(session=session, plan_id=plan_id, principal=principal)
        visits = handlers.visits_of(session=session, plan=plan)
        return PlanDetail(**PlanRead.model_validate(plan).model_dump(),
                          visits=[VisitRead.model_validate(v) for v in visits])
