"""How a relay takes rows of the outbox for itself, and gives them back marked or not.

* PostgreSQL (``LockedClaims``): the batch is selected ``FOR UPDATE SKIP LOCKED`` in a
  transaction that stays open while the batch is delivered; the mark (``published_at``) is
  written in that same transaction, which then commits. One write per row, and nothing to
  sweep: a relay that dies drops its connection, the server releases its locks at once, and
  another relay (or its restart) publishes the rows again. Other relays pass over locked rows.
* SQLite (``LeasedClaims``): one writer at a time, so no transaction may stay open during a
  delivery. A short transaction stamps the rows with the relay's id and a lease
  (``claimed_by``/``claimed_until``); a second one marks them. Rows whose lease expired (their
  relay crashed) are claimed again: that is the sweep.

Either way a row is marked only after the broker acknowledged it, and a crash between the two
publishes it twice at worst (consumers dedupe by event id).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    LargeBinary,
    Table,
    and_,
    any_,
    bindparam,
    cast,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine

from ..db import is_sqlite, skip_locked
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


def _wire_columns(engine: Engine, table: Table) -> list[ColumnElement[Any]]:
    def utf8(column: ColumnElement[Any]) -> ColumnElement[Any]:
        if is_sqlite(engine):
            return cast(column, LargeBinary).label(column.key)  # SQLite: the text's own bytes
        # Not CAST(... AS bytea), which would read backslashes in the JSON as escapes.
        return func.convert_to(column, "UTF8", type_=LargeBinary).label(column.key)
    t = table.c
    return [t.seq, utf8(t.event_id), t.topic, utf8(t.key), utf8(t.event_type), utf8(t.body)]


class LeasedClaims:
    def __init__(self, *, engine: Engine, table: Table, relay_id: str, lease_s: float,
                 service: str) -> None:
        self.engine, self.table, self.relay_id, self.lease_s = engine, table, relay_id, lease_s
        self.service = service

    def claim(self, limit: int, after: int | None = None) -> Batch:
        """One statement: lease the oldest free rows (past ``after``, when given) and return
        them (``UPDATE ... FROM`` the selection ``RETURNING`` the rows, and who held an
        expired lease)."""
        t, now = self.table, datetime.now(UTC)
        lease = now + timedelta(seconds=self.lease_s)
        free = _past(t, after, or_(t.c.claimed_until.is_(None), t.c.claimed_until < now))
        claimable = (select(t.c.seq, t.c.claimed_by).where(and_(t.c.published_at.is_(None), free))
                     .order_by(t.c.seq).limit(limit).cte("claimable"))
        claim = (update(t).where(t.c.seq == claimable.c.seq)
                 .values(claimed_by=self.relay_id, claimed_until=lease)
                 .returning(*_wire_columns(self.engine, t), claimable.c.claimed_by.label("previous")))
        with self.engine.begin() as conn:
            rows = sorted(conn.execute(claim).all(), key=lambda r: r.seq)
        swept = sum(1 for r in rows if r.previous is not None)
        if swept:
            OUTBOX_SWEPT.labels(self.service).inc(swept)
            log.warning("outbox.swept_expired_claims", count=swept)
        return Batch(rows, lease=lease)

    def finish(self, batch: Batch, done: list[int], failed: list[int]) -> None:
        t = self.table
        published = {"published_at": datetime.now(UTC), "claimed_by": None, "claimed_until": None}
        with self.engine.begin() as conn:
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
                             .values(published_at=datetime.now(UTC), claimed_by=None,
                                     claimed_until=None))
            if failed:
                conn.execute(update(t).where(and_(t.c.seq.in_(failed), t.c.claimed_by == self.relay_id))
                             .values(claimed_by=None, claimed_until=None))


class LockedClaims:
    def __init__(self, *, engine: Engine, table: Table) -> None:
        self.engine, self.table = engine, table

    def claim(self, limit: int, after: int | None = None) -> Batch:
        t, now = self.table, datetime.now(UTC)
        # Leases are SQLite's; one left by a relay of another version is still respected.
        free = _past(t, after, or_(t.c.claimed_until.is_(None), t.c.claimed_until < now))
        query = (select(*_wire_columns(self.engine, t))
                 .where(and_(t.c.published_at.is_(None), free)).order_by(t.c.seq).limit(limit))
        query = skip_locked(self.engine, query)
        conn = self.engine.connect()
        try:
            conn.begin()
            rows = conn.execute(query).all()
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
                conn.execute(update(self.table).where(_seq_in(self.table, done))
                             .values(published_at=datetime.now(UTC), claimed_by=None,
                                     claimed_until=None))
            conn.commit()
        finally:
            conn.close()


def _past(table: Table, after: int | None, free: ColumnElement[bool]) -> ColumnElement[bool]:
    return free if after is None else and_(free, table.c.seq > after)


def _seq_in(table: Table, seqs: list[int]) -> ColumnElement[bool]:
    # One array parameter instead of thousands of expanded ones.
    return table.c.seq == any_(bindparam("seqs", seqs, type_=ARRAY(BigInteger)))


def claims_for(*, engine: Engine, table: Table, relay_id: str, lease_s: float,
               service: str) -> LeasedClaims | LockedClaims:
    if is_sqlite(engine):
        return LeasedClaims(engine=engine, table=table, relay_id=relay_id, lease_s=lease_s,
                            service=service)
    return LockedClaims(engine=engine, table=table)
