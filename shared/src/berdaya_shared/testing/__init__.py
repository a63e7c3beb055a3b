"""Test helpers: bounded waiting and reading topics back from a real broker."""

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]

from ..events.envelope import Envelope

T = TypeVar("T")


def wait_until(probe: Callable[[], T | None], *, timeout: float = 60, interval: float = 0.2,
               what: str = "condition") -> T:
    """Poll ``probe`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


async def read_topic(bootstrap: str, topic: str, *, until: Callable[[list[Any]], bool],
                     timeout: float = 60) -> list[Any]:
    """Read ``topic`` from the beginning (no group) until ``until(messages)`` or timeout."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=None,
                                client_id=f"test-reader-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    messages: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while not until(messages):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out reading {topic}: {len(messages)} messages")
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                messages.extend(records)
    finally:
        await consumer.stop()
    return messages


def envelopes(messages: list[Any]) -> list[Envelope]:
    return [Envelope.model_validate_json(m.value) for m in messages]


def auth_headers(settings: Any, *roles: str, area: str = "31", subject: str = "tester") -> dict[str, str]:
    """Bearer headers for a caller with ``roles`` over ``area`` (signed with the service's secret)."""
    from ..api.auth import issue_token

    token = issue_token(settings.jwt_secret, subject=subject, roles=list(roles), area=area,
                        audience=settings.jwt_audience)
    return {"Authorization": f"Bearer {token}"}


def migrated(runtime: Any) -> Any:
    """Apply the service's migrations to its database and return the runtime."""
    from ..migrations import upgrade

    upgrade(runtime.settings.database_url, runtime.migrations)
    return runtime


def publish_pending(runtime: Any) -> int:
    """Run the service's relay once against the real broker; returns rows published."""
    from ..kafka import ensure_topics, new_producer

    async def go() -> int:
        await ensure_topics(runtime.relay.bootstrap, runtime.relay.topics)
        producer = new_producer(runtime.relay.bootstrap, client_id="test-relay")
        await producer.start()
        try:
            total = 0
            while (n := await runtime.relay.publish_once(producer)) > 0:
                total += n
            return total
        finally:
            await producer.stop()

    return asyncio.run(go())


@contextmanager
def service_runtime(build: Any, settings_cls: Any, database_url: str, kafka_bootstrap: str,
                    **overrides: Any) -> Iterator[Any]:
    """A service's runtime on a migrated test database; disposed afterwards."""
    settings = settings_cls(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap,
                            environment="test", **overrides)
    runtime = migrated(build(settings))
    try:
        yield runtime
    finally:
        runtime.engine.dispose()
