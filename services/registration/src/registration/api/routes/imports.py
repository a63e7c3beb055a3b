from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status

from berdaya_shared.api.deps import LimitQuery, SessionsDep
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction

from ...service_layer import imports
from ..deps import GazetteerDep, Officer, SettingsDep
from ..schemas import ImportRead

router = APIRouter(prefix="/imports", tags=["bulk import"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ImportRead)
def upload(principal: Officer, sessions: SessionsDep, gazetteer: GazetteerDep,
           settings: SettingsDep, file: Annotated[UploadFile, File(description="CSV or XLSX")],
           programme_id: Annotated[str | None, Form()] = None,
           track: Annotated[str | None, Form()] = None,
           verify: Annotated[bool, Form(description="verify (and so enrol) each new application")] = False
           ) -> ImportRead:
    batch, outcomes = imports.run_import(
        sessions=sessions, principal=principal, gazetteer=gazetteer, stream=file.file,
        filename=file.filename or "upload", programme_id=programme_id, track=track,
        verify=verify, today=today_in_jakarta(), threshold=settings.duplicate_threshold,
        chunk_rows=settings.import_chunk_rows, source=settings.source)
    return ImportRead.model_validate({**batch.model_dump(), "outcomes": outcomes})


@router.get("", response_model=list[ImportRead])
def list_imports(principal: Officer, sessions: SessionsDep, limit: LimitQuery = 50) -> list[ImportRead]:
    """Past uploads of the caller's area, newest first (their per-row reports included)."""
    with transaction(sessions) as session:
        return [ImportRead.model_validate(b) for b in imports.list_batches(
            session=session, principal=principal, limit=limit)]


@router.get("/{import_id}", response_model=ImportRead)
def get_import(import_id: str, principal: Officer, sessions: SessionsDep) -> ImportRead:
    with transaction(sessions) as session:
        return ImportRead.model_validate(imports.get_batch(session=session, principal=principal,
                                                           batch_id=import_id))
