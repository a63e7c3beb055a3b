from typing import Annotated

from fastapi import APIRouter, Query, status

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction

from ...service_layer import applications, queries
from ..deps import Officer, SettingsDep
from ..schemas import ApplicationCreate, ApplicationRead, Page, Reason

router = APIRouter(prefix="/applications", tags=["applications"])
Filter = Annotated[str | None, Query(max_length=200)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ApplicationRead)
def submit(body: ApplicationCreate, principal: Officer, sessions: SessionsDep,
           settings: SettingsDep) -> ApplicationRead:
    with transaction(sessions) as session:
        return ApplicationRead.model_validate(applications.submit(
            session=session, principal=principal, participant_id=body.participant_id,
            programme_id=body.programme_id, track=body.track, today=today_in_jakarta(),
            source=settings.source))


@router.get("", response_model=Page)
def list_applications(principal: Officer, sessions: SessionsDep, programme_id: Filter = None,
                      status: Filter = None, kecamatan_code: Filter = None,
                      kelurahan_code: Filter = None, q: Filter = None, limit: LimitQuery = 100,
                      cursor: CursorQuery = None) -> Page:
    with transaction(sessions) as session:
        rows, next_cursor = queries.applications(
            session=session, principal=principal, programme_id=programme_id, status=status,
            kecamatan_code=kecamatan_code, kelurahan_code=kelurahan_code, q=q, limit=limit,
            cursor=cursor)
        return Page(items=[ApplicationRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{application_id}", response_model=ApplicationRead)
def get_application(application_id: str, principal: Officer, sessions: SessionsDep) -> ApplicationRead:
    with transaction(sessions) as session:
        return ApplicationRead.model_validate(applications.get(
            session=session, principal=principal, application_id=application_id))


@router.post("/{application_id}/verify", response_model=ApplicationRead)
def verify(application_id: str, principal: Officer, sessions: SessionsDep,
           settings: SettingsDep) -> ApplicationRead:
    with transaction(sessions) as session:
        return ApplicationRead.model_validate(applications.verify(
            session=session, principal=principal, application_id=application_id,
            today=today_in_jakarta(), source=settings.source))


@router.post("/{application_id}/reject", response_model=ApplicationRead)
def reject(application_id: str, body: Reason, principal: Officer, sessions: SessionsDep,
           settings: SettingsDep) -> ApplicationRead:
    with transaction(sessions) as session:
        return ApplicationRead.model_validate(applications.reject(
            session=session, principal=principal, application_id=application_id,
            reason=body.reason, source=settings.source))


@router.post("/{application_id}/withdraw", response_model=ApplicationRead)
def withdraw(application_id: str, body: Reason, principal: Officer, sessions: SessionsDep,
             settings: SettingsDep) -> ApplicationRead:
    with transaction(sessions) as session:
        return ApplicationRead.model_validate(applications.withdraw(
            session=session, principal=principal, application_id=application_id,
            reason=body.reason, source=settings.source))
