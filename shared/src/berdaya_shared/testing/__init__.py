"""Test helpers: bounded waiting and reading topics back from a real broker."""

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer

from ..events.envelope import Envelope

T = TypeVar("T")


def wait_until(probe: Callable[[], T | None], *, timeout: float = 60, interval: float = 0.2,
               what: str = "condition") -> T:
    """Poll ``probe`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
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
