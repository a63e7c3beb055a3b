"""Bulk import: upload a list (202, processed by the jobs role), poll its progress and report."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status

from berdaya_shared.api.deps import LimitQuery, SessionsDep
from berdaya_shared.api.problems import language_of
from berdaya_shared.api.types import NoNul
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction

from ...adapters.tables import ImportBatch
from ...domain.importing import ImportState
from ...service_layer import imports
from ..deps import Officer, SettingsDep
from ..schemas import ImportRead, ImportSummary, RowProblem

router = APIRouter(prefix="/imports", tags=["bulk import"])


def _summary(batch: ImportBatch, language: str) -> dict[str, object]:
    body = ImportSummary.model_validate(batch, from_attributes=True).model_dump()
    body["rows_total"] = batch.rows_total if batch.state == ImportState.DONE else None
    body["error"] = batch.error_en if language == "en" and batch.error_en else batch.error
    return body


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=ImportRead,
             responses={413: {"description": "the file is over REGISTRATION_IMPORT_MAX_BYTES or "
                                             "REGISTRATION_IMPORT_MAX_ROWS"}})
def upload(request: Request, response: Response, principal: Officer, sessions: SessionsDep,
           settings: SettingsDep, file: Annotated[UploadFile, File(description="CSV or XLSX")],
           programme_id: Annotated[str | None, Form(max_length=36), NoNul] = None,
           track: Annotated[str | None, Form(max_length=60), NoNul] = None,
           verify: Annotated[bool, Form(description="verify (and so enrol) each new application")] = False
           ) -> ImportRead:
    """Store the list and queue it: the jobs role imports it in chunks. Poll the Location."""
    upload = imports.Upload(stream=file.file, filename=(file.filename or "upload").replace("\x00", ""),
                            programme_id=programme_id, track=track, verify=verify)
    with transaction(sessions) as session:
        batch = imports.create_import(session=session, principal=principal, upload=upload,
                                      limits=settings.imports, today=today_in_jakarta())
        body = ImportRead.model_validate({**_summary(batch, language_of(request)), "errors": []})
    response.headers["Location"] = f"/imports/{batch.id}"
    return body


@router.get("", response_model=list[ImportSummary])
def list_imports(request: Request, principal: Officer, sessions: SessionsDep,
                 limit: LimitQuery = 50) -> list[ImportSummary]:
    """Uploads of the caller's area, newest first (read one import for its row report)."""
    language = language_of(request)
    with transaction(sessions) as session:
        return [ImportSummary.model_validate(_summary(b, language)) for b in imports.list_imports(
            session=session, principal=principal, limit=limit)]


@router.get("/{import_id}", response_model=ImportRead)
def get_import(request: Request, import_id: str, principal: Officer, sessions: SessionsDep) -> ImportRead:
    """State and progress; the row report grows chunk by chunk and is complete once done."""
    language = language_of(request)
    with transaction(sessions) as session:
        batch = imports.get_import(session=session, principal=principal, import_id=import_id)
        errors = [RowProblem(row=e.row, field=e.field,
                             reason=e.reason_en if language == "en" else e.reason)
                  for e in imports.row_errors(session=session, batch_id=batch.id)]
        legacy = [RowProblem.model_validate(e) for e in batch.errors]  # imports made before 0003
        return ImportRead.model_validate({**_summary(batch, language), "errors": legacy + errors})
