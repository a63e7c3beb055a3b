from typing import Annotated

from fastapi import APIRouter, Path, status

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import cohorts
from ..deps import Organiser, Reader, SettingsDep
from ..schemas import AttendanceIn, CohortCreate, CohortRead, GraduationIn, Members, RosterRead

router = APIRouter(prefix="/cohorts", tags=["cohorts"])
CohortId = Annotated[str, Path(max_length=36)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CohortRead)
def create_cohort(body: CohortCreate, principal: Organiser, sessions: SessionsDep) -> CohortRead:
    with transaction(sessions) as session:
        cohort = cohorts.create_cohort(session=session, principal=principal, cohort=cohorts.NewCohort(
            programme_id=body.programme_id, track=body.track, name=body.name, venue=body.venue,
            area_code=body.area_code, starts_on=body.starts_on, ends_on=body.ends_on))
        return CohortRead.model_validate(cohort)


@router.get("/{cohort_id}", response_model=CohortRead)
def get_cohort(cohort_id: CohortId, principal: Reader, sessions: SessionsDep) -> CohortRead:
    with transaction(sessions) as session:
        return CohortRead.model_validate(
            cohorts.get_cohort(session=session, cohort_id=cohort_id, principal=principal))


@router.post("/{cohort_id}/members", response_model=list[RosterRead])
def add_members(cohort_id: CohortId, body: Members, principal: Organiser,
                sessions: SessionsDep) -> list[RosterRead]:
    with transaction(sessions) as session:
        entries = cohorts.add_members(session=session, principal=principal, cohort_id=cohort_id,
                                      participant_ids=body.participant_ids)
        return [RosterRead.model_validate(e) for e in entries]


@router.post("/{cohort_id}/attendance")
def record_attendance(cohort_id: CohortId, body: AttendanceIn, principal: Organiser,
                      sessions: SessionsDep) -> dict[str, int]:
    with transaction(sessions) as session:
        return {"recorded": cohorts.record_attendance(
            session=session, principal=principal, cohort_id=cohort_id, session_on=body.session_on,
            present=body.present, absent=body.absent)}


@router.post("/{cohort_id}/graduations", status_code=status.HTTP_201_CREATED,
             response_model=RosterRead)
def graduate(cohort_id: CohortId, body: GraduationIn, principal: Organiser, sessions: SessionsDep,
             settings: SettingsDep) -> RosterRead:
    with transaction(sessions) as session:
        entry = cohorts.graduate(session=session, principal=principal, cohort_id=cohort_id,
                                 participant_id=body.participant_id,
                                 min_rate=settings.min_attendance_rate, source=settings.source)
        return RosterRead.model_validate(entry)
