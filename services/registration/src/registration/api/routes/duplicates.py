from typing import Annotated

from fastapi import APIRouter, Query

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import duplicates, queries
from ..deps import Officer
from ..schemas import DuplicateDecision, DuplicateRead

router = APIRouter(prefix="/duplicates", tags=["deduplication"])


@router.get("", response_model=list[DuplicateRead])
def list_flags(principal: Officer, sessions: SessionsDep,
               status: Annotated[str | None, Query(pattern="^(open|duplicate|not_duplicate)$")] = "open"
               ) -> list[DuplicateRead]:
    with transaction(sessions) as session:
        return [DuplicateRead.model_validate(f) for f in queries.duplicates(
            session=session, principal=principal, status=status)]


@router.post("/{flag_id}/decision", response_model=DuplicateRead)
def decide(flag_id: str, body: DuplicateDecision, principal: Officer,
           sessions: SessionsDep) -> DuplicateRead:
    with transaction(sessions) as session:
        return DuplicateRead.model_validate(duplicates.resolve(
            session=session, principal=principal, flag_id=flag_id, decision=body.decision))
