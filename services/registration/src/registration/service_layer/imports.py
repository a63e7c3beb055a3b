"""Bulk import of kelurahan lists (CSV/XLSX), streamed, each row atomic.

Rows are parsed one at a time; valid rows are written in chunked transactions with one
savepoint per row, so a row is either wholly stored (person, household, application and their
events) or not at all, and a file of 100k rows never sits in memory or in one transaction.
Uploading the same file again creates nothing new: a NIK already registered is "skipped",
and an application that exists is left as it is.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, BinaryIO

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area, within
from berdaya_shared.db import transaction
from berdaya_shared.errors import NotFound, ProblemError

from ..adapters.tables import Application, ImportBatch
from ..domain.gazetteer import Gazetteer
from ..domain.importing import PersonInput, RowError, iter_rows, parse_row
from . import applications, participants
from .programmes import get_programme

MAX_STORED_ERRORS = 5000


@dataclass
class Report:
    rows_total: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    rows_failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    def fail(self, error: RowError) -> None:
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": error.row, "field": error.field, "reason": error.reason})


def sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def run_import(*, sessions: sessionmaker[Session], principal: Principal, gazetteer: Gazetteer,
               stream: BinaryIO, filename: str, programme_id: str | None, track: str | None,
               verify: bool, today: date, threshold: float, chunk_rows: int,
               source: str) -> tuple[ImportBatch, dict[str, int]]:
    """Returns the stored batch record and how many rows ended in each outcome."""
    if programme_id:
        with transaction(sessions) as session:
            get_programme(session=session, programme_id=programme_id)
    digest = sha256_of(stream)
    report = Report()
    rows = iter_rows(stream, filename)
    while chunk := list(islice(rows, chunk_rows)):
        with transaction(sessions) as session:
            for row_number, raw in chunk:
                report.rows_total += 1
                person, errors = parse_row(row_number, raw, gazetteer)
                if person is None:
                    report.rows_failed += 1
                    for error in errors:
                        report.fail(error)
                    continue
                try:
                    with session.begin_nested():
                        outcome = _import_row(session, principal, person, programme_id, track,
                                              verify, today, threshold, source)
                except ProblemError as exc:
                    report.rows_failed += 1
                    report.fail(RowError(row_number, exc.field or "row", exc.detail))
                    continue
                report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
                if outcome.startswith("skipped"):
                    report.rows_skipped += 1
                else:
                    report.rows_imported += 1
    with transaction(sessions) as session:
        batch = ImportBatch(filename=filename[:200], sha256=digest, programme_id=programme_id,
                            area_code=principal.area, uploaded_by=principal.subject,
                            uploaded_at=datetime.now(UTC),
                            rows_total=report.rows_total, rows_imported=report.rows_imported,
                            rows_skipped=report.rows_skipped, rows_failed=report.rows_failed,
                            errors=report.errors)
        session.add(batch)
        session.flush()
        return batch, report.outcomes


def get_batch(*, session: Session, principal: Principal, batch_id: str) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id)
    if batch is None or not within(batch.area_code, principal.area):
        raise NotFound("No such import in your area.", field="import_id")
    return batch


def list_batches(*, session: Session, principal: Principal, limit: int) -> list[ImportBatch]:
    """Imports uploaded by officers of the caller's area, newest first."""
    return list(session.exec(select(ImportBatch).where(in_area(ImportBatch.area_code, principal.area))
                             .order_by(ImportBatch.uploaded_at.desc()).limit(limit)).all())


def _import_row(session: Session, principal: Principal, person: PersonInput,
                programme_id: str | None, track: str | None, verify: bool, today: date,
                threshold: float, source: str) -> str:
    existing = participants.by_nik(session, person.nik)
    if existing is None:
        participant, _ = participants.register(session=session, principal=principal,
                                               person=person, threshold=threshold, source=source)
        outcome = "registered"
    elif not principal.covers(existing.kelurahan_code):
        raise ProblemError("A person with this NIK is registered in another area.", field="nik")
    else:
        participant, outcome = existing, "skipped: already registered"
    if not programme_id:
        return outcome
    if session.exec(select(Application).where(Application.programme_id == programme_id,
                                              Application.participant_id == participant.id)).first():
        return "skipped: already applied" if outcome.startswith("skipped") else outcome
    app = applications.submit(session=session, principal=principal, participant_id=participant.id,
                              programme_id=programme_id, track=track, today=today, source=source)
    if verify:
        app = applications.verify(session=session, principal=principal, application_id=app.id,
                                  today=today, source=source)
    return app.status
