"""A field officer records a visit -> VisitRecorded; bad input and other areas are refused."""

import asyncio
from datetime import timedelta

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.events.monitoring import VisitRecorded
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic

from .helpers import graduate, outbox_events, visits_of


def first_visit(runtime, client, participant_id: str) -> dict:
    return visits_of(runtime, client, participant_id)[0]


def report(**changes):
    return {"visited_on": today_in_jakarta().isoformat(), "business_status": "seasonal_only",
            "monthly_income": 750000, "notes": "Kue basah only for Lebaran.", **changes}


def test_field_officer_records_a_visit_once(runtime, client):
    person = graduate(runtime).subject
    visit = first_visit(runtime, client, person)
    officer = auth_headers(runtime.settings, "field_officer", area="31.71.03.1001",
                           subject="officer-17")
    done = client.post(f"/visits/{visit['id']}/record", headers=officer, json=report())
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done" and done.json()["recorded_by"] == "officer-17"
    again = client.post(f"/visits/{visit['id']}/record", headers=officer, json=report())
    assert again.status_code == 409 and again.json()["field"] == "visit_id"
    assert again.headers["content-type"] == "application/problem+json"

    publish_pending(runtime)
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "monitoring.events",
        until=lambda ms: any(e.subject == person and e.type == VisitRecorded.TYPE
                             for e in envelopes(ms)))))
    recorded = [e for e in published if e.subject == person and e.type == VisitRecorded.TYPE]
    assert len(recorded) == 1
    # An old client's "seasonal_only" is read as today's "seasonal".
    assert recorded[0].data["business_status"] == "seasonal"
    assert recorded[0].data["monthly_income"] == 750000
    assert recorded[0].data["recorded_by"] == "officer-17"


def test_bad_visit_reports_are_problems_naming_the_field(runtime, client):
    person = graduate(runtime).subject
    visit = first_visit(runtime, client, person)
    officer = auth_headers(runtime.settings, "kelurahan_officer", area="31.71.03.1001")
    url = f"/visits/{visit['id']}/record"
    broken = client.post(url, headers={**officer, "content-type": "application/json"},
                         content=b'{"visited_on": ')
    assert broken.status_code == 400 and broken.json()["title"] == "JSON tidak sah"
    tomorrow = (today_in_jakarta() + timedelta(days=1)).isoformat()
    for body, field in ((report(business_status="sometimes"), "business_status"),
                        (report(visited_on=tomorrow), "visited_on"),
                        (report(visited_on="2020-01-01"), "visited_on"),
                        (report(monthly_income=-1), "monthly_income"),
                        (report(notes="x" * 2001), "notes")):
        refused = client.post(url, headers=officer, json=body)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    assert first_visit(runtime, client, person)["status"] == "scheduled"
    assert outbox_events(runtime, VisitRecorded.TYPE) == []


def test_officers_see_and_record_only_their_own_area(runtime, client):
    person = graduate(runtime).subject
    visit = first_visit(runtime, client, person)
    stranger = auth_headers(runtime.settings, "kecamatan_officer", area="31.75.10")
    assert client.get(f"/plans/{visit['plan_id']}", headers=stranger).status_code == 404
    assert client.post(f"/visits/{visit['id']}/record", headers=stranger,
                       json=report()).status_code == 404
    assert all(p["participant_id"] != person
               for p in client.get("/plans", headers=stranger).json()["items"])
    integration = auth_headers(runtime.settings, "integration")
    assert client.get(f"/plans/{visit['plan_id']}", headers=integration).status_code == 200
    assert client.post(f"/visits/{visit['id']}/record", headers=integration,
                       json=report()).status_code == 403
    assert client.get(f"/plans/{visit['plan_id']}").status_code == 401
    assert client.post(f"/visits/{visit['id']}/record", json=report()).status_code == 401
