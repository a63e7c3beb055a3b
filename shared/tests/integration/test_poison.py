"""A payload that cannot be handled goes to <topic>.dlq after the retries; the rest flows on."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import envelopes, read_topic

from . import ledger


def test_poison_message_is_dead_lettered_and_consumer_moves_on(postgres_url, kafka_bootstrap, prefix):
    ledger.create_schema(postgres_url)
    engine = make_engine(postgres_url)
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    events = [new_event(Added(amount=1), subject="p1", source="test"),
              new_event(Added(amount=10, poison=True), subject="p1", source="test"),
              new_event(Added(amount=100), subject="p1", source="test")]
    with transaction(session_factory(engine)) as session:
        for event in events:
            enqueue(session, ledger.outbox, event)

    async def scenario() -> list:
        relay = ledger.relay(postgres_url, kafka_bootstrap, topic)
        runner = ledger.consumer(postgres_url, kafka_bootstrap, topic, prefix,
                                 max_attempts=3, backoff_s=0.05)
        tasks = [asyncio.create_task(relay.run()), asyncio.create_task(runner.run())]
        dead = await read_topic(kafka_bootstrap, f"{topic}.dlq", until=lambda m: len(m) >= 1)
        for _ in range(200):
            with engine.connect() as conn:
                if conn.execute(select(ledger.tally.c.applied)).scalar_one() == 2:
                    break
            await asyncio.sleep(0.1)
        relay.stop()
        runner.stop()
        await asyncio.gather(*tasks)
        return dead

    dead = asyncio.run(scenario())
    assert [e.id for e in envelopes(dead)] == [events[1].id]
    headers = dict(dead[0].headers)
    assert b"cannot be handled" in headers["x-error"]
    assert headers["x-original-topic"] == topic.encode()
    with engine.connect() as conn:
        row = conn.execute(select(ledger.tally)).one()
    assert (row.applied, row.total) == (2, 101)  # the messages after the poison were applied


def test_inbox_forgets_only_events_older_than_its_retention(database_url, kafka_bootstrap, prefix):
    ledger.create_schema(database_url)
    engine = make_engine(database_url)
    runner = ledger.consumer(database_url, kafka_bootstrap, f"{prefix}.events", prefix)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for event_id, age in (("old", 40), ("recent", 3)):
            conn.execute(insert(ledger.inbox).values(consumer=runner.name, event_id=event_id,
                                                     event_type="x", processed_at=now - timedelta(days=age)))
        conn.execute(insert(ledger.inbox).values(consumer="another.consumer", event_id="old",
                                                 event_type="x", processed_at=now - timedelta(days=40)))
    assert runner.purge_inbox(timedelta(days=30)) == 1
    with engine.connect() as conn:
        left = {(r.consumer, r.event_id) for r in conn.execute(select(ledger.inbox))}
    assert left == {(runner.name, "recent"), ("another.consumer", "old")}
