"""The outbox relay: claim a batch, publish it in one go, mark it published.

1. Claim: take up to ``batch_size`` unpublished rows no other relay holds (``claims.py``: on
   PostgreSQL locked ``FOR UPDATE SKIP LOCKED`` in a transaction held open until the mark, so
   relays never wait on each other and a dead relay's rows are free at once; on SQLite one
   relay publishes at a time, under a file lock the operating system drops if it dies).
2. Publish: send every row without awaiting each (the idempotent producer batches them), then
   await all deliveries. Never one broker round trip per row.
3. Mark: set ``published_at`` on the rows that were delivered. Rows that failed are released.

A crash between 2 and 3 publishes a row twice at worst; consumers dedupe by event id (inbox).

Pipelined (``drain``): while batch N is being delivered, batch N+1 is claimed and batch N-1
marked, each in its own short transaction, so the store's work hides behind the broker's.
Batch N+1 is sent only once every row of batch N is acknowledged, so a key's rows still leave
in ``seq`` order; if any row of N fails, N+1 is released unsent and the next claim starts
again from the oldest pending row. A row is marked only after its acknowledgement. While a
backlog lasts the claim grows (doubling from ``batch_size`` up to ``max_batch_size``): fewer,
larger transactions and broker requests; a trickle keeps small batches and low latency.

Waking (``wake.py``): on PostgreSQL ``enqueue`` NOTIFYs and the relay LISTENs, so a committed
row is published at once, with ``poll_interval_s`` only as a safety net; on SQLite the relay
polls 5 ms after activity, doubling up to ``poll_interval_s`` while idle.

A broker that is down (at start or later) is waited for, never fatal: rows stay in the outbox
and are published once it is back. ``berdaya_kafka_connected{service,role="relay"}`` says
whether the relay reaches Kafka (set by each publish, and by a metadata probe while idle).
"""

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka.errors import KafkaError  # type: ignore[import-untyped]
from sqlalchemy import (
    Table,
    delete,
    func,
    select,
)
from sqlalchemy.engine import Engine

from ..kafka import KafkaHealth, connect_with_retry, ensure_topics, new_producer
from ..logging import get_logger
from ..metrics import OUTBOX_PENDING, OUTBOX_PUBLISHED
from .claims import Batch, claims_for
from .wake import IdleBackoff, Listener

log = get_logger(__name__)

_CONTENT_TYPE = ("content-type", b"application/cloudevents+json")
FULL_SCAN_EVERY = 8  # pipelined claims; see drain()


@dataclass
class _Delivery:
    done: list[int]
    failed: list[int]
    error: BaseException | None


