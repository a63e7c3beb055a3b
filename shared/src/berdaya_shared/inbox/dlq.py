"""Dead-lettered messages: list them, and replay them once their cause is fixed.

``python -m <service> dlq list [--limit N]`` and
``python -m <service> dlq replay (--all | --offset TOPIC:PARTITION:OFFSET ...)``.

* The runner dead-letters a message to ``<topic>.dlq`` with the original key, value and
  headers plus ``x-error``, ``x-consumer`` (its group) and the original topic, partition and
  offset (``runner.py``). Several groups may share one ``<topic>.dlq``; a service sees only
  the messages its own group dead-lettered.
* Replay re-publishes the message to its original topic with the same key (so the same
  partition) and the same value: the envelope id is unchanged, so a consumer that already
  applied it skips it (inbox). Other groups reading that topic see it again and skip it too,
  within their inbox retention.
* What was replayed is recorded on ``<group>.dlq-replays`` (one record per replayed message,
  keyed by its DLQ position), written after the broker acknowledged the replay. ``--all``
  takes only messages not replayed before, so running it twice re-publishes nothing; an
  explicit ``--offset`` is replayed even if it was before (the inbox makes that harmless).
"""

import asyncio
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]

from ..kafka import ensure_topics, new_producer
from ..logging import get_logger
from .runner import DLQ_CONSUMER, DLQ_ERROR, DLQ_OFFSET, DLQ_PARTITION, DLQ_TOPIC

log = get_logger(__name__)

REPLAYED_FROM = "x-replayed-from"
_DLQ_HEADERS = {DLQ_ERROR, DLQ_CONSUMER, DLQ_TOPIC, DLQ_PARTITION, DLQ_OFFSET, REPLAYED_FROM}


@dataclass(frozen=True)
class DeadLetter:
    position: str  # "<topic>.dlq:<partition>:<offset>", what ``replay --offset`` takes
    original_topic: str
    original_position: str
    consumer: str
    error: str
    event_type: str
    event_id: str
    dead_lettered_at: datetime
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]
    replayed: bool = False


def replay_log_topic(group: str) -> str:
    return f"{group}.dlq-replays"


def parse_position(text: str) -> str:
    """Validate ``TOPIC:PARTITION:OFFSET`` as ``list`` prints it (the DLQ topic's coordinates)."""
    parts = text.rsplit(":", 2)
    if len(parts) != 3 or not parts[0].endswith(".dlq") or not all(p.isdigit() for p in parts[1:]):
        raise ValueError(f"{text!r} is not a dead-letter position like registration.events.dlq:0:12")
    return f"{parts[0]}:{int(parts[1])}:{int(parts[2])}"


async def read_all(bootstrap: str, topic: str, *, timeout_s: float = 30.0) -> list[Any]:
    """Every message on ``topic`` from the beginning to its current end (no group, no commit).
    A topic that does not exist yet is empty (and is not created by reading it)."""
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await probe.start()
    try:
        exists = topic in await probe.topics()
    finally:
        await probe.stop()
    if not exists:
        return []
    reader = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                              enable_auto_commit=False, auto_offset_reset="earliest",
                              client_id=f"dlq-reader-{uuid.uuid4().hex[:6]}")
    await reader.start()
    messages: list[Any] = []
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or [])]
        ends = await reader.end_offsets(partitions)
        await reader.seek_to_beginning(*partitions)
        deadline = asyncio.get_running_loop().time() + timeout_s
        while [tp for tp in partitions if await reader.position(tp) < ends[tp]]:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"could not read {topic} to its end within {timeout_s}s")
            batch = await reader.getmany(timeout_ms=500)
            for tp, records in batch.items():
                messages.extend(r for r in records if r.offset < ends[tp])
    finally:
        await reader.stop()
    return messages


def _header(headers: Iterable[tuple[str, bytes]], name: str, default: str = "") -> str:
    for key, value in headers:
        if key == name:
            return value.decode(errors="replace")
    return default


