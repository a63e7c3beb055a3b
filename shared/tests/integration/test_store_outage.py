"""A store outage is not the message's fault: the consumer waits it out, dead-letters nothing,
and applies the event once the store is back."""

import asyncio

from aiokafka import AIOKafkaConsumer
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue

from . import ledger


async def dlq_size(bootstrap: str, topic: str) -> int:
    """Messages on the dead-letter topic (read from the start, no group)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        batch = await consumer.getmany(timeout_ms=3000)
        return sum(len(records) for records in batch.values())
    finally:
        await consumer.stop()


def test_an_outage_longer_than_the_retries_dead_letters_nothing(postgres_url, kafka_bootstrap, prefix):
    ledger.create_schema(postgres_url)
    engine = make_engine(postgres_url)
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    with transaction(session_factory(engine)) as session:
        enqueue(session, ledger.outbox, new_event(Added(amount=7), subject="o", source="test"))
    outage = {"calls_left": 6}  # more failures than max_attempts=3 below

    def flaky_store(session, envelope):  # type: ignore[no-untyped-def]
        if outage["calls_left"] > 0:
            outage["calls_left"] -= 1
            raise OperationalError("INSERT ...", {}, ConnectionRefusedError("server closed"))
        ledger.add_amount(session, envelope)

    async def scenario() -> int:
        relay = ledger.relay(postgres_url, kafka_bootstrap, topic)
        runner = ledger.consumer(postgres_url, kafka_bootstrap, topic, prefix, max_attempts=3,
                                 backoff_s=0.01)
        runner.handlers = {Added.TYPE: flaky_store}
        tasks = [asyncio.create_task(relay.run()), asyncio.create_task(runner.run())]
        for _ in range(300):
            with engine.connect() as conn:
                if conn.execute(select(ledger.tally.c.applied)).scalar_one() == 1:
                    break
            await asyncio.sleep(0.1)
        relay.stop()
        runner.stop()
        await asyncio.gather(*tasks)
        return await dlq_size(kafka_bootstrap, f"{topic}.dlq")

    assert asyncio.run(scenario()) == 0
    assert outage["calls_left"] == 0
    with engine.connect() as conn:
        assert conn.execute(select(ledger.tally.c.total)).scalar_one() == 7
