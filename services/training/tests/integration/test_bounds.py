"""Every string a caller sends is bounded by its column: too long is a 422 naming the field
(on PostgreSQL, which would otherwise refuse it with a 500). Problems read in Bahasa by
default and in English on request."""

import uuid

import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import auth_headers, service_runtime
from training.bootstrap import build
from training.config import TrainingSettings

from .test_graduation import enrol

COHORT = {"programme_id": "p", "track": "tata-boga", "name": "Tata boga A", "venue": "Kantor",
          "area_code": "31.74.06", "starts_on": "2026-12-01", "ends_on": "2026-12-10"}
LONG_ID = "x" * 37


@pytest.fixture(scope="module")
def pg(postgres_admin_url, kafka_bootstrap):
    from berdaya_shared.testing.plugin import create_database, drop_database

    url, name = create_database(postgres_admin_url)
    with service_runtime(build, TrainingSettings, url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            person, programme = str(uuid.uuid4()), str(uuid.uuid4())
            enrol(runtime, person, programme)
            trainer = auth_headers(runtime.settings, "trainer", area="31.74.06")
            cohort = client.post("/cohorts", headers=trainer,
                                 json={**COHORT, "programme_id": programme}).json()["id"]
            yield client, trainer, cohort, person
    drop_database(postgres_admin_url, name)


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("post", "/cohorts", {**COHORT, "programme_id": LONG_ID}, "programme_id"),
    ("post", "/cohorts", {**COHORT, "track": "t" * 61}, "track"),
    ("post", "/cohorts", {**COHORT, "name": "n" * 201}, "name"),
    ("post", "/cohorts", {**COHORT, "venue": "v" * 201}, "venue"),
    ("post", "/cohorts", {**COHORT, "area_code": "31.74.06.10011"}, "area_code"),
    ("post", "/cohorts/{cohort}/members", {"participant_ids": [LONG_ID]}, "participant_ids.0"),
    ("post", "/cohorts/{cohort}/attendance",
     {"session_on": "2026-12-01", "present": ["x" * 36, LONG_ID]}, "present.1"),
    ("post", "/cohorts/{cohort}/attendance",
     {"session_on": "2026-12-01", "absent": [LONG_ID]}, "absent.0"),
    ("post", "/cohorts/{cohort}/graduations", {"participant_id": LONG_ID}, "participant_id"),
    ("get", f"/cohorts/{LONG_ID}", None, "cohort_id"),
    ("post", f"/cohorts/{LONG_ID}/attendance", {"session_on": "2026-12-01"}, "cohort_id"),
    ("get", f"/roster?programme_id={LONG_ID}", None, "programme_id"),
])
def test_oversize_input_is_a_422_naming_the_field(pg, method, path, body, field):
    client, trainer, cohort, _ = pg
    path = path.format(cohort=cohort)
    answer = client.request(method, path, headers=trainer, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_problems_are_in_bahasa_and_in_english_on_request(pg):
    client, trainer, cohort, person = pg
    body = {"participant_id": person}
    assert client.post(f"/cohorts/{cohort}/members", headers=trainer,
                       json={"participant_ids": [person]}).status_code == 200
    bahasa = client.post(f"/cohorts/{cohort}/graduations", headers=trainer, json=body)
    assert bahasa.status_code == 409 and bahasa.json()["field"] == "attendance"
    assert bahasa.json()["detail"] == "Kehadiran 0% di bawah batas minimal 75%."
    english = client.post(f"/cohorts/{cohort}/graduations", json=body,
                          headers={**trainer, "Accept-Language": "en"})
    assert english.json()["detail"] == "Attendance 0% is below the required 75%."
    backwards = client.post("/cohorts", headers=trainer,
                            json={**COHORT, "starts_on": "2026-12-10", "ends_on": "2026-12-01"})
    assert backwards.json()["detail"] == "Kelompok pelatihan tidak boleh berakhir sebelum dimulai."
    missing = client.get(f"/cohorts/{uuid.uuid4()}", headers={**trainer, "Accept-Language": "en"})
    assert missing.json()["detail"] == "No such cohort in your area."
