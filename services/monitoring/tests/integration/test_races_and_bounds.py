"""On PostgreSQL: simultaneous requests released together by a barrier make one decision each;
every oversize value is a 422 naming the field; problems read in Bahasa, or English on request."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from berdaya_shared.api.types import INT32_MAX
from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.errors import Conflict
from berdaya_shared.events.monitoring import VisitRecorded
from berdaya_shared.testing import auth_headers
from berdaya_shared.testing.races import at_once
from monitoring.adapters.tables import FollowUpPlan
from monitoring.domain.report import MAX_MONTHLY_AMOUNT

from .conftest import monitoring_runtime
from .helpers import CILANDAK_BARAT, apply, graduate, graduation, outbox_events, visits_of

RACERS = 6
LONG_ID = "x" * 37


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with monitoring_runtime(postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def report(**changes: Any) -> dict[str, Any]:
    return {"visited_on": today_in_jakarta().isoformat(), "business_status": "producing_daily",
            "monthly_income": 1_500_000, "notes": "Jualan kue setiap hari.", **changes}


def test_the_same_visit_recorded_twice_at_once_is_recorded_once(pg):
    runtime, client = pg
    person = graduate(runtime).subject
    visit = visits_of(runtime, client, person)[0]
    officers = [auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT,
                             subject=f"petugas-{i}") for i in range(RACERS)]

    answers = at_once(RACERS, lambda i: client.post(f"/visits/{visit['id']}/record",
                                                    headers=officers[i], json=report()))

    assert sorted(a.status_code for a in answers) == [200] + [409] * (RACERS - 1)
    winner = next(a.json()["recorded_by"] for a in answers if a.status_code == 200)
    assert {a.json()["detail"] for a in answers if a.status_code == 409} == {
        "Kunjungan ini sudah dicatat."}
    assert visits_of(runtime, client, person)[0]["recorded_by"] == winner
    assert len(outbox_events(runtime, VisitRecorded.TYPE)) == 1


def test_one_graduation_delivered_twice_at_once_opens_one_plan(pg):
    runtime, _ = pg
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())

    def deliver(_: int) -> str:  # two copies with their own event ids, as a replay would send
        try:
            apply(runtime, graduation(person, programme))
            return "applied"
        except Conflict as refused:  # the consumer retries this one
            assert refused.field == "participant_id"
            return "retry"

    outcomes = at_once(RACERS, deliver)

    assert "applied" in outcomes and set(outcomes) <= {"applied", "retry"}
    assert deliver(0) == "applied"  # the retry finds the plan open and changes nothing
    with runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(FollowUpPlan).where(
            FollowUpPlan.participant_id == person)).scalar_one() == 1


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/visits/{visit}/record", report(monthly_income=INT32_MAX + 1), "monthly_income"),
    ("/visits/{visit}/record", report(monthly_income=10**30), "monthly_income"),
    ("/visits/{visit}/record", report(notes="n" * 2001), "notes"),
    ("/visits/{visit}/record", report(business_status="b" * 21), "business_status"),
    (f"/visits/{LONG_ID}/record", report(), "visit_id"),
    (f"/plans/{LONG_ID}", None, "plan_id"),
    (f"/plans?programme_id={LONG_ID}", None, "programme_id"),
])
def test_oversize_input_is_a_422_naming_the_field(pg, path, body, field):
    runtime, client = pg
    person = graduate(runtime).subject
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    url = path.format(visit=visit["id"])
    answer = client.post(url, headers=officer, json=body) if body else client.get(url, headers=officer)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert visits_of(runtime, client, person)[0]["status"] == "scheduled"


def test_the_largest_plausible_income_is_stored_and_more_is_refused(pg):
    runtime, client = pg
    person = graduate(runtime).subject
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    url = f"/visits/{visit['id']}/record"
    absurd = client.post(url, headers=officer, json=report(monthly_income=INT32_MAX))
    assert absurd.status_code == 422 and absurd.json()["field"] == "monthly_income"
    assert absurd.json()["detail"].startswith("Jumlah Rp 2.147.483.647 sebulan tidak masuk akal")
    done = client.post(url, headers=officer, json=report(monthly_income=MAX_MONTHLY_AMOUNT,
                                                         monthly_revenue=MAX_MONTHLY_AMOUNT))
    assert done.status_code == 200 and done.json()["monthly_income"] == MAX_MONTHLY_AMOUNT


def test_problems_are_in_bahasa_and_in_english_on_request(pg):
    runtime, client = pg
    visit = visits_of(runtime, client, graduate(runtime).subject)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    url = f"/visits/{visit['id']}/record"
    bahasa = client.post(url, headers=officer, json=report(visited_on="2020-01-01"))
    assert bahasa.status_code == 422 and bahasa.json()["field"] == "visited_on"
    assert bahasa.json()["detail"] == ("Kunjungan tindak lanjut tidak boleh sebelum tanggal "
                                       "kelulusan.")
    english = client.post(url, headers={**officer, "Accept-Language": "en"},
                          json=report(visited_on="2020-01-01"))
    assert english.json()["detail"] == "A follow-up visit cannot be before the graduation."
    missing = client.get(f"/plans/{uuid.uuid4()}", headers=officer)
    assert missing.json()["detail"] == "Rencana tindak lanjut ini tidak ada di wilayah Anda."
