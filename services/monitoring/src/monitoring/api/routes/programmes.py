from typing import Annotated

from fastapi import APIRouter, Path

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import schedules
from ..deps import Admin, Reader, SettingsDep
from ..schemas import VisitScheduleRead, VisitScheduleWrite

router = APIRouter(prefix="/programmes", tags=["visit schedules"])
ProgrammeId = Annotated[str, Path(max_length=36)]


@router.get("/{programme_id}/visit-schedule", response_model=VisitScheduleRead)
def get_visit_schedule(programme_id: ProgrammeId, principal: Reader, sessions: SessionsDep,
                       settings: SettingsDep) -> VisitScheduleRead:
    with transaction(sessions) as session:
        row = schedules.get_schedule(session=session, programme_id=programme_id)
        if row is None:
            return VisitScheduleRead(programme_id=programme_id, is_default=True,
                                     offsets_days=settings.visit_offsets_days)
        return VisitScheduleRead(programme_id=programme_id, offsets_days=row.offsets_days,
                                 is_default=False, updated_by=row.updated_by,
                                 updated_at=row.updated_at)


@router.put("/{programme_id}/visit-schedule", response_model=VisitScheduleRead)
def set_visit_schedule(programme_id: ProgrammeId, body: VisitScheduleWrite, principal: Admin,
                       sessions: SessionsDep) -> VisitScheduleRead:
    with transaction(sessions) as session:
        row = schedules.set_schedule(session=session, principal=principal,
                                     programme_id=programme_id, offsets_days=body.offsets_days)
        return VisitScheduleRead(programme_id=programme_id, offsets_days=row.offsets_days,
                                 is_default=False, updated_by=row.updated_by,
                                 updated_at=row.updated_at)
