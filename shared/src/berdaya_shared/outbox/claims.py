"""How a relay takes rows of the outbox for itself, and gives them back marked or not.

* PostgreSQL (``LockedClaims``): the batch is selected ``FOR UPDATE SKIP LOCKED`` in a
  transaction that stays open while the batch is delivered; the mark (``published_at``) is
  written in that same transaction, which then commits. One write per row, and nothing to
  sweep: a relay that dies drops its connection, the server releases its locks at once, and
  another relay (or its restart) publishes the rows again. Other relays pass over locked rows.
* SQLite (``LeasedClaims``): one writer at a time, so no transaction may stay open during a
  delivery. A short transaction stamps the rows with the relay's id and a lease
  (``claimed_by``/``claimed_until``); a second one marks them, and claims the next batch
  (``finish_and_claim``: one commit for both). Rows whose lease expired (their relay crashed)
  are claimed again: that is the sweep.

Either way a row is marked only after the broker acknowledged it, and a crash between the two
publishes it twice at worst (consumers dedupe by event id).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    Table,
    and_,
    cast,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from ..db import is_sqlite
from ..logging import get_logger
from ..metrics import OUTBOX_SWEPT

log = get_logger(__name__)


@dataclass
class Batch:
    # (seq, event_id, topic, key, event_type, body) in seq order; all but seq and topic as
    # UTF-8 bytes, converted by the store: what the producer sends, with no Python per field.
    rows: Sequence[Any]
    held: Connection | None = None  # PostgreSQL: the open transaction holding the rows' locks
    lease: datetime | None = None  # SQLite: the ``claimed_until`` stamped on exactly these rows


def _wire_columns(table: Table) -> list[ColumnElement[Any]]:
    """SQLite: the text columns as their own UTF-8 bytes."""
    def utf8(column: ColumnElement[Any]) -> ColumnElement[Any]:
        return cast(column, LargeBinary).label(column.key)
    t = table.c
    return [t.seq, utf8(t.event_id), t.topic, utf8(t.key), utf8(t.event_type), utf8(t.body)]


class LeasedClaims:
    def __init__(self, *, engine: Engine, table: Table, relay_id: str, lease_s: float,
                 service: str) -> None:
        self.engine, self.table, self.relay_id, self.lease_s = engine, table, relay_id, lease_s
        self.service = service

    def claim(self, limit: int, after: int | None = None) -> Batch:
        with self.engine.begin() as conn:
            return self._claim(conn, limit, after)

    def finish(self, batch: Batch, done: list[int], failed: list[int]) -> None:
        with self.engine.begin() as conn:
            self._finish(conn, batch, done, failed)

    def finish_and_claim(self, batch: Batch, done: list[int], failed: list[int], limit: int,
                         after: int | None) -> Batch:
        """Mark one batch and claim the next in one transaction: one commit (one fsync)
        instead of two, and no wait for SQLite's single write lock between them."""
        with self.engine.begin() as conn:
            self._finish(conn, batch, done, failed)
            return self._claim(conn, limit, after)

    def _claim(self, conn: Connection, limit: int, after: int | None) -> Batch:
        """Lease the oldest free rows (past ``after``, when given) and return them, in one
        transaction (``BEGIN IMMEDIATE``: no other writer between its two statements). The
        first finds the last row of the batch and how many of its rows held an expired lease
        (SQLite's ``RETURNING`` sees only the new values); the second stamps the free rows up
        to that one, which are exactly the same, and returns them."""
        t, now = self.table, datetime.now(UTC)
        lease = now + timedelta(seconds=self.lease_s)
        free = and_(t.c.published_at.is_(None),
                    _past(t, after, or_(t.c.claimed_until.is_(None), t.c.claimed_until < now)))
        claimable = (select(t.c.seq, t.c.claimed_by).where(free).order_by(t.c.seq).limit(limit)
                     .subquery())
        probe = select(func.max(claimable.c.seq), func.count(claimable.c.claimed_by))
        last, swept = conn.execute(probe).one()
        if last is None:
            return Batch([])
        rows = sorted(conn.execute(update(t).where(free, t.c.seq <= last)
                                   .values(claimed_by=self.relay_id, claimed_until=lease)
                                   .returning(*_wire_columns(t))).all(),
                      key=lambda r: r[0])
        if swept:
            OUTBOX_SWEPT.labels(self.service).inc(swept)
            log.warning("outbox.swept_expired_claims", count=swept)
        return Batch(rows, lease=lease)

    def _finish(self, conn: Connection, batch: Batch, done: list[int], failed: list[int]) -> None:
        t = self.table
        published = {"published_at": datetime.now(UTC), "claimed_by": None, "claimed_until": None}
        if done and not failed and batch.lease is not None:
            # All delivered: the batch's rows are those within its seq range holding its
            # lease (no list of thousands of parameters to bind).
            conn.execute(update(t).where(
                t.c.seq.between(batch.rows[0][0], batch.rows[-1][0]),
                t.c.claimed_by == self.relay_id, t.c.claimed_until == batch.lease)
                .values(**published))
            return
        if done:
            conn.execute(update(t).where(and_(t.c.seq.in_(done), t.c.claimed_by == self.relay_id))
                         .values(**published))
        if failed:
            conn.execute(update(t).where(and_(t.c.seq.in_(failed), t.c.claimed_by == self.relay_id))
                         .values(claimed_by=None, claimed_until=None))


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


_ORDERED_SCAN = ("SELECT set_config('enable_sort', 'off', true),"
                 " set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)")


def _past(table: Table, after: int | None, free: ColumnElement[bool]) -> ColumnElement[bool]:
    return free if after is None else and_(free, table.c.seq > after)


def claims_for(*, engine: Engine, table: Table, relay_id: str, lease_s: float,
               service: str) -> LeasedClaims | LockedClaims:
    if is_sqlite(engine):
        return LeasedClaims(engine=engine, table=table, relay_id=relay_id, lease_s=lease_s,
                            service=service)
    return LockedClaims(engine=engine, table=table)
