"""Consumer runner vs a bare consumer: the same events, the same broker, the same run.

    make bench-consumer                                # 50k events, SQLite and PostgreSQL
    .venv/bin/python bench/consumer.py --postgres postgresql+psycopg://berdaya@127.0.0.1:55433/postgres
    .venv/bin/python bench/consumer.py --events 10000  # SQLite only, a smoke run

For each store, in alternating rounds (a neighbour's load then falls on both sides alike):

* runner: ``ConsumerRunner`` as services run it: envelope parsing, the inbox rows, the
  handler's effect in one transaction per poll, offsets committed after the commit. Twice:
  with a batch handler (``inbox.batched``: one INSERT for each run of events; the ratio the
  target is about) and with a handler that inserts one row per event;
* bare: ``getmany`` and one bare batched INSERT of the same rows per poll, then the offsets:
  the least a consumer that writes to a store can do; and the same with one INSERT per
  event, to set beside the per-event runner.

All read ``--batch`` records per poll from a topic filled beforehand, in their own consumer
group; each is timed from its first poll that brought records to its last event, so joining
the group is not counted. Prints events/s, the ratios, and bare ``getmany`` alone for scale.
A benchmark, not a test: it asserts nothing and is run on demand.

Measured (2 shared cores, load average 0.5-2, 50,000 events, 200 per poll):
    SQLite:     runner with a batch handler 24.8k events/s; bare batched insert 24.3k (1.02x;
                0.97x in a second run); per-event runner / per-event bare loop 0.93x
    PostgreSQL: runner with a batch handler 18.9k events/s; bare batched insert 15.8k (1.19x;
                1.05x in a second run); per-event runner 6.9k / per-event bare loop 7.9k (0.88x)
    The runner can beat the bare loop: it sends a poll's offsets while it applies the next,
    where the bare loop waits for each commit. Target >= 0.60x: met on both stores.
"""

import argparse
import asyncio
import os
import time
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from stores import on_each_store

from berdaya_shared.db import make_engine, session_factory
from berdaya_shared.events import Envelope, EventPayload, new_event
from berdaya_shared.inbox import ConsumerRunner, batched, define_inbox
from berdaya_shared.kafka import ensure_topics, new_consumer, new_producer
from berdaya_shared.logging import configure_logging

metadata = MetaData()
inbox = define_inbox(metadata)
effect = Table("effect", metadata, Column("event_id", String(36), primary_key=True),
               Column("amount", Integer, nullable=False), Column("subject", String(200), nullable=False))
bare_effect, per_event_effect, batch_effect = (
    Table(name, metadata, Column("event_id", String(36), primary_key=True),
          Column("amount", Integer, nullable=False), Column("subject", String(200), nullable=False))
    for name in ("bare_effect", "per_event_effect", "batch_effect"))


