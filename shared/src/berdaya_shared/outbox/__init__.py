"""Transactional outbox: events are written with the change, published by a relay."""

from .relay import OutboxRelay
from .table import define_outbox, enqueue, outbox_table

__all__ = ["OutboxRelay", "define_outbox", "enqueue", "outbox_table"]
