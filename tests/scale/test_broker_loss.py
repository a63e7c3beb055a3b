"""A broker dies mid-stream on a 3-broker cluster: every event is applied exactly once.

10,000 events go through the real machinery, two of each: outbox rows on PostgreSQL, two
relays sharing them (``SKIP LOCKED``), topics with replication factor 3 and
``min.insync.replicas=2`` (``ensure_topics`` on a 3-broker cluster), two consumer runners
in one group applying them with the inbox. A quarter of the way through, the broker leading
partition 0 is SIGKILLed. The stream goes on; afterwards every event has exactly one effect,
and the broker, started again, catches up (every partition's ISR back to 3).
"""

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from berdaya_shared.db import make_engine, session_factory
from berdaya_shared.events.envelope import Envelope
from berdaya_shared.inbox import ConsumerRunner, define_inbox
from berdaya_shared.logging import configure_logging
from berdaya_shared.outbox import OutboxRelay, define_outbox, enqueue

from .conftest import Cluster

EVENTS, CHUNK = 10_000, 250
EVENT_TYPE, TOPIC = "scale.item_counted.v1", "scale.events"


def _tables() -> tuple[MetaData, Table, Table, Table]:
    metadata = MetaData()
    # The effect has no unique key on purpose: a duplicate would show as a second row.
    applied = Table("applied", metadata,
                    Column("id", BigInteger, primary_key=True, autoincrement=True),
                    Column("event_id", String(36), nullable=False),
                    Column("n", Integer, nullable=False))
    return metadata, define_outbox(metadata), define_inbox(metadata), applied


def _count(engine: Engine, query: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())  # type: ignore[call-overload]


async def _until(probe: Callable[[], int], target: int, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while (seen := await asyncio.to_thread(probe)) < target:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {seen} of {target}")
        await asyncio.sleep(0.2)


def test_a_broker_killed_mid_stream_loses_and_duplicates_no_event(
        kafka_cluster: Cluster, postgres_url: str) -> None:
    configure_logging("scale", "WARNING")  # 10,000 "event handled" lines tell nothing here
    metadata, outbox, inbox, applied = _tables()
    engine = make_engine(postgres_url)
    metadata.create_all(engine)
    sessions = session_factory(engine)

    def apply(session: Session, envelope: Envelope) -> None:
        session.execute(insert(applied).values(event_id=envelope.id, n=envelope.data["n"]))

    def enqueue_chunk(start: int) -> None:
        with sessions() as session, session.begin():
            for n in range(start, start + CHUNK):
                enqueue(session, outbox, Envelope(source="berdaya/scale", type=EVENT_TYPE,
                                                  subject=f"item-{n % 97}", correlationid=f"c{n}",
                                                  data={"n": n}))

    def effects() -> int:
        return _count(engine, select(func.count()).select_from(applied))

    relays = [OutboxRelay(engine=engine, table=outbox, bootstrap=kafka_cluster.bootstrap,
                          service="scale", topics=[TOPIC], poll_interval_s=0.05)
              for _ in range(2)]
    runners = [ConsumerRunner(name="scale.consumer", service="scale", topics=[TOPIC],
                              handlers={EVENT_TYPE: apply}, sessions=sessions, inbox=inbox,
                              bootstrap=kafka_cluster.bootstrap, backoff_s=0.05)
               for _ in range(2)]

    async def scenario() -> tuple[int, int]:
        roles = [asyncio.create_task(r.run()) for r in [*relays, *runners]]

        async def stream() -> None:
            for start in range(0, EVENTS, CHUNK):
                await asyncio.to_thread(enqueue_chunk, start)
                await asyncio.sleep(0.05)

        streaming = asyncio.create_task(stream())
        try:
            await _until(effects, EVENTS // 4, timeout=120, what="a quarter of the effects")
            leader = next(p["leader"] for p in await asyncio.to_thread(kafka_cluster.partitions, [TOPIC])
                          if p["partition"] == 0)
            at_kill = await asyncio.to_thread(effects)
            await asyncio.to_thread(kafka_cluster.kill, leader)
            await streaming
            await _until(effects, EVENTS, timeout=240, what="every effect after the broker died")
            await asyncio.sleep(2)  # let a late duplicate, if any, land before counting
            return leader, at_kill
        finally:
            streaming.cancel()
            for role in [*relays, *runners]:
                role.stop()
            await asyncio.gather(*roles, return_exceptions=True)

    try:
        killed, at_kill = asyncio.run(scenario())
        assert 0 < at_kill < EVENTS, "the broker died mid-stream"

        with engine.connect() as conn:
            rows = conn.execute(select(applied.c.event_id, applied.c.n)).all()
        assert len(rows) == EVENTS, "one effect per event, no more"
        assert len({r.event_id for r in rows}) == EVENTS
        assert sorted(r.n for r in rows) == list(range(EVENTS))
        assert _count(engine, select(func.count()).select_from(outbox)
                      .where(outbox.c.published_at.is_(None))) == 0, "the outbox is drained"
        assert _count(engine, select(func.count()).select_from(inbox)) == EVENTS

        # ensure_topics on three brokers: three replicas, two of them needed for a write.
        assert {len(p["replicas"]) for p in kafka_cluster.partitions([TOPIC])} == {3}
        assert kafka_cluster.topic_config(TOPIC, "min.insync.replicas") == "2"
        kafka_cluster.restart(killed)
        kafka_cluster.wait_fully_replicated([TOPIC, "__consumer_offsets"])
        assert all(len(p["isr"]) == 3 for p in kafka_cluster.partitions([TOPIC]))
    finally:
        engine.dispose()
