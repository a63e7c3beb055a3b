"""The outbox table, and ``enqueue`` inside the caller's transaction.

An event row commits or rolls back with the change that caused it: no event for a rolled-back
change, no change without its event. ``seq`` orders publication. ``claimed_by`` and
``claimed_until`` are the leases of earlier SQLite relays, kept so the schema stays as
migrated; today's relays write neither (``claims.py``).
On PostgreSQL ``enqueue`` also NOTIFYs the relays (delivered on commit only; ``wake.py``).
"""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, insert
from sqlalchemy.orm import Session

from ..events.envelope import Envelope
from .wake import notify_relay

_SEQ = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements INTEGER PKs only


def define_outbox(metadata: MetaData) -> Table:
    table = Table(
        "outbox",
        metadata,
        Column("seq", _SEQ, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("claimed_by", String(64)),
        Column("claimed_until", DateTime(timezone=True)),
        Column("published_at", DateTime(timezone=True)),
    )
    Index("ix_outbox_pending", table.c.seq,
          postgresql_where=table.c.published_at.is_(None),
          sqlite_where=table.c.published_at.is_(None))
    return table


def outbox_table(metadata: MetaData) -> Table:
    return metadata.tables["outbox"]


def enqueue(session: Session, table: Table, envelope: Envelope) -> None:
    session.execute(insert(table).values(
        event_id=envelope.id,
        topic=envelope.topic,
        key=envelope.subject,
        event_type=envelope.type,
        body=envelope.model_dump_json(),
        created_at=datetime.now(UTC),
    ))
    notify_relay(session, table)
