"""Roster from ParticipantEnrolled; a cohort closed by its track's rule -> ParticipantGraduated /
ParticipantNotGraduated read back from Kafka; overrides; the service's edges."""

import asyncio
import uuid

from fastapi.testclient import TestClient

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.registration import EnrolmentWithdrawn, ParticipantUpdated
from berdaya_shared.events.training import (
    CohortScheduled,
    ParticipantGraduated,
    ParticipantNotGraduated,
)
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic, service_runtime
from training.bootstrap import build
from training.config import TrainingSettings
from training.messaging import incoming

from .helpers import enrol, officer, ok, schedule, sheet, trainer


def test_closing_decides_everyone_by_the_tracks_rule_and_publishes_each_outcome(runtime, client):
    run = schedule(runtime, client, 4, sessions=4)
    good, low_attendance, low_score, unassessed = run.people
    headers = officer(runtime)
    mentor = ok(client.post("/people", headers=headers, json={
        "kind": "mentor", "full_name": "Dewi Lestari", "organisation": "OK OCE",
        "phone": "0812-3456-7890", "area_code": "31.74.06"}), 201)
    ok(client.post(f"/mentors/{mentor['id']}/participants", headers=headers,
                   json={"programme_id": run.programme, "participant_ids": [good]}))
    absent_from = {0: [], 1: [low_attendance], 2: [low_attendance], 3: []}
    for day, session_id in enumerate(run.sessions):
        statuses = {p: "absent" if p in absent_from[day] else "present" for p in run.people}
        if day == 3:
            statuses[good] = "excused"  # counts as not attended: 3 of 4 is still 75 %
        saved = ok(client.put(f"/cohorts/{run.cohort}/sessions/{session_id}/attendance",
                              headers=headers, json=sheet(statuses)))
        assert saved == {"recorded": 4, "corrected": 0}
    ok(client.put(f"/cohorts/{run.cohort}/assessments", headers=headers, json={"scores": [
        {"participant_id": good, "kind": "practical", "score": 70},
        {"participant_id": good, "kind": "written", "score": 92},
        {"participant_id": low_attendance, "kind": "practical", "score": 95},
        {"participant_id": low_score, "kind": "practical", "score": 85},
        {"participant_id": low_score, "kind": "written", "score": 64}]}))

    decisions = {d["participant_id"]: d for d in ok(client.post(
        f"/cohorts/{run.cohort}/close", headers=headers))}

    assert decisions[good]["outcome"] == "graduated" and decisions[good]["reason"] is None
    assert (decisions[good]["attendance_share"], decisions[good]["score"]) == (0.75, 70)
    assert decisions[low_attendance]["reason"] == "Kehadiran 50% di bawah batas minimal 75%."
    assert decisions[low_score]["reason"] == "Nilai 64 di bawah nilai lulus 70."
    assert decisions[unassessed]["reason"] == "Belum ada nilai penilaian."
    english = {d["participant_id"]: d["reason"] for d in ok(client.get(
        f"/cohorts/{run.cohort}/decisions", headers={**headers, "Accept-Language": "en"}))}
    assert english[low_score] == "Score 64 is below the pass mark 70." and english[good] is None
    assert ok(client.get(f"/cohorts/{run.cohort}", headers=headers))["status"] == "closed"
    roster = {e["participant_id"]: e["status"] for e in ok(client.get(
        "/roster", params={"programme_id": run.programme}, headers=headers))["items"]}
    assert roster == {good: "graduated", low_attendance: "not_graduated",
                      low_score: "not_graduated", unassessed: "not_graduated"}

    publish_pending(runtime)
    decided = (ParticipantGraduated.TYPE, ParticipantNotGraduated.TYPE)

    def outcomes(messages):  # type: ignore[no-untyped-def]
        return [e for e in envelopes(messages) if e.subject in run.people and e.type in decided]
    published = outcomes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "training.events",
        until=lambda ms: len(outcomes(ms)) >= len(run.people))))
    assert sorted((e.subject, e.type) for e in published) == sorted(
        [(good, ParticipantGraduated.TYPE)]
        + [(p, ParticipantNotGraduated.TYPE) for p in (low_attendance, low_score, unassessed)])
    graduated = next(e.data for e in published if e.type == ParticipantGraduated.TYPE)
    assert graduated["cohort_id"] == run.cohort and graduated["track_code"] == "tata-boga"
    assert (graduated["attendance_share"], graduated["score"]) == (0.75, 70)
    assert graduated["kit_type"] == "alat masak set"
    assert graduated["kit_items"] == ["kompor gas 2 tungku", "wajan", "panci set"]
    assert graduated["mentor"] == {"mentor_id": mentor["id"], "name": "Dewi Lestari",
                                   "organisation": "OK OCE"}
    refused = {e.subject: e.data for e in published if e.type == ParticipantNotGraduated.TYPE}
    assert refused[low_score]["reason"] == "Nilai 64 di bawah nilai lulus 70."
    assert refused[low_score]["score"] == 64
    scheduled = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "training.events",
        until=lambda ms: any(e.subject == run.cohort for e in envelopes(ms)))))
    assert [e.type for e in scheduled if e.subject == run.cohort] == [CohortScheduled.TYPE]


