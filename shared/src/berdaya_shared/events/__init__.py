"""The event envelope and the payload contracts, grouped by the service that owns them."""

from .envelope import Envelope, EventPayload, new_event, topic_of

__all__ = ["Envelope", "EventPayload", "new_event", "topic_of"]
