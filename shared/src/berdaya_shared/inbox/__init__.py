"""Inbox (processed-event ledger) and the consumer runner."""

from .runner import ConsumerRunner, Handler
from .table import define_inbox

__all__ = ["ConsumerRunner", "Handler", "define_inbox"]
