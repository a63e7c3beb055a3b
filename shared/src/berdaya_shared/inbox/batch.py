"""A polled batch of events applied in one transaction: the inbox rows and every effect.

One round trip reads which of the batch's event ids this consumer applied before; the others
are handed to their handlers in order, in one session, and their inbox rows inserted with one
statement before the commit. Nothing is committed unless everything is: a handler that raises,
a store error, or another consumer that applied one of these events meanwhile (the inbox
insert hits the primary key) rolls the whole batch back, and the runner then applies the same
messages one by one, with its retries and dead-lettering, so a poison event is isolated and
goes to the DLQ alone while the others are applied once.
"""

from collections.abc import Callable, Sequence
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
            now, rows = datetime.now(UTC), []
            for item in work:
                envelope = item.envelope
                if envelope.id in seen:
                    applied.append(False)
                    continue
                seen.add(envelope.id)
                with bound_contextvars(event_id=envelope.id, event_type=envelope.type,
                                       correlation_id=envelope.correlationid, consumer=consumer):
                    item.handler(session, envelope)
                rows.append({"consumer": consumer, "event_id": envelope.id,
                             "event_type": envelope.type, "processed_at": now})
                applied.append(True)
            if rows:
                session.execute(insert(inbox), rows)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return applied
