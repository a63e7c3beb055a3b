"""SIGTERM stops a consumer cleanly: it exits 0 and its group's committed offsets cover every
effect it applied, so a restart re-reads nothing it had finished."""

import asyncio
import signal

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import select

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import wait_until

from . import ledger
from .test_crash import _scalar, _start

N = 600


async def committed(bootstrap: str, group: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets: dict[TopicPartition, object] = await admin.list_consumer_group_offsets(group)
        return sum(meta.offset for meta in offsets.values() if meta.offset > 0)
    finally:
        await admin.close()


def test_sigterm_commits_what_was_applied_and_exits_cleanly(postgres_url, kafka_bootstrap, prefix):
    ledger.create_schema(postgres_url)
    engine = make_engine(postgres_url)
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    with transaction(session_factory(engine)) as session:
        for i in range(N):
            enqueue(session, ledger.outbox, new_event(Added(amount=1), subject=f"s{i % 7}", source="t"))
    relay = _start("relay", postgres_url, kafka_bootstrap, topic)
    consumer = _start("consumer", postgres_url, kafka_bootstrap, topic)
    applied = select(ledger.tally.c.applied)
    try:
        wait_until(lambda: _scalar(engine, applied) > 50, timeout=120, what="some effects")
        consumer.send_signal(signal.SIGTERM)
        assert consumer.wait(timeout=60) == 0
        done = _scalar(engine, applied)
        assert 0 < done
        assert asyncio.run(committed(kafka_bootstrap, f"{prefix}.ledger")) == done
    finally:
        for proc in (relay, consumer):
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
