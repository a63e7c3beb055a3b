"""Fifty officers verify at the same moment for the last seat: one gets it (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from berdaya_shared.api.auth import Principal
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from registration.service_layer import applications

from .conftest import registration_runtime
from .helpers import (
    CILANDAK_BARAT,
    admin,
    application,
    apply,
    born,
    create_programme,
    outbox_events,
    person,
    register,
    seats,
    sign_up,
    up2k,
)

RACERS = 50


@pytest.mark.parametrize(("shape", "already_enrolled", "scope"), [
    ({"total_capacity": 5, "kelurahan_quota": None}, 4, "*"),
    # No one enrolled yet: the kelurahan's seat counter itself is created during the race.
    ({"total_capacity": 100, "kelurahan_quota": 1}, 0, CILANDAK_BARAT),
], ids=["programme-total", "kelurahan-quota"])
def test_fifty_simultaneous_verifications_for_the_last_seat_enrol_exactly_one(
        postgres_url, kafka_bootstrap, shape, already_enrolled, scope):
    with registration_runtime(postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            city = admin(client)
            programme = create_programme(client, up2k(**shape))
            for i in range(already_enrolled):
                body = person(f"Kader Terdahulu {i}", birth_date=born(100 + i))
                assert sign_up(client, city, body, programme["id"])["status"] == "enrolled"
            pending = [apply(client, city, register(client, city, person(
                f"Kader Pendaftar {i:02d}", birth_date=born(i)))["id"], programme["id"])["id"]
                for i in range(RACERS)]

            start = threading.Barrier(RACERS, timeout=30)

            def verify(i: int, application_id: str) -> str:
                officer = Principal(subject=f"petugas-{i}", roles=frozenset({"kelurahan_officer"}),
                                    area=CILANDAK_BARAT)
                start.wait()
                with transaction(runtime.sessions) as session:
                    return applications.verify(session=session, principal=officer,
                                               application_id=application_id,
                                               today=today_in_jakarta(), source="test").status

            with ThreadPoolExecutor(max_workers=RACERS) as pool:
                outcomes = list(pool.map(verify, range(RACERS), pending, timeout=120))

            assert sorted(outcomes) == ["enrolled"] + ["waitlisted"] * (RACERS - 1)
            stored = [application(client, a)["status"] for a in pending]
            assert stored == outcomes
            taken, capacity = seats(client, programme["id"])[scope]
            assert taken == capacity
            assert seats(client, programme["id"])["*"][0] == already_enrolled + 1
            enrolled_events = {e["data"]["application_id"]
                               for e in outbox_events(runtime, "participant_enrolled")}
            assert len(enrolled_events & set(pending)) == 1
            positions = [e["data"]["position"] for e in outbox_events(runtime, "participant_waitlisted")]
            assert sorted(positions) == list(range(1, RACERS)), "each waiting place given once"
