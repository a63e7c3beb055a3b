"""A polled batch is applied in one transaction, and loses none of the one-by-one guarantees:
a poison event among many is dead-lettered alone while the others are applied once; a crash
after the commit but before the offsets are committed redelivers the batch without a second
effect."""

import asyncio
import os
import subprocess
import sys

from sqlalchemy import func, select

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import envelopes, publish_pending, read_topic, wait_until

from . import ledger
from .test_crash import SHARED, _scalar, _start
from .test_graceful_stop import committed

N = 40


def _tally(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        row = conn.execute(select(ledger.tally)).one()
        inbox = conn.execute(select(func.count()).select_from(ledger.inbox)).scalar_one()
    return row.applied, row.total, inbox


def _publish(url: str, bootstrap: str, topic: str) -> int:
    class Runtime:  # what publish_pending needs of a service runtime
        relay = ledger.relay(url, bootstrap, topic)
    return publish_pending(Runtime)


def test_a_poison_event_in_a_batch_is_dead_lettered_alone_and_the_others_apply_once(
        database_url, kafka_bootstrap, prefix):
    ledger.create_schema(database_url)
    engine = make_engine(database_url)
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    events = [new_event(Added(amount=i + 1, poison=i == N // 2), subject=f"k{i % 3}", source="t")
              for i in range(N)]
    with transaction(session_factory(engine)) as session:
        for event in events:
            enqueue(session, ledger.outbox, event)
    assert _publish(database_url, kafka_bootstrap, topic) == N  # all on the topic: one poll

    async def scenario() -> list:
        runner = ledger.consumer(database_url, kafka_bootstrap, topic, prefix, max_attempts=2,
                                 backoff_s=0.05)
        task = asyncio.create_task(runner.run())
        try:
            dead = await read_topic(kafka_bootstrap, f"{topic}.dlq", until=lambda m: len(m) >= 1)
            for _ in range(300):
                if _tally(engine)[0] >= N - 1 or task.done():
                    break
                await asyncio.sleep(0.1)
        finally:
            runner.stop()
            await task
        return dead

    dead = asyncio.run(scenario())
    poison = events[N // 2]
    assert [e.id for e in envelopes(dead)] == [poison.id]
    expected_total = sum(range(1, N + 1)) - poison.data["amount"]
    assert _tally(engine) == (N - 1, expected_total, N - 1)


def test_a_crash_after_the_commit_and_before_the_offsets_redelivers_without_a_second_effect(
        postgres_url, kafka_bootstrap, prefix):
    ledger.create_schema(postgres_url)
    engine = make_engine(postgres_url)
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    with transaction(session_factory(engine)) as session:
        for i in range(N * 5):
            enqueue(session, ledger.outbox, new_event(Added(amount=i + 1), subject=f"c{i % 7}",
                                                      source="t"))
    assert _publish(postgres_url, kafka_bootstrap, topic) == N * 5

    env = {**os.environ, "LEDGER_DB": postgres_url, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
           "LEDGER_TOPIC": topic}
    crashing = subprocess.run([sys.executable, "-m", "tests.integration.ledger", "crashing-consumer"],
                              cwd=SHARED, env=env, stdout=subprocess.DEVNULL, timeout=180, check=False)
    assert crashing.returncode == 3, "the consumer died between its commit and its offsets"
    applied, _, _ = _tally(engine)
    assert 0 < applied < N * 5
    assert asyncio.run(committed(kafka_bootstrap, f"{prefix}.ledger")) == 0  # nothing acknowledged

    consumer = _start("consumer", postgres_url, kafka_bootstrap, topic)
    try:
        wait_until(lambda: _scalar(engine, select(ledger.tally.c.applied)) >= N * 5, timeout=120,
                   what="every event applied after the restart")
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)
    n = N * 5
    assert _tally(engine) == (n, n * (n + 1) // 2, n)  # the redelivered batch applied once
