"""The jobs role's side of an import: claim a queued one, process it chunk by chunk, report.

* **Claim** (one short transaction): the oldest queued import, or a running one whose lease
  ran out (its worker died), ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so several jobs
  processes share the work without waiting on each other.
* **Chunks**: each chunk of ``chunk_rows`` rows is one transaction that locks the import's
  row, checks the claim is still ours and that ``last_row`` is where we think it is, writes
  the rows with bulk statements (import_chunk.py), adds their row errors and moves
  ``last_row``/``rows_done`` on, renewing the lease. A crash loses at most the uncommitted
  chunk; whoever resumes starts after ``last_row``, so no row is imported twice.
* **Rows**: any row that fails, for any reason (a bad value, a second row with the same NIK in
  the file, the database refusing it), is reported and the import goes on. When the chunk's
  bulk write fails in the database, the chunk is written again one row at a time, each in its
  own savepoint, and the row the database refuses is reported with the reason.
* **The file**: a file-level error anywhere (not UTF-8, a NUL byte, a damaged workbook, more
  rows than allowed) ends the import as ``failed`` with what was committed before it.
"""

import os
import socket
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from sqlalchemy import and_, delete, func, insert, or_, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import get_for_update, new_id, skip_locked, transaction
from berdaya_shared.gazetteer import Gazetteer
from berdaya_shared.logging import get_logger

from ..adapters.tables import ImportBatch, ImportFilePart, ImportRowError, Programme, metadata
from ..config import ImportSettings
from ..domain.importing import (
    ImportFileError,
    ImportState,
    Outcome,
    RowError,
    iter_rows,
    nik_key,
    parse_row,
)
from .import_chunk import ImportContext, ValidRow, write_chunk
from .imports import MAX_STORED_ERRORS, read_file

log = get_logger(__name__)
TRANSIENT = (OperationalError, InterfaceError)  # the store, not the row: retry the chunk later


class LostClaim(Exception):
    """Another worker holds the import now (our lease ran out); leave it to them."""


@dataclass
class _Cursor:
    """A worker's open reading of one import's file, kept between runs of the job."""

    batch_id: str
    file: IO[bytes]
    rows: Iterator[tuple[int, dict[str, str]]]
    position: int = 1                      # the last row handed out (the header is row 1)
    rows_read: int = 0                     # data rows handed out so far
    first_of_nik: dict[int, int] = field(default_factory=dict)  # NIK (as a number) -> row
    pending: tuple[int, dict[str, str]] | None = None

    def take(self, count: int) -> list[tuple[int, dict[str, str]]]:
        taken: list[tuple[int, dict[str, str]]] = []
        while len(taken) < count:
            item = self.pending or next(self.rows, None)
            self.pending = None
            if item is None:
                break
            taken.append(item)
        return taken

    def skip_to(self, last_row: int) -> None:
        """Pass over the rows already committed, remembering their NIKs."""
        for item in self.rows:
            if item[0] > last_row:
                self.pending = item
                return
            self.rows_read += 1
            key = nik_key(item[1])
            if key is not None:
                self.first_of_nik.setdefault(int(key), item[0])

    def close(self) -> None:
        self.rows = iter(())
        self.file.close()


@dataclass
class _ChunkReport:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)


