"""An event is published if and only if the transaction that enqueued it commits."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.kafka import new_producer
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import envelopes, read_topic

from . import ledger


def _relay_step(url: str, bootstrap: str, topic: str, step: str, **kw: float) -> int:
    """Run a ledger relay's ``publish_once`` or ``drain`` once against the broker."""
    async def go() -> int:
        relay = ledger.relay(url, bootstrap, topic, **kw)
        producer = new_producer(bootstrap, client_id="test")
        await producer.start()
        try:
            return int(await getattr(relay, step)(producer))
        finally:
            await producer.stop()
    return asyncio.run(go())


def test_rolled_back_change_publishes_nothing(database_url, kafka_bootstrap, prefix):
    ledger.create_schema(database_url)
    engine = make_engine(database_url)
    sessions, Added = session_factory(engine), ledger.payload_class(prefix)
    kept = new_event(Added(amount=1), subject="a", source="test")
    dropped = new_event(Added(amount=2), subject="b", source="test")
    with transaction(sessions) as session:
        enqueue(session, ledger.outbox, kept)
    with pytest.raises(RuntimeError), transaction(sessions) as session:
        enqueue(session, ledger.outbox, dropped)
        raise RuntimeError("the change failed after the event was enqueued")
    later = new_event(Added(amount=3), subject="c", source="test")
    with transaction(sessions) as session:
        enqueue(session, ledger.outbox, later)

    assert _relay_step(database_url, kafka_bootstrap, f"{prefix}.events", "publish_once") == 2
    published = envelopes(asyncio.run(
        read_topic(kafka_bootstrap, f"{prefix}.events", until=lambda m: len(m) >= 2)))
    assert [e.id for e in published] == [kept.id, later.id]
    assert dropped.id not in {e.id for e in published}
    with engine.connect() as conn:
        pending = conn.execute(select(func.count()).select_from(ledger.outbox)
                               .where(ledger.outbox.c.published_at.is_(None))).scalar_one()
    assert pending == 0


def test_housekeeping_purges_only_rows_published_before_the_retention(database_url, prefix):
    ledger.create_schema(database_url)
    engine = make_engine(database_url)
    sessions, Added = session_factory(engine), ledger.payload_class(prefix)
    events = [new_event(Added(amount=i), subject="h", source="test") for i in range(3)]
    with transaction(sessions) as session:
        for event in events:
            enqueue(session, ledger.outbox, event)
    long_ago, just_now = datetime.now(UTC) - timedelta(days=30), datetime.now(UTC)
    with engine.begin() as conn:
        t = ledger.outbox.c
        conn.execute(update(ledger.outbox).where(t.event_id == events[0].id).values(published_at=long_ago))
        conn.execute(update(ledger.outbox).where(t.event_id == events[1].id).values(published_at=just_now))
    relay = ledger.relay(database_url, "127.0.0.1:1", f"{prefix}.events", retention=timedelta(days=7))
    relay.housekeeping()
    with engine.connect() as conn:
        left = {r.event_id for r in conn.execute(select(ledger.outbox.c.event_id))}
    assert left == {events[1].id, events[2].id}  # the unpublished row is never purged
    assert relay.pending() == 1


def test_relay_outlives_a_store_it_cannot_use_and_publishes_once_it_can(tmp_path, kafka_bootstrap, prefix):
    url = f"sqlite:///{tmp_path / 'late.db'}"  # no tables yet: every claim fails
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    event = new_event(Added(amount=5), subject="late", source="test")

    async def scenario() -> list:
        relay = ledger.relay(url, kafka_bootstrap, topic, poll_interval_s=0.05)
        task = asyncio.create_task(relay.run())
        await asyncio.sleep(1.0)
        assert not task.done(), "the relay died instead of waiting for its store"
        ledger.create_schema(url)
        with transaction(session_factory(make_engine(url))) as session:
            enqueue(session, ledger.outbox, event)
        messages = await read_topic(kafka_bootstrap, topic, until=lambda m: len(m) >= 1)
        relay.stop()
        await task
        return messages

    assert [e.id for e in envelopes(asyncio.run(scenario()))] == [event.id]


