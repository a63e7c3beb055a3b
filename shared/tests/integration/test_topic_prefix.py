"""``KAFKA_TOPIC_PREFIX``: two stacks on one broker, each on its own topics and consumer group,
never apply each other's events (the browser test's stack relies on it)."""

import asyncio

from sqlalchemy import select

from berdaya_shared.db import make_engine, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import envelopes, read_topic

from . import ledger
from .test_dlq_replay import run_until


def test_two_stacks_with_different_prefixes_share_a_broker_without_mixing(tmp_path, kafka_bootstrap,
                                                                           prefix):
    topic = f"{prefix}.events"  # the contract's topic, the same in both stacks
    Added = ledger.payload_class(prefix)

    def stack(name: str, topic_prefix: str, amounts: list[int]):  # type: ignore[no-untyped-def]
        url = f"sqlite:///{tmp_path / name}.db"
        ledger.create_schema(url)
        runtime = ledger.build(ledger.LedgerSettings(
            service_name="ledger", database_url=url, kafka_bootstrap_servers=kafka_bootstrap,
            environment="test", kafka_topic_prefix=topic_prefix), topic)
        with transaction(runtime.sessions) as session:
            for amount in amounts:
                enqueue(session, ledger.outbox, new_event(Added(amount=amount), subject="s", source="t"))
        engine = make_engine(url)

        def tally() -> tuple[int, int]:
            with engine.connect() as conn:
                row = conn.execute(select(ledger.tally)).one()
            return row.applied, row.total
        return runtime, tally

    plain, plain_tally = stack("plain", "", [100, 200, 300])
    staging, staging_tally = stack("staging", f"staging-{prefix}.", [1, 2])
    assert staging.consumer is not None and staging.consumer.name == f"staging-{prefix}.ledger.consumer"

    run_until(plain, lambda: plain_tally()[0] >= 3, "the plain stack's three events")
    # The staging stack's consumer starts from the beginning of its topics: had it read the
    # plain stack's topic, it would have applied 100, 200 and 300 as well.
    run_until(staging, lambda: staging_tally()[0] >= 2, "the staging stack's two events")

    assert staging_tally() == (2, 3)
    assert plain_tally() == (3, 600)

    on_staging = asyncio.run(read_topic(kafka_bootstrap, f"staging-{prefix}.{topic}",
                                        until=lambda m: len(m) >= 2))
    assert sorted(e.data["amount"] for e in envelopes(on_staging)) == [1, 2]
