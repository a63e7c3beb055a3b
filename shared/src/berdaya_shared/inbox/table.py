"""The inbox: one row per (consumer, event id) a consumer has applied.

The row is inserted in the handler's own transaction, so "already processed?" and the effect
commit together: a redelivered event hits the primary key and its effect is not applied twice.
"""

from sqlalchemy import Column, DateTime, MetaData, PrimaryKeyConstraint, String, Table


def define_inbox(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(100), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
