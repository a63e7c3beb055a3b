from fastapi import APIRouter, status
from sqlmodel import Session

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...adapters.tables import Programme
from ...service_layer import programmes, seats
from ..deps import Admin, AnyRole, GazetteerDep
from ..schemas import ProgrammeCreate, ProgrammeRead, SeatRead

router = APIRouter(prefix="/programmes", tags=["programmes"])


def _read(session: Session, programme: Programme) -> ProgrammeRead:
    read = ProgrammeRead.model_validate(programme)
    read.seats = [SeatRead.model_validate(s) for s in seats.seats(session, programme.id)]
    return read


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProgrammeRead)
def create_programme(body: ProgrammeCreate, principal: Admin, sessions: SessionsDep,
                     gazetteer: GazetteerDep) -> ProgrammeRead:
    with transaction(sessions) as session:
        programme = programmes.create_programme(
            session=session, principal=principal, gazetteer=gazetteer, code=body.code,
            name=body.name, kind=body.kind, target_area_code=body.target_area_code,
            intake_opens_on=body.intake_opens_on, intake_closes_on=body.intake_closes_on,
            total_capacity=body.total_capacity, kelurahan_quota=body.kelurahan_quota,
            quotas=body.quotas, tracks=body.tracks, eligibility_rules=body.eligibility_rules)
        return _read(session, programme)


@router.get("", response_model=list[ProgrammeRead])
def list_programmes(_: AnyRole, sessions: SessionsDep) -> list[ProgrammeRead]:
    with transaction(sessions) as session:
        return [_read(session, p) for p in programmes.list_programmes(session=session)]


@router.get("/{programme_id}", response_model=ProgrammeRead)
def get_programme(programme_id: str, _: AnyRole, sessions: SessionsDep) -> ProgrammeRead:
    with transaction(sessions) as session:
        return _read(session, programmes.get_programme(session=session, programme_id=programme_id))
