"""The relay wakes on new rows instead of waiting out a fixed poll: a row committed while it
idles is published although its poll interval (60 s here) is far longer than the test waits."""

import asyncio

from berdaya_shared.db import make_engine, session_factory, transaction
from berdaya_shared.events import new_event
from berdaya_shared.outbox import enqueue
from berdaya_shared.outbox.wake import IdleBackoff
from berdaya_shared.testing import envelopes, read_topic

from . import ledger


def test_a_row_committed_while_the_relay_idles_is_published_without_waiting_for_the_poll(
        postgres_url, kafka_bootstrap, prefix):
    ledger.create_schema(postgres_url)
    sessions = session_factory(make_engine(postgres_url))
    Added, topic = ledger.payload_class(prefix), f"{prefix}.events"
    first = new_event(Added(amount=1), subject="w", source="test")
    later = new_event(Added(amount=2), subject="w", source="test")

    async def scenario() -> list:
        relay = ledger.relay(postgres_url, kafka_bootstrap, topic, poll_interval_s=60.0)
        task = asyncio.create_task(relay.run())
        try:
            for _ in range(300):
                if relay.listening or task.done():
                    break
                await asyncio.sleep(0.1)
            assert relay.listening, "the relay never listened for new rows"
            await asyncio.to_thread(_write, sessions, first)
            await read_topic(kafka_bootstrap, topic, until=lambda m: len(m) >= 1, timeout=30)
            # Now idle, in a 60 s wait: only the notification of the next commit can end it.
            await asyncio.sleep(0.5)
            await asyncio.to_thread(_write, sessions, later)
            return await read_topic(kafka_bootstrap, topic, until=lambda m: len(m) >= 2, timeout=30)
        finally:
            relay.stop()
            await task

    assert [e.id for e in envelopes(asyncio.run(scenario()))] == [first.id, later.id]


def _write(sessions, event) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        enqueue(session, ledger.outbox, event)


def test_the_sqlite_poll_is_short_after_activity_and_backs_off_while_idle():
    poll = IdleBackoff(max_s=0.2)
    assert [poll.next_wait() for _ in range(8)] == [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.2, 0.2]
    poll.busy()
    assert poll.next_wait() == 0.005
