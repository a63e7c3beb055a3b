"""Orders from city units and the public: the life cycle to a sale, stock reserved and given
back, idempotent retries, bad orders refused with nothing stored, the public never sees a
phone, the public endpoint's rate limit, officers' lists scoped to their area; events read back
from Kafka."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from berdaya_shared.events.marketplace import (
    OrderAccepted,
    OrderCancelled,
    OrderFulfilled,
    OrderPlaced,
    SaleRecorded,
)
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic
from marketplace.adapters.tables import Order, Sale, outbox

from .conftest import CILANDAK_BARAT

KRAMAT_JATI = "31.75.04.1001"
PHONE = "0812-3456-7890"


@pytest.fixture
def lurah(runtime):
    return auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT,
                        subject="lurah.cilandak-barat")


@pytest.fixture
def ukpd(runtime):
    return auth_headers(runtime.settings, "integration", area="31", subject="sudin-umkm.jaksel")


@pytest.fixture
def kue(client, graduate, consent, lurah):
    """A consenting seller's kue basah, 50 in stock; returns (seller, product id)."""
    def make(stock=50, kelurahan=CILANDAK_BARAT, headers=None):
        seller = graduate(kelurahan)
        consent(seller.id)
        listed = client.post(f"/sellers/{seller.id}/products", headers=headers or lurah, json={
            "name": "Kue lapis", "price": 3000, "unit": "pcs", "category": "kue-basah",
            "stock": stock})
        assert listed.status_code == 201, listed.text
        return seller, listed.json()["id"]
    return make


def city_order(product_id, **changes):
    return {"product_id": product_id, "quantity": 20, "unit_name": "Sudin UMKM Jakarta Selatan",
            "delivery_date": (today_in_jakarta() + timedelta(days=7)).isoformat(),
            "delivery_place": "Aula Kantor Kecamatan Cilandak",
            "budget_reference": "DPA-UMKM-2027/045", **changes}


def public_order(product_id, **changes):
    return {"product_id": product_id, "quantity": 2, "name": "Rina Marlina", "phone": PHONE,
            **changes}


def stock_of(client, product_id):
    return client.get(f"/catalogue/{product_id}").json().get("stock")


def count(runtime, what) -> int:
    with transaction(runtime.sessions) as session:
        return session.execute(select(func.count()).select_from(what)).scalar_one()


def test_a_city_unit_order_is_accepted_fulfilled_and_becomes_a_sale(runtime, client, kue, lurah,
                                                                    ukpd):
    seller, product_id = kue()
    placed = client.post("/orders", headers=ukpd, json=city_order(product_id))
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["status"], order["amount"], order["buyer_kind"]) == ("placed", 60000, "city_unit")
    assert stock_of(client, product_id) == 30  # reserved at placing
    listed = client.get("/orders", headers=lurah, params={"status": "placed"}).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]
    assert client.get(f"/orders/{order['id']}", headers=ukpd).status_code == 200  # its own

    assert client.post(f"/orders/{order['id']}/fulfil", headers=lurah).status_code == 409
    accepted = client.post(f"/orders/{order['id']}/accept", headers=lurah)
    assert accepted.status_code == 200 and accepted.json()["decided_by"] == "lurah.cilandak-barat"
    again = client.post(f"/orders/{order['id']}/accept", headers=lurah)
    assert again.status_code == 409 and again.json()["field"] == "status"
    fulfilled = client.post(f"/orders/{order['id']}/fulfil", headers=lurah)
    assert fulfilled.status_code == 200, fulfilled.text
    assert fulfilled.json()["status"] == "fulfilled" and fulfilled.json()["sale_id"]
    assert client.post(f"/orders/{order['id']}/cancel", headers=lurah,
                       json={"reason": "Batal"}).status_code == 409
    with transaction(runtime.sessions) as session:
        sale = session.get(Sale, fulfilled.json()["sale_id"])
        assert (sale.amount, sale.quantity, sale.channel, sale.source_ref) == (
            60000, 20, "order", f"order:{order['id']}")

    publish_pending(runtime)
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "marketplace.events",
        until=lambda ms: any(e.data.get("order_id") == order["id"]
                             and e.type == OrderFulfilled.TYPE for e in envelopes(ms)))))
    mine = [e for e in published if e.subject == seller.participant_id
            and e.type != "marketplace.product_listed.v1" and "consent" not in e.type
            and "profile" not in e.type]
    assert [e.type for e in mine] == [OrderPlaced.TYPE, OrderAccepted.TYPE, SaleRecorded.TYPE,
                                      OrderFulfilled.TYPE]
    assert mine[2].data["amount"] == 60000 and mine[2].data["channel"] == "order"
    assert all("Sudin" not in str(e.data) and "buyer_name" not in e.data for e in mine)


