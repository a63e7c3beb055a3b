"""Work lists: a field officer's week, a lurah's and a camat's overdue visits; pages and CSV."""

import csv
import io
from datetime import UTC, date, datetime
from functools import partial

import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import auth_headers, service_runtime
from monitoring.bootstrap import build
from monitoring.config import MonitoringSettings

from .conftest import OFFSETS
from .helpers import CILANDAK_BARAT, graduate

KEBON_KOSONG = "31.71.03.1002"
TODAY = date(2025, 4, 16)  # a Wednesday


@pytest.fixture
def fixed(database_url, kafka_bootstrap):
    with service_runtime(partial(build, today=lambda: TODAY), MonitoringSettings, database_url,
                         kafka_bootstrap, visit_offsets_days=OFFSETS) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta


def test_each_role_sees_its_own_work_list(fixed):
    runtime, client = fixed
    camat = auth_headers(runtime.settings, "kecamatan_officer", area="31.71.03")
    client.put("/field-officers/petugas-a", headers=camat, json={"kelurahan_codes": [CILANDAK_BARAT]})
    late = graduate(runtime, graduated_at=on(date(2025, 4, 10))).subject   # first visit 9 April
    soon = graduate(runtime, graduated_at=on(date(2025, 4, 18))).subject   # first visit 17 April
    other = graduate(runtime, kelurahan=KEBON_KOSONG,
                     graduated_at=on(date(2025, 4, 5))).subject            # first visit 4 April

    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT,
                           subject="petugas-a")
    mine = client.get("/work-list", headers=officer).json()
    assert [(i["participant_id"], i["due_on"], i["days_overdue"]) for i in mine["items"]] == [
        (late, "2025-04-09", 7), (soon, "2025-04-17", 0)]
    assert mine["next_cursor"] is None
    overdue = client.get("/work-list?overdue_only=true", headers=officer).json()["items"]
    assert [i["participant_id"] for i in overdue] == [late]  # what their overdue count counts

    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    assert [i["participant_id"] for i in client.get("/work-list", headers=lurah).json()["items"]] \
        == [late]

    first = client.get("/work-list?limit=1", headers=camat).json()
    assert [i["participant_id"] for i in first["items"]] == [other]
    second = client.get(f"/work-list?limit=1&cursor={first['next_cursor']}", headers=camat).json()
    assert [i["participant_id"] for i in second["items"]] == [late]
    assert client.get(f"/work-list?limit=1&cursor={second['next_cursor']}",
                      headers=camat).json() == {"items": [], "next_cursor": None}
    only = client.get(f"/work-list?kelurahan_code={KEBON_KOSONG}", headers=camat).json()
    assert [i["participant_id"] for i in only["items"]] == [other]
    nobody = client.get("/work-list?assigned_to=petugas-a", headers=camat).json()
    assert [i["participant_id"] for i in nobody["items"]] == [late]


def test_the_work_list_exports_as_csv(fixed):
    runtime, client = fixed
    graduate(runtime, graduated_at=on(date(2025, 4, 10)))
    graduate(runtime, kelurahan=KEBON_KOSONG, graduated_at=on(date(2025, 4, 5)))
    camat = auth_headers(runtime.settings, "kecamatan_officer", area="31.71.03")
    exported = client.get("/work-list?format=csv&limit=1", headers=camat)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["due_on"], r["days_overdue"], r["kelurahan_code"]) for r in rows] == [
        ("2025-04-04", "12", KEBON_KOSONG), ("2025-04-09", "7", CILANDAK_BARAT)]


def test_bad_work_list_queries_name_the_field(fixed):
    runtime, client = fixed
    camat = auth_headers(runtime.settings, "kecamatan_officer", area="31.71.03")
    for query, field in (("cursor=bm90LWEtY3Vyc29y", "cursor"), ("format=xlsx", "format"),
                         ("kelurahan_code=" + "9" * 14, "kelurahan_code"), ("limit=0", "limit")):
        answer = client.get(f"/work-list?{query}", headers=camat)
        assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    assert client.get("/work-list").status_code == 401
    integration = auth_headers(runtime.settings, "integration")
    assert client.get("/work-list", headers=integration).status_code == 403
