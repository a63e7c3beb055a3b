"""Outbox relay vs raw aiokafka: the same messages, the same broker, the same run.

    make bench-relay                    # 100k rows, SQLite outbox
    .venv/bin/python bench/relay.py --rows 100000 --database-url postgresql+psycopg://...

Fills the outbox with N envelopes, drains it with the relay (claim, batch publish, mark),
then produces the same N messages with a bare idempotent aiokafka producer, and prints both
rates and their ratio. A benchmark, not a test: it asserts nothing and is run on demand.
"""

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import MetaData, insert

from berdaya_shared.db import make_engine
from berdaya_shared.events import EventPayload, new_event
from berdaya_shared.kafka import ensure_topics, new_producer
from berdaya_shared.outbox import OutboxRelay, define_outbox


async def main(rows: int, url: str, bootstrap: str, batch: int) -> None:
    prefix = f"bench{uuid.uuid4().hex[:8]}"

    class Measured(EventPayload):
        TYPE = f"{prefix}.measured.v1"
        n: int
        note: str

    metadata = MetaData()
    outbox = define_outbox(metadata)
    engine = make_engine(url)
    metadata.create_all(engine)
    envelopes = [new_event(Measured(n=i, note="x" * 200), subject=f"p{i % 1000}", source="bench")
                 for i in range(rows)]
    started = time.perf_counter()
    with engine.begin() as conn:
        for i in range(0, rows, 5000):
            conn.execute(insert(outbox), [{
                "event_id": e.id, "topic": e.topic, "key": e.subject, "event_type": e.type,
                "body": e.model_dump_json(), "created_at": datetime.now(UTC)}
                for e in envelopes[i:i + 5000]])
    fill = time.perf_counter() - started
    topic = f"{prefix}.events"
    await ensure_topics(bootstrap, [topic, f"{topic}.raw"])

    relay = OutboxRelay(engine=engine, table=outbox, bootstrap=bootstrap, service="bench",
                        topics=[topic], batch_size=batch)
    producer = new_producer(bootstrap, client_id="bench-relay")
    await producer.start()
    started = time.perf_counter()
    while await relay.publish_once(producer):
        pass
    relay_s = time.perf_counter() - started
    await producer.stop()

    producer = new_producer(bootstrap, client_id="bench-raw")
    await producer.start()
    started = time.perf_counter()
    for i in range(0, rows, batch):
        sends = [await producer.send(f"{topic}.raw", value=e.to_bytes(), key=e.subject.encode())
                 for e in envelopes[i:i + batch]]
        await asyncio.gather(*sends)
    raw_s = time.perf_counter() - started
    await producer.stop()

    print(f"rows: {rows}  store: {url.split(':', 1)[0]}  batch: {batch}  (outbox fill {fill:.1f}s)")
    print(f"outbox relay : {rows / relay_s:10.0f} msg/s  ({relay_s:.2f}s)")
    print(f"raw aiokafka : {rows / raw_s:10.0f} msg/s  ({raw_s:.2f}s)")
    print(f"relay / raw  : {raw_s / relay_s:10.2f}  (1.00 = the outbox costs nothing)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench-outbox.db"
    asyncio.run(main(args.rows, url, os.environ["KAFKA_BOOTSTRAP_SERVERS"], args.batch))