def _dead_letter(message: Any, replayed: set[str]) -> DeadLetter:
    headers = list(message.headers or [])
    position = f"{message.topic}:{message.partition}:{message.offset}"
    try:
        envelope = json.loads(message.value)
        event_type, event_id = str(envelope.get("type", "?")), str(envelope.get("id", "?"))
    except (ValueError, AttributeError):
        event_type, event_id = _header(headers, "ce_type", "?"), _header(headers, "ce_id", "?")
    original_topic = _header(headers, DLQ_TOPIC, message.topic.removesuffix(".dlq"))
    return DeadLetter(
        position=position, original_topic=original_topic,
        original_position=(f"{original_topic}:{_header(headers, DLQ_PARTITION, '?')}:"
                           f"{_header(headers, DLQ_OFFSET, '?')}"),
        consumer=_header(headers, DLQ_CONSUMER), error=_header(headers, DLQ_ERROR),
        event_type=event_type, event_id=event_id,
        dead_lettered_at=datetime.fromtimestamp(message.timestamp / 1000, UTC),
        key=message.key, value=message.value, headers=headers, replayed=position in replayed)


async def replayed_positions(bootstrap: str, group: str) -> set[str]:
    return {m.key.decode() for m in await read_all(bootstrap, replay_log_topic(group)) if m.key}


async def dead_letters(*, bootstrap: str, group: str, topics: list[str]) -> list[DeadLetter]:
    """What ``group`` dead-lettered from ``topics``, oldest first, each marked if replayed."""
    replayed = await replayed_positions(bootstrap, group)
    found: list[DeadLetter] = []
    for topic in topics:
        for message in await read_all(bootstrap, f"{topic}.dlq"):
            letter = _dead_letter(message, replayed)
            if letter.consumer == group:
                found.append(letter)
    return sorted(found, key=lambda d: (d.dead_lettered_at, d.position))


@dataclass(frozen=True)
class ReplaySummary:
    replayed: list[DeadLetter]
    skipped: list[DeadLetter]  # --all: replayed before
    unknown: list[str]  # --offset positions that are not a dead letter of this group


async def replay(*, bootstrap: str, group: str, topics: list[str], positions: list[str] | None,
                 by: str = "cli") -> ReplaySummary:
    """Re-publish dead letters to their original topics and record each on the replay log.

    ``positions=None`` replays every dead letter of ``group`` not replayed before; a list
    replays exactly those (even if replayed before)."""
    letters = await dead_letters(bootstrap=bootstrap, group=group, topics=topics)
    if positions is None:
        chosen = [d for d in letters if not d.replayed]
        skipped = [d for d in letters if d.replayed]
        unknown: list[str] = []
    else:
        wanted = list(dict.fromkeys(positions))
        by_position = {d.position: d for d in letters}
        chosen = [by_position[p] for p in wanted if p in by_position]
        skipped, unknown = [], [p for p in wanted if p not in by_position]
    if not chosen:
        return ReplaySummary(replayed=[], skipped=skipped, unknown=unknown)
    log_topic = replay_log_topic(group)
    await ensure_topics(bootstrap, [log_topic], partitions=1)
    producer = new_producer(bootstrap, client_id=f"{group}.dlq-replayer")
    await producer.start()
    try:
        for letter in chosen:
            headers = [(k, v) for k, v in letter.headers if k not in _DLQ_HEADERS]
            headers.append((REPLAYED_FROM, letter.position.encode()))
            await producer.send_and_wait(letter.original_topic, value=letter.value, key=letter.key,
                                         headers=headers)
            record = {"event_id": letter.event_id, "event_type": letter.event_type,
                      "original_topic": letter.original_topic, "by": by,
                      "replayed_at": datetime.now(UTC).isoformat()}
            await producer.send_and_wait(log_topic, key=letter.position.encode(),
                                         value=json.dumps(record).encode())
            log.info("dlq.replayed", position=letter.position, event_id=letter.event_id,
                     event_type=letter.event_type, topic=letter.original_topic)
    finally:
        await producer.stop()
    return ReplaySummary(replayed=chosen, skipped=skipped, unknown=unknown)
