from typing import Annotated, Literal

from fastapi import APIRouter, Query

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import escalations
from ..deps import AreaOfficer
from ..schemas import EscalationPage, EscalationRead

router = APIRouter(prefix="/escalations", tags=["escalations"])


@router.get("", response_model=EscalationPage)
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
