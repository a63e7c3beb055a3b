"""Kafka clients built the same way everywhere, and topic creation."""

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from .logging import get_logger

log = get_logger(__name__)


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
    )


async def ensure_topics(bootstrap: str, topics: list[str], *, partitions: int = 3) -> None:
    """Create missing topics (replication 1 on a single broker; ops set more in production)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if missing:
            try:
                await admin.create_topics(
                    [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in missing]
                )
            except TopicAlreadyExistsError:
                pass
            log.info("kafka.topics_created", topics=missing)
    finally:
        await admin.close()


async def kafka_ready(bootstrap: str) -> None:
    """Raises unless a client can bootstrap and read cluster metadata."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    await admin.start()
    try:
        await admin.list_topics()
    finally:
        await admin.close()