def test_decline_and_cancel_give_the_stock_back(runtime, client, kue, lurah, ukpd):
    _, product_id = kue(stock=10)
    first = client.post("/catalogue/orders", json=public_order(product_id, quantity=4)).json()
    second = client.post("/orders", headers=ukpd, json=city_order(product_id, quantity=5)).json()
    assert stock_of(client, product_id) == 1
    declined = client.post(f"/orders/{first['id']}/decline", headers=lurah,
                           json={"reason": "Tidak sanggup membuat sebanyak itu"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert client.post(f"/orders/{second['id']}/accept", headers=lurah).status_code == 200
    cancelled = client.post(f"/orders/{second['id']}/cancel", headers=lurah,
                            json={"reason": "Acara dibatalkan"})
    assert cancelled.status_code == 200 and cancelled.json()["reason"] == "Acara dibatalkan"
    assert stock_of(client, product_id) == 10
    assert client.post(f"/orders/{first['id']}/accept", headers=lurah).status_code == 409
    assert count(runtime, Sale) == 0

    publish_pending(runtime)
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "marketplace.events",
        until=lambda ms: sum(e.type == OrderCancelled.TYPE and e.data["product_id"] == product_id
                             for e in envelopes(ms)) == 2)))
    ends = {e.data["order_id"]: e.data for e in published if e.type == OrderCancelled.TYPE}
    assert ends[first["id"]]["status"] == "declined" and ends[second["id"]]["status"] == "cancelled"
    orders = [e for e in published if e.data.get("order_id") in (first["id"], second["id"])]
    assert len(orders) == 5  # placed twice, declined, accepted, cancelled
    assert all("+62" not in str(e.data) and "Rina" not in str(e.data) for e in orders)


def test_the_public_orders_without_an_account_and_never_sees_a_phone(client, kue, lurah):
    _, product_id = kue()
    placed = client.post("/catalogue/orders", json=public_order(product_id))
    assert placed.status_code == 201, placed.text
    assert not {"phone", "buyer_phone", "name", "buyer_name"} & set(placed.json())
    assert "0812" not in placed.text and "+62" not in placed.text
    seen = client.get(f"/orders/{placed.json()['id']}", headers=lurah).json()
    assert (seen["buyer_phone"], seen["buyer_name"]) == ("+6281234567890", "Rina Marlina")
    bad = client.post("/catalogue/orders", json=public_order(product_id, phone="12"))
    assert bad.status_code == 422 and bad.json()["field"] == "phone"
    assert client.get(f"/orders/{placed.json()['id']}").status_code == 401


@pytest.mark.parametrize("case", ["unavailable", "paused", "zero", "above_stock", "unknown",
                                  "past_delivery"])
def test_a_bad_order_is_refused_naming_the_field_and_stores_nothing(runtime, client, kue, lurah,
                                                                    ukpd, case):
    seller, product_id = kue(stock=5)
    body = city_order(product_id, quantity=3)
    if case == "unavailable":
        client.patch(f"/products/{product_id}", headers=lurah, json={"available": False})
    elif case == "paused":
        client.post(f"/sellers/{seller.id}/pause", headers=lurah, json={"reason": "Sakit"})
    elif case == "zero":
        body["quantity"] = 0
    elif case == "above_stock":
        body["quantity"] = 6
    elif case == "unknown":
        body["product_id"] = "no-such-product"
    elif case == "past_delivery":
        body["delivery_date"] = (today_in_jakarta() - timedelta(days=1)).isoformat()
    events = count(runtime, outbox)

    refused = client.post("/orders", headers=ukpd, json=body)

    expected = {"unavailable": (409, "product_id"), "paused": (409, "product_id"),
                "zero": (422, "quantity"), "above_stock": (409, "quantity"),
                "unknown": (404, "product_id"), "past_delivery": (422, "delivery_date")}[case]
    assert (refused.status_code, refused.json()["field"]) == expected, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert count(runtime, Order) == 0 and count(runtime, outbox) == events
    with transaction(runtime.sessions) as session:
        from marketplace.adapters.tables import Product
        assert session.get(Product, product_id).stock == 5


