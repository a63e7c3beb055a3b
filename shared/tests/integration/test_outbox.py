"""An event is published if and only if the transaction that enqueued it commits."""

import asyncio
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.kafka import new_producer
from berdaya_shared.outbox import enqueue
from berdaya_shared.testing import envelopes, read_topic

from . import ledger
from .test_crash import SHARED


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


def test_a_row_freed_behind_a_long_drain_is_published_by_that_drain(postgres_url, kafka_bootstrap, prefix):
    """PostgreSQL relays share the outbox (``SKIP LOCKED``). Pipelined claims look past the
    batch in flight; every few claims look from the start, so a row below it (committed late,
    or released by another relay) is not left for later. (On SQLite neither happens: one relay
    publishes at a time, and rows commit in ``seq`` order.)"""
    ledger.create_schema(postgres_url)
    engine = make_engine(postgres_url)
    Added = ledger.payload_class(prefix)
    with transaction(session_factory(engine)) as session:
        for i in range(300):
            enqueue(session, ledger.outbox, new_event(Added(amount=i), subject=f"d{i % 5}", source="t"))
    locked, release = threading.Event(), threading.Event()

    def another_relay_holds_row_5() -> None:
        with engine.connect() as conn, conn.begin():
            conn.execute(select(ledger.outbox.c.seq).where(ledger.outbox.c.seq == 5).with_for_update())
            locked.set()
            release.wait(1.0)  # then its transaction ends without publishing the row

    holder = threading.Thread(target=another_relay_holds_row_5)
    holder.start()
    assert locked.wait(10)
    try:
        # 30 batches of 10, 0.05 s apart: the drain outlasts the other relay's hold.
        assert _relay_step(postgres_url, kafka_bootstrap, f"{prefix}.events", "drain", batch_size=10,
                           max_batch_size=10, pause_s=0.05) == 300
    finally:
        release.set()
        holder.join()


def _sqlite_outbox(tmp_path, rows: int):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'store.db'}"
    ledger.create_schema(url)
    engine = make_engine(url)
    Added = ledger.payload_class("sole")
    with transaction(session_factory(engine)) as session:
        for i in range(rows):
            enqueue(session, ledger.outbox, new_event(Added(amount=i), subject="s", source="t"))
    return url, engine


def test_on_sqlite_one_relay_publishes_at_a_time_and_hands_over_when_idle(tmp_path):
    """Two relays on one SQLite store: while one has rows in flight the other claims nothing
    (no row is sent by both); once the first has nothing in flight, the second publishes the
    rest."""
    from berdaya_shared.outbox.claims import SoleClaims

    _, engine = _sqlite_outbox(tmp_path, 6)
    first, second = (SoleClaims(engine=engine, table=ledger.outbox) for _ in range(2))

    batch = first.claim(3)
    assert [row[0] for row in batch.rows] == [1, 2, 3]
    assert second.claim(10).rows == []
    following = first.finish_and_claim(batch, [1, 2, 3], [], 2, None)
    assert [row[0] for row in following.rows] == [4, 5]
    assert second.claim(10).rows == []
    first.finish(following, [4], [5])  # 5 failed: nothing in flight now, 5 is free again

    rest = second.claim(10)
    assert [row[0] for row in rest.rows] == [5, 6]
    assert first.claim(10).rows == []
    second.finish(rest, [5, 6], [])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ledger.outbox).where(
            ledger.outbox.c.published_at.is_(None))).scalar_one() == 0


def test_a_relay_killed_while_holding_a_sqlite_store_hands_it_over_at_once(tmp_path):
    """SIGKILL the relay that holds the store mid-batch: the operating system drops its lock,
    and the next relay claims at once, starting with the rows the dead one had in flight."""
    from berdaya_shared.outbox.claims import SoleClaims

    url, engine = _sqlite_outbox(tmp_path, 6)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from berdaya_shared.db import make_engine\n"
        "from berdaya_shared.outbox.claims import SoleClaims\n"
        "from tests.integration import ledger\n"
        "claims = SoleClaims(engine=make_engine(sys.argv[1]), table=ledger.outbox)\n"
        "print(len(claims.claim(3).rows), flush=True)\n"
        "time.sleep(120)\n"), url], cwd=SHARED, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "3"
        successor = SoleClaims(engine=engine, table=ledger.outbox)
        assert successor.claim(10).rows == []
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()

    assert [row[0] for row in successor.claim(10).rows] == [1, 2, 3, 4, 5, 6]
