"""The officer dashboard's JSON: its numbers are the API's (``/indicators``' row, the work
list's lengths), scoped to the caller's area; the page and its static files are served."""

import uuid
from datetime import UTC, date, datetime
from functools import partial

import pytest
from fastapi.testclient import TestClient

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.marketplace import SaleRecorded
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.testing import auth_headers, service_runtime
from monitoring.bootstrap import build
from monitoring.config import MonitoringSettings
from monitoring.service_layer import escalations

from .helpers import apply

TODAY = date(2026, 3, 2)
KECAMATAN = "31.74.06"
BARAT, PONDOK_LABU, OTHER = "31.74.06.1001", "31.74.06.1003", "31.75.10.1001"
PROGRAMME = str(uuid.uuid4())


@pytest.fixture
def dash(database_url, kafka_bootstrap):
    with service_runtime(partial(build, today=lambda: TODAY), MonitoringSettings, database_url,
                         kafka_bootstrap, visit_offsets_days=[20, 60]) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def graduate(runtime, kelurahan: str, name: str) -> str:
    person = str(uuid.uuid4())
    data = {**ParticipantGraduated.EXAMPLE, "participant_id": person, "programme_id": PROGRAMME,
            "full_name": name, "kelurahan_code": kelurahan, "kecamatan_code": kelurahan[:8],
            "kota_code": kelurahan[:5], "graduated_at": datetime(2025, 11, 3, 3, tzinfo=UTC),
            "baseline_monthly_income": 1_000_000}
    apply(runtime, new_event(ParticipantGraduated(**data), subject=person, source="test"))
    return person


def sale(runtime, person: str, kelurahan: str, day: date, amount: int) -> None:
    data = {**SaleRecorded.EXAMPLE, "sale_id": str(uuid.uuid4()), "participant_id": person,
            "amount": amount, "sold_on": day.isoformat(), "kelurahan_code": kelurahan,
            "kecamatan_code": kelurahan[:8], "kota_code": kelurahan[:5]}
    apply(runtime, new_event(SaleRecorded(**data), subject=person, source="test"))


