"""A broker outage is one the design survives: the api stays ready (Kafka is a detail of
/readyz), writes keep succeeding (the outbox holds their events), the relay and the consumer
report the outage on berdaya_kafka_connected, and every event arrives, once, when it is back.

The test stops a real broker, so it runs its own (kafka.sh on BERDAYA_OUTAGE_KAFKA_PORT,
19396 by default, controller on the next port), never the broker other tests share.
"""

import asyncio
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from berdaya_shared.db import make_engine, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import envelopes, read_topic

from . import ledger

KAFKA_SH = Path(__file__).resolve().parents[3] / "deploy" / "kafka" / "kafka.sh"


@dataclass
class Broker:
    bootstrap: str
    env: dict[str, str]

    def start(self) -> None:
        subprocess.run([str(KAFKA_SH), "start"], env=self.env, check=True, capture_output=True,
                       timeout=300)

    def stop(self) -> None:
        subprocess.run([str(KAFKA_SH), "stop"], env=self.env, check=True, capture_output=True,
                       timeout=120)


@pytest.fixture
def private_broker() -> Iterator[Broker]:
    port = int(os.environ.get("BERDAYA_OUTAGE_KAFKA_PORT", "19396"))
    env = {**os.environ, "KAFKA_PORT": str(port), "KAFKA_CONTROLLER_PORT": str(port + 1)}
    broker = Broker(bootstrap=f"127.0.0.1:{port}", env=env)
    subprocess.run([str(KAFKA_SH), "reset"], env=env, check=True, capture_output=True, timeout=120)
    broker.start()
    try:
        yield broker
    finally:
        subprocess.run([str(KAFKA_SH), "reset"], env=env, check=False, capture_output=True,
                       timeout=120)


def connected(service: str, role: str) -> float | None:
    return REGISTRY.get_sample_value("berdaya_kafka_connected", {"service": service, "role": role})


async def eventually(probe, what: str, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(probe):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.2)


def test_a_broker_outage_keeps_the_api_ready_and_loses_no_event(postgres_url, private_broker, prefix):
    ledger.create_schema(postgres_url)
    topic = f"{prefix}.events"
    settings = ledger.LedgerSettings(service_name=prefix, database_url=postgres_url,
                                     kafka_bootstrap_servers=private_broker.bootstrap,
                                     environment="test", kafka_probe_interval_s=0.5)
    runtime = ledger.build(settings, topic)
    assert runtime.consumer is not None
    consumer = runtime.consumer
    engine = make_engine(postgres_url)
    Added = ledger.payload_class(prefix)
    before = new_event(Added(amount=1), subject="p1", source="test")
    during = new_event(Added(amount=10), subject="p2", source="test")

    def tally() -> tuple[int, int]:
        with engine.connect() as conn:
            row = conn.execute(select(ledger.tally)).one()
        return row.applied, row.total

    def write(event) -> None:  # type: ignore[no-untyped-def]
        with transaction(runtime.sessions) as session:
            enqueue(session, ledger.outbox, event)

    async def scenario() -> None:
        app = runtime.create_app()
        api = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")
        tasks = [asyncio.create_task(runtime.relay.run()), asyncio.create_task(consumer.run())]
        late_relay = runtime.relay
        try:
            await asyncio.to_thread(write, before)
            await eventually(lambda: tally() == (1, 1), "the first event")
            assert connected(prefix, "relay") == 1 and connected(prefix, "consumer") == 1

            await asyncio.to_thread(private_broker.stop)
            await eventually(lambda: connected(prefix, "relay") == 0, "the relay to see the outage")
            await eventually(lambda: connected(prefix, "consumer") == 0, "the consumer to see it")
            # A relay (re)started during the outage waits for the broker instead of exiting.
            late_relay = ledger.build(settings, topic).relay
            tasks.append(asyncio.create_task(late_relay.run()))

            ready = await api.get("/readyz")
            assert ready.status_code == 200, ready.text
            body = ready.json()
            assert body["status"] == "ready" and body["checks"]["database"] == "ok"
            assert body["checks"]["kafka"].startswith("unavailable"), body

            await asyncio.to_thread(write, during)  # a write still succeeds: the outbox holds it
            assert await asyncio.to_thread(runtime.relay.pending) == 1
            assert tally() == (1, 1)

            await asyncio.to_thread(private_broker.start)
            await eventually(lambda: tally() == (2, 11), "the event written during the outage")
            await eventually(lambda: connected(prefix, "relay") == 1, "the relay to reconnect")
            await eventually(lambda: connected(prefix, "consumer") == 1, "the consumer to reconnect")
            assert await asyncio.to_thread(runtime.relay.pending) == 0
            assert (await api.get("/readyz")).json()["checks"]["kafka"] == "ok"
            assert not tasks[-1].done(), "the relay started during the outage exited"
        finally:
            late_relay.stop()
            runtime.relay.stop()
            consumer.stop()
            await asyncio.gather(*tasks)
            await api.aclose()
        published = await read_topic(private_broker.bootstrap, topic, until=lambda m: len(m) >= 2)
        assert {e.id for e in envelopes(published)} == {before.id, during.id}

    asyncio.run(scenario())
    assert tally() == (2, 11)  # each event applied once
    runtime.engine.dispose()
    engine.dispose()
