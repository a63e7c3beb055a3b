"""Consumer runner: Kafka -> handlers in a DB transaction -> commit offset + 1.

* The inbox row and the handler's effect commit in one transaction; a redelivery is a no-op.
* A polled batch (up to ``batch_size`` messages) is applied in ONE transaction: the inbox rows
  and effects of all its events (``batch.py``). If anything in it fails, nothing of it is
  committed and the same messages are applied one by one, each in its own transaction, with
  the retries and dead-lettering below: the poison event alone goes to the DLQ.
* Offsets are committed (``offset + 1``) only after the DB commit, never before: a crash
  anywhere redelivers, and the inbox makes the redelivery harmless. A poll's offsets are sent
  while the next poll is applied (one offset commit in flight at a time).
* A handler that keeps failing is retried with exponential backoff, then the message goes to
  ``<topic>.dlq`` with the error in its headers, and the runner moves on.
* A store that cannot be reached (connection refused, server gone) is not the message's
  fault: the runner waits and retries that message for as long as the outage lasts (backoff
  capped at 30 s), dead-lettering nothing, and resumes where it stopped.
* Unknown event types are skipped (readers ignore what they do not handle).
* SIGTERM (via ``stop()``) finishes the current message, commits, and leaves the group.
* A broker that is down at start is waited for; ``berdaya_kafka_connected{service,
  role="consumer"}`` says whether the consumer reaches Kafka (set by polls that bring
  messages, and by a metadata probe while idle). ``python -m <service> dlq`` lists and
  replays what was dead-lettered (``inbox/dlq.py``).
"""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from aiokafka import ConsumerRebalanceListener, TopicPartition  # type: ignore[import-untyped]
from aiokafka.errors import CommitFailedError, KafkaError  # type: ignore[import-untyped]
from sqlalchemy import CursorResult, Table, delete, insert
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from ..events.envelope import Envelope
from ..kafka import KafkaHealth, connect_with_retry, ensure_topics, new_consumer, new_producer
from ..logging import bound_contextvars, get_logger
from ..metrics import EVENTS_CONSUMED, EVENTS_DEAD_LETTERED
from .batch import Handler, Work, apply_batch

log = get_logger(__name__)

# Headers of a dead-lettered message, beside the original ones (ce_type, ce_id, ...).
DLQ_ERROR, DLQ_CONSUMER = "x-error", "x-consumer"
DLQ_TOPIC, DLQ_PARTITION, DLQ_OFFSET = "x-original-topic", "x-original-partition", "x-original-offset"


class _CommitOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, runner: "ConsumerRunner") -> None:
        self.runner = runner

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self.runner.commit_pending(only=set(revoked))
        log.info("consumer.partitions_revoked", partitions=[f"{p.topic}:{p.partition}" for p in revoked])

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        log.info("consumer.partitions_assigned", partitions=[f"{p.topic}:{p.partition}" for p in assigned])


