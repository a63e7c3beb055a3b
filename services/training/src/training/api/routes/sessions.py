from typing import Annotated

from fastapi import APIRouter, Path, status

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import sessions as schedule
from ..deps import Organiser, Reader
from ..schemas import (
    AttendanceRead,
    AttendanceSheet,
    CorrectionRead,
    SessionCreate,
    SessionRead,
    SheetSaved,
)

router = APIRouter(prefix="/cohorts/{cohort_id}/sessions", tags=["sessions"])
CohortId = Annotated[str, Path(max_length=36)]
SessionId = Annotated[str, Path(max_length=36)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SessionRead)
def create_session(cohort_id: CohortId, body: SessionCreate, principal: Organiser,
                   sessions: SessionsDep) -> SessionRead:
    with transaction(sessions) as session:
        return SessionRead.model_validate(schedule.create_session(
            session=session, principal=principal, cohort_id=cohort_id, new=schedule.NewSession(
                held_on=body.held_on, starts_at=body.starts_at, ends_at=body.ends_at,
                topic=body.topic, trainer_id=body.trainer_id)))


@router.get("", response_model=list[SessionRead])
def list_sessions(cohort_id: CohortId, principal: Reader, sessions: SessionsDep) -> list[SessionRead]:
    with transaction(sessions) as session:
        return [SessionRead.model_validate(s) for s in schedule.list_sessions(
            session=session, principal=principal, cohort_id=cohort_id)]


@router.put("/{session_id}/attendance", response_model=SheetSaved)
def record_attendance(cohort_id: CohortId, session_id: SessionId, body: AttendanceSheet,
                      principal: Organiser, sessions: SessionsDep) -> SheetSaved:
    with transaction(sessions) as session:
        result = schedule.record_attendance(
            session=session, principal=principal, cohort_id=cohort_id, session_id=session_id,
            marks=[schedule.Mark(participant_id=e.participant_id, status=e.status)
                   for e in body.entries])
        return SheetSaved(recorded=result.recorded, corrected=result.corrected)


@router.get("/{session_id}/attendance", response_model=list[AttendanceRead])
def get_attendance(cohort_id: CohortId, session_id: SessionId, principal: Reader,
                   sessions: SessionsDep) -> list[AttendanceRead]:
    with transaction(sessions) as session:
        return [AttendanceRead.model_validate(a) for a in schedule.sheet_of(
            session=session, principal=principal, cohort_id=cohort_id, session_id=session_id)]


@router.get("/{session_id}/attendance/corrections", response_model=list[CorrectionRead])
def list_corrections(cohort_id: CohortId, session_id: SessionId, principal: Reader,
                     sessions: SessionsDep) -> list[CorrectionRead]:
    with transaction(sessions) as session:
        return [CorrectionRead.model_validate(c) for c in schedule.corrections_of(
            session=session, principal=principal, cohort_id=cohort_id, session_id=session_id)]
