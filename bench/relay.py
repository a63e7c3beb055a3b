"""Outbox relay vs raw aiokafka: the same messages, the same broker, the same run.

    make bench-relay                                   # 100k rows, SQLite and PostgreSQL
    .venv/bin/python bench/relay.py --postgres postgresql+psycopg://berdaya@127.0.0.1:55433/postgres
    .venv/bin/python bench/relay.py --rows 20000       # SQLite only, a smoke run

For each store: fills the outbox with N envelopes, drains it with the relay's own pipelined
loop (``OutboxRelay.drain``: claim the next batch while the current one is delivered, mark
after the acknowledgement, claims growing from ``--batch`` while the backlog lasts), then
produces the same N records (value, key and the relay's three headers, serialised before the
clock starts) with a bare idempotent aiokafka producer, ``--batch`` sends in flight at a time,
and prints both rates and their ratio. A benchmark, not a test: it asserts nothing and is run
on demand.

Measured (2 shared cores; 100,000 rows of ~600 bytes, 2 rounds, load average 0.5-2):
    before issue 11: SQLite 0.49x (11.9k vs 24.5k msg/s), PostgreSQL 0.39x (9.1k vs 23.5k msg/s)
    now:             SQLite 0.90x (64.6k vs 71.8k msg/s), PostgreSQL 0.87x (59.1k vs 68.2k msg/s);
                     over 6-9 runs SQLite 0.89-1.00x, PostgreSQL 0.73-0.96x (0.85x typical)
    CPU per message in the relay's process: 16-17 µs (SQLite), 12-14 µs (PostgreSQL); raw: 7-8 µs.
    Target 0.8x: met (deploy/README.md, "Measured", says where the time went).
"""

import argparse
import asyncio
import os
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import MetaData, insert
from stores import on_each_store

from berdaya_shared.db import make_engine
from berdaya_shared.events import EventPayload, new_event
from berdaya_shared.kafka import ensure_topics, new_producer
from berdaya_shared.outbox import OutboxRelay, define_outbox


async def warm_up(bootstrap: str, topics: list[str]) -> None:
    """One acknowledged message per partition, so neither side pays for new topics' leaders."""
    producer = new_producer(bootstrap, client_id="bench-warm-up")
    await producer.start()
    try:
        for topic in topics:
            for partition in sorted(await producer.partitions_for(topic)):
                await producer.send_and_wait(topic, b"warm-up", partition=partition)
    finally:
        await producer.stop()


async def run(rows: int, url: str, bootstrap: str, batch: int, rounds: int) -> float:
    """``rounds`` alternations of (fill the outbox, relay drains it, raw producer sends the same
    messages), each side timed and summed: a neighbour's load on a shared machine falls on both
    sides alike instead of on whichever happened to run during it."""
    prefix = f"bench{uuid.uuid4().hex[:8]}"

    class Measured(EventPayload):
        TYPE = f"{prefix}.measured.v1"
        n: int
        note: str

    metadata = MetaData()
    outbox = define_outbox(metadata)
    engine = make_engine(url)
    metadata.create_all(engine)
    topic = f"{prefix}.events"
    await ensure_topics(bootstrap, [topic, f"{topic}.raw"])
    await warm_up(bootstrap, [topic, f"{topic}.raw"])
    relay = OutboxRelay(engine=engine, table=outbox, bootstrap=bootstrap, service="bench",
                        topics=[topic], batch_size=batch)
    relay_producer = new_producer(bootstrap, client_id="bench-relay")
    raw_producer = new_producer(bootstrap, client_id="bench-raw")
    await relay_producer.start()
    await raw_producer.start()
    fill_s = relay_s = raw_s = relay_cpu = raw_cpu = 0.0
    per_round = rows // rounds
    try:
        for _ in range(rounds):
            envelopes = [new_event(Measured(n=i, note="x" * 200), subject=f"p{i % 1000}",
                                   source="bench") for i in range(per_round)]
            started = time.perf_counter()
            with engine.begin() as conn:
                for i in range(0, per_round, 5000):
                    conn.execute(insert(outbox), [{
                        "event_id": e.id, "topic": e.topic, "key": e.subject, "event_type": e.type,
                        "body": e.model_dump_json(), "created_at": datetime.now(UTC)}
                        for e in envelopes[i:i + 5000]])
            fill_s += time.perf_counter() - started

            started, cpu = time.perf_counter(), time.process_time()
            published = await relay.drain(relay_producer)
            relay_s += time.perf_counter() - started
            relay_cpu += time.process_time() - cpu
            assert published == per_round, f"the relay published {published} of {per_round}"
            assert relay.pending() == 0, "the relay left rows unmarked"

            # The same records as the relay's (value, key and headers), serialised beforehand:
            # what is timed is the producer alone.
            records = [(e.to_bytes(), e.subject.encode(), [
                ("ce_type", e.type.encode()), ("ce_id", e.id.encode()),
                ("content-type", b"application/cloudevents+json")]) for e in envelopes]
            started, cpu = time.perf_counter(), time.process_time()
            for i in range(0, per_round, batch):
                sends = [await raw_producer.send(f"{topic}.raw", value=value, key=key, headers=headers)
                         for value, key, headers in records[i:i + batch]]
                await asyncio.gather(*sends)
            raw_s += time.perf_counter() - started
            raw_cpu += time.process_time() - cpu
    finally:
        await relay_producer.stop()
        await raw_producer.stop()
        engine.dispose()

    total = per_round * rounds
    store = url.split(":", 1)[0].split("+")[0]
    print(f"rows: {total} in {rounds} rounds  store: {store}  batch: {batch}..{relay.max_batch_size}"
          f"  (outbox fill {fill_s:.1f}s)")
    print(f"  outbox relay : {total / relay_s:10.0f} msg/s  ({relay_s:.2f}s, "
          f"{relay_cpu / total * 1e6:.0f} µs CPU/msg in this process)")
    print(f"  raw aiokafka : {total / raw_s:10.0f} msg/s  ({raw_s:.2f}s, "
          f"{raw_cpu / total * 1e6:.0f} µs CPU/msg)")
    print(f"  relay / raw  : {raw_s / relay_s:10.2f}  (1.00 = the outbox costs nothing)", flush=True)
    return raw_s / relay_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--postgres", default=None,
                        help="an admin URL (…/postgres): a fresh database is created and dropped")
    args = parser.parse_args()
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    ratios = on_each_store(lambda url: asyncio.run(run(args.rows, url, bootstrap, args.batch, args.rounds)),
                           postgres=args.postgres)
    print("relay / raw: " + ", ".join(f"{store} {ratio:.2f}x" for store, ratio in ratios.items())
          + "  (target >= 0.80x)")


if __name__ == "__main__":
    main()