class ConsumerRunner:
    def __init__(self, *, name: str, topics: list[str], handlers: dict[str, Handler],
                 sessions: sessionmaker[Session], inbox: Table, bootstrap: str,
                 max_attempts: int = 5, backoff_s: float = 0.2, batch_size: int = 200,
                 retention: timedelta = timedelta(days=30),
                 housekeeping_every_s: float = 3600.0, service: str | None = None,
                 kafka_probe_every_s: float = 10.0) -> None:
        self.name, self.topics, self.handlers = name, topics, handlers
        self.sessions, self.inbox, self.bootstrap = sessions, inbox, bootstrap
        self.max_attempts, self.backoff_s, self.batch_size = max_attempts, backoff_s, batch_size
        self.retention, self.housekeeping_every_s = retention, housekeeping_every_s
        self._pending: dict[TopicPartition, int] = {}
        self._stop = asyncio.Event()
        self._consumer: Any = None  # aiokafka clients, created by run()
        self._producer: Any = None
        self.kafka = KafkaHealth(service=service or name.rsplit(".", 1)[0], role="consumer",
                                 probe_every_s=kafka_probe_every_s)

    def stop(self) -> None:
        self._stop.set()

    async def _start_clients(self) -> bool:
        await ensure_topics(self.bootstrap, [*self.topics, *(f"{t}.dlq" for t in self.topics)])
        consumer = new_consumer(self.bootstrap, group_id=self.name, client_id=self.name)
        producer = new_producer(self.bootstrap, client_id=f"{self.name}-dlq")
        try:
            consumer.subscribe(self.topics, listener=_CommitOnRevoke(self))
            await consumer.start()
            await producer.start()
        except BaseException:
            await producer.stop()
            await consumer.stop()
            raise
        self._consumer, self._producer = consumer, producer
        return True

    async def run(self) -> None:
        if not await connect_with_retry(self._start_clients, health=self.kafka, stop=self._stop):
            return
        log.info("consumer.started", consumer=self.name, topics=self.topics)
        next_housekeeping = 0.0
        committing: asyncio.Future[None] | None = None
        try:
            while not self._stop.is_set():
                if asyncio.get_running_loop().time() >= next_housekeeping:
                    await self._housekeeping()
                    next_housekeeping = asyncio.get_running_loop().time() + self.housekeeping_every_s
                batches = await self._consumer.getmany(timeout_ms=500, max_records=self.batch_size)
                if batches:
                    self.kafka.up()
                else:
                    await self.kafka.probe(self._consumer.topics)
                if batches and not self._stop.is_set() and not await self._process_batch(batches):
                    for tp, messages in batches.items():
                        for message in messages:
                            if self._stop.is_set() or not await self._process(message):
                                break
                            self._pending[tp] = message.offset + 1
                # The offsets go to the broker while the next poll is applied (they are only
                # ever offsets already committed in the store); one commit in flight at a time.
                if committing is not None:
                    await committing
                committing = asyncio.ensure_future(self.commit_pending())
        finally:
            if committing is not None:
                await committing
            await self.commit_pending()
            await self._consumer.stop()
            await self._producer.stop()
            log.info("consumer.stopped", consumer=self.name)

    async def _housekeeping(self) -> None:
        try:
            purged = await asyncio.to_thread(self.purge_inbox, self.retention)
        except Exception as exc:  # noqa: BLE001 - housekeeping never stops consumption
            log.warning("consumer.inbox_purge_failed", error=repr(exc)[:300])
            return
        if purged:
            log.info("consumer.inbox_purged", rows=purged)

    def purge_inbox(self, older_than: timedelta) -> int:
        """Forget events processed before ``now - older_than``. Keep this well above the
        topics' retention (Kafka's default is 7 days): an event still on Kafka may be
        redelivered, and only its inbox row stops it being applied twice."""
        cutoff = datetime.now(UTC) - older_than
        with self.sessions() as session, session.begin():
            result = session.execute(delete(self.inbox).where(
                self.inbox.c.consumer == self.name, self.inbox.c.processed_at < cutoff))
            return int(cast(CursorResult[Any], result).rowcount)

    async def commit_pending(self, only: set[TopicPartition] | None = None) -> None:
        offsets = {tp: off for tp, off in self._pending.items() if only is None or tp in only}
        if not offsets or self._consumer is None:
            return
        try:
            await self._consumer.commit(offsets)
        except (CommitFailedError, KafkaError) as exc:
            # The group moved on; the new owner re-reads and the inbox skips what we applied.
            log.warning("consumer.commit_failed", error=repr(exc))
        for tp, offset in offsets.items():
            if self._pending.get(tp) == offset:  # not moved on by a batch applied meanwhile
                del self._pending[tp]

    async def _process_batch(self, batches: dict[TopicPartition, list[Any]]) -> bool:
        """Apply every message of a poll in one transaction. False when that is not possible
        (a message that is not an envelope, a handler or the store failing): nothing was
        committed, and the caller applies the messages one by one."""
        work: list[Work] = []
        for messages in batches.values():
            for message in messages:
                try:
                    envelope = Envelope.model_validate_json(message.value)
                except ValueError:
                    return False
                handler = self.handlers.get(envelope.type)
                if handler is not None:
                    work.append(Work(envelope=envelope, handler=handler))
        if len(work) < 2:
            return False  # nothing to gain: the one-by-one path
        try:
            applied = await asyncio.to_thread(apply_batch, sessions=self.sessions,
                                              inbox=self.inbox, consumer=self.name, work=work)
        except Exception as exc:  # noqa: BLE001 - one by one finds the culprit, or waits
            log.warning("consumer.batch_failed", consumer=self.name, events=len(work),
                        error=repr(exc)[:300])
            return False
        outcomes = Counter((item.envelope.type, "applied" if fresh else "duplicate")
                           for item, fresh in zip(work, applied, strict=True))
        for (event_type, outcome), n in outcomes.items():
            EVENTS_CONSUMED.labels(self.name, event_type, outcome).inc(n)
        log.info("consumer.batch_handled", consumer=self.name, applied=sum(applied),
                 duplicates=len(applied) - sum(applied))
        for tp, messages in batches.items():
            self._pending[tp] = messages[-1].offset + 1
        return True

    async def _process(self, message: Any) -> bool:
        """Apply, skip or dead-letter one message. False only when stopping mid-outage: the
        message was not handled and its offset must not be committed."""
        try:
            envelope = Envelope.model_validate_json(message.value)
        except ValueError as exc:
            return await self._dead_letter(message, f"not a valid event envelope: {exc}")
        handler = self.handlers.get(envelope.type)
        if handler is None:
            return True
        with bound_contextvars(event_id=envelope.id, event_type=envelope.type,
                               correlation_id=envelope.correlationid, consumer=self.name):
            failures = outages = 0
            while True:
                try:
                    applied = await asyncio.to_thread(self._apply, envelope, handler)
                except (OperationalError, InterfaceError) as exc:
                    outages += 1
                    log.error("consumer.store_unavailable", attempt=outages, error=repr(exc)[:300])
                    if self._stop.is_set():
                        return False
                    await asyncio.sleep(min(30.0, self.backoff_s * 2 ** min(outages, 8)))
                except Exception as exc:  # noqa: BLE001 - any other failure is retried, then DLQ
                    failures += 1
                    log.warning("consumer.handler_failed", attempt=failures, error=repr(exc)[:500])
                    if failures >= self.max_attempts:
                        if not await self._dead_letter(message, repr(exc)[:1000]):
                            return False
                        EVENTS_CONSUMED.labels(self.name, envelope.type, "dead_lettered").inc()
                        return True
                    await asyncio.sleep(self.backoff_s * 2 ** (failures - 1))
                else:
                    outcome = "applied" if applied else "duplicate"
                    EVENTS_CONSUMED.labels(self.name, envelope.type, outcome).inc()
                    log.info("consumer.event_handled", outcome=outcome)
                    return True

    def _apply(self, envelope: Envelope, handler: Handler) -> bool:
        """Inbox row + effect in one transaction. False when the event was already applied."""
        with self.sessions() as session:
            session.begin()
            try:
                session.execute(insert(self.inbox).values(
                    consumer=self.name, event_id=envelope.id, event_type=envelope.type,
                    processed_at=datetime.now(UTC)))
            except IntegrityError:  # (consumer, event_id) exists: applied before
                session.rollback()
                return False
            try:
                handler(session, envelope)
                session.commit()
            except BaseException:
                session.rollback()
                raise
        return True

    async def _dead_letter(self, message: Any, error: str) -> bool:
        """Send ``message`` to ``<topic>.dlq``. A broker that cannot take it is waited for
        (the message is not skipped unrecorded); False only when stopping meanwhile."""
        topic = f"{message.topic}.dlq"
        headers = [*(message.headers or []),
                   (DLQ_ERROR, error.encode()), (DLQ_CONSUMER, self.name.encode()),
                   (DLQ_TOPIC, message.topic.encode()),
                   (DLQ_PARTITION, str(message.partition).encode()),
                   (DLQ_OFFSET, str(message.offset).encode())]
        failures = 0
        while True:
            try:
                await self._producer.send_and_wait(topic, value=message.value, key=message.key,
                                                   headers=headers)
                break
            except KafkaError as exc:
                failures += 1
                self.kafka.down(exc)
                log.error("consumer.dead_letter_failed", attempt=failures, error=repr(exc)[:300])
                if self._stop.is_set():
                    return False
                await asyncio.sleep(min(30.0, self.backoff_s * 2 ** min(failures, 8)))
        EVENTS_DEAD_LETTERED.labels(self.name, message.topic).inc()
        log.error("consumer.dead_lettered", dlq=topic, offset=message.offset, error=error[:300])
        return True
