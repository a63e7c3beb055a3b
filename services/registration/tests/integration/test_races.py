"""Double clicks and simultaneous officers, through HTTP on PostgreSQL: every race ends in one
consistent state, and the losers get a 409 naming the field (never a 500)."""

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing.races import race, served, statuses

from .conftest import registration_runtime
from .helpers import (
    CILANDAK_BARAT,
    admin,
    application,
    apply,
    born,
    count,
    create_programme,
    expect,
    lurah_office,
    outbox_events,
    person,
    register,
    seats,
    sign_up,
    up2k,
)

ONE_SEAT = {"total_capacity": 1, "kelurahan_quota": None}


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    """(runtime, TestClient for setting up, base URL of the same service served by uvicorn)."""
    with registration_runtime(postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client, served(runtime) as base_url:
            yield runtime, client, base_url


def events_for(runtime: Any, event_type: str, application_id: str) -> list[dict[str, Any]]:
    return [e for e in outbox_events(runtime, event_type)
            if e["data"]["application_id"] == application_id]


def post(path: str, headers: dict[str, str], body: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    def call(client: httpx.Client) -> httpx.Response:
        return client.post(path, headers=headers, json=body)
    return call


def assert_conflicts(responses: list[httpx.Response], field: str) -> None:
    for r in responses:
        if r.status_code != 409:
            continue
        body = r.json()
        assert body["field"] == field, body
        assert r.headers["content-type"] == "application/problem+json"


def test_ten_simultaneous_verifies_of_one_application_take_one_seat(pg):
    runtime, client, base_url = pg
    office = lurah_office(client)
    programme = create_programme(client, up2k(**ONE_SEAT))
    pending = apply(client, office, register(client, office, person("Siti Aminah"))["id"],
                    programme["id"])

    responses = race(base_url, [post(f"/applications/{pending['id']}/verify", office)] * 10)

    assert statuses(responses) == [200] + [409] * 9, [r.text for r in responses]
    assert_conflicts(responses, "status")
    assert application(client, pending["id"])["status"] == "enrolled"
    assert seats(client, programme["id"]) == {"*": (1, 1)}
    assert len(events_for(runtime, "participant_enrolled", pending["id"])) == 1
    assert events_for(runtime, "participant_waitlisted", pending["id"]) == []


def _enrolled_and_waiting(client: TestClient, waiting: int) -> tuple[dict[str, Any], list[str], str]:
    """A one-seat programme: one enrolled application and ``waiting`` in line behind it."""
    office = lurah_office(client)
    programme = create_programme(client, up2k(**ONE_SEAT))
    enrolled = sign_up(client, office, person("Kader Pertama", birth_date=born(1)), programme["id"])
    assert enrolled["status"] == "enrolled"
    line = [sign_up(client, office, person(f"Kader Antre {i}", birth_date=born(10 + i)),
                    programme["id"]) for i in range(waiting)]
    assert [a["status"] for a in line] == ["waitlisted"] * waiting
    return programme, [a["id"] for a in line], enrolled["id"]


def test_two_simultaneous_withdrawals_release_one_seat_and_backfill_once(pg):
    runtime, client, base_url = pg
    office = lurah_office(client)
    programme, line, enrolled = _enrolled_and_waiting(client, waiting=2)
    reason = {"reason": "pindah domisili ke luar Jakarta"}

    responses = race(base_url, [post(f"/applications/{enrolled}/withdraw", office, reason)] * 2)

    assert statuses(responses) == [200, 409], [r.text for r in responses]
    assert_conflicts(responses, "status")
    assert [application(client, a)["status"] for a in line] == ["enrolled", "waitlisted"]
    assert seats(client, programme["id"]) == {"*": (1, 1)}
    assert len(events_for(runtime, "enrolment_withdrawn", enrolled)) == 1
    assert len(events_for(runtime, "participant_enrolled", line[0])) == 1


@pytest.mark.parametrize("round_", range(3))
def test_backfill_racing_a_reject_of_the_first_in_line_stays_consistent(pg, round_):
    runtime, client, base_url = pg
    office = lurah_office(client)
    programme, (first, second), enrolled = _enrolled_and_waiting(client, waiting=2)

    withdrawn, rejected = race(base_url, [
        post(f"/applications/{enrolled}/withdraw", office, {"reason": "sakit berkepanjangan"}),
        post(f"/applications/{first}/reject", office, {"reason": "tidak hadir saat verifikasi"}),
    ])

    assert withdrawn.status_code == 200, withdrawn.text
    first_now, second_now = (application(client, a)["status"] for a in (first, second))
    if rejected.status_code == 200:  # the reject came first: the seat went to the next in line
        assert (first_now, second_now) == ("rejected", "enrolled")
        assert events_for(runtime, "participant_enrolled", first) == []
    else:  # the backfill came first: the first in line is enrolled and cannot be rejected
        assert rejected.status_code == 409, rejected.text
        assert rejected.json()["field"] == "status"
        assert (first_now, second_now) == ("enrolled", "waitlisted")
        assert events_for(runtime, "application_rejected", first) == []
    assert seats(client, programme["id"]) == {"*": (1, 1)}
    enrolled_now = [a for a in (first, second) if application(client, a)["status"] == "enrolled"]
    assert len(enrolled_now) == 1
    assert len(events_for(runtime, "participant_enrolled", enrolled_now[0])) == 1


def test_the_same_nik_registered_simultaneously_is_one_201_and_409s_naming_nik(pg):
    runtime, client, base_url = pg
    office = lurah_office(client)
    body = person("Dewi Lestari")

    responses = race(base_url, [post("/participants", office, body)] * 6)

    assert statuses(responses) == [201] + [409] * 5, [r.text for r in responses]
    assert_conflicts(responses, "nik")
    found = expect(client.get("/participants", headers=admin(client), params={"q": "Dewi"}), 200)
    assert len(found["items"]) == 1
    assert len(outbox_events(runtime, "participant_registered")) == 1


def test_the_same_application_submitted_simultaneously_is_one_201_and_409s(pg):
    runtime, client, base_url = pg
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    participant = register(client, office, person("Rina Marlina", kelurahan=CILANDAK_BARAT))
    body = {"participant_id": participant["id"], "programme_id": programme["id"]}

    responses = race(base_url, [post("/applications", office, body)] * 6)

    assert statuses(responses) == [201] + [409] * 5, [r.text for r in responses]
    assert_conflicts(responses, "participant_id")
    assert len(outbox_events(runtime, "application_submitted")) == 1
    from registration.adapters.tables import Application
    assert count(runtime, Application.__table__) == 1
