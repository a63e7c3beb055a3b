"""The outbox relay: claim a batch, publish it in one go, mark it published.

1. Claim: in a short transaction, take up to ``batch_size`` unpublished rows whose lease is
   free or expired (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so relays never wait on each
   other), stamp them with this relay's id and a lease. Rows claimed by a relay that crashed
   are taken again once their lease expires: that is the sweep.
2. Publish: send every row without awaiting each (the idempotent producer batches them), then
   await all deliveries. Never one broker round trip per row.
3. Mark: set ``published_at`` on the rows that were delivered. Rows that failed are released.

A crash between 2 and 3 publishes a row twice at worst; consumers dedupe by event id (inbox).

A broker that is down (at start or later) is waited for, never fatal: rows stay in the outbox
and are published once it is back. ``berdaya_kafka_connected{service,role="relay"}`` says
whether the relay reaches Kafka (set by each publish, and by a metadata probe while idle).
"""

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka.errors import KafkaError  # type: ignore[import-untyped]
from sqlalchemy import Table, and_, delete, func, or_, select, update
from sqlalchemy.engine import Engine

from ..db import skip_locked
from ..kafka import KafkaHealth, connect_with_retry, ensure_topics, new_producer
from ..logging import get_logger
from ..metrics import OUTBOX_PENDING, OUTBOX_PUBLISHED, OUTBOX_SWEPT

log = get_logger(__name__)


class OutboxRelay:
    def __init__(self, *, engine: Engine, table: Table, bootstrap: str, service: str,
                 topics: list[str], batch_size: int = 500, poll_interval_s: float = 0.2,
                 lease_s: float = 30.0, retention: timedelta = timedelta(days=7),
                 housekeeping_every_s: float = 60.0, kafka_probe_every_s: float = 10.0) -> None:
        self.engine, self.table, self.bootstrap = engine, table, bootstrap
        self.service, self.topics = service, topics
        self.batch_size, self.poll_interval_s, self.lease_s = batch_size, poll_interval_s, lease_s
        self.retention, self.housekeeping_every_s = retention, housekeeping_every_s
        self.relay_id = f"{service}-relay-{uuid.uuid4().hex[:8]}"
        self._stop = asyncio.Event()
        self.kafka = KafkaHealth(service=service, role="relay", probe_every_s=kafka_probe_every_s)

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        producer = await connect_with_retry(self._start_producer, health=self.kafka, stop=self._stop)
        if producer is None:
            return
        log.info("outbox.relay_started", relay_id=self.relay_id)
        next_housekeeping, failures = 0.0, 0
        try:
            while not self._stop.is_set():
                try:
                    if asyncio.get_running_loop().time() >= next_housekeeping:
                        await asyncio.to_thread(self.housekeeping)
                        next_housekeeping = asyncio.get_running_loop().time() + self.housekeeping_every_s
                    published = await self.publish_once(producer)
                    failures = 0
                    if not published:
                        await self.kafka.probe(producer.client.fetch_all_metadata)
                except Exception as exc:  # noqa: BLE001 - broker or store down: wait, then retry
                    failures += 1
                    log.error("outbox.relay_failed", attempt=failures, error=repr(exc)[:300])
                    if isinstance(exc, KafkaError):
                        self.kafka.down(exc)
                    pause = min(30.0, self.poll_interval_s * 2 ** min(failures, 8))
                    try:
                        await asyncio.wait_for(self._stop.wait(), pause)
                    except TimeoutError:
                        pass
                    continue
                if published < self.batch_size:
                    try:
                        await asyncio.wait_for(self._stop.wait(), self.poll_interval_s)
                    except TimeoutError:
                        pass
        finally:
            await producer.stop()
            log.info("outbox.relay_stopped", relay_id=self.relay_id)

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
        rows = await asyncio.to_thread(self._claim)
        if not rows:
            return 0
        sends = [await producer.send(r.topic, value=r.body.encode(), key=r.key.encode(),
                                     headers=[("ce_type", r.event_type.encode()),
                                              ("ce_id", r.event_id.encode()),
                                              ("content-type", b"application/cloudevents+json")])
                 for r in rows]
        results = await asyncio.gather(*sends, return_exceptions=True)
        done = [r.seq for r, res in zip(rows, results, strict=True) if not isinstance(res, BaseException)]
        failed = [r.seq for r, res in zip(rows, results, strict=True) if isinstance(res, BaseException)]
        await asyncio.to_thread(self._finish, done, failed)
        OUTBOX_PUBLISHED.labels(self.service).inc(len(done))
        if done:
            self.kafka.up()
        if failed:
            error = next(res for res in results if isinstance(res, BaseException))
            self.kafka.down(error)
            log.warning("outbox.publish_failed", count=len(failed), error=repr(error)[:300])
        return len(done)

    def _claim(self) -> Sequence[Any]:
        t, now = self.table, datetime.now(UTC)
        free = or_(t.c.claimed_until.is_(None), t.c.claimed_until < now)
        query = (select(t.c.seq, t.c.event_id, t.c.topic, t.c.key, t.c.event_type, t.c.body,
                        t.c.claimed_by)
                 .where(and_(t.c.published_at.is_(None), free))
                 .order_by(t.c.seq).limit(self.batch_size))
        query = skip_locked(self.engine, query)
        with self.engine.begin() as conn:
            rows = conn.execute(query).all()
            if rows:
                conn.execute(update(t).where(t.c.seq.in_([r.seq for r in rows])).values(
                    claimed_by=self.relay_id, claimed_until=now + timedelta(seconds=self.lease_s)))
        swept = sum(1 for r in rows if r.claimed_by is not None)
        if swept:
            OUTBOX_SWEPT.labels(self.service).inc(swept)
            log.warning("outbox.swept_expired_claims", count=swept)
        return rows

    def _finish(self, done: list[int], failed: list[int]) -> None:
        t = self.table
        with self.engine.begin() as conn:
            if done:
                conn.execute(update(t).where(and_(t.c.seq.in_(done), t.c.claimed_by == self.relay_id))
                             .values(published_at=datetime.now(UTC), claimed_by=None,
                                     claimed_until=None))
            if failed:
                conn.execute(update(t).where(and_(t.c.seq.in_(failed), t.c.claimed_by == self.relay_id))
                             .values(claimed_by=None, claimed_until=None))

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
