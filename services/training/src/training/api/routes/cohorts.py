from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...domain.model import CohortStatus
from ...service_layer import cohorts
from ..deps import Organiser, Reader, SettingsDep
from ..schemas import AREA_PATTERN, CohortCreate, CohortPage, CohortRead, Members, RosterRead

router = APIRouter(prefix="/cohorts", tags=["cohorts"])
CohortId = Annotated[str, Path(max_length=36)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CohortRead)
def create_cohort(body: CohortCreate, principal: Organiser, sessions: SessionsDep,
                  settings: SettingsDep) -> CohortRead:
    with transaction(sessions) as session:
        cohort = cohorts.create_cohort(session=session, principal=principal, source=settings.source,
                                       cohort=cohorts.NewCohort(
            programme_id=body.programme_id, track_code=body.track_code, name=body.name,
            venue_id=body.venue_id, area_code=body.area_code, starts_on=body.starts_on,
            ends_on=body.ends_on))
        return CohortRead.model_validate(cohort)


@router.get("", response_model=CohortPage)
def list_cohorts(principal: Reader, sessions: SessionsDep,
                 programme_id: Annotated[str | None, Query(max_length=36)] = None,
                 track_code: Annotated[str | None, Query(max_length=60)] = None,
                 area: Annotated[str | None, Query(max_length=13, pattern=AREA_PATTERN)] = None,
                 trainer_id: Annotated[str | None, Query(max_length=100)] = None,
                 status: CohortStatus | None = None, limit: LimitQuery = 100,
                 cursor: CursorQuery = None) -> CohortPage:
    with transaction(sessions) as session:
        rows, next_cursor = cohorts.list_cohorts(
            session=session, principal=principal, limit=limit, cursor=cursor,
            where=cohorts.CohortFilter(programme_id=programme_id, track_code=track_code,
                                       area=area, trainer_id=trainer_id, status=status))
        return CohortPage(items=[CohortRead.model_validate(c) for c in rows],
                          next_cursor=next_cursor)


@router.get("/{cohort_id}", response_model=CohortRead)
def get_cohort(cohort_id: CohortId, principal: Reader, sessions: SessionsDep) -> CohortRead:
    with transaction(sessions) as session:
        return CohortRead.model_validate(
            cohorts.get_cohort(session=session, cohort_id=cohort_id, principal=principal))


@router.post("/{cohort_id}/start", response_model=CohortRead)
def start_cohort(cohort_id: CohortId, principal: Organiser, sessions: SessionsDep) -> CohortRead:
    with transaction(sessions) as session:
        return CohortRead.model_validate(
            cohorts.start_cohort(session=session, principal=principal, cohort_id=cohort_id))


@router.post("/{cohort_id}/members", response_model=list[RosterRead])
def add_members(cohort_id: CohortId, body: Members, principal: Organiser,
                sessions: SessionsDep) -> list[RosterRead]:
    with transaction(sessions) as session:
        entries = cohorts.add_members(session=session, principal=principal, cohort_id=cohort_id,
                                      participant_ids=body.participant_ids)
        return [RosterRead.model_validate(e) for e in entries]
