"""Referrals, closed loop: suggested by a visit's needs, sent by an officer, accepted and
closed by the agency it was sent to (and by no other), flagged past the agreed days."""

from datetime import UTC, date, datetime
from functools import partial

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from berdaya_shared.events.monitoring import ReferralClosed, ReferralOpened
from berdaya_shared.testing import auth_headers, service_runtime
from monitoring import jobs
from monitoring.adapters.tables import Referral
from monitoring.bootstrap import build
from monitoring.config import MonitoringSettings

from .conftest import OFFSETS
from .helpers import CILANDAK_BARAT, graduate, outbox_events, visits_of

TODAY = date(2026, 1, 5)


@pytest.fixture
def clocked(database_url, kafka_bootstrap):
    with service_runtime(partial(build, today=lambda: TODAY), MonitoringSettings, database_url,
                         kafka_bootstrap, visit_offsets_days=OFFSETS) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def agency(runtime, code: str) -> dict[str, str]:
    return auth_headers(runtime.settings, "integration", subject=f"agency-{code}")


def count_referrals(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Referral)).scalar_one()


def test_a_referral_from_a_visit_to_its_agency_and_back(clocked):
    runtime, client = clocked
    person = graduate(runtime, graduated_at=datetime(2025, 6, 2, 3, 0, tzinfo=UTC)).subject
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT,
                           subject="officer-17")
    client.post(f"/visits/{visit['id']}/record", headers=officer, json={
        "visited_on": "2026-01-05", "production_days_per_week": 5,
        "needs": ["licence", "capital"]})

    suggested = client.get("/referrals?status=suggested", headers=officer).json()["items"]
    assert sorted((r["need"], r["agency_code"]) for r in suggested) == [
        ("capital", "kur"), ("licence", "ptsp")]
    licence = next(r for r in suggested if r["need"] == "licence")
    assert client.get("/referrals", headers=agency(runtime, "ptsp")).json()["items"] == []

    sent = client.post(f"/referrals/{licence['id']}/send", headers=officer, json={})
    assert sent.status_code == 200, sent.text
    assert (sent.json()["status"], sent.json()["due_on"]) == ("open", "2026-01-26")  # 21 days

    wrong = client.post(f"/referrals/{licence['id']}/accept", headers=agency(runtime, "kur"))
    assert wrong.status_code == 403 and wrong.json()["field"] == "agency_code"
    wrong = client.post(f"/referrals/{licence['id']}/close", headers=agency(runtime, "kur"),
                        json={"outcome": "declined"})
    assert wrong.status_code == 403 and wrong.json()["field"] == "agency_code"
    assert [r["id"] for r in client.get("/referrals", headers=agency(runtime, "ptsp"))
            .json()["items"]] == [licence["id"]]

    accepted = client.post(f"/referrals/{licence['id']}/accept", headers=agency(runtime, "ptsp"))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    closed = client.post(f"/referrals/{licence['id']}/close", headers=agency(runtime, "ptsp"),
                         json={"outcome": "licence_issued", "notes": "NIB terbit."})
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["outcome"]) == ("closed", "licence_issued")
    again = client.post(f"/referrals/{licence['id']}/close", headers=agency(runtime, "ptsp"),
                        json={"outcome": "declined"})
    assert again.status_code == 409 and again.json()["field"] == "referral_id"

    opened = [e.data for e in outbox_events(runtime, ReferralOpened.TYPE)]
    assert [(d["need"], d["agency_code"], d["opened_by"]) for d in opened] == [
        ("licence", "ptsp", "officer-17")]
    assert [(d["outcome"], d["closed_by"]) for d in
            (e.data for e in outbox_events(runtime, ReferralClosed.TYPE))] == [
        ("licence_issued", "agency-ptsp")]


def test_an_officer_opens_a_referral_routed_by_the_rules(clocked):
    runtime, client = clocked
    person = graduate(runtime, graduated_at=datetime(2025, 6, 2, 3, 0, tzinfo=UTC)).subject
    plan_id = visits_of(runtime, client, person)[0]["plan_id"]
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    opened = client.post("/referrals", headers=lurah, json={"plan_id": plan_id, "need": "skills"})
    assert opened.status_code == 201, opened.text
    assert (opened.json()["agency_code"], opened.json()["status"]) == ("jakpreneur", "open")

    before = count_referrals(runtime)
    for body, field in (({"plan_id": plan_id, "need": "love"}, "need"),
                        ({"plan_id": plan_id, "need": "capital", "agency_code": "bank-x"},
                         "agency_code")):
        refused = client.post("/referrals", headers=lurah, json=body)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    stranger = auth_headers(runtime.settings, "kelurahan_officer", area="31.75.10.1001")
    assert client.post("/referrals", headers=stranger,
                       json={"plan_id": plan_id, "need": "skills"}).status_code == 404
    assert count_referrals(runtime) == before
    assert len(outbox_events(runtime, ReferralOpened.TYPE)) == 1

    # Jakpreneur agreed to 14 days: on the 15th the referral is flagged, once.
    jobs.sweep(runtime.sessions, source="t", today=date(2026, 1, 19), reminder_days_before=2)
    assert client.get("/referrals", headers=lurah).json()["items"][0]["overdue_flagged_at"] is None
    jobs.sweep(runtime.sessions, source="t", today=date(2026, 1, 20), reminder_days_before=2)
    flagged = client.get("/referrals", headers=lurah).json()["items"][0]["overdue_flagged_at"]
    assert flagged is not None
    jobs.sweep(runtime.sessions, source="t", today=date(2026, 1, 21), reminder_days_before=2)
    assert client.get("/referrals", headers=lurah).json()["items"][0]["overdue_flagged_at"] \
        == flagged
    assert [a["code"] for a in client.get("/agencies", headers=lurah).json()] == [
        "jakpreneur", "kur", "ptsp", "sudin-pe", "sudin-umkm"]
