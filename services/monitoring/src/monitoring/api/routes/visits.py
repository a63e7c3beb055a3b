from typing import Annotated

from fastapi import APIRouter, Depends, Request

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..schemas import VisitRead, VisitRecord

router = APIRouter(prefix="/visits", tags=["visits"])
Visitor = Annotated[Principal, Depends(require_roles(
    "city_admin", "kecamatan_officer", "kelurahan_officer", "field_officer"))]


@router.post("/{visit_id}/record", response_model=VisitRead)
def record_visit(visit_id: str, body: VisitRecord, principal: Visitor, sessions: SessionsDep,
                 request: Request) -> VisitRead:
    settings = request.app.state.settings
    with transaction(sessions) as session:
        visit = handlers.record_visit(session=session, principal=principal, visit_id=visit_id,
                                      today=today_in_jakarta(), source=settings.source,
                                      **body.model_dump())
        return VisitRead.model_validate(visit)
