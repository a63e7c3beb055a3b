"""The city's notifier contract (topic ``notifications.events``): any service asks for a
message to a person or to the holders of a role in an area; the notifier sends it by the
first channel that reaches them (WhatsApp, then SMS) from a template of its own. Parameters
are what the template shows: never a NIK or KK."""

from datetime import datetime
from typing import Any, ClassVar

from pydantic import model_validator

from .envelope import EventPayload


class NotificationRequested(EventPayload):
    """Send ``template`` with ``parameters`` to ``recipient_subject`` (a login or person id),
    or to everyone holding ``recipient_role`` over ``recipient_area``; channels in order of
    preference; language ``id`` (Bahasa Indonesia). Keyed by the subject it is about."""

    TYPE: ClassVar[str] = "notifications.notification_requested.v1"
    notification_id: str
    recipient_subject: str | None = None
    recipient_role: str | None = None
    recipient_area: str | None = None
    channels: list[str] = ["whatsapp", "sms"]
    template: str
    parameters: dict[str, str] = {}
    language: str = "id"
    requested_by: str
    requested_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "notification_id": "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968", "recipient_subject": None,
        "recipient_role": "kecamatan_officer", "recipient_area": "31.74.06",
        "channels": ["whatsapp", "sms"], "template": "monitoring.escalation",
        "parameters": {"participant_name": "Siti Aminah", "kelurahan_code": "31.74.06.1001",
                       "due_on": "2027-01-20", "days_overdue": "14", "level": "2",
                       "visit_id": "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910"},
        "language": "id", "requested_by": "berdaya/monitoring",
        "requested_at": "2027-02-03T00:00:00Z"}

    @model_validator(mode="after")
    def _someone(self) -> "NotificationRequested":
        if self.recipient_subject is None and self.recipient_role is None:
            raise ValueError("a notification needs recipient_subject or recipient_role")
        return self


__all__ = ["NotificationRequested"]