class ImportWorker:
    """Processes imports for one jobs process; ``run_once`` is what the periodic job calls."""

    def __init__(self, *, sessions: sessionmaker[Session], gazetteer: Gazetteer,
                 settings: ImportSettings, threshold: float, source: str) -> None:
        self.sessions, self.gazetteer, self.settings = sessions, gazetteer, settings
        self.threshold, self.source = threshold, source
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{new_id()[:8]}"
        self._cursor: _Cursor | None = None

    def run_once(self, *, budget_s: float | None = None) -> int:
        """Work on claimed imports for up to ``budget_s`` (default: the slice setting);
        returns how many rows were committed."""
        deadline = time.monotonic() + (self.settings.slice_s if budget_s is None else budget_s)
        done = 0
        while time.monotonic() < deadline:
            batch_id = self._claim()
            if batch_id is None:
                self._drop_cursor()  # whatever we were reading is over (or someone else's now)
                break
            try:
                done += self._work(batch_id, deadline)
            except LostClaim:
                log.warning("import.claim_lost", import_id=batch_id, worker=self.worker_id)
                self._drop_cursor()
            except Exception:
                self._drop_cursor()  # re-read from the last committed row next time
                raise
        return done

    # -- claiming -----------------------------------------------------------------------------

    def _claim(self) -> str | None:
        now = datetime.now(UTC)
        with transaction(self.sessions) as session:
            query = (select(ImportBatch.id).where(or_(
                col(ImportBatch.state) == ImportState.QUEUED,
                and_(col(ImportBatch.state) == ImportState.RUNNING,
                     or_(col(ImportBatch.claimed_by) == self.worker_id,
                         col(ImportBatch.claimed_until) < now))))
                     .order_by(col(ImportBatch.uploaded_at), col(ImportBatch.id)).limit(1))
            query = skip_locked(session.get_bind(), query)
            batch_id = session.exec(query).first()
            if batch_id is None:
                return None
            session.execute(update(ImportBatch).where(col(ImportBatch.id) == batch_id).values(
                state=ImportState.RUNNING, claimed_by=self.worker_id,
                claimed_until=now + timedelta(seconds=self.settings.lease_s),
                started_at=func.coalesce(col(ImportBatch.started_at), now)))
            return batch_id

    # -- working ------------------------------------------------------------------------------

    def _work(self, batch_id: str, deadline: float) -> int:
        with transaction(self.sessions) as session:
            batch = session.get(ImportBatch, batch_id)
            assert batch is not None
            programme = session.get(Programme, batch.programme_id) if batch.programme_id else None
        if batch.programme_id and programme is None:
            self._fail(batch_id, "programnya tidak ada lagi", "its programme no longer exists")
            return 0
        ctx = ImportContext(
            principal=Principal(subject=batch.uploaded_by, roles=frozenset(batch.uploader_roles),
                                area=batch.area_code),
            programme=programme, track=batch.track, verify=batch.verify, today=today_in_jakarta(),
            threshold=self.threshold, source=self.source)
        try:
            cursor = self._open(batch)
        except ImportFileError as exc:
            self._fail(batch_id, exc.reason, exc.reason_en)
            return 0
        done = 0
        while True:
            try:
                chunk = cursor.take(self.settings.chunk_rows)
                parsed = self._parse(cursor, chunk)
            except ImportFileError as exc:
                self._drop_cursor()
                self._fail(batch_id, exc.reason, exc.reason_en)
                return done
            if not chunk:
                self._drop_cursor()
                self._finish(batch_id)
                return done
            self._commit(ctx, batch_id, cursor.position, chunk[-1][0], *parsed)
            cursor.position = chunk[-1][0]
            done += len(chunk)
            if time.monotonic() >= deadline:
                return done

    def _open(self, batch: ImportBatch) -> _Cursor:
        """The open reading of this import's file at ``last_row``, or a new one."""
        cursor = self._cursor
        if cursor is not None and cursor.batch_id == batch.id and cursor.position == batch.last_row:
            return cursor
        self._drop_cursor()
        spooled = tempfile.TemporaryFile(prefix="berdaya-import-")  # closed by the cursor
        with transaction(self.sessions) as session:
            seq = 0
            while (part := read_file(session, batch.id, seq)) is not None:
                spooled.write(part)
                seq += 1
        spooled.seek(0)
        cursor = _Cursor(batch.id, spooled, iter_rows(spooled, batch.filename))
        try:
            cursor.skip_to(batch.last_row)
        except BaseException:
            cursor.close()
            raise
        cursor.position = batch.last_row
        self._cursor = cursor
        return cursor

    def _drop_cursor(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None

    def _parse(self, cursor: _Cursor,
               chunk: list[tuple[int, dict[str, str]]]) -> tuple[list[ValidRow], list[RowError]]:
        valid: list[ValidRow] = []
        errors: list[RowError] = []
        for row, raw in chunk:
            cursor.rows_read += 1
            if cursor.rows_read > self.settings.max_rows:
                raise ImportFileError(
                    f"berkas berisi lebih dari {self.settings.max_rows} baris data (baris {row})",
                    f"the file holds more than {self.settings.max_rows} data rows (row {row})")
            key = nik_key(raw)
            first = cursor.first_of_nik.setdefault(int(key), row) if key else row
            person, problems = parse_row(row, raw, self.gazetteer)
            if first != row:
                problems.append(RowError(row, "nik", f"NIK yang sama sudah ada di baris {first} berkas ini",
                                         f"the same NIK is already in row {first} of this file"))
            if problems or person is None:
                errors.extend(problems)
            else:
                valid.append(ValidRow(row, person))
        return valid, errors

    # -- committing ---------------------------------------------------------------------------

    def _locked(self, session: Session, batch_id: str, last_row: int | None = None) -> ImportBatch:
        batch = get_for_update(session, ImportBatch, batch_id)
        if (batch is None or batch.claimed_by != self.worker_id or batch.state != ImportState.RUNNING
                or (last_row is not None and batch.last_row != last_row)):
            raise LostClaim(batch_id)
        return batch

    def _commit(self, ctx: ImportContext, batch_id: str, after_row: int, last_row: int,
                valid: list[ValidRow], invalid: list[RowError]) -> None:
        with transaction(self.sessions) as session:
            batch = self._locked(session, batch_id, after_row)
            if ctx.programme is not None:  # today's seats and rules, not the upload's
                ctx = replace(ctx, programme=session.get(Programme, ctx.programme.id))
            results = _write(session, ctx, valid)
            report = _ChunkReport(errors=list(invalid))
            rows = {e.row for e in invalid} | {v.row for v in valid}
            report.rows = len(rows)
            for result in results.values():
                if isinstance(result, RowError):
                    report.errors.append(result)
                else:
                    report.outcomes[result.value] += 1
                    report.skipped += result.skipped
                    report.imported += not result.skipped
            report.failed = len({e.row for e in report.errors})
            self._record(session, batch, report, last_row)

    def _record(self, session: Session, batch: ImportBatch, report: _ChunkReport,
                last_row: int) -> None:
        room = max(0, MAX_STORED_ERRORS - batch.errors_stored)
        stored = sorted(report.errors, key=lambda e: e.row)[:room]
        if stored:
            session.execute(insert(metadata.tables[ImportRowError.__tablename__]), [
                {"batch_id": batch.id, "row": e.row, "field": e.field[:60], "reason": e.reason,
                 "reason_en": e.reason_en} for e in stored])
        batch.errors_stored += len(stored)
        batch.rows_done += report.rows
        batch.rows_imported += report.imported
        batch.rows_skipped += report.skipped
        batch.rows_failed += report.failed
        batch.outcomes = dict(Counter(batch.outcomes) + report.outcomes)
        batch.chunks_committed += 1
        batch.last_row = last_row
        batch.claimed_until = datetime.now(UTC) + timedelta(seconds=self.settings.lease_s)
        session.add(batch)

    def _finish(self, batch_id: str) -> None:
        with transaction(self.sessions) as session:
            batch = self._locked(session, batch_id)
            batch.state, batch.rows_total = ImportState.DONE, batch.rows_done
            self._close(session, batch)
        log.info("import.done", import_id=batch_id, rows=batch.rows_done,
                 imported=batch.rows_imported, failed=batch.rows_failed)

    def _fail(self, batch_id: str, reason: str, reason_en: str) -> None:
        with transaction(self.sessions) as session:
            batch = self._locked(session, batch_id)
            kept = (f"{batch.chunks_committed} bagian sudah tersimpan sebelumnya "
                    f"({batch.rows_done} baris, sampai baris {batch.last_row})")
            kept_en = (f"{batch.chunks_committed} chunk(s) were committed before "
                       f"({batch.rows_done} rows, up to row {batch.last_row})")
            batch.state = ImportState.FAILED
            batch.error = f"Impor berhenti: {reason}. {kept}; baris sesudahnya tidak diimpor."[:1000]
            batch.error_en = (f"The import stopped: {reason_en}. {kept_en}; later rows were not "
                              "imported.")[:1000]
            self._close(session, batch)
        log.warning("import.failed", import_id=batch_id, rows=batch.rows_done, reason=reason_en)

    def _close(self, session: Session, batch: ImportBatch) -> None:
        """The import is over: drop the stored file (its rows are in the report) and the claim."""
        batch.finished_at, batch.claimed_by, batch.claimed_until = datetime.now(UTC), None, None
        session.add(batch)
        session.execute(delete(ImportFilePart).where(col(ImportFilePart.batch_id) == batch.id))


def _write(session: Session, ctx: ImportContext, rows: list[ValidRow]) -> dict[int, Outcome | RowError]:
    """The chunk in one go; if the database refuses it, row by row (reporting the refused)."""
    if not rows:
        return {}
    try:
        with session.begin_nested():
            return write_chunk(session, ctx, rows)
    except TRANSIENT:
        raise
    except DBAPIError:
        log.info("import.chunk_retried_by_row", rows=len(rows))
    results: dict[int, Outcome | RowError] = {}
    for item in rows:
        try:
            with session.begin_nested():
                results.update(write_chunk(session, ctx, [item]))
        except TRANSIENT:
            raise
        except DBAPIError as exc:
            results[item.row] = RowError(item.row, "row", *_refused(exc))
    return results


def _refused(exc: DBAPIError) -> tuple[str, str]:
    """Why the database refused a row, without the row's values (a NIK must not be echoed)."""
    diag: Any = getattr(exc.orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or type(exc.orig).__name__
    return (f"basis data menolak baris ini ({constraint})",
            f"the database refused this row ({constraint})")
