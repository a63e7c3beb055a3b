from typing import Annotated

from fastapi import APIRouter, Path, status

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import tracks
from ..deps import Admin, Reader
from ..schemas import TrackCreate, TrackRead

router = APIRouter(prefix="/programmes/{programme_id}/tracks", tags=["tracks"])
ProgrammeId = Annotated[str, Path(max_length=36)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TrackRead)
def create_track(programme_id: ProgrammeId, body: TrackCreate, principal: Admin,
                 sessions: SessionsDep) -> TrackRead:
    with transaction(sessions) as session:
        track = tracks.create_track(session=session, principal=principal, programme_id=programme_id,
                                    track=tracks.NewTrack(
                                        code=body.code, name=body.name, hours=body.hours,
                                        kit_type=body.kit_type, kit_items=body.kit_items,
                                        min_attendance_share=body.min_attendance_share,
                                        min_score=body.min_score))
        return TrackRead.model_validate(track)


@router.get("", response_model=list[TrackRead])
def list_tracks(programme_id: ProgrammeId, _: Reader, sessions: SessionsDep) -> list[TrackRead]:
    with transaction(sessions) as session:
        return [TrackRead.model_validate(t)
                for t in tracks.list_tracks(session=session, programme_id=programme_id)]
