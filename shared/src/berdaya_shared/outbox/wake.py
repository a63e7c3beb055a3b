"""Waking the relay when rows arrive, instead of polling on a fixed period.

* PostgreSQL: ``enqueue`` issues ``NOTIFY <channel>`` in the writer's transaction (once per
  transaction), so the notification is delivered when, and only if, the row commits. The relay
  holds one extra connection that ``LISTEN``s and sets an asyncio event on every notification.
  No migration is needed: the channel is derived from the outbox table's name.
* SQLite has no notifications: the relay polls, 5 ms after activity, doubling while idle up to
  its configured ``poll_interval_s`` (``IdleBackoff``).

A lost listener connection is not fatal: the relay falls back to the adaptive poll while the
listener reconnects (with backoff), and wakes once on reconnect for anything missed meanwhile.
Rows written without ``enqueue`` (a bulk insert) are found by the relay's periodic poll.
"""

import asyncio
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..db import is_sqlite
from ..logging import get_logger

log = get_logger(__name__)

_NOTIFIED = "berdaya_outbox_notified"


def notify_channel(table: Table) -> str:
    """The channel a relay of ``table`` listens on (an SQL identifier: table names are)."""
    return f"berdaya_{table.name}"


def notify_relay(session: Session, table: Table) -> None:
    """Wake the relays of ``table`` when the current transaction commits (PostgreSQL; a no-op on
    SQLite). Issued once per transaction: PostgreSQL folds repeats anyway, this saves the trips.
    Call it after inserting outbox rows without ``enqueue`` (bulk inserts)."""
    bind = session.get_bind()
    if is_sqlite(bind):
        return
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_NOTIFIED) is transaction:
        return
    session.execute(text(f"NOTIFY {notify_channel(table)}"))
    session.info[_NOTIFIED] = transaction


class IdleBackoff:
    """The SQLite poll: ``first_s`` after activity, doubling while idle up to ``max_s``."""

    def __init__(self, *, max_s: float, first_s: float = 0.005) -> None:
        self.first_s, self.max_s = min(first_s, max_s), max_s
        self.current_s = self.first_s

    def busy(self) -> None:
        self.current_s = self.first_s

    def next_wait(self) -> float:
        wait, self.current_s = self.current_s, min(self.max_s, self.current_s * 2)
        return wait


class Listener:
    """``LISTEN`` on the outbox channel (PostgreSQL) and set ``wake`` on each notification.

    ``listening`` is True while the connection is up; the relay waits its full poll interval
    only then, and polls adaptively otherwise.
    """

    def __init__(self, *, engine: Engine, table: Table, wake: asyncio.Event,
                 stop: asyncio.Event) -> None:
        self.engine, self.channel, self.wake, self.stop = engine, notify_channel(table), wake, stop
        self.listening = False

    @staticmethod
    def supported(engine: Engine) -> bool:
        return engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"

    async def run(self) -> None:
        import psycopg

        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        failures = 0
        while not self.stop.is_set():
            try:
                conn: Any = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
                try:
                    await conn.execute(f"LISTEN {self.channel}")
                    self.listening, failures = True, 0
                    self.wake.set()  # rows committed before LISTEN took effect
                    await self._pump(conn)
                finally:
                    self.listening = False
                    await conn.close()
            except Exception as exc:  # noqa: BLE001 - the poll covers for a lost listener
                failures += 1
                log.warning("outbox.listener_lost", attempt=failures, error=repr(exc)[:300])
                try:
                    await asyncio.wait_for(self.stop.wait(), min(30.0, 0.5 * 2 ** min(failures, 6)))
                except TimeoutError:
                    pass

    async def _pump(self, conn: Any) -> None:
        while not self.stop.is_set():
            # A bounded wait so a stop request is noticed even when no row ever arrives.
            async for _ in conn.notifies(timeout=1.0):
                self.wake.set()