class OutboxRelay:
    def __init__(self, *, engine: Engine, table: Table, bootstrap: str, service: str,
                 topics: list[str], batch_size: int = 500, poll_interval_s: float = 0.2,
                 retention: timedelta = timedelta(days=7),
                 housekeeping_every_s: float = 60.0, kafka_probe_every_s: float = 10.0,
                 max_batch_size: int | None = None, topic_prefix: str = "") -> None:
        self.engine, self.table, self.bootstrap = engine, table, bootstrap
        # Rows keep the contract's topic; the stack's prefix is added on the way out.
        self.service, self.topic_prefix = service, topic_prefix
        self.topics = [topic_prefix + topic for topic in topics]
        self.batch_size, self.poll_interval_s = batch_size, poll_interval_s
        # Larger claims while a backlog lasts, within what one statement's parameters allow
        # (SQLite's mark is ``seq IN (...)``, at most 32,766 parameters).
        self.max_batch_size = max(batch_size, max_batch_size or min(8 * batch_size, 5000))
        self.retention, self.housekeeping_every_s = retention, housekeeping_every_s
        self.relay_id = f"{service}-relay-{uuid.uuid4().hex[:8]}"
        self.claims = claims_for(engine=engine, table=table)
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._listener: Listener | None = None
        self.kafka = KafkaHealth(service=service, role="relay", probe_every_s=kafka_probe_every_s)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def listening(self) -> bool:
        """True while committed rows wake this relay (PostgreSQL LISTEN is up)."""
        return self._listener is not None and self._listener.listening

    async def run(self) -> None:
        producer = await connect_with_retry(self._start_producer, health=self.kafka, stop=self._stop)
        if producer is None:
            return
        log.info("outbox.relay_started", relay_id=self.relay_id)
        self._listener = listener = (
            Listener(engine=self.engine, table=self.table, wake=self._wake, stop=self._stop)
            if Listener.supported(self.engine) else None)
        listening = asyncio.create_task(listener.run()) if listener is not None else None
        idle = IdleBackoff(max_s=self.poll_interval_s)
        next_housekeeping, failures = 0.0, 0
        try:
            while not self._stop.is_set():
                self._wake.clear()  # a NOTIFY from here on wakes the wait below
                try:
                    if asyncio.get_running_loop().time() >= next_housekeeping:
                        await asyncio.to_thread(self.housekeeping)
                        next_housekeeping = asyncio.get_running_loop().time() + self.housekeeping_every_s
                    published = await self.drain(producer)
                    failures = 0
                    if not published:
                        await self.kafka.probe(producer.client.fetch_all_metadata)
                except Exception as exc:  # noqa: BLE001 - broker or store down: wait, then retry
                    failures += 1
                    log.error("outbox.relay_failed", attempt=failures, error=repr(exc)[:300])
                    if isinstance(exc, KafkaError):
                        self.kafka.down(exc)
                    await self._sleep(min(30.0, self.poll_interval_s * 2 ** min(failures, 8)))
                    continue
                if published:
                    idle.busy()
                wait = (self.poll_interval_s if listener is not None and listener.listening
                        else idle.next_wait())
                try:
                    await asyncio.wait_for(self._wake.wait(), wait)
                except TimeoutError:
                    pass
        finally:
            self._stop.set()
            if listening is not None:
                await listening
            await producer.stop()
            self.claims.close()
            log.info("outbox.relay_stopped", relay_id=self.relay_id)

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            pass

    async def _start_producer(self) -> Any:
        await ensure_topics(self.bootstrap, self.topics)
        producer = new_producer(self.bootstrap, client_id=self.relay_id)
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        return producer

    async def publish_once(self, producer) -> int:  # type: ignore[no-untyped-def]
        """Claim one batch, deliver it, mark it: no pipelining (tests, one-shot drains)."""
        batch = await asyncio.to_thread(self.claims.claim, self.batch_size)
        if not batch.rows:
            return 0
        delivery = await self._deliver_or_release(producer, batch)
        await asyncio.to_thread(self.claims.finish, batch, delivery.done, delivery.failed)
        return self._account(delivery)

    async def drain(self, producer) -> int:  # type: ignore[no-untyped-def]
        """Publish until a claim comes back empty, pipelined (see the module docstring).
        Returns the rows published; raises what the store or the client raised."""
        size = self.batch_size
        batch = await asyncio.to_thread(self.claims.claim, size)
        delivered: tuple[Batch, _Delivery] | None = None  # acknowledged, not yet marked
        published = claims = 0
        try:
            while batch.rows:
                size = (min(self.max_batch_size, size * 2) if len(batch.rows) >= size
                        else self.batch_size)
                # Past the batch in flight: below it are its own rows, which the store would
                # have to step over, or rows committed late, which every FULL_SCAN_EVERY-th
                # claim (and every drain's first) still finds.
                claims += 1
                after = None if claims % FULL_SCAN_EVERY == 0 else batch.rows[-1][0]
                # While batch N is delivered: mark N-1, then claim N+1, in one store call.
                claiming = asyncio.ensure_future(asyncio.to_thread(
                    self._mark_then_claim, delivered, None if self._stop.is_set() else (size, after)))
                delivered = None
                try:
                    delivery = await self._deliver_or_release(producer, batch)
                except BaseException:
                    await self._release(claiming)
                    raise
                delivered = (batch, delivery)
                published += self._account(delivery)
                if delivery.failed:  # N+1 must not overtake N's failed rows of the same key
                    await self._release(claiming)
                    break
                batch = await claiming
        finally:
            if delivered is not None:
                await asyncio.to_thread(self.claims.finish, delivered[0], delivered[1].done,
                                        delivered[1].failed)
        return published

    def _mark_then_claim(self, delivered: "tuple[Batch, _Delivery] | None",
                         claim: tuple[int, int | None] | None) -> Batch:
        if delivered is None:
            return self.claims.claim(*claim) if claim is not None else Batch([])
        batch, delivery = delivered
        if claim is None:
            self.claims.finish(batch, delivery.done, delivery.failed)
            return Batch([])
        return self.claims.finish_and_claim(batch, delivery.done, delivery.failed, *claim)

    async def _release(self, claiming: "asyncio.Future[Batch] | None") -> None:
        """Give back a batch being claimed, unsent."""
        if claiming is None:
            return
        try:
            batch = await claiming
        except Exception as exc:  # noqa: BLE001 - nothing was claimed
            log.warning("outbox.claim_failed", error=repr(exc)[:300])
            return
        await self._give_back(batch)

    async def _give_back(self, batch: Batch) -> None:
        """Release a claimed batch unsent (if the store fails here, the end of the connection
        releases it)."""
        try:
            await asyncio.to_thread(self.claims.finish, batch, [], [r.seq for r in batch.rows])
        except Exception as exc:  # noqa: BLE001 - see the docstring
            log.warning("outbox.release_failed", error=repr(exc)[:300])

    async def _deliver_or_release(self, producer, batch: Batch) -> _Delivery:  # type: ignore[no-untyped-def]
        try:
            return await self._deliver(producer, batch.rows)
        except BaseException:
            await self._give_back(batch)
            raise

    async def _deliver(self, producer, rows: Sequence[Any]) -> _Delivery:  # type: ignore[no-untyped-def]
        send, prefix = producer.send, self.topic_prefix
        sends = [await send(prefix + topic, value=body, key=key,
                            headers=[("ce_type", event_type), ("ce_id", event_id), _CONTENT_TYPE])
                 for _, event_id, topic, key, event_type, body, *_ in rows]
        results = await asyncio.gather(*sends, return_exceptions=True)
        done, failed, error = [], [], None
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                failed.append(row[0])
                error = error or result
            else:
                done.append(row[0])
        return _Delivery(done=done, failed=failed, error=error)

    def _account(self, delivery: _Delivery) -> int:
        OUTBOX_PUBLISHED.labels(self.service).inc(len(delivery.done))
        if delivery.done:
            self.kafka.up()
        if delivery.error is not None:
            self.kafka.down(delivery.error)
            log.warning("outbox.publish_failed", count=len(delivery.failed),
                        error=repr(delivery.error)[:300])
        return len(delivery.done)

    def pending(self) -> int:
        with self.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(self.table)
                                 .where(self.table.c.published_at.is_(None))).scalar_one()
        OUTBOX_PENDING.labels(self.service).set(count)
        return int(count)

    def housekeeping(self) -> None:
        """Refresh the pending gauge and delete rows published longer ago than ``retention``
        (they are on Kafka; the outbox is not an archive)."""
        self.pending()
        purged = self.purge_published(self.retention)
        if purged:
            log.info("outbox.purged", rows=purged)

    def purge_published(self, older_than: timedelta) -> int:
        """Delete rows published before ``now - older_than`` (run from a periodic job)."""
        cutoff = datetime.now(UTC) - older_than
        with self.engine.begin() as conn:
            return conn.execute(delete(self.table).where(self.table.c.published_at < cutoff)).rowcount
