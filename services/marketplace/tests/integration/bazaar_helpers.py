"""Shared steps of the bazaar tests: active sellers of Kecamatan Cilandak, their lurah and
camat, a bazaar opened through the API, the events waiting in the outbox."""

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from berdaya_shared.calendar_id import touches_season
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from berdaya_shared.events import Envelope, new_event
from berdaya_shared.events.monitoring import BusinessStatusChanged
from berdaya_shared.testing import auth_headers
from marketplace.adapters.tables import outbox
from marketplace.messaging import incoming

from .conftest import graduation, shop_consent

CILANDAK = "31.74.06"
CILANDAK_BARAT, PONDOK_LABU = "31.74.06.1001", "31.74.06.1003"


def _first_day(start: date, *, in_season: bool) -> date:
    day = start
    while touches_season(day, day) != in_season:
        day += timedelta(days=1)
    return day


# Bazaar days ahead of today (a past bazaar's booths can no longer be given back): the first
# day outside the Lebaran/Natal weeks two weeks from now, and the first day inside after it.
OFF_SEASON = _first_day(today_in_jakarta() + timedelta(days=14), in_season=False)
IN_SEASON = _first_day(OFF_SEASON, in_season=True)


def lurah(runtime, kelurahan: str = CILANDAK_BARAT) -> dict[str, str]:
    return auth_headers(runtime.settings, "kelurahan_officer", area=kelurahan,
                        subject=f"lurah.{kelurahan}")


def camat(runtime) -> dict[str, str]:
    return auth_headers(runtime.settings, "kecamatan_officer", area=CILANDAK,
                        subject="camat.cilandak")


def seller(runtime, client, kelurahan: str = CILANDAK_BARAT, *, category: str | None = None,
           business_status: str | None = None, consent: bool = True) -> str:
    """A graduate of ``kelurahan`` who consented (active), optionally with an available product
    of ``category`` and a business status from monitoring; returns the seller id."""
    person = str(uuid.uuid4())
    envelope = graduation(person, kelurahan)
    handle = incoming.handlers_for(runtime.settings)
    with transaction(runtime.sessions) as session:
        handle[envelope.type](session, envelope)
    officer = lurah(runtime, kelurahan)
    seller_id = client.get("/sellers", headers=officer, params={"limit": 500}).json()["items"]
    seller_id = next(s["id"] for s in seller_id if s["participant_id"] == person)
    if consent:
        given = client.put(f"/sellers/{seller_id}/consent", headers=officer,
                           json=shop_consent(shop_name=f"Dapur {person[:6]}"))
        assert given.status_code == 200, given.text
    if category:
        listed = client.post(f"/sellers/{seller_id}/products", headers=officer, json={
            "name": "Kue lapis", "price": 25000, "unit": "box", "category": category})
        assert listed.status_code == 201, listed.text
    if business_status:
        status = new_event(BusinessStatusChanged(**{
            **BusinessStatusChanged.EXAMPLE, "participant_id": person,
            "new_status": business_status}), subject=person, source="test")
        with transaction(runtime.sessions) as session:
            handle[status.type](session, status)
    return seller_id


def bazaar_body(area: str = CILANDAK_BARAT, *, booths: int = 5, starts_on: date = OFF_SEASON,
                ends_on: date | None = None, **changes) -> dict:
    return {"name": "Bazar UMKM Cilandak", "area_code": area, "starts_on": str(starts_on),
            "ends_on": str(ends_on or starts_on), "venue": "Halaman Kantor Lurah",
            "booths": booths, **changes}


def open_bazaar(client, headers, **changes) -> dict:
    created = client.post("/bazaars", headers=headers, json=bazaar_body(**changes))
    assert created.status_code == 201, created.text
    return created.json()


def apply(client, headers, event_id: str, seller_id: str) -> dict:
    applied = client.post(f"/bazaars/{event_id}/applications", headers=headers,
                          json={"seller_id": seller_id})
    assert applied.status_code == 201, applied.text
    return applied.json()


def outbox_events(runtime, event_type: str) -> list[Envelope]:
    with runtime.engine.connect() as conn:
        bodies = conn.execute(select(outbox.c.body).where(outbox.c.event_type == event_type)
                              .order_by(outbox.c.seq)).scalars().all()
    return [Envelope.model_validate_json(b) for b in bodies]
