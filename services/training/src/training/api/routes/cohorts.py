from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..schemas import AttendanceIn, CohortCreate, CohortRead, GraduationIn, Members, RosterRead

router = APIRouter(prefix="/cohorts", tags=["cohorts"])
Organiser = Annotated[Principal, Depends(require_roles("city_admin", "kecamatan_officer", "trainer"))]
Reader = Annotated[Principal, Depends(require_roles(
    "city_admin", "kecamatan_officer", "kelurahan_officer", "trainer", "integration"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CohortRead)
def create_cohort(body: CohortCreate, principal: Organiser, sessions: SessionsDep) -> CohortRead:
    with transaction(sessions) as session:
        cohort = handlers.create_cohort(session=session, principal=principal, **body.model_dump())
        return CohortRead.model_validate(cohort)


@router.get("/{cohort_id}", response_model=CohortRead)
def get_cohort(cohort_id: str, principal: Reader, sessions: SessionsDep) -> CohortRead:
    with transaction(sessions) as session:
        return CohortRead.model_validate(
            handlers.get_cohort(session=session, cohort_id=cohort_id, principal=principal))


@router.post("/{cohort_id}/members", response_model=list[RosterRead])
def add_members(cohort_id: str, body: Members, principal: Organiser,
                sessions: SessionsDep) -> list[RosterRead]:
    with transaction(sessions) as session:
        entries = handlers.add_members(session=session, principal=principal, cohort_id=cohort_id,
                                       participant_ids=body.participant_ids)
        return [RosterRead.model_validate(e) for e in entries]


@router.post("/{cohort_id}/attendance")
def record_attendance(cohort_id: str, body: AttendanceIn, principal: Organiser,
                      sessions: SessionsDep) -> dict[str, int]:
    with transaction(sessions) as session:
        return {"recorded": handlers.record_attendance(
            session=session, principal=principal, cohort_id=cohort_id, **body.model_dump())}


@router.post("/{cohort_id}/graduations", status_code=status.HTTP_201_CREATED,
             response_model=RosterRead)
def graduate(cohort_id: str, body: GraduationIn, principal: Organiser, sessions: SessionsDep,
             request: Request) -> RosterRead:
    settings = request.app.state.settings
    with transaction(sessions) as session:
        entry = handlers.graduate(session=session, principal=principal, cohort_id=cohort_id,
                                  participant_id=body.participant_id,
                                  min_rate=settings.min_attendance_rate, source=settings.source)
        return RosterRead.model_validate(entry)