def test_a_body_with_quotes_backslashes_and_non_ascii_arrives_byte_for_byte(database_url, kafka_bootstrap,
                                                                            prefix):
    ledger.create_schema(database_url)
    sessions = session_factory(make_engine(database_url))
    Added = ledger.payload_class(prefix)
    event = new_event(Added(amount=1), subject='Bu "Siti" \\ Ibu Ṡiti – 日本', source="test")
    with transaction(sessions) as session:
        enqueue(session, ledger.outbox, event)

    assert _relay_step(database_url, kafka_bootstrap, f"{prefix}.events", "drain") == 1
    [message] = asyncio.run(read_topic(kafka_bootstrap, f"{prefix}.events", until=lambda m: len(m) >= 1))
    assert message.value == event.model_dump_json().encode()
    assert message.key == event.subject.encode()
    assert dict(message.headers)["ce_id"] == event.id.encode()


def test_a_row_freed_behind_a_long_drain_is_published_by_that_drain(database_url, kafka_bootstrap, prefix):
    """Pipelined claims look past the batch in flight; every few claims look from the start, so
    a row below it (committed late, or released by another relay) is not left for later."""
    ledger.create_schema(database_url)
    engine = make_engine(database_url)
    Added = ledger.payload_class(prefix)
    with transaction(session_factory(engine)) as session:
        for i in range(300):
            enqueue(session, ledger.outbox, new_event(Added(amount=i), subject=f"d{i % 5}", source="t"))
    with engine.begin() as conn:  # another relay holds row 5 for one more second
        conn.execute(update(ledger.outbox).where(ledger.outbox.c.seq == 5).values(
            claimed_by="another-relay", claimed_until=datetime.now(UTC) + timedelta(seconds=1)))

    # 30 batches of 10, 0.05 s apart: the drain outlasts the other relay's lease.
    assert _relay_step(database_url, kafka_bootstrap, f"{prefix}.events", "drain", batch_size=10,
                       max_batch_size=10, pause_s=0.05) == 300


def test_sqlite_counts_as_swept_only_rows_whose_lease_expired(tmp_path):
    """SQLite's relays lease rows. A claim of fresh rows is not a sweep; a row left by a relay
    that died (its lease expired) is claimed again and counted once in
    ``berdaya_outbox_swept_total``, which ops watch for crashed relays. A row another relay
    still holds is left alone."""
    from prometheus_client import REGISTRY

    from berdaya_shared.outbox.claims import LeasedClaims

    def swept() -> float:
        return REGISTRY.get_sample_value("berdaya_outbox_swept_total", {"service": "sweep-test"}) or 0.0

    url = f"sqlite:///{tmp_path / 'store.db'}"
    ledger.create_schema(url)
    engine = make_engine(url)
    Added = ledger.payload_class("sweep")
    with transaction(session_factory(engine)) as session:
        for i in range(6):
            enqueue(session, ledger.outbox, new_event(Added(amount=i), subject="s", source="t"))
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(update(ledger.outbox).where(ledger.outbox.c.seq.in_([2, 3])).values(
            claimed_by="dead-relay", claimed_until=now - timedelta(seconds=5)))
        conn.execute(update(ledger.outbox).where(ledger.outbox.c.seq == 4).values(
            claimed_by="live-relay", claimed_until=now + timedelta(seconds=60)))
    before = swept()
    claims = LeasedClaims(engine=engine, table=ledger.outbox, relay_id="me", lease_s=30,
                          service="sweep-test")

    batch = claims.claim(10)

    assert [row[0] for row in batch.rows] == [1, 2, 3, 5, 6]
    assert swept() - before == 2
    claims.finish(batch, [row[0] for row in batch.rows], [])
    assert claims.claim(10).rows == []  # row 4 is still the live relay's
    assert swept() - before == 2
