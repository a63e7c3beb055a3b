"""Recorded visits -> the plan's business status -> BusinessStatusChanged on Kafka."""

import asyncio
import uuid
from datetime import UTC, datetime

from berdaya_shared.events.monitoring import BusinessStatusChanged
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic

from .helpers import CILANDAK_BARAT, graduate, outbox_events, visits_of


def test_a_graduate_producing_only_for_lebaran_becomes_seasonal(runtime, client):
    admin = auth_headers(runtime.settings, "city_admin")
    programme = str(uuid.uuid4())
    client.put(f"/programmes/{programme}/visit-schedule", headers=admin,
               json={"offsets_days": [30, 120, 220]})
    person = graduate(runtime, programme_id=programme,
                      graduated_at=datetime(2025, 2, 1, 3, 0, tzinfo=UTC)).subject
    visits = visits_of(runtime, client, person)
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)

    def record(visit: dict, **report) -> dict:
        done = client.post(f"/visits/{visit['id']}/record", headers=officer, json=report)
        assert done.status_code == 200, done.text
        return client.get(f"/plans/{visit['plan_id']}", headers=officer).json()

    # Before Idul Fitri (31 March 2025) she bakes six days a week...
    plan = record(visits[0], visited_on="2025-03-20", production_days_per_week=6,
                  monthly_revenue=8_000_000)
    assert plan["business_status"] == "active_daily"
    # ...in June she does not bake at all...
    plan = record(visits[1], visited_on="2025-06-10", production_days_per_week=0,
                  monthly_revenue=0)
    assert plan["business_status"] == "seasonal"
    assert plan["business_status_reason"] == ("Produksi rata-rata 6.0 hari/minggu menjelang "
                                              "Lebaran/Natal, 0.0 hari/minggu di luar musim itu.")
    # ...and one day a week in September: still seasonal, no new event.
    plan = record(visits[2], visited_on="2025-09-10", production_days_per_week=1,
                  business_status="producing_weekly")
    assert plan["business_status"] == "seasonal"
    camat = auth_headers(runtime.settings, "kecamatan_officer", area=CILANDAK_BARAT[:8])
    listed = client.get("/plans?business_status=seasonal", headers=camat).json()["items"]
    assert person in [p["participant_id"] for p in listed]
    assert person not in [p["participant_id"] for p in client.get(
        "/plans?business_status=stopped", headers=camat).json()["items"]]
    bogus = client.get("/plans?business_status=sometimes", headers=camat)
    assert bogus.status_code == 422 and bogus.json()["field"] == "business_status"

    changes = [(e.data["old_status"], e.data["new_status"])
               for e in outbox_events(runtime, BusinessStatusChanged.TYPE) if e.subject == person]
    assert changes == [(None, "active_daily"), ("active_daily", "seasonal")]

    publish_pending(runtime)
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "monitoring.events",
        until=lambda ms: sum(e.subject == person and e.type == BusinessStatusChanged.TYPE
                             for e in envelopes(ms)) >= 2)))
    read_back = [e for e in published
                 if e.subject == person and e.type == BusinessStatusChanged.TYPE]
    assert [e.data["new_status"] for e in read_back] == ["active_daily", "seasonal"]
    assert read_back[1].data["programme_id"] == programme
    assert read_back[1].data["visit_id"] == visits[1]["id"]


def test_a_report_needs_a_status_or_production_days(runtime, client):
    person = graduate(runtime).subject
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    refused = client.post(f"/visits/{visit['id']}/record", headers=officer,
                          json={"visited_on": datetime.now(UTC).date().isoformat()})
    assert refused.status_code == 422 and refused.json()["field"] == "business_status"
    assert outbox_events(runtime, BusinessStatusChanged.TYPE) == []
