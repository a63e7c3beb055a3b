"""Visit schedules per programme on working days; field officers' coverage and assignment."""

import uuid
from datetime import UTC, datetime

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.testing import auth_headers

from .helpers import CILANDAK_BARAT, graduate, visits_of

KEBON_KOSONG = "31.71.03.1002"
ELSEWHERE = "31.75.10.1001"


def test_a_programme_schedule_sets_working_day_visits(runtime, client):
    admin = auth_headers(runtime.settings, "city_admin", subject="admin-dki")
    programme = str(uuid.uuid4())
    url = f"/programmes/{programme}/visit-schedule"
    assert client.get(url, headers=admin).json() == {
        "programme_id": programme, "offsets_days": [-1, 30], "is_default": True,
        "updated_by": None, "updated_at": None}
    saved = client.put(url, headers=admin, json={"offsets_days": [30, 60]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["offsets_days"] == [30, 60] and saved.json()["updated_by"] == "admin-dki"
    assert client.get(url, headers=admin).json()["is_default"] is False

    # Graduated Saturday 1 March 2025 (Jakarta): 30 days is Monday 31 March, Idul Fitri; after
    # the second day and the cuti bersama the visit falls on Tuesday 8 April. 60 days is
    # Wednesday 30 April, a working day.
    person = graduate(runtime, programme_id=programme,
                      graduated_at=datetime(2025, 3, 1, 2, 0, tzinfo=UTC)).subject
    assert [v["due_on"] for v in visits_of(runtime, client, person)] == [
        "2025-04-08", "2025-04-30"]
    other = graduate(runtime, graduated_at=datetime(2025, 3, 1, 2, 0, tzinfo=UTC)).subject
    assert [v["due_on"] for v in visits_of(runtime, client, other)] == [
        "2025-02-28", "2025-04-08"]  # the default schedule; the first one is left as it is


def test_only_city_admins_set_schedules_and_bad_ones_name_the_field(runtime, client):
    url = f"/programmes/{uuid.uuid4()}/visit-schedule"
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    assert client.put(url, headers=lurah, json={"offsets_days": [30]}).status_code == 403
    admin = auth_headers(runtime.settings, "city_admin")
    for offsets in ([], [90, 30], [30, 30], [5000], list(range(1, 14))):
        refused = client.put(url, headers=admin, json={"offsets_days": offsets})
        assert refused.status_code == 422 and refused.json()["field"] == "offsets_days", offsets
    assert client.get(url, headers=admin).json()["is_default"] is True


def test_visits_go_to_the_officer_covering_the_kelurahan(runtime, client):
    before = graduate(runtime).subject  # no officer covers it yet
    assert {v["assigned_to"] for v in visits_of(runtime, client, before)} == {None}

    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT,
                         subject="lurah-1001")
    covered = client.put("/field-officers/petugas-a", headers=lurah,
                         json={"kelurahan_codes": [CILANDAK_BARAT]})
    assert covered.status_code == 200, covered.text
    assert covered.json() == {"subject": "petugas-a", "kelurahan_codes": [CILANDAK_BARAT]}
    assert {v["assigned_to"] for v in visits_of(runtime, client, before)} == {"petugas-a"}
    assert {v["assigned_by"] for v in visits_of(runtime, client, before)} == {"lurah-1001"}

    # A second officer: the next plan goes to the one with fewer scheduled visits.
    client.put("/field-officers/petugas-b", headers=lurah, json={"kelurahan_codes": [CILANDAK_BARAT]})
    after = graduate(runtime).subject
    assert {v["assigned_to"] for v in visits_of(runtime, client, after)} == {"petugas-b"}
    elsewhere = graduate(runtime, kelurahan=KEBON_KOSONG).subject
    assert {v["assigned_to"] for v in visits_of(runtime, client, elsewhere)} == {None}


def test_coverage_stays_inside_the_callers_area(runtime, client):
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    outside = client.put("/field-officers/petugas-a", headers=lurah,
                         json={"kelurahan_codes": [KEBON_KOSONG]})
    assert outside.status_code == 403 and outside.json()["field"] == "kelurahan_codes"
    unknown = client.put("/field-officers/petugas-a", headers=lurah,
                         json={"kelurahan_codes": ["31.71.03.9999"]})
    assert unknown.status_code == 422 and unknown.json()["field"] == "kelurahan_codes"
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    assert client.put("/field-officers/petugas-a", headers=officer,
                      json={"kelurahan_codes": [CILANDAK_BARAT]}).status_code == 403

    # A camat sets two kelurahan; the lurah of one of them replaces only their own part.
    camat = auth_headers(runtime.settings, "kecamatan_officer", area=CILANDAK_BARAT[:8])
    client.put("/field-officers/petugas-a", headers=camat,
               json={"kelurahan_codes": [CILANDAK_BARAT, KEBON_KOSONG]})
    assert client.put("/field-officers/petugas-a", headers=lurah,
                      json={"kelurahan_codes": []}).json()["kelurahan_codes"] == []
    assert client.get("/field-officers/petugas-a", headers=camat).json()["kelurahan_codes"] == [
        KEBON_KOSONG]


def test_a_lurah_reassigns_a_scheduled_visit(runtime, client):
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT,
                         subject="lurah-1001")
    client.put("/field-officers/petugas-a", headers=lurah, json={"kelurahan_codes": [CILANDAK_BARAT]})
    person = graduate(runtime).subject
    visit = visits_of(runtime, client, person)[0]
    assert visit["assigned_to"] == "petugas-a"
    url = f"/visits/{visit['id']}/assign"

    stranger = client.post(url, headers=lurah, json={"officer": "petugas-b"})
    assert stranger.status_code == 422 and stranger.json()["field"] == "officer"
    client.put("/field-officers/petugas-b", headers=lurah, json={"kelurahan_codes": [CILANDAK_BARAT]})
    moved = client.post(url, headers=lurah, json={"officer": "petugas-b"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["assigned_to"] == "petugas-b" and moved.json()["assigned_by"] == "lurah-1001"
    same = client.post(url, headers=lurah, json={"officer": "petugas-b"})
    assert same.status_code == 422 and same.json()["field"] == "officer"

    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    assert client.post(url, headers=officer, json={"officer": "petugas-a"}).status_code == 403
    other_lurah = auth_headers(runtime.settings, "kelurahan_officer", area=ELSEWHERE)
    assert client.post(url, headers=other_lurah, json={"officer": "petugas-a"}).status_code == 404

    client.post(f"/visits/{visit['id']}/record", headers=officer, json={
        "visited_on": today_in_jakarta().isoformat(), "business_status": "producing_daily"})
    done = client.post(url, headers=lurah, json={"officer": "petugas-a"})
    assert done.status_code == 409 and done.json()["field"] == "visit_id"
