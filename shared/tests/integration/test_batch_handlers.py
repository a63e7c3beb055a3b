"""Batch handlers (``inbox.batched``): the consumer hands a run of consecutive events of one
type to the handler at once, in order, and still commits all or nothing."""

from collections.abc import Sequence

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from berdaya_shared.db import make_engine, session_factory
from berdaya_shared.events import Envelope, new_event
from berdaya_shared.inbox import batched
from berdaya_shared.inbox.batch import Work, apply_batch

from . import ledger


def _add(session: Session, amounts: list[int]) -> None:
    """The ledger's effect for several events in one statement."""
    session.execute(update(ledger.tally).where(ledger.tally.c.id == 1).values(
        total=ledger.tally.c.total + sum(amounts), applied=ledger.tally.c.applied + len(amounts)))


def _total(engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        row = conn.execute(select(ledger.tally)).one()
    return row.applied, row.total


def _setup(database_url: str, prefix: str):  # type: ignore[no-untyped-def]
    ledger.create_schema(database_url)
    engine = make_engine(database_url)
    Added = ledger.payload_class(prefix)
    return engine, Added, [new_event(Added(amount=i), subject=f"k{i % 2}", source="t") for i in range(6)]


def test_runs_of_one_type_reach_the_batch_handler_together_and_in_order(database_url, prefix):
    engine, _, events = _setup(database_url, prefix)
    calls: list[list[int]] = []

    def add_all(session: Session, run: Sequence[Envelope]) -> None:
        calls.append([e.data["amount"] for e in run])
        _add(session, [e.data["amount"] for e in run])

    def add_one(session: Session, envelope: Envelope) -> None:
        calls.append([-envelope.data["amount"]])
        ledger.add_amount(session, envelope)

    as_batch = batched(add_all)
    handlers = [as_batch, as_batch, add_one, as_batch, as_batch, as_batch]
    work = [Work(envelope=e, handler=h) for e, h in zip(events, handlers, strict=True)]
    work.append(work[0])  # redelivered within the poll: not applied twice

    applied = apply_batch(sessions=session_factory(engine), inbox=ledger.inbox, consumer="c", work=work)

    assert applied == [True] * 6 + [False]
    assert calls == [[0, 1], [-2], [3, 4, 5]]
    assert _total(engine) == (6, 15)
    # A second delivery of the whole poll changes nothing.
    assert apply_batch(sessions=session_factory(engine), inbox=ledger.inbox, consumer="c",
                       work=work) == [False] * 7
    assert _total(engine) == (6, 15)


def test_a_batch_handler_that_fails_leaves_nothing_of_the_poll(database_url, prefix):
    engine, _, events = _setup(database_url, prefix)

    def add_then_fail(session: Session, run: Sequence[Envelope]) -> None:
        _add(session, [e.data["amount"] for e in run])
        raise ValueError("bad run")

    work = [Work(envelope=events[0], handler=ledger.add_amount)] + [
        Work(envelope=e, handler=batched(add_then_fail)) for e in events[1:]]
    with pytest.raises(ValueError):
        apply_batch(sessions=session_factory(engine), inbox=ledger.inbox, consumer="c", work=work)

    assert _total(engine) == (0, 0)
    with engine.connect() as conn:
        assert conn.execute(select(ledger.inbox.c.event_id)).all() == []
