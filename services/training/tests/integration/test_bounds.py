"""Every string a caller sends is bounded by its column: too long is a 422 naming the field
(on PostgreSQL, which would otherwise refuse it with a 500). Problems read in Bahasa by
default and in English on request."""

import uuid

import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import auth_headers, service_runtime
from training.bootstrap import build
from training.config import TrainingSettings

from .helpers import TATA_BOGA, officer, schedule

LONG_ID = "x" * 37


@pytest.fixture(scope="module")
def pg(postgres_admin_url, kafka_bootstrap):
    from berdaya_shared.testing.plugin import create_database, drop_database

    url, name = create_database(postgres_admin_url)
    with service_runtime(build, TrainingSettings, url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            run = schedule(runtime, client, 1, sessions=1)
            yield client, officer(runtime), run
    drop_database(postgres_admin_url, name)


def cohort_body(run):
    return {"programme_id": run.programme, "track_code": "tata-boga", "name": "Tata boga A",
            "venue_id": run.venue, "area_code": "31.74.06", "starts_on": "2026-12-01",
            "ends_on": "2026-12-10"}


TRACK = {**TATA_BOGA, "code": "kue-basah"}
SHEET = "/cohorts/{cohort}/sessions/{session}/attendance"


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("post", "/cohorts", {"programme_id": LONG_ID}, "programme_id"),
    ("post", "/cohorts", {"track_code": "t" * 61}, "track_code"),
    ("post", "/cohorts", {"name": "n" * 201}, "name"),
    ("post", "/cohorts", {"venue_id": LONG_ID}, "venue_id"),
    ("post", "/cohorts", {"area_code": "31.74.06.10011"}, "area_code"),
    ("post", "/cohorts/{cohort}/members", {"participant_ids": [LONG_ID]}, "participant_ids.0"),
    ("put", SHEET, {"entries": [{"participant_id": LONG_ID, "status": "present"}]},
     "entries.0.participant_id"),
    ("put", SHEET, {"entries": [{"participant_id": "p", "status": "late"}]}, "entries.0.status"),
    ("put", "/cohorts/{cohort}/assessments",
     {"scores": [{"participant_id": "p", "kind": "practical", "score": 101}]}, "scores.0.score"),
    ("put", "/cohorts/{cohort}/assessments",
     {"scores": [{"participant_id": "p", "kind": "practical", "score": -1}]}, "scores.0.score"),
    ("post", "/cohorts/{cohort}/sessions", {"held_on": "2026-12-02", "starts_at": "09:00",
                                           "ends_at": "10:00", "topic": "t" * 201,
                                           "trainer_id": "x"}, "topic"),
    ("post", "/cohorts/{cohort}/sessions", {"held_on": "2026-12-02", "starts_at": "09:00+07:00",
                                           "ends_at": "10:00", "topic": "t",
                                           "trainer_id": "x"}, "starts_at"),
    ("post", "/cohorts/{cohort}/sessions", {"held_on": "2026-12-11", "starts_at": "09:00",
                                           "ends_at": "10:00", "topic": "t",
                                           "trainer_id": "x"}, "held_on"),
    ("post", "/venues", {"name": "v", "address": "a", "kelurahan_code": "31.74.06.1001",
                         "capacity": 2**31}, "capacity"),
    ("post", "/programmes/{programme}/tracks", {**TRACK, "min_score": 101}, "min_score"),
    ("post", "/programmes/{programme}/tracks", {**TRACK, "min_attendance_share": 1.01},
     "min_attendance_share"),
    ("post", "/programmes/{programme}/tracks", {**TRACK, "kit_items": ["k" * 201]}, "kit_items.0"),
    ("get", f"/cohorts/{LONG_ID}", None, "cohort_id"),
    ("get", f"/programmes/{LONG_ID}/tracks", None, "programme_id"),
    ("get", f"/roster?programme_id={LONG_ID}", None, "programme_id"),
    ("get", "/cohorts?track_code=" + "t" * 61, None, "track_code"),
])
def test_oversize_input_is_a_422_naming_the_field(pg, method, path, body, field):
    client, headers, run = pg
    if path == "/cohorts" and method == "post":
        body = {**cohort_body(run), **body}
    path = path.format(cohort=run.cohort, session=run.sessions[0], programme=run.programme)
    if method == "post" and path.endswith("/tracks"):
        headers = auth_headers(client.app.state.settings, "city_admin")  # tracks are the city's
    answer = client.request(method, path, headers=headers, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_problems_are_in_bahasa_and_in_english_on_request(pg):
    client, headers, run = pg
    path = SHEET.format(cohort=run.cohort, session=run.sessions[0])
    body = {"entries": [{"participant_id": str(uuid.uuid4()), "status": "present"}]}
    bahasa = client.put(path, headers=headers, json=body)
    assert bahasa.status_code == 422 and bahasa.json()["field"] == "entries.0.participant_id"
    assert bahasa.json()["detail"] == "Bukan anggota kelompok pelatihan ini."
    english = client.put(path, json=body, headers={**headers, "Accept-Language": "en"})
    assert english.json()["detail"] == "Not a member of this cohort."
    backwards = client.post("/cohorts", headers=headers, json={
        **cohort_body(run), "starts_on": "2026-12-10", "ends_on": "2026-12-01"})
    assert backwards.json()["detail"] == "Kelompok pelatihan tidak boleh berakhir sebelum dimulai."
    missing = client.get(f"/cohorts/{uuid.uuid4()}", headers={**headers, "Accept-Language": "en"})
    assert missing.json()["detail"] == "No such cohort in your area."
