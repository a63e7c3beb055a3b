"""How a relay takes rows of the outbox for itself, and gives them back marked or not.

* PostgreSQL (``LockedClaims``): the batch is selected ``FOR UPDATE SKIP LOCKED`` in a
  transaction that stays open while the batch is delivered; the mark (``published_at``) is
  written in that same transaction, which then commits. One write per row, and nothing to
  sweep: a relay that dies drops its connection, the server releases its locks at once, and
  another relay (or its restart) publishes the rows again. Other relays pass over locked rows.
* SQLite (``SoleClaims``): one writer at a time, so no transaction may stay open during a
  delivery. One relay publishes at a time, holding a file lock the operating system drops if
  it dies; a claim is a plain read, and the mark of a batch goes with the claim of the next
  (``finish_and_claim``: one commit for both).

``claimed_by``/``claimed_until`` were the leases of earlier SQLite relays; no relay writes
them now, and a row one of those still holds is left alone until its lease ends.

Either way a row is marked only after the broker acknowledged it, and a crash between the two
publishes it twice at worst (consumers dedupe by event id).
"""

import fcntl
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    Table,
    and_,
    cast,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from ..db import is_sqlite
from ..logging import get_logger

log = get_logger(__name__)


@dataclass
class Batch:
    # (seq, event_id, topic, key, event_type, body) in seq order; all but seq and topic as
    # UTF-8 bytes, converted by the store: what the producer sends, with no Python per field.
    rows: Sequence[Any]
    held: Connection | None = None  # PostgreSQL: the open transaction holding the rows' locks
    claimed_at: datetime | None = None  # SQLite: when it was claimed (see SoleClaims._finish)


def _wire_columns(table: Table) -> list[ColumnElement[Any]]:
    """SQLite: the text columns as their own UTF-8 bytes."""
    def utf8(column: ColumnElement[Any]) -> ColumnElement[Any]:
        return cast(column, LargeBinary).label(column.key)
    t = table.c
    return [t.seq, utf8(t.event_id), t.topic, utf8(t.key), utf8(t.event_type), utf8(t.body)]


class SoleClaims:
    """Claims on SQLite: one relay at a time per store, so rows need no lease.

    SQLite has one writer at a time, so no transaction may stay open during a delivery, and
    row leases would cost a second write of every row. Instead the relay that publishes holds
    an exclusive lock on the file ``<store>.relay-lock`` (``flock``) from its first claim until
    it has nothing in flight and nothing to claim; another relay on the same store finds the
    lock taken, claims nothing and tries again at its next wake. The operating system drops
    the lock of a relay that dies, so another relay (or its restart) takes over at once and
    publishes again what the dead one had in flight.

    A claim is then a plain read past the batches in flight, and the mark of a fully delivered
    batch one statement over its seq range: on SQLite a row commits in ``seq`` order (writers
    are serialised and ``seq`` is the next rowid), so the pending rows of that range are
    exactly the batch's. Rows still leased by a relay of an older version are left alone.
    """

    def __init__(self, *, engine: Engine, table: Table) -> None:
        self.engine, self.table = engine, table
        database = engine.url.database
        self._lock_path = f"{database}.relay-lock" if database and database != ":memory:" else None
        self._lock: IO[str] | None = None
        self._in_flight = 0  # batches claimed and not yet finished
        self._last_claimed: int | None = None  # seq of the last row claimed while any is in flight
        self._standing_by = False
        # A relay calls one method at a time; this keeps the counters and the lock right if
        # two of its callers ever overlap (a test publishing while the relay runs).
        self._mutex = threading.Lock()

    def claim(self, limit: int, after: int | None = None) -> Batch:
        with self._mutex:
            if not self._hold_lock():
                return Batch([])
            try:
                with self.engine.begin() as conn:
                    return self._claim(conn, limit, after)
            finally:
                self._let_go_if_idle()

    def finish(self, batch: Batch, done: list[int], failed: list[int]) -> None:
        with self._mutex:
            try:
                with self.engine.begin() as conn:
                    self._finish(conn, batch, done, failed)
            finally:
                self._let_go_if_idle()

    def finish_and_claim(self, batch: Batch, done: list[int], failed: list[int], limit: int,
                         after: int | None) -> Batch:
        """Mark one batch and claim the next in one transaction: one commit (one fsync)
        instead of two, and no wait for SQLite's single write lock between them."""
        with self._mutex:
            try:
                with self.engine.begin() as conn:
                    self._finish(conn, batch, done, failed)
                    return self._claim(conn, limit, after)
            finally:
                self._let_go_if_idle()

    def close(self) -> None:
        with self._mutex:
            self._in_flight = 0
            self._let_go_if_idle()

    def _claim(self, conn: Connection, limit: int, after: int | None) -> Batch:
        t, now = self.table, datetime.now(UTC)
        if self._in_flight and self._last_claimed is not None:  # never a row in flight again
            after = max(after or 0, self._last_claimed)
        free = and_(t.c.published_at.is_(None),
                    _past(t, after, or_(t.c.claimed_until.is_(None), t.c.claimed_until < now)))
        rows = conn.execute(select(*_wire_columns(t)).where(free).order_by(t.c.seq).limit(limit)).all()
        if rows:
            self._in_flight += 1
            self._last_claimed = rows[-1][0]
        return Batch(rows, claimed_at=now)

    def _finish(self, conn: Connection, batch: Batch, done: list[int], failed: list[int]) -> None:
        if not batch.rows:
            return
        self._in_flight -= 1
        t = self.table
        published = {"published_at": datetime.now(UTC), "claimed_by": None, "claimed_until": None}
        if done and not failed and batch.claimed_at is not None:
            # All delivered: the pending rows of the batch's seq range that were free when it
            # was claimed (no list of thousands of parameters to bind).
            conn.execute(update(t).where(
                t.c.seq.between(batch.rows[0][0], batch.rows[-1][0]), t.c.published_at.is_(None),
                or_(t.c.claimed_until.is_(None), t.c.claimed_until < batch.claimed_at))
                .values(**published))
        elif done:
            conn.execute(update(t).where(t.c.seq.in_(done)).values(**published))
        # Failed rows were never stamped: they are simply claimed again.

    def _hold_lock(self) -> bool:
        if self._lock is not None or self._lock_path is None:
            return True
        lock = open(self._lock_path, "a")  # noqa: SIM115 - held across calls, closed by _let_go_if_idle
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            if not self._standing_by:
                log.info("outbox.relay_standing_by", reason="another relay is publishing from this store")
                self._standing_by = True
            return False
        self._lock, self._standing_by = lock, False
        return True

    def _let_go_if_idle(self) -> None:
        """Give the store to other relays once nothing is in flight (the lock is not held while
        idle, so a relay that stops, or is dropped without stopping, never blocks another)."""
        if self._in_flight == 0 and self._lock is not None:
            self._lock.close()  # closing the file releases the flock
            self._lock, self._last_claimed = None, None


