"""CloudEvents 1.0 envelope (structured JSON mode) with correlation and causation ids.

* ``type`` names are ``<producer>.<event_name>.v<N>``, e.g. ``training.participant_graduated.v1``.
* ``subject`` is the aggregate id and the Kafka key, which keeps one aggregate's events in
  order on one partition.
* Every producer publishes on one topic, ``<producer>.events``; consumers pick the types they
  handle and ignore the rest. Readers ignore unknown payload fields; a breaking change is a
  new ``.vN`` type published beside the old one.
"""

import builtins
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..logging import correlation_id as current_correlation_id


class EventPayload(BaseModel):
    """Base of every payload contract. ``TYPE`` is the CloudEvents type it travels as."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    TYPE: ClassVar[str]
    EXAMPLE: ClassVar[dict[str, Any]]  # a sample ``data``: docs/events.md and the golden samples

    @classmethod
    def producer(cls) -> str:
        return cls.TYPE.split(".", 1)[0]


class Envelope(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: str = "application/json"
    correlationid: str
    causationid: str | None = None
    data: dict[str, Any]

    @property
    def topic(self) -> str:
        return topic_of(self.type)

    def payload(self, model: builtins.type[EventPayload]) -> Any:
        """Parse ``data`` as the given contract (raises pydantic.ValidationError if it breaks it)."""
        return model.model_validate(self.data)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()


def topic_of(event_type: str) -> str:
    return f"{event_type.split('.', 1)[0]}.events"


def new_event(
    payload: EventPayload,
    *,
    subject: str,
    source: str,
    cause: Envelope | None = None,
) -> Envelope:
    """Build an envelope. Correlation follows the cause, else the current request, else itself."""
    event_id = str(uuid.uuid4())
    if cause is not None:
        correlation, causation = cause.correlationid, cause.id
    else:
        correlation, causation = current_correlation_id() or event_id, None
    return Envelope(
        id=event_id,
        source=source,
        type=payload.TYPE,
        subject=subject,
        correlationid=correlation,
        causationid=causation,
        data=payload.model_dump(mode="json"),
    )
