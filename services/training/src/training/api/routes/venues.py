from typing import Annotated

from fastapi import APIRouter, Path, status

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import venues
from ..deps import Officer, Reader
from ..schemas import VenueCreate, VenuePage, VenueRead

router = APIRouter(prefix="/venues", tags=["venues"])
VenueId = Annotated[str, Path(max_length=36)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VenueRead)
def create_venue(body: VenueCreate, principal: Officer, sessions: SessionsDep) -> VenueRead:
    with transaction(sessions) as session:
        venue = venues.create_venue(session=session, principal=principal, venue=venues.NewVenue(
            name=body.name, address=body.address, kelurahan_code=body.kelurahan_code,
            capacity=body.capacity))
        return VenueRead.model_validate(venue)


@router.get("", response_model=VenuePage)
def list_venues(principal: Reader, sessions: SessionsDep, limit: LimitQuery = 100,
                cursor: CursorQuery = None) -> VenuePage:
    with transaction(sessions) as session:
        rows, next_cursor = venues.list_venues(session=session, principal=principal, limit=limit,
                                               cursor=cursor)
        return VenuePage(items=[VenueRead.model_validate(v) for v in rows], next_cursor=next_cursor)


@router.get("/{venue_id}", response_model=VenueRead)
def get_venue(venue_id: VenueId, principal: Reader, sessions: SessionsDep) -> VenueRead:
    with transaction(sessions) as session:
        return VenueRead.model_validate(
            venues.get_venue(session=session, principal=principal, venue_id=venue_id))
