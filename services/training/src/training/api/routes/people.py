from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...domain.people import PersonKind
from ...service_layer import mentors, people
from ..deps import Officer, Reader, SettingsDep
from ..schemas_people import (
    AssignmentRead,
    MentorAssignmentIn,
    PeoplePage,
    PersonCreate,
    PersonRead,
    PersonUpdate,
)

router = APIRouter(tags=["people"])
PersonId = Annotated[str, Path(max_length=36)]


@router.post("/people", status_code=status.HTTP_201_CREATED, response_model=PersonRead)
def create_person(body: PersonCreate, principal: Officer, sessions: SessionsDep,
                  settings: SettingsDep) -> PersonRead:
    with transaction(sessions) as session:
        person = people.create_person(
            session=session, principal=principal, default_caseload=settings.mentor_max_caseload,
            person=people.NewPerson(kind=body.kind, full_name=body.full_name,
                                    organisation=body.organisation, phone=body.phone,
                                    area_code=body.area_code, user_subject=body.user_subject,
                                    max_caseload=body.max_caseload))
        return PersonRead.model_validate(person)


@router.get("/people", response_model=PeoplePage)
def list_people(principal: Reader, sessions: SessionsDep,
                kind: Annotated[PersonKind | None, Query()] = None, limit: LimitQuery = 100,
                cursor: CursorQuery = None) -> PeoplePage:
    with transaction(sessions) as session:
        rows, next_cursor = people.list_people(session=session, principal=principal, kind=kind,
                                               limit=limit, cursor=cursor)
        return PeoplePage(items=[PersonRead.model_validate(r) for r in rows],
                          next_cursor=next_cursor)


@router.get("/people/{person_id}", response_model=PersonRead)
def get_person(person_id: PersonId, principal: Reader, sessions: SessionsDep) -> PersonRead:
    with transaction(sessions) as session:
        return PersonRead.model_validate(
            people.get_person(session=session, principal=principal, person_id=person_id))


@router.patch("/people/{person_id}", response_model=PersonRead)
def update_person(person_id: PersonId, body: PersonUpdate, principal: Officer,
                  sessions: SessionsDep) -> PersonRead:
    with transaction(sessions) as session:
        person = people.update_person(
            session=session, principal=principal, person_id=person_id,
            changes=people.PersonChanges(full_name=body.full_name, organisation=body.organisation,
                                         phone=body.phone, area_code=body.area_code,
                                         user_subject=body.user_subject,
                                         max_caseload=body.max_caseload))
        return PersonRead.model_validate(person)


@router.post("/mentors/{person_id}/participants", response_model=list[AssignmentRead])
def assign_participants(person_id: PersonId, body: MentorAssignmentIn, principal: Officer,
                        sessions: SessionsDep, settings: SettingsDep) -> list[AssignmentRead]:
    with transaction(sessions) as session:
        rows = mentors.assign(session=session, principal=principal, mentor_id=person_id,
                              programme_id=body.programme_id,
                              participant_ids=body.participant_ids, source=settings.source)
        return [AssignmentRead.model_validate(r) for r in rows]


@router.get("/mentors/{person_id}/participants", response_model=list[AssignmentRead])
def list_assignments(person_id: PersonId, principal: Reader,
                     sessions: SessionsDep) -> list[AssignmentRead]:
    with transaction(sessions) as session:
        rows = mentors.list_assignments(session=session, principal=principal, mentor_id=person_id)
        return [AssignmentRead.model_validate(r) for r in rows]
