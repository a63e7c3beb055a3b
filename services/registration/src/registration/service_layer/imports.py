"""Bulk import of kelurahan lists (CSV/XLSX): the upload, and reading an import back.

``POST /imports`` checks the form (programme, track, file type, the header row, the limits),
stores the file in the database in parts of 1 MiB (any API replica can take the upload, any
jobs process can read it) and queues the import; the ``jobs`` role processes it in chunks
(import_runs.py) and the officer polls ``GET /imports/{id}`` for progress and the row report.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import BinaryIO

from sqlalchemy import insert
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area, within
from berdaya_shared.errors import Conflict, InvalidInput, NotFound, TooLarge

from ..adapters.tables import ImportBatch, ImportFilePart, ImportRowError, metadata
from ..config import ImportSettings
from ..domain.importing import ImportState, count_xlsx_rows, file_kind, iter_rows
from .programmes import get_programme

PART_BYTES = 1 << 20
MAX_STORED_ERRORS = 5000  # per import; rows_failed still counts every failed row


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO
    filename: str
    programme_id: str | None
    track: str | None
    verify: bool


def create_import(*, session: Session, principal: Principal, upload: Upload,
                  limits: ImportSettings, today: date) -> ImportBatch:
    """Check the form and the file's header, store the file, queue the import."""
    kind = file_kind(upload.filename)
    programme_id = upload.programme_id or None
    if programme_id:
        _check_programme(session, programme_id, upload.track, today)
    name = upload.filename if len(upload.filename) <= 200 else f"{upload.filename[:190]}….{kind}"
    batch = ImportBatch(filename=name, sha256="", programme_id=programme_id,
                        track=upload.track, verify=upload.verify, area_code=principal.area,
                        uploaded_by=principal.subject, uploader_roles=sorted(principal.roles),
                        uploaded_at=datetime.now(UTC), state=ImportState.QUEUED)
    session.add(batch)
    session.flush()
    batch.sha256, batch.size_bytes, lines = _store(session, batch.id, upload.stream, limits)
    upload.stream.seek(0)
    rows = iter_rows(upload.stream, upload.filename)
    try:
        next(rows, None)  # the header's problems (missing columns, not UTF-8...) are a 422 now
    finally:
        rows.close()
    upload.stream.seek(0)
    batch.rows_expected = lines if kind == "csv" else count_xlsx_rows(upload.stream)
    if batch.rows_expected is not None and batch.rows_expected > limits.max_rows:
        raise TooLarge(f"Berkas berisi {batch.rows_expected:,} baris data; paling banyak "
                       f"{limits.max_rows:,} baris per unggahan: bagi berkasnya.".replace(",", "."),
                       en=f"The file holds {batch.rows_expected:,} data rows; at most "
                          f"{limits.max_rows:,} rows per upload: split the file.",
                       field="file", limit_rows=limits.max_rows)
    session.add(batch)
    session.flush()
    return batch


def _check_programme(session: Session, programme_id: str, track: str | None, today: date) -> None:
    programme = get_programme(session=session, programme_id=programme_id)
    if not programme.intake_opens_on <= today <= programme.intake_closes_on:
        window = f"{programme.intake_opens_on} s.d. {programme.intake_closes_on}"
        raise Conflict(f"Masa pendaftaran {programme.code} berlangsung {window}.",
                       en=f"The intake of {programme.code} runs {window.replace('s.d.', 'to')}.",
                       field="programme_id")
    if programme.tracks and track not in programme.tracks:
        tracks = ", ".join(programme.tracks)
        raise InvalidInput(f"Pilih salah satu jalur pelatihan: {tracks}.",
                           en=f"Choose one of the tracks: {tracks}.", field="track")


def _store(session: Session, batch_id: str, stream: BinaryIO,
           limits: ImportSettings) -> tuple[str, int, int]:
    """Write the file in parts; returns (sha256, bytes, data lines). Over the limit: 413."""
    digest, size, newlines, last = hashlib.sha256(), 0, 0, b"\n"
    table = metadata.tables[ImportFilePart.__tablename__]
    for seq, part in enumerate(iter(lambda: stream.read(PART_BYTES), b"")):
        size += len(part)
        if size > limits.max_bytes:
            raise TooLarge(f"Berkas lebih besar dari batas {limits.max_bytes:,} byte.".replace(",", "."),
                           en=f"The file is larger than the limit of {limits.max_bytes:,} bytes.",
                           field="file", limit_bytes=limits.max_bytes)
        digest.update(part)
        newlines, last = newlines + part.count(b"\n"), part[-1:]
        session.execute(insert(table).values(batch_id=batch_id, seq=seq, data=part))
    lines = newlines + (0 if last == b"\n" else 1)
    return digest.hexdigest(), size, max(0, lines - 1)  # the header is not a data row


def read_file(session: Session, batch_id: str, seq: int) -> bytes | None:
    part = session.get(ImportFilePart, (batch_id, seq))
    return None if part is None else part.data


def get_import(*, session: Session, principal: Principal, import_id: str) -> ImportBatch:
    batch = session.get(ImportBatch, import_id)
    if batch is None or not within(batch.area_code, principal.area):
        raise NotFound("Impor ini tidak ada di wilayah Anda.", en="No such import in your area.",
                       field="import_id")
    return batch


def row_errors(*, session: Session, batch_id: str) -> list[ImportRowError]:
    return list(session.exec(select(ImportRowError).where(col(ImportRowError.batch_id) == batch_id)
                             .order_by(col(ImportRowError.row), col(ImportRowError.id))).all())


def list_imports(*, session: Session, principal: Principal, limit: int) -> list[ImportBatch]:
    """Imports uploaded by officers of the caller's area, newest first."""
    return list(session.exec(select(ImportBatch).where(in_area(col(ImportBatch.area_code), principal.area))
                             .order_by(col(ImportBatch.uploaded_at).desc()).limit(limit)).all())
