"""The visit report: production, revenue and net income, channels, the starter kit's state,
needs; the income change against the registration baseline; VisitRecorded carries it all."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.monitoring import VisitRecorded
from berdaya_shared.events.training import ParticipantGraduated, StarterKitIssued
from berdaya_shared.testing import auth_headers
from monitoring.adapters.tables import StarterKit
from monitoring.domain.report import MAX_MONTHLY_AMOUNT

from .helpers import CILANDAK_BARAT, apply, outbox_events, visits_of


def graduate_with(runtime, *, baseline: int | None) -> str:
    person = str(uuid.uuid4())
    data = {**ParticipantGraduated.EXAMPLE, "participant_id": person,
            "programme_id": ParticipantGraduated.EXAMPLE["programme_id"],
            "kelurahan_code": CILANDAK_BARAT, "kecamatan_code": CILANDAK_BARAT[:8],
            "kota_code": CILANDAK_BARAT[:5], "graduated_at": datetime.now(UTC),
            "baseline_monthly_income": baseline}
    apply(runtime, new_event(ParticipantGraduated(**data), subject=person, source="test"))
    return person


def full_report(**changes):
    return {"visited_on": today_in_jakarta().isoformat(), "business_status": "producing_daily",
            "production_days_per_week": 6, "main_products": ["kue lapis", "risoles"],
            "monthly_revenue": 6_000_000, "monthly_net_income": 2_000_000,
            "channels": ["orders", "home", "orders"], "kit_state": "in_use",
            "needs": ["licence", "marketing"], "notes": "Pesanan arisan tiap minggu.", **changes}


def test_a_full_report_is_stored_with_the_income_change(runtime, client):
    person = graduate_with(runtime, baseline=1_500_000)
    kit = {**StarterKitIssued.EXAMPLE, "participant_id": person,
           "kelurahan_code": CILANDAK_BARAT, "kecamatan_code": CILANDAK_BARAT[:8],
           "kota_code": CILANDAK_BARAT[:5], "kit_id": str(uuid.uuid4())}
    apply(runtime, new_event(StarterKitIssued(**kit), subject=person, source="test"))
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)

    done = client.post(f"/visits/{visit['id']}/record", headers=officer, json=full_report())

    assert done.status_code == 200, done.text
    body = done.json()
    assert body["monthly_income"] == 2_000_000 and body["monthly_revenue"] == 6_000_000
    assert body["production_days_per_week"] == 6
    assert body["channels"] == ["home", "orders"] and body["needs"] == ["licence", "marketing"]
    assert body["main_products"] == ["kue lapis", "risoles"] and body["kit_state"] == "in_use"
    assert (body["income_baseline"], body["income_change_amount"], body["income_change_pct"],
            body["income_change_note"]) == (1_500_000, 500_000, 33.3, None)
    with transaction(runtime.sessions) as session:
        stored = session.exec(select(StarterKit).where(StarterKit.participant_id == person)).one()
        assert (stored.state, stored.state_seen_on) == ("in_use", today_in_jakarta())
    plan = client.get(f"/plans/{visit['plan_id']}", headers=officer).json()
    assert [(k["kit_type"], k["state"]) for k in plan["starter_kits"]] == [
        ("alat masak set", "in_use")]
    assert sorted((r["need"], r["status"]) for r in plan["referrals"]) == [
        ("licence", "suggested"), ("marketing", "suggested")]

    [event] = [e for e in outbox_events(runtime, VisitRecorded.TYPE) if e.subject == person]
    assert event.data["monthly_income"] == event.data["monthly_net_income"] == 2_000_000
    assert event.data["income_change_amount"] == 500_000
    assert event.data["income_change_pct"] == 33.3
    assert event.data["kit_state"] == "in_use" and event.data["channels"] == ["home", "orders"]
    assert VisitRecorded.model_validate(event.data).needs == ["licence", "marketing"]


def test_without_a_baseline_the_change_is_null_and_says_so(runtime, client):
    person = graduate_with(runtime, baseline=None)
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    body = client.post(f"/visits/{visit['id']}/record", headers=officer,
                       json=full_report()).json()
    assert body["income_change_amount"] is None and body["income_change_pct"] is None
    assert body["income_change_note"] == ("Tidak ada pendapatan awal dari pendaftaran; "
                                          "perubahan pendapatan tidak dihitung.")


def test_an_old_client_still_records_a_visit(runtime, client):
    person = graduate_with(runtime, baseline=1_000_000)
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    done = client.post(f"/visits/{visit['id']}/record", headers=officer, json={
        "visited_on": today_in_jakarta().isoformat(), "business_status": "producing_weekly",
        "monthly_income": 750_000, "notes": ""})
    assert done.status_code == 200, done.text
    assert (done.json()["income_change_amount"], done.json()["income_change_pct"]) == (
        -250_000, -25.0)
    assert done.json()["channels"] is None and done.json()["kit_state"] is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"production_days_per_week": 8}, "production_days_per_week"),
    ({"production_days_per_week": -1}, "production_days_per_week"),
    ({"monthly_revenue": -5}, "monthly_revenue"),
    ({"monthly_revenue": MAX_MONTHLY_AMOUNT + 1}, "monthly_revenue"),
    ({"monthly_net_income": MAX_MONTHLY_AMOUNT + 1}, "monthly_net_income"),
    ({"monthly_net_income": -1}, "monthly_net_income"),
    ({"monthly_income": 10, "monthly_net_income": 20}, "monthly_net_income"),
    ({"kit_state": "stolen"}, "kit_state"),
    ({"needs": ["love"]}, "needs"),
    ({"channels": ["telepathy"]}, "channels"),
    ({"main_products": ["x" * 101]}, "main_products"),
    ({"main_products": ["kue"] * 11}, "main_products"),
])
def test_bad_reports_name_the_field_and_store_nothing(runtime, client, changes, field):
    person = graduate_with(runtime, baseline=1_000_000)
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    refused = client.post(f"/visits/{visit['id']}/record", headers=officer,
                          json=full_report(**changes))
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"].split(".")[0] == field
    assert visits_of(runtime, client, person)[0]["status"] == "scheduled"
    assert [e for e in outbox_events(runtime, VisitRecorded.TYPE) if e.subject == person] == []
