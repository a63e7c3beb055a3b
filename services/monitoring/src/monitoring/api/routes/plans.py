from typing import Annotated

from fastapi import APIRouter, Path, Query

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...domain.status import BusinessStatus
from ...service_layer import handlers
from ..deps import Reader
from ..schemas import EscalationRead, KitRead, PlanDetail, PlanPage, PlanRead, ReferralRead, VisitRead

router = APIRouter(prefix="/plans", tags=["plans"])
PlanId = Annotated[str, Path(max_length=36)]
ProgrammeFilter = Annotated[str | None, Query(max_length=36)]


@router.get("", response_model=PlanPage)
def list_plans(principal: Reader, sessions: SessionsDep, programme_id: ProgrammeFilter = None,
               business_status: BusinessStatus | None = None,
               limit: LimitQuery = 100, cursor: CursorQuery = None) -> PlanPage:
    """Plans of the caller's area; ``business_status=stopped`` or ``seasonal`` lists the
    graduates who stopped or produce only for Lebaran and Natal."""
    with transaction(sessions) as session:
        rows, next_cursor = handlers.plans(session=session, principal=principal,
                                           programme_id=programme_id, limit=limit, cursor=cursor,
                                           business_status=business_status)
        return PlanPage(items=[PlanRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{plan_id}", response_model=PlanDetail)
def get_plan(plan_id: PlanId, principal: Reader, sessions: SessionsDep) -> PlanDetail:
    with transaction(sessions) as session:
        plan = handlers.get_plan(session=session, plan_id=plan_id, principal=principal)
        visits = handlers.visits_of(session=session, plan=plan)
        return PlanDetail(
            **PlanRead.model_validate(plan).model_dump(),
            visits=[VisitRead.model_validate(v) for v in visits],
            starter_kits=[KitRead.model_validate(k)
                          for k in handlers.kits_of(session=session, plan=plan)],
            referrals=[ReferralRead.model_validate(r)
                       for r in handlers.referrals_of(session=session, plan=plan)],
            open_escalations=[EscalationRead.model_validate(e)
                              for e in handlers.open_escalations_of(session=session, plan=plan)])
