from typing import Annotated

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.clock import today_in_jakarta
from fastapi import APIRouter, File, Form, UploadFile, status

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
