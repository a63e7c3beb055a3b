"""Inbox (processed-event ledger) and the consumer runner."""

from .batch import BatchHandler, Handler, batched
from .runner import ConsumerRunner
from .table import define_inbox

__all__ = ["BatchHandler", "ConsumerRunner", "Handler", "batched", "define_inbox"]
