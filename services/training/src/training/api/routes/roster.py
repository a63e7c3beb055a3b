from typing import Annotated

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction
from fastapi import APIRouter, Depends

from ...service_layer import handlers
from ..schemas import RosterPage, RosterRead

router = APIRouter(prefix="/roster", tags=["roster"])
Reader = Annotated[Principal, Depends(require_roles(
    "city_admin", "kecamatan_officer", "kelurahan_officer", "trainer", "integration"))]


@router.get("", response_model=RosterPage)
def list_roster(principal: Reader, sessions: SessionsDep, programme_id: str | None = None,
                limit: LimitQuery = 100, cursor: CursorQuery = None) -> RosterPage:
    with transaction(sessions) as session:
        rows = handlers.roster(session=session, principal=principal, programme_id=programme_id,
                               limit=limit, after=cursor)
        items = [RosterRead.model_validate(r) for r in rows]
    return RosterPage(items=items, next_cursor=rows[-1].id if len(rows) == limit else None)
