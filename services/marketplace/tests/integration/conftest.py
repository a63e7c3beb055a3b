import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.testing import auth_headers, service_runtime
from marketplace.adapters.tables import SellerProfile
from marketplace.bootstrap import build
from marketplace.config import MarketplaceSettings
from marketplace.messaging import incoming

CILANDAK_BARAT = "31.71.03.1001"


@pytest.fixture
def runtime(database_url, kafka_bootstrap):
    with service_runtime(build, MarketplaceSettings, database_url, kafka_bootstrap) as runtime:
        yield runtime


@pytest.fixture
def client(runtime):
    with TestClient(runtime.create_app()) as client:
        yield client


def graduation(participant_id: str, kelurahan: str = CILANDAK_BARAT, **changes):
    data = {**ParticipantGraduated.EXAMPLE, "participant_id": participant_id,
            "kelurahan_code": kelurahan, "kecamatan_code": kelurahan[:8],
            "kota_code": kelurahan[:5], **changes}
    return new_event(ParticipantGraduated(**data), subject=participant_id, source="test")


@pytest.fixture
def graduate(runtime):
    """Apply a ParticipantGraduated as the consumer would; returns the seller profile."""
    handle = incoming.handlers_for(runtime.settings)[ParticipantGraduated.TYPE]

    def apply(kelurahan: str = CILANDAK_BARAT, *, envelope=None, **changes) -> SellerProfile:
        envelope = envelope or graduation(str(uuid.uuid4()), kelurahan, **changes)
        with transaction(runtime.sessions) as session:
            handle(session, envelope)
            return session.exec(select(SellerProfile).where(
                SellerProfile.participant_id == envelope.subject)).one()
    return apply


def shop_consent(**changes):
    return {"shop_name": "Dapur Bu Siti", "description": "Kue basah pesanan",
            "contact_preference": "via_officer", "show_full_name": False, **changes}


@pytest.fixture
def consent(runtime, client):
    """Record the graduate's consent as a city admin would (HTTP); returns the seller body."""
    admin = auth_headers(runtime.settings, "city_admin", subject="admin.kota")

    def apply(seller_id: str, **changes) -> dict:
        given = client.put(f"/sellers/{seller_id}/consent", headers=admin,
                           json=shop_consent(**changes))
        assert given.status_code == 200, given.text
        return given.json()
    return apply


@pytest.fixture
def pause(runtime, client, consent):
    """Consent, then pause the seller through the officers' API."""
    admin = auth_headers(runtime.settings, "city_admin", subject="admin.kota")

    def apply(seller_id: str) -> None:
        consent(seller_id)
        paused = client.post(f"/sellers/{seller_id}/pause", headers=admin,
                             json={"reason": "Usaha berhenti sementara"})
        assert paused.status_code == 200, paused.text
    return apply