def test_a_retried_order_with_one_idempotency_key_is_one_order(runtime, client, kue, ukpd):
    _, product_id = kue(stock=50)
    key = {"Idempotency-Key": "pesanan-acara-17-agustus"}
    first = client.post("/orders", headers={**ukpd, **key}, json=city_order(product_id))
    retried = client.post("/orders", headers={**ukpd, **key}, json=city_order(product_id))
    assert (first.status_code, retried.status_code) == (201, 201)
    assert retried.json()["id"] == first.json()["id"]
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert count(runtime, Order) == 1 and stock_of(client, product_id) == 30
    changed = client.post("/orders", headers={**ukpd, **key},
                          json=city_order(product_id, quantity=21))
    assert changed.status_code == 422 and changed.json()["field"] == "idempotency-key"
    public = client.post("/catalogue/orders", headers=key, json=public_order(product_id))
    assert public.status_code == 201 and public.json()["id"] != first.json()["id"]  # own scope


def test_the_public_endpoint_answers_429_past_its_limit(runtime, client, kue):
    runtime.settings.public_orders_burst, runtime.settings.public_orders_per_minute = 2, 1.0
    _, product_id = kue()
    answers = [client.post("/catalogue/orders", json=public_order(product_id, quantity=1))
               for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    limited = answers[-1]
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["content-type"] == "application/problem+json"
    assert limited.json()["retry_after"] == int(limited.headers["Retry-After"])
    assert count(runtime, Order) == 2


def test_officers_see_and_change_only_their_areas_orders(runtime, client, kue, ukpd):
    admin = auth_headers(runtime.settings, "city_admin", subject="admin.kota")
    _, here = kue()
    _, there = kue(kelurahan=KRAMAT_JATI, headers=admin)
    mine = client.post("/orders", headers=ukpd, json=city_order(here)).json()
    theirs = client.post("/orders", headers=ukpd, json=city_order(there)).json()
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    assert [o["id"] for o in client.get("/orders", headers=lurah).json()["items"]] == [mine["id"]]
    assert client.post(f"/orders/{theirs['id']}/accept", headers=lurah).status_code == 404
    assert client.get(f"/orders/{theirs['id']}", headers=lurah).status_code == 404
    assert client.post(f"/orders/{mine['id']}/accept", headers=ukpd).status_code == 403
    page = client.get("/orders", headers=admin, params={"limit": 1})
    rest = client.get("/orders", headers=admin,
                      params={"limit": 1, "cursor": page.json()["next_cursor"]})
    assert {page.json()["items"][0]["id"], rest.json()["items"][0]["id"]} == {mine["id"],
                                                                              theirs["id"]}


def test_idle_rate_buckets_are_cleared_as_others_call(runtime):
    from datetime import UTC, datetime

    from marketplace.adapters.tables import OrderRateBucket
    from marketplace.service_layer.orders import take_public_token

    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    with transaction(runtime.sessions) as session:
        session.add_all([OrderRateBucket(client=f"old-{i}", tokens=0.0, updated_at=long_ago)
                         for i in range(3)])
    with transaction(runtime.sessions) as session:
        assert take_public_token(session=session, client="new", per_minute=5, burst=5) is None
    with transaction(runtime.sessions) as session:
        left = session.execute(select(OrderRateBucket.client)).scalars().all()
    assert left == ["new"]
    with transaction(runtime.sessions) as session:  # an emptied client starts full again
        assert take_public_token(session=session, client="old-0", per_minute=5, burst=1) is None
