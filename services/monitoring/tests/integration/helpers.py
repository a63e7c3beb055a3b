"""Graduations as training announces them, and reading monitoring's outbox."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from berdaya_shared.db import transaction
from berdaya_shared.events import Envelope, new_event
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.testing import auth_headers
from monitoring.adapters.tables import outbox
from monitoring.messaging import incoming

CILANDAK_BARAT = "31.71.03.1001"


def graduation(participant_id: str, programme_id: str, kelurahan: str = CILANDAK_BARAT,
               graduated_at: datetime | None = None) -> Envelope:
    data = {**ParticipantGraduated.EXAMPLE, "participant_id": participant_id,
            "programme_id": programme_id, "kelurahan_code": kelurahan,
            "kecamatan_code": kelurahan[:8], "kota_code": kelurahan[:5],
            "graduated_at": graduated_at or datetime.now(UTC)}
    return new_event(ParticipantGraduated(**data), subject=participant_id, source="test")


def graduate(runtime, participant_id: str | None = None, programme_id: str | None = None,
             **kwargs) -> Envelope:
    event = graduation(participant_id or str(uuid.uuid4()), programme_id or str(uuid.uuid4()),
                       **kwargs)
    apply(runtime, event)
    return event


def apply(runtime, event: Envelope) -> None:
    handler = incoming.handlers_for(runtime.settings)[event.type]
    with transaction(runtime.sessions) as session:
        handler(session, event)


def outbox_events(runtime, event_type: str) -> list[Envelope]:
    with runtime.engine.connect() as conn:
        bodies = conn.execute(select(outbox.c.body).where(outbox.c.event_type == event_type)
                              .order_by(outbox.c.seq)).scalars().all()
    return [Envelope.model_validate_json(b) for b in bodies]


def visits_of(runtime, client, participant_id: str) -> list[dict]:
    """The visits of a participant's plan, as a city admin reads them through the API."""
    admin = auth_headers(runtime.settings, "city_admin")
    plans = client.get("/plans", headers=admin).json()["items"]
    plan_id = next(p["id"] for p in plans if p["participant_id"] == participant_id)
    return client.get(f"/plans/{plan_id}", headers=admin).json()["visits"]
