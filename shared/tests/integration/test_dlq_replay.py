"""Dead letters can be listed with their error and replayed once the cause is fixed; the effect
happens exactly once however often they are replayed (the replay log and the inbox)."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.orm import Session

from berdaya_shared.db import make_engine, transaction
from berdaya_shared.events import Envelope, new_event
from berdaya_shared.inbox import Handler
from berdaya_shared.outbox import enqueue
from berdaya_shared.runtime import ServiceRuntime

from . import ledger

SHARED = Path(__file__).resolve().parents[2]


def dlq_command(*args: str, env: dict[str, str]) -> str:
    """``python -m <service> dlq ...``, as ops run it, for the ledger service."""
    done = subprocess.run([sys.executable, "-m", "tests.integration.ledger", "dlq", *args],
                          cwd=SHARED, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def run_until(runtime: ServiceRuntime, probe: Callable[[], bool], what: str,
              handler: Handler | None = None) -> None:
    """Run the ledger's relay and consumer until ``probe()`` holds, then stop them cleanly."""
    consumer = runtime.consumer
    assert consumer is not None
    if handler is not None:
        consumer.handlers = dict.fromkeys(consumer.handlers, handler)

    async def scenario() -> None:
        tasks = [asyncio.create_task(runtime.relay.run()), asyncio.create_task(consumer.run())]
        try:
            for _ in range(600):
                if await asyncio.to_thread(probe):
                    return
                await asyncio.sleep(0.1)
            raise AssertionError(f"timed out waiting for {what}")
        finally:
            runtime.relay.stop()
            consumer.stop()
            await asyncio.gather(*tasks)

    asyncio.run(scenario())
    runtime.engine.dispose()


def test_a_dead_letter_is_replayed_once_its_handler_is_fixed(postgres_url, kafka_bootstrap, prefix):
    ledger.create_schema(postgres_url)
    topic = f"{prefix}.events"
    settings = ledger.LedgerSettings(service_name=prefix, database_url=postgres_url,
                                     kafka_bootstrap_servers=kafka_bootstrap, environment="test",
                                     consumer_max_attempts=2, consumer_backoff_s=0.05)
    runtime = ledger.build(settings, topic)
    env = {"LEDGER_SERVICE_NAME": prefix, "LEDGER_DATABASE_URL": postgres_url,
           "LEDGER_TOPIC": topic, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "BERDAYA_ENV": "test"}
    engine = make_engine(postgres_url)
    Added = ledger.payload_class(prefix)
    poison = new_event(Added(amount=10, poison=True), subject="p1", source="test")
    with transaction(runtime.sessions) as session:
        enqueue(session, ledger.outbox, new_event(Added(amount=1), subject="p1", source="test"))
        enqueue(session, ledger.outbox, poison)
        enqueue(session, ledger.outbox, new_event(Added(amount=100), subject="p1", source="test"))

    def tally() -> tuple[int, int]:
        with engine.connect() as conn:
            row = conn.execute(select(ledger.tally)).one()
        return row.applied, row.total

    # 1. The handler cannot apply the poison message: after the retries it is dead-lettered.
    run_until(ledger.build(settings, topic), lambda: tally()[0] == 2, "the two good events")
    assert tally() == (2, 101)

    listing = dlq_command("list", env=env)
    assert f"1 dead-lettered by {prefix}.consumer (0 replayed)" in listing
    assert poison.id in listing and Added.TYPE in listing
    assert "ValueError('this payload cannot be handled')" in listing
    position = next(line.split()[0] for line in listing.splitlines()
                    if line.startswith(f"{topic}.dlq:"))

    # 2. The cause is fixed (the handler now applies it); replay everything not replayed yet.
    def fixed(session: Session, envelope: Envelope) -> None:
        ledger.add_amount(session, envelope.model_copy(
            update={"data": {**envelope.data, "poison": False}}))

    replayed = dlq_command("replay", "--all", env=env)
    assert f"replayed {position} -> {topic}" in replayed
    assert "1 replayed, 0 skipped" in replayed
    run_until(ledger.build(settings, topic), lambda: tally()[0] == 3, "the replayed event", fixed)
    assert tally() == (3, 111)

    # 3. Replaying again: --all knows it was replayed; an explicit --offset re-publishes it,
    #    and the inbox skips it. The effect still happened once.
    assert "0 replayed, 1 skipped" in dlq_command("replay", "--all", env=env)
    assert "[replayed]" in dlq_command("list", env=env)
    assert "1 replayed, 0 skipped" in dlq_command("replay", "--offset", position, env=env)

    def duplicates() -> float:
        return REGISTRY.get_sample_value("berdaya_events_consumed_total", {
            "consumer": f"{prefix}.consumer", "type": Added.TYPE, "outcome": "duplicate"}) or 0

    run_until(ledger.build(settings, topic), lambda: duplicates() == 1,
              "the second replay to be skipped", fixed)
    assert tally() == (3, 111)
    runtime.engine.dispose()
    engine.dispose()


def test_replaying_an_unknown_position_says_so(postgres_url, kafka_bootstrap, prefix):
    env = {"LEDGER_SERVICE_NAME": prefix, "LEDGER_DATABASE_URL": postgres_url,
           "LEDGER_TOPIC": f"{prefix}.events", "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
           "BERDAYA_ENV": "test"}
    done = subprocess.run([sys.executable, "-m", "tests.integration.ledger", "dlq", "replay",
                           "--offset", f"{prefix}.events.dlq:0:5"], cwd=SHARED,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"0 replayed, 0 skipped (replayed before), not found: {prefix}.events.dlq:0:5" in done.stdout