def test_an_officer_overrides_one_decision_with_a_written_reason(runtime, client):
    run = schedule(runtime, client, 2, sessions=1)
    sick, good = run.people
    headers = officer(runtime)
    ok(client.put(f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance", headers=headers,
                  json=sheet({sick: "excused", good: "present"})))
    ok(client.put(f"/cohorts/{run.cohort}/assessments", headers=headers, json={"scores": [
        {"participant_id": sick, "kind": "practical", "score": 90},
        {"participant_id": good, "kind": "practical", "score": 90}]}))
    ok(client.post(f"/cohorts/{run.cohort}/close", headers=headers))
    path = f"/cohorts/{run.cohort}/decisions/{sick}/override"
    reason = "Sakit dengan surat dokter; materi susulan sudah diikuti."

    trainer_says = client.post(path, headers=trainer(runtime, "pelatih-1"),
                               json={"outcome": "graduated", "reason": reason})
    assert trainer_says.status_code == 403  # an officer's decision, not a trainer's
    too_short = client.post(path, headers=headers, json={"outcome": "graduated", "reason": "ok"})
    assert too_short.status_code == 422 and too_short.json()["field"] == "reason"
    changed = ok(client.post(path, headers=headers, json={"outcome": "graduated", "reason": reason}))
    assert changed["outcome"] == "graduated" and changed["decided_by"] == "camat-cilandak"
    again = client.post(path, headers=headers, json={"outcome": "graduated", "reason": reason})
    assert again.status_code == 409 and again.json()["field"] == "outcome"

    [audit] = ok(client.get(f"/cohorts/{run.cohort}/overrides", headers=headers))
    assert (audit["old_outcome"], audit["new_outcome"]) == ("not_graduated", "graduated")
    assert (audit["reason"], audit["overridden_by"]) == (reason, "camat-cilandak")
    roster = {e["participant_id"]: e["status"] for e in ok(client.get(
        "/roster", params={"programme_id": run.programme}, headers=headers))["items"]}
    assert roster[sick] == "graduated"
    publish_pending(runtime)
    mine = [e for e in envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "training.events",
        until=lambda ms: sum(e.subject == sick for e in envelopes(ms)) >= 2)))
        if e.subject == sick]
    assert [e.type for e in mine] == [ParticipantNotGraduated.TYPE, ParticipantGraduated.TYPE]


def test_closing_with_unrecorded_sessions_is_refused_and_decides_nothing(runtime, client):
    run = schedule(runtime, client, 2, sessions=2)
    headers = officer(runtime)
    ok(client.put(f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance", headers=headers,
                  json=sheet(dict.fromkeys(run.people, "present"))))

    refused = client.post(f"/cohorts/{run.cohort}/close", headers=headers)

    assert refused.status_code == 409 and refused.json()["field"] == "sessions"
    assert refused.json()["unrecorded"] == [run.sessions[1]]
    assert refused.json()["detail"] == "1 sesi belum dicatat kehadirannya."
    assert ok(client.get(f"/cohorts/{run.cohort}", headers=headers))["status"] == "running"
    assert ok(client.get(f"/cohorts/{run.cohort}/decisions", headers=headers)) == []
    assert publish_pending(runtime) == 1  # only the CohortScheduled of the setup


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


def test_bad_input_is_a_problem_naming_the_field(runtime, client):
    admin = auth_headers(runtime.settings, "city_admin")
    broken = client.post("/cohorts", headers={**admin, "content-type": "application/json"},
                         content=b'{"programme_id": ')
    assert broken.status_code == 400 and broken.json()["title"] == "JSON tidak sah"
    body = {"programme_id": "p", "track_code": "tata-boga", "name": "A", "venue_id": "v",
            "area_code": "31.74.06", "starts_on": "2026-12-10", "ends_on": "2026-12-01"}
    wrong = client.post("/cohorts", headers=admin, json={**body, "starts_on": "not-a-date"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "starts_on"
    backwards = client.post("/cohorts", headers=admin, json=body)
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
