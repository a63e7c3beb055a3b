from typing import Annotated

from fastapi import APIRouter, Query

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import roster
from ..deps import Reader
from ..schemas import RosterPage, RosterRead

router = APIRouter(prefix="/roster", tags=["roster"])
ProgrammeFilter = Annotated[str | None, Query(max_length=36)]


@router.get("", response_model=RosterPage)
def list_roster(principal: Reader, sessions: SessionsDep, programme_id: ProgrammeFilter = None,
                limit: LimitQuery = 100, cursor: CursorQuery = None) -> RosterPage:
    with transaction(sessions) as session:
        rows, next_cursor = roster.list_roster(session=session, principal=principal,
                                               programme_id=programme_id, limit=limit,
                                               cursor=cursor)
        return RosterPage(items=[RosterRead.model_validate(r) for r in rows], next_cursor=next_cursor)
