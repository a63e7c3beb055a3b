"""SIGKILL the relay mid-batch and a consumer mid-stream: every effect still lands exactly once."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import wait_until

from . import ledger

N = 1500
SHARED = Path(__file__).resolve().parents[2]


def _start(role: str, url: str, bootstrap: str, topic: str) -> subprocess.Popen:
    env = {**os.environ, "LEDGER_DB": url, "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
           "LEDGER_TOPIC": topic}
    return subprocess.Popen([sys.executable, "-m", "tests.integration.ledger", role], cwd=SHARED,
                            env=env, stdout=subprocess.DEVNULL)


def _scalar(engine, query):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def test_sigkill_relay_and_consumer_apply_each_effect_once(postgres_url, kafka_bootstrap, prefix):
    ledger.create_schema(postgres_url)
    engine = make_engine(postgres_url)
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    with transaction(session_factory(engine)) as session:
        for i in range(N):
            enqueue(session, ledger.outbox,
                    new_event(Added(amount=i + 1), subject=f"agg-{i % 37}", source="test"))
    published = select(func.count()).select_from(ledger.outbox).where(
        ledger.outbox.c.published_at.is_not(None))
    applied = select(ledger.tally.c.applied)

    relay = _start("relay", postgres_url, kafka_bootstrap, topic)
    wait_until(lambda: _scalar(engine, published) > 0, what="the relay to publish a first batch")
    relay.send_signal(signal.SIGKILL)
    relay.wait()
    assert _scalar(engine, published) < N, "the relay was killed mid-stream"

    consumer = _start("consumer", postgres_url, kafka_bootstrap, topic)
    relay = _start("relay", postgres_url, kafka_bootstrap, topic)
    wait_until(lambda: _scalar(engine, applied) > 100, timeout=120,
               what="the consumer to apply some events")
    consumer.send_signal(signal.SIGKILL)
    consumer.wait()
    assert _scalar(engine, applied) < N, "the consumer was killed mid-stream"

    consumer = _start("consumer", postgres_url, kafka_bootstrap, topic)
    try:
        wait_until(lambda: _scalar(engine, published) == N, timeout=120, what="all rows published")
        wait_until(lambda: _scalar(engine, applied) >= N, timeout=180, what="all effects applied")
    finally:
        for proc in (relay, consumer):
            proc.terminate()
            proc.wait(timeout=30)
    with engine.connect() as conn:
        row = conn.execute(select(ledger.tally)).one()
        inbox_rows = conn.execute(select(func.count()).select_from(ledger.inbox)).scalar_one()
    assert row.applied == N
    assert row.total == N * (N + 1) // 2
    assert inbox_rows == N
