"""Starter kits: issued once per graduate per programme (also under a race on PostgreSQL),
StarterKitIssued read back from Kafka, status changes audited and never deleting."""

import asyncio
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from berdaya_shared.db import transaction
from berdaya_shared.events.training import StarterKitIssued
from berdaya_shared.testing import envelopes, publish_pending, read_topic, service_runtime
from berdaya_shared.testing.races import race, served, statuses
from training.adapters.tables import StarterKit, outbox
from training.bootstrap import build
from training.config import TrainingSettings

from .people_helpers import CIPAYUNG, enrol, graduates, officer, ok, track_graduate


def kit_body(participant: str, programme: str, **changes) -> dict:
    return {"participant_id": participant, "programme_id": programme, "kit_type": "alat masak set",
            "items": [{"name": "kompor gas 2 tungku", "serial_number": "KG2-190045",
                       "asset_number": "JT-UEP-2019-0045"},
                      {"name": "wajan", "quantity": 2}],
            "handed_over_by": "Budi Santoso (pelatih)", "handed_over_at": "2026-11-20T10:00:00Z",
            "acknowledged_by_name": "Siti Aminah", "acknowledged_at": "2026-11-20T17:05:00+07:00",
            **changes}


def test_a_graduate_receives_one_kit_and_it_is_announced(runtime, client):
    programme = str(uuid.uuid4())
    person = graduates(runtime, 1, programme)[0]
    trainer = officer(runtime, subject="budi", role="trainer")
    kit = ok(client.post("/kits", headers=trainer, json=kit_body(person, programme)), 201)
    assert kit["status"] == "issued" and kit["recorded_by"] == "budi"
    assert kit["items"][0]["serial_number"] == "KG2-190045" and kit["items"][1]["quantity"] == 2
    assert kit["acknowledged_by_name"] == "Siti Aminah"
    twice = client.post("/kits", headers=trainer, json=kit_body(person, programme, kit_type="lain"))
    assert twice.status_code == 409 and twice.json()["field"] == "participant_id"
    assert "sudah diserahkan" in twice.json()["detail"]

    assert publish_pending(runtime) == 1
    published = [e for e in envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "training.events",
        until=lambda ms: any(e.subject == person for e in envelopes(ms))))) if e.subject == person]
    assert [e.type for e in published] == [StarterKitIssued.TYPE]
    data = published[0].data
    assert (data["kit_id"], data["kit_type"], data["programme_id"]) == (
        kit["id"], "alat masak set", programme)
    assert [i["name"] for i in data["items"]] == ["kompor gas 2 tungku", "wajan"]
    assert data["kelurahan_code"] == "31.74.06.1001"


def test_the_kit_is_the_one_the_graduates_track_hands_out(runtime, client):
    programme = str(uuid.uuid4())
    person = track_graduate(runtime, client, programme)
    camat = officer(runtime)
    wrong = client.post("/kits", headers=camat, json=kit_body(person, programme,
                                                              kit_type="blender set"))
    assert wrong.status_code == 409 and wrong.json()["field"] == "kit_type"
    assert "alat masak set" in wrong.json()["detail"]
    body = kit_body(person, programme)
    del body["kit_type"], body["items"]
    kit = ok(client.post("/kits", headers=camat, json=body), 201)
    assert kit["kit_type"] == "alat masak set"
    assert [(i["name"], i["serial_number"]) for i in kit["items"]] == [
        ("kompor gas 2 tungku", None), ("wajan", None), ("panci set", None)]
    # Without a track, the kit must be described.
    other_programme = str(uuid.uuid4())
    trackless = graduates(runtime, 1, other_programme)[0]
    vague = client.post("/kits", headers=camat, json={**body, "participant_id": trackless,
                                                      "programme_id": other_programme})
    assert vague.status_code == 422 and vague.json()["field"] == "kit_type"


def test_only_a_graduate_of_the_callers_area_receives_a_kit(runtime, client):
    programme, enrolled = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, [enrolled], programme)
    camat = officer(runtime)
    not_yet = client.post("/kits", headers=camat, json=kit_body(enrolled, programme))
    assert not_yet.status_code == 409 and not_yet.json()["field"] == "participant_id"
    graduate = graduates(runtime, 1, str(uuid.uuid4()))[0]
    other = str(uuid.uuid4())
    cipayung = officer(runtime, area=CIPAYUNG, subject="camat-cipayung")
    assert client.post("/kits", headers=cipayung,
                       json=kit_body(graduate, other)).status_code == 404
    late = client.post("/kits", headers=camat, json=kit_body(
        enrolled, programme, handed_over_at="2026-11-20T10:00:00Z",
        acknowledged_at="2026-11-19T10:00:00Z"))
    assert late.status_code == 422 and late.json()["field"] == "acknowledged_at"
    naive = client.post("/kits", headers=camat, json=kit_body(
        enrolled, programme, handed_over_at="2026-11-20T10:00:00"))
    assert naive.status_code == 422 and naive.json()["field"] == "handed_over_at"
    ancient = client.post("/kits", headers=camat, json=kit_body(
        enrolled, programme, handed_over_at="0001-01-01T00:00:00+01:00"))
    assert ancient.status_code == 422 and ancient.json()["field"] == "handed_over_at"
    with transaction(runtime.sessions) as session:
        assert session.exec(select(func.count()).select_from(StarterKit)).one() == 0
        assert session.exec(select(func.count()).select_from(outbox)).one() == 0


