"""SaleRecorded from marketplace: stored once; sales concentrated before Lebaran turn a
graduate's status to seasonal (BusinessStatusChanged without a visit)."""

import uuid
from datetime import UTC, date, datetime

from berdaya_shared.events import new_event
from berdaya_shared.events.marketplace import SaleRecorded
from berdaya_shared.events.monitoring import BusinessStatusChanged
from berdaya_shared.testing import auth_headers

from .helpers import CILANDAK_BARAT, apply, graduate, outbox_events, visits_of


def sold(person: str, day: date, amount: int, sale_id: str | None = None):
    data = {**SaleRecorded.EXAMPLE, "sale_id": sale_id or str(uuid.uuid4()),
            "participant_id": person, "amount": amount, "sold_on": day.isoformat(),
            "kelurahan_code": CILANDAK_BARAT, "kecamatan_code": CILANDAK_BARAT[:8],
            "kota_code": CILANDAK_BARAT[:5]}
    return new_event(SaleRecorded(**data), subject=person, source="test")


def test_sales_before_lebaran_make_the_business_seasonal(runtime, client):
    person = graduate(runtime, graduated_at=datetime(2025, 2, 1, 3, 0, tzinfo=UTC)).subject
    visit = visits_of(runtime, client, person)[1]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    done = client.post(f"/visits/{visit['id']}/record", headers=officer,
                       json={"visited_on": "2025-06-10", "production_days_per_week": 3})
    assert done.status_code == 200, done.text

    first = sold(person, date(2025, 3, 5), 6_000_000)
    for event in (first, sold(person, date(2025, 3, 25), 3_000_000),
                  sold(person, date(2025, 5, 10), 400_000),
                  sold(person, date(2025, 8, 10), 300_000), first,  # a redelivery
                  sold(person, date(2025, 10, 20), 300_000)):
        apply(runtime, event)

    plan = client.get(f"/plans/{visit['plan_id']}", headers=officer).json()
    assert plan["business_status"] == "seasonal"
    changes = [(e.data["old_status"], e.data["new_status"], e.data["visit_id"])
               for e in outbox_events(runtime, BusinessStatusChanged.TYPE) if e.subject == person]
    assert changes == [(None, "active_weekly", visit["id"]), ("active_weekly", "seasonal", None)]


def test_a_sale_of_someone_without_a_plan_is_kept(runtime, client):
    apply(runtime, sold(str(uuid.uuid4()), date(2025, 3, 5), 100_000))
    assert outbox_events(runtime, BusinessStatusChanged.TYPE) == []
