"""A polled batch of events applied in one transaction: the inbox rows and every effect.

One round trip reads which of the batch's event ids this consumer applied before; the others
are handed to their handlers in order, in one session, and their inbox rows inserted with one
statement before the commit. Nothing is committed unless everything is: a handler that raises,
a store error, or another consumer that applied one of these events meanwhile (the inbox
insert hits the primary key) rolls the whole batch back, and the runner then applies the same
messages one by one, with its retries and dead-lettering, so a poison event is isolated and
goes to the DLQ alone while the others are applied once.

A handler may take several events at once (``BatchHandler``, made with ``batched``): a run of
consecutive events for the same batch handler is handed over in one call, so it can read and
write the whole run in a few statements instead of a few per event. On the one-by-one path it
is called with one event at a time. Events of one key stay in order within the run; the
handler must expect the same subject more than once in it.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, String, Table, any_, bindparam, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from ..db import is_sqlite
from ..events.envelope import Envelope
from ..logging import bound_contextvars

Handler = Callable[[Session, Envelope], None]


class BatchHandler:
    """A handler that applies a run of events in one call (see the module docstring). It is
    also a plain ``Handler``: called with one envelope, it applies a run of one."""

    def __init__(self, apply: Callable[[Session, Sequence[Envelope]], None]) -> None:
        self.apply = apply

    def __call__(self, session: Session, envelope: Envelope) -> None:
        self.apply(session, [envelope])


def batched(apply: Callable[[Session, Sequence[Envelope]], None]) -> BatchHandler:
    """Register ``apply(session, envelopes)`` as a handler that takes runs of events."""
    return BatchHandler(apply)


def _among(session: Session, column: ColumnElement[str], ids: list[str]) -> ColumnElement[bool]:
    if is_sqlite(session.get_bind()):
        return column.in_(ids)
    return column == any_(bindparam("ids", ids, type_=ARRAY(String)))  # one parameter, not 200


@dataclass(frozen=True)
class Work:
    envelope: Envelope
    handler: Handler


def apply_batch(*, sessions: sessionmaker[Session], inbox: Table, consumer: str,
                work: Sequence[Work]) -> list[bool]:
    """Apply ``work`` in one transaction; returns, per item, True if applied and False if this
    consumer had applied it before (or it came twice in the batch). Raises, having committed
    nothing, if anything fails."""
    ids = list(dict.fromkeys(w.envelope.id for w in work))
    applied: list[bool] = []
    with sessions() as session:
        session.begin()
        try:
            seen = set(session.execute(select(inbox.c.event_id).where(
                inbox.c.consumer == consumer, _among(session, inbox.c.event_id, ids))).scalars())
            now, fresh = datetime.now(UTC), []
            for item in work:
                envelope = item.envelope
                applied.append(envelope.id not in seen)
                if envelope.id not in seen:
                    seen.add(envelope.id)
                    fresh.append(item)
            for handler, run in _runs(fresh):
                if isinstance(handler, BatchHandler):
                    with bound_contextvars(event_type=run[0].type, events=len(run), consumer=consumer):
                        handler.apply(session, run)
                    continue
                for envelope in run:
                    with bound_contextvars(event_id=envelope.id, event_type=envelope.type,
                                           correlation_id=envelope.correlationid, consumer=consumer):
                        handler(session, envelope)
            rows = [{"consumer": consumer, "event_id": item.envelope.id,
                     "event_type": item.envelope.type, "processed_at": now} for item in fresh]
            if rows:
                session.execute(insert(inbox), rows)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return applied


def _runs(work: Sequence[Work]) -> Iterator[tuple[Handler, list[Envelope]]]:
    """Consecutive items with the same handler, in order."""
    run: list[Envelope] = []
    handler: Handler | None = None
    for item in work:
        if item.handler is not handler and run:
            assert handler is not None
            yield handler, run
            run = []
        handler = item.handler
        run.append(item.envelope)
    if run:
        assert handler is not None
        yield handler, run
