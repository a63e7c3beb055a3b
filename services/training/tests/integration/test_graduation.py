"""Roster from ParticipantEnrolled, a cohort, attendance, graduation -> ParticipantGraduated."""

import asyncio
import uuid

from fastapi.testclient import TestClient

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.registration import (
    EnrolmentWithdrawn,
    ParticipantEnrolled,
    ParticipantUpdated,
)
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic, service_runtime
from training.bootstrap import build
from training.config import TrainingSettings
from training.messaging import incoming

CILANDAK_BARAT = "31.74.06.1001"


def enrol(runtime, participant_id, programme_id, kelurahan=CILANDAK_BARAT):
    data = {**ParticipantEnrolled.EXAMPLE, "participant_id": participant_id,
            "programme_id": programme_id, "kelurahan_code": kelurahan,
            "kecamatan_code": kelurahan[:8], "kota_code": kelurahan[:5]}
    event = new_event(ParticipantEnrolled(**data), subject=participant_id, source="test")
    with transaction(runtime.sessions) as session:
        incoming.on_participant_enrolled(session, event)


def test_enrolled_participant_graduates_and_event_is_published(runtime, client):
    programme, people = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(2)]
    for person in people:
        enrol(runtime, person, programme)
    trainer = auth_headers(runtime.settings, "trainer", area="31.74.06")
    roster = client.get("/roster", params={"programme_id": programme}, headers=trainer).json()
    assert {e["participant_id"] for e in roster["items"]} == set(people)

    cohort = client.post("/cohorts", headers=trainer, json={
        "programme_id": programme, "track": "tata-boga", "name": "Tata boga A",
        "venue": "Kantor Kecamatan Cilandak", "area_code": "31.74.06",
        "starts_on": "2026-12-01", "ends_on": "2026-12-10"})
    assert cohort.status_code == 201, cohort.text
    cohort_id = cohort.json()["id"]
    assert client.post(f"/cohorts/{cohort_id}/members", headers=trainer,
                       json={"participant_ids": people}).status_code == 200
    for day, absent in (("2026-12-01", []), ("2026-12-02", [people[1]]),
                        ("2026-12-03", [people[1]])):
        present = [p for p in people if p not in absent]
        r = client.post(f"/cohorts/{cohort_id}/attendance", headers=trainer,
                        json={"session_on": day, "present": present, "absent": absent})
        assert r.status_code == 200, r.text

    graduated = client.post(f"/cohorts/{cohort_id}/graduations", headers=trainer,
                            json={"participant_id": people[0]})
    assert graduated.status_code == 201 and graduated.json()["status"] == "graduated"
    refused = client.post(f"/cohorts/{cohort_id}/graduations", headers=trainer,
                          json={"participant_id": people[1]})
    assert refused.status_code == 409
    assert refused.json()["field"] == "attendance"
    assert refused.headers["content-type"] == "application/problem+json"

    assert publish_pending(runtime) == 1
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "training.events",
        until=lambda ms: any(e.subject == people[0] for e in envelopes(ms)))))
    mine = [e for e in published if e.subject == people[0]]
    assert len(mine) == 1 and mine[0].type == ParticipantGraduated.TYPE
    assert mine[0].data["attendance_rate"] == 1.0
    assert not any(e.subject == people[1] for e in published)


def test_withdrawn_participant_leaves_the_roster(runtime, client):
    programme, person = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, person, programme)
    data = {**EnrolmentWithdrawn.EXAMPLE, "participant_id": person, "programme_id": programme}
    with transaction(runtime.sessions) as session:
        incoming.on_enrolment_withdrawn(session, new_event(EnrolmentWithdrawn(**data),
                                                           subject=person, source="test"))
    admin = auth_headers(runtime.settings, "city_admin")
    items = client.get("/roster", params={"programme_id": programme}, headers=admin).json()["items"]
    assert [i["status"] for i in items] == ["withdrawn"]