class _TimedRunner(ConsumerRunner):
    """The runner as services run it; notes when its first poll brought records and when it has
    handled ``expected`` messages (counted as the runner reports them handled, whether in a
    batch or one by one), so the bench waits on an event instead of polling anything."""

    def __init__(self, *, expected: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.expected, self.handled, self.first_batch_at = expected, 0, None
        self.all_handled = asyncio.Event()

    def _count(self, n: int) -> None:
        self.handled += n
        if self.handled >= self.expected:
            self.all_handled.set()

    async def _process_batch(self, batches: dict[Any, list[Any]]) -> bool:
        if self.first_batch_at is None:
            self.first_batch_at = time.perf_counter()
        handled = await super()._process_batch(batches)
        if handled:
            self._count(sum(len(messages) for messages in batches.values()))
        return handled

    async def _process(self, message: Any) -> bool:
        handled = await super()._process(message)
        if handled:
            self._count(1)
        return handled


def count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


async def fill(bootstrap: str, topic: str, events: int, event_type: type[EventPayload]) -> None:
    await ensure_topics(bootstrap, [topic, f"{topic}.dlq"])
    producer = new_producer(bootstrap, client_id="bench-fill")
    await producer.start()
    try:
        for start in range(0, events, 1000):
            sends = []
            for i in range(start, min(events, start + 1000)):
                e = new_event(event_type(amount=i, note="x" * 200), subject=f"p{i % 1000}", source="bench")
                sends.append(await producer.send(topic, e.to_bytes(), key=e.subject.encode()))
            await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def timed_runner(engine: Engine, bootstrap: str, topic: str, event_type: str, events: int,
                       batch: int, *, table: Table) -> float:
    """The runner with a per-event handler (one INSERT per event), or with a batch handler
    (``batched``: one INSERT for each run of events) when ``table`` is ``batch_effect``."""
    before = count(engine, table)
    add = insert(table)  # built once, as a lean handler would

    def row(envelope: Envelope) -> dict[str, Any]:
        return {"event_id": envelope.id, "amount": envelope.data["amount"], "subject": envelope.subject}

    def add_effect(session: Session, envelope: Envelope) -> None:
        session.execute(add, row(envelope))

    def add_effects(session: Session, envelopes: Sequence[Envelope]) -> None:
        session.execute(add, [row(envelope) for envelope in envelopes])

    handler = batched(add_effects) if table is batch_effect else add_effect
    runner = _TimedRunner(name=f"bench-runner-{uuid.uuid4().hex[:6]}", topics=[topic],
                          handlers={event_type: handler}, sessions=session_factory(engine),
                          inbox=inbox, bootstrap=bootstrap, batch_size=batch, expected=events)
    task = asyncio.create_task(runner.run())
    waiting = asyncio.create_task(runner.all_handled.wait())
    await asyncio.wait([task, waiting], return_when=asyncio.FIRST_COMPLETED)
    if not runner.all_handled.is_set():
        waiting.cancel()
        await task
        raise RuntimeError("the runner stopped early")
    finished = time.perf_counter()
    runner.stop()
    await task
    assert runner.first_batch_at is not None
    assert count(engine, table) - before == events
    return finished - runner.first_batch_at


async def timed_bare(engine: Engine, bootstrap: str, topic: str, events: int, batch: int,
                     *, store: str = "batched") -> float:
    """``store``: "batched" (one INSERT of the poll's rows), "per-event" (one INSERT per event,
    as a handler does, in one transaction per poll) or "none" (getmany alone)."""
    consumer = new_consumer(bootstrap, group_id=f"bench-bare-{uuid.uuid4().hex[:6]}", client_id="bare")
    consumer.subscribe([topic])
    await consumer.start()
    seen, started = 0, None
    try:
        while seen < events:
            polled = await consumer.getmany(timeout_ms=500, max_records=batch)
            if not polled:
                continue
            started = started or time.perf_counter()
            if store != "none":
                rows = []
                for records in polled.values():
                    for record in records:
                        e = Envelope.model_validate_json(record.value)
                        rows.append({"event_id": e.id, "amount": e.data["amount"], "subject": e.subject})
                with engine.begin() as conn:
                    if store == "batched":
                        conn.execute(insert(bare_effect), rows)
                    else:
                        for row in rows:
                            conn.execute(insert(per_event_effect), row)
            seen += sum(len(records) for records in polled.values())
            await consumer.commit({tp: records[-1].offset + 1 for tp, records in polled.items()})
        finished = time.perf_counter()
    finally:
        await consumer.stop()
    assert started is not None
    return finished - started


async def run(url: str, bootstrap: str, events: int, batch: int, rounds: int) -> float:
    engine = make_engine(url)
    metadata.create_all(engine)
    prefix = f"bench{uuid.uuid4().hex[:8]}"

    class Counted(EventPayload):
        TYPE = f"{prefix}.counted.v1"
        amount: int
        note: str

    per_round = events // rounds
    runner_s = batch_runner_s = bare_s = per_event_s = getmany_s = 0.0
    for n in range(rounds):
        topic = f"{prefix}-{n}.events"
        await fill(bootstrap, topic, per_round, Counted)
        runner_s += await timed_runner(engine, bootstrap, topic, Counted.TYPE, per_round, batch,
                                       table=effect)
        batch_runner_s += await timed_runner(engine, bootstrap, topic, Counted.TYPE, per_round, batch,
                                             table=batch_effect)
        bare_s += await timed_bare(engine, bootstrap, topic, per_round, batch)
        per_event_s += await timed_bare(engine, bootstrap, topic, per_round, batch, store="per-event")
        getmany_s += await timed_bare(engine, bootstrap, topic, per_round, batch, store="none")
    engine.dispose()
    total = per_round * rounds
    store = url.split(":", 1)[0].split("+")[0]
    print(f"events: {total} in {rounds} rounds  store: {store}  batch: {batch}")
    print(f"  runner, batch handler : {total / batch_runner_s:10.0f} events/s  ({batch_runner_s:.2f}s)"
          "  (one INSERT per run of events)")
    print(f"  getmany + bare insert : {total / bare_s:10.0f} events/s  ({bare_s:.2f}s)"
          "  (one INSERT per poll: no inbox, no runner)")
    print(f"  runner, per-event     : {total / runner_s:10.0f} events/s  ({runner_s:.2f}s)"
          "  (one INSERT per event)")
    print(f"  getmany + per-event   : {total / per_event_s:10.0f} events/s  ({per_event_s:.2f}s)"
          "  (one INSERT per event, one transaction per poll: no inbox, no runner)")
    print(f"  getmany alone         : {total / getmany_s:10.0f} events/s  ({getmany_s:.2f}s)")
    print(f"  runner / bare         : {bare_s / batch_runner_s:10.2f}  (batch handler; 1.00 = the "
          "guarantees cost nothing)")
    print(f"  runner / per-event    : {per_event_s / runner_s:10.2f}  (per-event handlers, both sides)",
          flush=True)
    return bare_s / batch_runner_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=200, help="records per poll (the runner's default)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=None,
                        help="an admin URL (…/postgres): a fresh database is created and dropped")
    args = parser.parse_args()
    configure_logging("bench", "WARNING")
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    ratios = on_each_store(lambda url: asyncio.run(run(url, bootstrap, args.events, args.batch, args.rounds)),
                           postgres=args.postgres)
    print("runner / bare: " + ", ".join(f"{store} {ratio:.2f}x" for store, ratio in ratios.items())
          + "  (target >= 0.60x)")


if __name__ == "__main__":
    main()
