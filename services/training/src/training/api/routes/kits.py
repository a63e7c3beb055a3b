from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from sqlmodel import Session

from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...adapters.tables import StarterKit
from ...service_layer import kits
from ..deps import Organiser, Reader, SettingsDep
from ..schemas_people import KitIssue, KitPage, KitRead, KitStatusChangeRead, KitStatusIn

router = APIRouter(prefix="/kits", tags=["kits"])
KitId = Annotated[str, Path(max_length=36)]
IdFilter = Annotated[str | None, Query(max_length=36)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=KitRead)
def issue_kit(body: KitIssue, principal: Organiser, sessions: SessionsDep,
              settings: SettingsDep) -> KitRead:
    with transaction(sessions) as session:
        kit = kits.issue_kit(session=session, principal=principal, source=settings.source,
                             kit=kits.NewKit(
                                 participant_id=body.participant_id,
                                 programme_id=body.programme_id, kit_type=body.kit_type,
                                 items=([item.as_item() for item in body.items]
                                        if body.items is not None else None),
                                 handed_over_by=body.handed_over_by,
                                 handed_over_at=body.handed_over_at,
                                 acknowledged_by_name=body.acknowledged_by_name,
                                 acknowledged_at=body.acknowledged_at))
        return KitRead.model_validate(kit)


@router.get("", response_model=KitPage)
def list_kits(principal: Reader, sessions: SessionsDep, participant_id: IdFilter = None,
              programme_id: IdFilter = None, limit: LimitQuery = 100,
              cursor: CursorQuery = None) -> KitPage:
    with transaction(sessions) as session:
        rows, next_cursor = kits.list_kits(session=session, principal=principal,
                                           participant_id=participant_id,
                                           programme_id=programme_id, limit=limit, cursor=cursor)
        return KitPage(items=[KitRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{kit_id}", response_model=KitRead)
def get_kit(kit_id: KitId, principal: Reader, sessions: SessionsDep) -> KitRead:
    with transaction(sessions) as session:
        return _with_history(session, kits.get_kit(session=session, principal=principal,
                                                   kit_id=kit_id))


@router.post("/{kit_id}/status", response_model=KitRead)
def change_status(kit_id: KitId, body: KitStatusIn, principal: Organiser,
                  sessions: SessionsDep) -> KitRead:
    with transaction(sessions) as session:
        kit = kits.change_status(session=session, principal=principal, kit_id=kit_id,
                                 status=body.status, reason=body.reason)
        session.flush()
        return _with_history(session, kit)


def _with_history(session: Session, kit: StarterKit) -> KitRead:
    read = KitRead.model_validate(kit)
    read.history = [KitStatusChangeRead.model_validate(c)
                    for c in kits.history(session=session, kit_id=kit.id)]
    return read