def test_lost_returned_damaged_are_recorded_with_a_reason_never_deleting(runtime, client):
    programme = str(uuid.uuid4())
    person = graduates(runtime, 1, programme)[0]
    camat = officer(runtime)
    kit = ok(client.post("/kits", headers=camat, json=kit_body(person, programme)), 201)
    damaged = ok(client.post(f"/kits/{kit['id']}/status", headers=officer(runtime, subject="lurah"),
                             json={"status": "damaged", "reason": "kompor bocor"}))
    assert damaged["status"] == "damaged"
    returned = ok(client.post(f"/kits/{kit['id']}/status", headers=camat,
                              json={"status": "returned", "reason": "usaha berhenti"}))
    assert [(h["old_status"], h["new_status"], h["reason"], h["changed_by"])
            for h in returned["history"]] == [
        ("issued", "damaged", "kompor bocor", "lurah"),
        ("damaged", "returned", "usaha berhenti", "camat-cilandak")]
    again = client.post(f"/kits/{kit['id']}/status", headers=camat,
                        json={"status": "lost", "reason": "x"})
    assert again.status_code == 409 and again.json()["field"] == "status"
    reissue = client.post(f"/kits/{kit['id']}/status", headers=camat,
                          json={"status": "issued", "reason": "x"})
    assert reissue.status_code == 422 and reissue.json()["field"] == "status"
    no_reason = client.post(f"/kits/{kit['id']}/status", headers=camat, json={"status": "lost"})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    # Still there, still the graduate's one kit.
    listed = ok(client.get("/kits", headers=camat, params={"participant_id": person,
                                                           "programme_id": programme}))["items"]
    assert [(k["id"], k["status"]) for k in listed] == [(kit["id"], "returned")]


def test_kits_are_listed_and_read_only_in_the_callers_area(runtime, client):
    programme = str(uuid.uuid4())
    people = graduates(runtime, 3, programme)
    camat = officer(runtime)
    ids = [ok(client.post("/kits", headers=camat, json=kit_body(p, programme)), 201)["id"]
           for p in people]
    page = ok(client.get("/kits", headers=camat, params={"programme_id": programme, "limit": 2}))
    rest = ok(client.get("/kits", headers=camat, params={"programme_id": programme,
                                                         "cursor": page["next_cursor"]}))
    assert sorted(k["id"] for k in page["items"] + rest["items"]) == sorted(ids)
    cipayung = officer(runtime, area=CIPAYUNG, subject="camat-cipayung")
    assert ok(client.get("/kits", headers=cipayung, params={"programme_id": programme}))["items"] == []
    assert client.get(f"/kits/{ids[0]}", headers=cipayung).status_code == 404
    assert client.post(f"/kits/{ids[0]}/status", headers=cipayung,
                       json={"status": "lost", "reason": "x"}).status_code == 404
    assert ok(client.get(f"/kits/{ids[0]}", headers=camat))["history"] == []


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(build, TrainingSettings, postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def test_one_kit_when_six_handovers_of_one_graduate_arrive_at_once(pg):
    runtime, _ = pg
    programme = str(uuid.uuid4())
    person = graduates(runtime, 1, programme)[0]

    def issue(i: int):
        headers = officer(runtime, subject=f"officer-{i}")
        return lambda http: http.post("/kits", headers=headers, json=kit_body(
            person, programme, kit_type=f"set {i}"))

    with served(runtime) as url:
        responses = race(url, [issue(i) for i in range(6)])
    assert statuses(responses) == [201] + [409] * 5
    assert {r.json()["field"] for r in responses if r.status_code == 409} == {"participant_id"}
    with transaction(runtime.sessions) as session:
        assert session.exec(select(func.count()).select_from(StarterKit)).one() == 1
        assert session.exec(select(func.count()).select_from(outbox).where(
            outbox.c.event_type == StarterKitIssued.TYPE)).one() == 1
