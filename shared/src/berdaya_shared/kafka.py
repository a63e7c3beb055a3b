"""Kafka clients built the same way everywhere, topic creation, and Kafka health for the
relay and the consumer (``berdaya_kafka_connected{service,role}``)."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

# aiokafka ships no type information: its classes are Any to mypy.
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # type: ignore[import-untyped]
from aiokafka.errors import TopicAlreadyExistsError  # type: ignore[import-untyped]
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .logging import get_logger
from .metrics import KAFKA_CONNECTED

log = get_logger(__name__)

T = TypeVar("T")


def new_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    # Idempotent producer: acks=all and sequence numbers, so a retried send never duplicates
    # a message within a partition.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=256 * 1024,
        compression_type=None,
    )


def new_consumer(bootstrap: str, *, group_id: str, client_id: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,  # we commit offset + 1 only after the DB commit
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        # A topic the group missed (created while it formed) is picked up within 30 s, not
        # aiokafka's default 5 minutes.
        metadata_max_age_ms=30_000,
    )


class TopicSettings(BaseSettings):
    """How the topics a relay or consumer creates are replicated (read without a prefix, like
    ``KAFKA_BOOTSTRAP_SERVERS``: every service creates topics the same way).

    Unset (the default): replication factor ``min(3, brokers in the cluster)`` and
    ``min.insync.replicas`` one less (at least 1), so a 3-broker cluster keeps every partition
    writable with ``acks=all`` while one broker is down, and a single dev broker still works.
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    replication_factor: int | None = Field(
        default=None, ge=1, le=32767, validation_alias=AliasChoices(
            "replication_factor", "KAFKA_REPLICATION_FACTOR"))
    min_insync_replicas: int | None = Field(
        default=None, ge=1, le=32767, validation_alias=AliasChoices(
            "min_insync_replicas", "KAFKA_MIN_INSYNC_REPLICAS"))


def replication_for(brokers: int, settings: TopicSettings) -> tuple[int, int]:
    """(replication factor, min ISR) for a cluster of ``brokers``: explicit settings win."""
    factor = settings.replication_factor or max(1, min(3, brokers))
    min_isr = settings.min_insync_replicas or max(1, factor - 1)
    return factor, min(min_isr, factor)


async def ensure_topics(bootstrap: str, topics: list[str], *, partitions: int = 3,
                        settings: TopicSettings | None = None) -> None:
    """Create missing topics, replicated as ``TopicSettings`` says (from the environment when
    not given). Existing topics are left as they are: changing one is an operator's act."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if missing:
            cluster = await admin.describe_cluster()
            factor, min_isr = replication_for(len(cluster.get("brokers") or []),
                                              settings or TopicSettings())
            config = {"min.insync.replicas": str(min_isr)}
            try:
                await admin.create_topics(
                    [NewTopic(t, num_partitions=partitions, replication_factor=factor,
                              topic_configs=config) for t in missing]
                )
            except TopicAlreadyExistsError:
                pass
            log.info("kafka.topics_created", topics=missing, replication_factor=factor,
                     min_insync_replicas=min_isr)
        await _wait_for_leaders(admin, list(dict.fromkeys(topics)))
    finally:
        await admin.close()


async def _wait_for_leaders(admin: Any, topics: list[str], *, timeout_s: float = 30.0) -> None:
    """Return once every topic has partitions with a leader in the cluster's metadata.

    A topic just created (here or by another replica a moment ago) is not yet in every
    broker's metadata. A consumer group formed in that moment is assigned no partitions of it,
    and aiokafka only notices at its next metadata refresh; so the caller waits here, bounded.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        described = await admin.describe_topics(topics)
        ready = {t.get("topic") or t.get("name") for t in described
                 if t.get("error_code") == 0 and t.get("partitions")
                 and all(p.get("leader", -1) >= 0 for p in t["partitions"])}
        if ready >= set(topics):
            return
        if loop.time() > deadline:
            log.warning("kafka.topics_without_leader", topics=sorted(set(topics) - ready))
            return
        await asyncio.sleep(0.1)


async def kafka_ready(bootstrap: str) -> None:
    """Raises unless a client can bootstrap and read cluster metadata."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    await admin.start()
    try:
        await admin.list_topics()
    finally:
        await admin.close()


class KafkaHealth:
    """Whether a relay or a consumer can reach Kafka, as the gauge
    ``berdaya_kafka_connected{service,role}`` (1/0) on the process's metrics port.

    Set to 1 on every successful publish, poll with messages or metadata probe, to 0 on every
    failure. An idle process probes (one metadata request) every ``probe_every_s``, because an
    empty poll proves nothing: aiokafka reconnects silently. Transitions are logged once.
    """

    def __init__(self, *, service: str, role: str, probe_every_s: float = 10.0) -> None:
        self.service, self.role, self.probe_every_s = service, role, probe_every_s
        self.connected: bool | None = None
        self._next_probe = 0.0

    def up(self) -> None:
        if self.connected is not True:
            log.info("kafka.reachable", role=self.role)
        self.connected = True
        KAFKA_CONNECTED.labels(self.service, self.role).set(1)

    def down(self, error: BaseException | str) -> None:
        if self.connected is not False:
            log.error("kafka.unreachable", role=self.role, error=repr(error)[:300])
        self.connected = False
        KAFKA_CONNECTED.labels(self.service, self.role).set(0)

    async def probe(self, fetch_metadata: Callable[[], Awaitable[Any]], *,
                    force: bool = False) -> None:
        """Ask for the cluster's metadata (``producer.client.fetch_all_metadata`` or
        ``consumer.topics``), at most once per ``probe_every_s`` unless ``force``."""
        now = asyncio.get_running_loop().time()
        if not force and now < self._next_probe:
            return
        self._next_probe = now + self.probe_every_s
        try:
            await asyncio.wait_for(fetch_metadata(), 5)
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable now"
            self.down(exc)
        else:
            self.up()


async def connect_with_retry(start: Callable[[], Awaitable[T]], *, health: KafkaHealth,
                             stop: asyncio.Event, max_pause_s: float = 30.0) -> T | None:
    """Run ``start`` (create topics, start clients) until it succeeds; a broker that is down
    when a relay or consumer starts is waited for, not fatal. None when stopped first."""
    failures = 0
    while not stop.is_set():
        try:
            result = await start()
        except Exception as exc:  # noqa: BLE001 - broker not reachable yet: wait and retry
            failures += 1
            health.down(exc)
            try:
                await asyncio.wait_for(stop.wait(), min(max_pause_s, 0.5 * 2 ** min(failures, 6)))
            except TimeoutError:
                pass
        else:
            health.up()
            return result
    return None
