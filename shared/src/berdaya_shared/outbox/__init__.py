"""Transactional outbox: events are written with the change, published by a relay."""

from .relay import OutboxRelay
from .table import define_outbox, enqueue, outbox_table
from .wake import notify_relay

__all__ = ["OutboxRelay", "define_outbox", "enqueue", "notify_relay", "outbox_table"]