def test_the_dashboard_shows_the_apis_numbers_for_the_callers_area(dash):
    runtime, client = dash
    admin = auth_headers(runtime.settings, "city_admin")
    camat = auth_headers(runtime.settings, "kecamatan_officer", area=KECAMATAN)
    field = auth_headers(runtime.settings, "field_officer", area=KECAMATAN)
    people = {name: graduate(runtime, kel, name) for name, kel in (
        ("Siti Aminah", BARAT), ("Dewi Lestari", BARAT), ("Ratna Sari", PONDOK_LABU),
        ("Budi Santoso", OTHER))}
    plans = {p["full_name"]: p for p in client.get("/plans", headers=admin).json()["items"]}
    visits = {n: sorted(client.get(f"/plans/{plans[n]['id']}", headers=admin).json()["visits"],
                        key=lambda v: v["sequence"]) for n in people}
    # Siti produces daily (income up), Dewi only for Lebaran, Ratna's first visit is overdue.
    for name, status, income in (("Siti Aminah", "active_daily", 1_600_000),
                                 ("Dewi Lestari", "seasonal", 1_100_000)):
        done = client.post(f"/visits/{visits[name][0]['id']}/record", headers=field, json={
            "visited_on": "2025-11-25", "business_status": status, "monthly_net_income": income,
            "kit_state": "in_use", "needs": ["capital"] if name == "Dewi Lestari" else []})
        assert done.status_code == 200, done.text
    referral = client.get("/referrals", headers=camat, params={"status": "suggested"}).json()
    [suggested] = referral["items"]
    sent = client.post(f"/referrals/{suggested['id']}/send", headers=camat, json={})
    assert sent.status_code == 200, sent.text
    with transaction(runtime.sessions) as session:
        assert escalations.escalate(session=session, today=TODAY, source="test") > 0
    sale(runtime, people["Siti Aminah"], BARAT, date(2025, 12, 20), 250_000)
    sale(runtime, people["Siti Aminah"], BARAT, date(2026, 1, 5), 100_000)
    sale(runtime, people["Budi Santoso"], OTHER, date(2026, 1, 5), 999_000)
    assert client.put(f"/targets/{KECAMATAN}", headers=admin, json={
        "new_entrepreneurs_min": 4000, "new_entrepreneurs_max": 5000,
        "starts_on": "2025-01-01", "ends_on": "2029-12-31"}).status_code == 200

    data = client.get("/dashboard/data", headers=camat).json()
    indicators = client.get("/indicators", headers=camat, params={"group_by": "kecamatan"}).json()
    assert data["area"] == KECAMATAN and data["summary"] == indicators["rows"][0]
    assert data["summary"]["target"]["new_entrepreneurs_min"] == 4000
    work = client.get("/work-list", headers=camat, params={"limit": 500}).json()["items"]
    by_kelurahan = {r["kelurahan_code"]: r for r in data["per_kelurahan"]}
    assert set(by_kelurahan) == {BARAT, PONDOK_LABU}
    assert by_kelurahan[BARAT]["name"] == "Cilandak Barat"
    for code, row in by_kelurahan.items():
        assert row["overdue_visits"] == len([w for w in work if w["kelurahan_code"] == code])
        escalated = client.get("/work-list", headers=camat, params={
            "kelurahan_code": code, "escalated_only": True}).json()["items"]
        assert row["escalated_visits"] == len(escalated) > 0
    assert [(r["month"], r["revenue"], r["sales"]) for r in data["sales_by_month"]] == [
        ("2025-12", 250_000, 1), ("2026-01", 100_000, 1)]  # Budi's sale is in another kota
    [income] = data["income_by_month"]
    assert (income["month"], income["income_change_mean"], income["visits"]) == (
        "2025-11", 350_000, 2)
    [agency] = data["open_referrals"]
    listed = client.get("/dashboard/referrals", headers=camat,
                        params={"agency_code": agency["agency_code"]}).json()
    assert agency["open"] == len(listed) == 1 and listed[0]["full_name"] == "Dewi Lestari"
    exported = client.get("/dashboard/referrals", headers=camat, params={"format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert "Dewi Lestari" in exported.text

    # The graduates behind the KPI shares: the same plans /indicators counts.
    for status, names in (("active", ["Siti Aminah"]), ("seasonal", ["Dewi Lestari"]),
                          ("stopped", []), ("none", ["Ratna Sari"])):
        listed = client.get("/dashboard/graduates", headers=camat, params={"status": status})
        assert [g["full_name"] for g in listed.json()] == names, status
    assert data["summary"]["seasonal"] == 1 and data["summary"]["no_status_yet"] == 1
    seasonal_csv = client.get("/dashboard/graduates", headers=camat,
                              params={"status": "seasonal", "format": "csv"}).text
    [header, row] = seasonal_csv.splitlines()
    assert header.startswith("plan_id,full_name") and "Dewi Lestari" in row and "seasonal" in row

    # A lurah of Pondok Labu: only Ratna; the kecamatan is outside their area.
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=PONDOK_LABU)
    theirs = client.get("/dashboard/data", headers=lurah).json()
    assert [r["kelurahan_code"] for r in theirs["per_kelurahan"]] == [PONDOK_LABU]
    assert theirs["summary"]["graduates"] == 1 and theirs["sales_by_month"] == []
    assert theirs["open_referrals"] == []
    outside = client.get("/dashboard/data", headers=lurah, params={"area": BARAT})
    assert outside.status_code == 403 and outside.json()["field"] == "area"
    options = client.get("/dashboard/options", headers=lurah).json()
    assert [a["code"] for a in options["areas"]] == [PONDOK_LABU]

    # Filters: one kelurahan of the kecamatan; a period without sales.
    barat = client.get("/dashboard/data", headers=camat, params={
        "area": BARAT, "period_from": "2026-02-01", "period_to": "2026-03-01"}).json()
    assert barat["summary"]["graduates"] == 2 and barat["sales_by_month"] == []
    bad = client.get("/dashboard/data", headers=camat, params={
        "period_from": "2026-02-01", "period_to": "2026-01-01"})
    assert bad.status_code == 422 and bad.json()["field"] == "period_to"


def test_the_page_and_its_files_are_served_without_a_token(dash):
    _, client = dash
    page = client.get("/dashboard")
    assert page.status_code == 200 and 'lang="id"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name in ("dashboard.js", "dashboard.css", "chart.umd.min.js", "chart.js.LICENSE.md"):
        assert client.get(f"/dashboard/static/{name}").status_code == 200
    assert client.get("/dashboard/static/..%2Fconfig.py").status_code == 404
    assert client.get("/dashboard/data").status_code == 401
