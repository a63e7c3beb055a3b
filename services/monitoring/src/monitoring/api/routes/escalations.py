from typing import Annotated, Literal

from fastapi import APIRouter, Query

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import escalations
from ..deps import Admin, AreaOfficer
from ..schemas import EscalationPage, EscalationRead, LadderStepRead, LadderWrite

router = APIRouter(tags=["escalations"])


@router.get("/escalations", response_model=EscalationPage)
def list_escalations(principal: AreaOfficer, sessions: SessionsDep,
                     status: Literal["open", "all"] = "open",
                     level: Annotated[int | None, Query(ge=1, le=100)] = None,
                     limit: LimitQuery = 100, cursor: CursorQuery = None) -> EscalationPage:
    """Escalations of overdue visits in the caller's area (a camat: their kecamatan)."""
    with transaction(sessions) as session:
        rows, next_cursor = escalations.escalations(
            session=session, principal=principal, open_only=status == "open", level=level,
            limit=limit, cursor=cursor)
        return EscalationPage(items=[EscalationRead.model_validate(r) for r in rows],
                              next_cursor=next_cursor)


@router.get("/escalation-ladder", response_model=list[LadderStepRead])
def get_ladder(principal: AreaOfficer, sessions: SessionsDep) -> list[LadderStepRead]:
    with transaction(sessions) as session:
        return [LadderStepRead.model_validate(s) for s in escalations.ladder(session=session)]


@router.put("/escalation-ladder", response_model=list[LadderStepRead])
def set_ladder(body: LadderWrite, principal: Admin, sessions: SessionsDep) -> list[LadderStepRead]:
    """Replace the escalation ladder (days overdue -> the role that sees the visit)."""
    with transaction(sessions) as session:
        steps = escalations.set_ladder(session=session,
                                       steps=[(s.days_overdue, s.role) for s in body.steps],
                                       set_by=principal.subject)
        return [LadderStepRead.model_validate(s) for s in steps]