def test_officer_of_another_area_cannot_see_or_change_a_cohort(runtime, client):
    programme, person = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, person, programme)
    admin = auth_headers(runtime.settings, "city_admin")
    cohort_id = client.post("/cohorts", headers=admin, json={
        "programme_id": programme, "name": "A", "venue": "V", "area_code": "31.74.06",
        "starts_on": "2026-12-01", "ends_on": "2026-12-10"}).json()["id"]
    stranger = auth_headers(runtime.settings, "kecamatan_officer", area="31.75.10")
    assert client.get(f"/cohorts/{cohort_id}", headers=stranger).status_code == 404
    assert client.post(f"/cohorts/{cohort_id}/members", headers=stranger,
                       json={"participant_ids": [person]}).status_code == 404
    assert client.get("/roster", params={"programme_id": programme},
                      headers=stranger).json()["items"] == []
    assert client.get(f"/cohorts/{cohort_id}").status_code == 401


def test_bad_input_is_a_problem_naming_the_field(runtime, client):
    admin = auth_headers(runtime.settings, "city_admin")
    broken = client.post("/cohorts", headers={**admin, "content-type": "application/json"},
                         content=b'{"programme_id": ')
    assert broken.status_code == 400 and broken.json()["title"] == "JSON tidak sah"
    wrong = client.post("/cohorts", headers=admin, json={
        "programme_id": "p", "name": "A", "venue": "V", "area_code": "31.74.06",
        "starts_on": "not-a-date", "ends_on": "2026-12-10"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "starts_on"
    backwards = client.post("/cohorts", headers=admin, json={
        "programme_id": "p", "name": "A", "venue": "V", "area_code": "31.74.06",
        "starts_on": "2026-12-10", "ends_on": "2026-12-01"})
    assert backwards.status_code == 422 and backwards.json()["field"] == "ends_on"


def test_readiness_reports_kafka_as_a_detail_and_the_store_as_the_gate(runtime, client):
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "kafka": "ok"}
    runtime.settings.kafka_bootstrap_servers = "127.0.0.1:1"  # nothing listens there
    no_broker = client.get("/readyz")
    assert no_broker.status_code == 200  # writes still succeed: the outbox holds the events
    assert no_broker.json()["checks"]["kafka"].startswith("unavailable")
    assert client.get("/healthz").status_code == 200  # alive, just not ready
    assert "berdaya_http_requests_total" in client.get("/metrics").text


def test_only_configured_portal_origins_may_call_from_a_browser(database_url, kafka_bootstrap):
    portal = "https://portal.jakarta.go.id"
    with service_runtime(build, TrainingSettings, database_url, kafka_bootstrap,
                         cors_origins=[portal]) as rt, TestClient(rt.create_app()) as browser:
        preflight = {"Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "Authorization"}
        allowed = browser.options("/cohorts", headers={"Origin": portal, **preflight})
        assert allowed.headers.get("access-control-allow-origin") == portal
        other = browser.options("/cohorts", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in other.headers


def test_a_corrected_phone_and_name_reach_the_roster(runtime, client):
    programme, person = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, person, programme)
    data = {**ParticipantUpdated.EXAMPLE, "participant_id": person, "full_name": "Siti Aminah Lubis",
            "phone": "+6281399990000"}
    with transaction(runtime.sessions) as session:
        incoming.handlers_for(runtime.settings)[ParticipantUpdated.TYPE](
            session, new_event(ParticipantUpdated(**data), subject=person, source="test"))
    items = client.get("/roster", params={"programme_id": programme},
                       headers=auth_headers(runtime.settings, "city_admin")).json()["items"]
    assert [(i["full_name"], i["status"]) for i in items] == [("Siti Aminah Lubis", "enrolled")]


def test_a_withdrawn_participant_enrolled_again_is_back_on_the_roster(runtime, client):
    programme, person = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, person, programme)
    data = {**EnrolmentWithdrawn.EXAMPLE, "participant_id": person, "programme_id": programme}
    with transaction(runtime.sessions) as session:
        incoming.on_enrolment_withdrawn(session, new_event(EnrolmentWithdrawn(**data),
                                                           subject=person, source="test"))
    enrol(runtime, person, programme)
    items = client.get("/roster", params={"programme_id": programme},
                       headers=auth_headers(runtime.settings, "city_admin")).json()["items"]
    assert [i["status"] for i in items] == ["enrolled"]
