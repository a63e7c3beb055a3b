"""On PostgreSQL, with real concurrent HTTP requests released together by a barrier: applying
twice at once makes one application; allocating twice at once makes one allocation; an
application racing the allocation either makes it in or is refused, never left unranked; two
booths given back at once pass to two different sellers; oversize input is a 422 naming the
field."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from berdaya_shared.events.marketplace import BoothsAllocated
from berdaya_shared.testing import service_runtime
from berdaya_shared.testing.races import race, served, statuses
from marketplace.adapters.tables import BazaarApplication
from marketplace.bootstrap import build
from marketplace.config import MarketplaceSettings

from .bazaar_helpers import CILANDAK_BARAT, apply, bazaar_body, lurah, open_bazaar, outbox_events
from .bazaar_helpers import seller as make_seller

RACERS = 6


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(build, MarketplaceSettings, postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def test_applying_twice_at_once_makes_one_application(pg):
    runtime, client = pg
    officer = lurah(runtime)
    seller = make_seller(runtime, client)
    event = open_bazaar(client, officer)

    with served(runtime) as url:
        answers = race(url, [lambda http: http.post(
            f"/bazaars/{event['id']}/applications", headers=officer,
            json={"seller_id": seller})] * RACERS)

    assert statuses(answers) == [201] + [409] * (RACERS - 1)
    assert {a.json()["field"] for a in answers if a.status_code == 409} == {"seller_id"}
    with runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(BazaarApplication)).scalar_one() == 1


def test_allocating_twice_at_once_makes_one_allocation(pg):
    runtime, client = pg
    officer = lurah(runtime)
    event = open_bazaar(client, officer, booths=1)
    for _ in range(3):
        apply(client, officer, event["id"], make_seller(runtime, client))

    with served(runtime) as url:
        answers = race(url, [lambda http: http.post(
            f"/bazaars/{event['id']}/allocation", headers=officer)] * RACERS)

    assert statuses(answers) == [200] + [409] * (RACERS - 1)
    [won] = [a.json() for a in answers if a.status_code == 200]
    assert client.get(f"/bazaars/{event['id']}", headers=officer).json()["seed"] == won["seed"]
    assert len(outbox_events(runtime, BoothsAllocated.TYPE)) == 1


def test_an_application_racing_the_allocation_is_ranked_or_refused(pg):
    runtime, client = pg
    officer = lurah(runtime)
    event = open_bazaar(client, officer, booths=1)
    apply(client, officer, event["id"], make_seller(runtime, client))
    late = make_seller(runtime, client)

    with served(runtime) as url:
        allocation, application = race(url, [
            lambda http: http.post(f"/bazaars/{event['id']}/allocation", headers=officer),
            lambda http: http.post(f"/bazaars/{event['id']}/applications", headers=officer,
                                   json={"seller_id": late})])

    assert allocation.status_code == 200
    assert application.status_code in (201, 409)
    ranked = {p["seller_id"] for p in allocation.json()["placements"]}
    assert (late in ranked) == (application.status_code == 201)
    unranked = [a for a in client.get(f"/bazaars/{event['id']}/applications",
                                      headers=officer).json() if a["rank"] is None]
    assert unranked == []


def test_two_booths_given_back_at_once_pass_to_two_different_sellers(pg):
    runtime, client = pg
    officer = lurah(runtime)
    event = open_bazaar(client, officer, booths=2)
    applications = {}
    for _ in range(4):
        made = apply(client, officer, event["id"], make_seller(runtime, client))
        applications[made["seller_id"]] = made["id"]
    placements = client.post(f"/bazaars/{event['id']}/allocation",
                             headers=officer).json()["placements"]
    holders = [p["seller_id"] for p in placements[:2]]
    waiting = [p["seller_id"] for p in placements[2:]]

    with served(runtime) as url:
        answers = race(url, [lambda http, s=s: http.post(
            f"/bazaars/{event['id']}/applications/{applications[s]}/withdrawal",
            headers=officer) for s in holders])

    assert statuses(answers) == [200, 200]
    now = {a["seller_id"]: a["status"] for a in client.get(
        f"/bazaars/{event['id']}/applications", headers=officer).json()}
    assert [now[s] for s in waiting] == ["allocated", "allocated"]
    assert client.get(f"/bazaars/{event['id']}", headers=officer).json()["revision"] == 3
    latest = outbox_events(runtime, BoothsAllocated.TYPE)[-1].data
    assert sorted(h["seller_id"] for h in latest["allocated"]) == sorted(waiting)


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/bazaars", bazaar_body(name="n" * 121), "name"),
    ("/bazaars", bazaar_body(venue="v" * 201), "venue"),
    ("/bazaars", bazaar_body(booths=2**31), "booths"),
    ("/bazaars", bazaar_body(booths=0), "booths"),
    ("/bazaars", bazaar_body(booths="5"), "booths"),
    ("/bazaars", bazaar_body(area_code="31.74.06.10011"), "area_code"),
    ("/bazaars", bazaar_body(categories=["c" * 61]), "categories.0"),
    ("/bazaars", bazaar_body(categories=["kue-basah"] * 11), "categories"),
    ("/bazaars", bazaar_body(starts_on="0001-01-01"), "starts_on"),
    ("/bazaars/{event}/applications", {"seller_id": "x" * 37}, "seller_id"),
    ("/bazaars/{event}/sales", {"seller_id": "s", "amount": 2**63, "quantity": 1,
                                "sold_on": "2026-07-10"}, "amount"),
    ("/bazaars/{event}/sales", {"seller_id": "s", "amount": 1000, "quantity": 2**31,
                                "sold_on": "2026-07-10"}, "quantity"),
    ("/bazaars/" + "x" * 37 + "/allocation", None, "event_id"),
])
def test_oversize_input_is_a_422_naming_the_field(pg, path, body, field):
    runtime, client = pg
    officer = lurah(runtime, CILANDAK_BARAT)
    event = open_bazaar(client, officer)
    answer = client.post(path.format(event=event["id"]), headers=officer, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
