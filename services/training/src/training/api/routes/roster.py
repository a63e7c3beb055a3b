from typing import Annotated

from fastapi import APIRouter, Depends

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..schemas import RosterPage, RosterRead

router = APIRouter(prefix="/roster", tags=["roster"])
Reader = Annotated[Principal, Depends(require_roles(
    "city_admin", "kecamatan_officer", "kelurahan_officer", "trainer", "integration"))]


@router.get("", response_model=RosterPage)
def list_roster(principal: Reader, sessions: SessionsDep, programme_id: str | None = None,
                limit: LimitQuery = 100, cursor: CursorQuery = None) -> RosterPage:
    with transaction(sessions) as session:
        rows, next_cursor = handlers.roster(session=session, principal=principal,
                                            programme_id=programme_id, limit=limit, cursor=cursor)
        return RosterPage(items=[RosterRead.model_validate(r) for r in rows], next_cursor=next_cursor)
