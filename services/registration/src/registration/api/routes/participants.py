from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from berdaya_shared.api.csvexport import csv_stream
from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction
from berdaya_shared.pagination import every_page

from ...adapters.tables import Household, Participant
from ...service_layer import corrections, participants, queries
from ..deps import GazetteerDep, Officer, SettingsDep
from ..schemas import (
    CorrectionRead,
    DuplicateRead,
    Page,
    ParticipantCorrection,
    ParticipantRead,
    ParticipantSummary,
    PersonFields,
    Registered,
)

router = APIRouter(prefix="/participants", tags=["participants"])
Filter = Annotated[str | None, Query(max_length=200)]


def full_record(session: Session, person: Participant) -> ParticipantRead:
    household = session.get(Household, person.household_id)
    assert household is not None  # a participant always has one (foreign key)
    return ParticipantRead.model_validate({**household.model_dump(), **person.model_dump()})


@router.post("", status_code=status.HTTP_201_CREATED, response_model=Registered)
def register(body: PersonFields, principal: Officer, sessions: SessionsDep,
             gazetteer: GazetteerDep, settings: SettingsDep) -> Registered:
    person = participants.clean(body.model_dump(), gazetteer)
    with transaction(sessions) as session:
        participant, flags = participants.register(
            session=session, principal=principal, person=person,
            threshold=settings.duplicate_threshold, source=settings.source)
        return Registered(participant=full_record(session, participant),
                          possible_duplicates=[DuplicateRead.model_validate(f) for f in flags])


@router.get("", response_model=Page)
def list_participants(principal: Officer, sessions: SessionsDep, kecamatan_code: Filter = None,
                      kelurahan_code: Filter = None, q: Filter = None, programme_id: Filter = None,
                      status: Filter = None, limit: LimitQuery = 100,
                      cursor: CursorQuery = None) -> Page:
    with transaction(sessions) as session:
        rows, next_cursor = queries.participants(
            session=session, principal=principal, kecamatan_code=kecamatan_code,
            kelurahan_code=kelurahan_code, q=q, programme_id=programme_id, status=status,
            limit=limit, cursor=cursor)
        return Page(items=[ParticipantSummary.model_validate(r) for r in rows],
                    next_cursor=next_cursor)


@router.get("/export.csv", response_class=StreamingResponse)
def export_participants(principal: Officer, sessions: SessionsDep, kecamatan_code: Filter = None,
                        kelurahan_code: Filter = None, q: Filter = None,
                        programme_id: Filter = None, status: Filter = None) -> StreamingResponse:
    """CSV of the participant list. NIK and KK are left out: exports travel by e-mail and USB."""
    def page(cursor: str | None) -> tuple[list[Participant], str | None]:
        with transaction(sessions) as session:
            return queries.participants(
                session=session, principal=principal, kecamatan_code=kecamatan_code,
                kelurahan_code=kelurahan_code, q=q, programme_id=programme_id,
                status=status, limit=500, cursor=cursor)

    return csv_stream(queries.EXPORT_COLUMNS,
                      ([[getattr(r, c) for c in queries.EXPORT_COLUMNS] for r in rows]
                       for rows in every_page(page)), filename="participants.csv")


@router.get("/{participant_id}", response_model=ParticipantRead)
def get_participant(participant_id: str, principal: Officer, sessions: SessionsDep) -> ParticipantRead:
    with transaction(sessions) as session:
        return full_record(session, participants.get(session=session, principal=principal,
                                                     participant_id=participant_id))


@router.patch("/{participant_id}", response_model=ParticipantRead)
def correct_participant(participant_id: str, body: ParticipantCorrection, principal: Officer,
                        sessions: SessionsDep, gazetteer: GazetteerDep,
                        settings: SettingsDep) -> ParticipantRead:
    with transaction(sessions) as session:
        person = corrections.correct(session=session, principal=principal, gazetteer=gazetteer,
                                      participant_id=participant_id,
                                      changes=body.model_dump(exclude_unset=True),
                                      source=settings.source)
        return full_record(session, person)


@router.get("/{participant_id}/history", response_model=list[CorrectionRead])
def participant_history(participant_id: str, principal: Officer,
                        sessions: SessionsDep) -> list[CorrectionRead]:
    with transaction(sessions) as session:
        return [CorrectionRead.model_validate(c) for c in corrections.history(
            session=session, principal=principal, participant_id=participant_id)]