class LockedClaims:
    """Claims on PostgreSQL, through the driver's own cursor: the relay's hot path reads and
    marks thousands of rows a second, and SQLAlchemy's statement and row objects cost more
    CPU there than the rows themselves (they share the relay's process with the producer).
    The cursor is binary, so the wire bytes arrive as they are (not hex-encoded)."""

    def __init__(self, *, engine: Engine, table: Table) -> None:
        self.engine, self.table = engine, table
        name = engine.dialect.identifier_preparer.format_table(table)
        # Leases are SQLite's; one left by a relay of another version is still respected.
        select_ = (f"SELECT seq, convert_to(event_id, 'UTF8'), topic, convert_to(key, 'UTF8'),"
                   f" convert_to(event_type, 'UTF8'), convert_to(body, 'UTF8') FROM {name}"
                   f" WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())")
        tail = " ORDER BY seq LIMIT %(limit)s FOR UPDATE SKIP LOCKED"
        self._claim_sql = {False: select_ + tail, True: select_ + " AND seq > %(after)s" + tail}
        # Not a list of ints: psycopg dumps those one by one in Python; the text of the array
        # is joined in C and parsed by the server.
        self._mark_sql = (f"UPDATE {name} SET published_at = statement_timestamp(), claimed_by = NULL,"
                          f" claimed_until = NULL WHERE seq = ANY(%(seqs)s::bigint[])")

    def claim(self, limit: int, after: int | None = None) -> Batch:
        conn = self.engine.connect()
        try:
            conn.begin()
            with conn.connection.dbapi_connection.cursor(binary=True) as cursor:  # type: ignore[union-attr]
                # Read the pending index in seq order and stop at ``limit``. Statistics taken
                # while the outbox was nearly empty (the usual state) make a bulk of new rows
                # look like a handful, and the planner then fetches every pending row and sorts
                # them, for each claim: 100,000 pending rows cost 15 µs of server CPU per row
                # instead of 1.
                cursor.execute(_ORDERED_SCAN)
                cursor.execute(self._claim_sql[after is not None], {"limit": limit, "after": after})
                rows = cursor.fetchall()
        except BaseException:
            conn.close()
            raise
        if not rows:
            conn.close()
            return Batch(rows)
        return Batch(rows, held=conn)

    def finish(self, batch: Batch, done: list[int], failed: list[int]) -> None:
        """Mark the delivered rows and commit; the failed ones are released with the locks."""
        conn = batch.held
        if conn is None:
            return
        try:
            if done:
                with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
                    cursor.execute(self._mark_sql, {"seqs": "{" + ",".join(map(str, done)) + "}"})
            conn.commit()
        finally:
            conn.close()

    def finish_and_claim(self, batch: Batch, done: list[int], failed: list[int], limit: int,
                         after: int | None) -> Batch:
        """Each batch holds its own transaction here: commit one, then open the next."""
        self.finish(batch, done, failed)
        return self.claim(limit, after)

    def close(self) -> None:
        """Nothing to give back: each batch's transaction ends with its ``finish``."""


_ORDERED_SCAN = ("SELECT set_config('enable_sort', 'off', true),"
                 " set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)")


def _past(table: Table, after: int | None, free: ColumnElement[bool]) -> ColumnElement[bool]:
    return free if after is None else and_(free, table.c.seq > after)


def claims_for(*, engine: Engine, table: Table) -> SoleClaims | LockedClaims:
    if is_sqlite(engine):
        return SoleClaims(engine=engine, table=table)
    return LockedClaims(engine=engine, table=table)
