"""Inbox (processed-event ledger) and the consumer runner."""

from .batch import Handler
from .runner import ConsumerRunner
from .table import define_inbox

__all__ = ["ConsumerRunner", "Handler", "define_inbox"]
