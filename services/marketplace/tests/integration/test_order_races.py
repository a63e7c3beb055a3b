"""On PostgreSQL, real concurrent requests released together by a barrier: retries of one
order with one Idempotency-Key make one order, and orders for the last items sell each item
once (the product row is locked while its stock is reserved)."""

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from berdaya_shared.testing import auth_headers, service_runtime
from berdaya_shared.testing.races import race, served, statuses
from marketplace.adapters.tables import Order, Product, outbox
from marketplace.bootstrap import build
from marketplace.config import MarketplaceSettings

from .test_races_and_bounds import seller_of

RACERS = 6


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(build, MarketplaceSettings, postgres_url, kafka_bootstrap,
                         public_orders_burst=100) as runtime:
        with served(runtime) as url:
            yield runtime, url


def _product(runtime, url, stock):
    admin = auth_headers(runtime.settings, "city_admin", subject="admin.kota")
    seller_id = seller_of(runtime)
    with httpx.Client(base_url=url, headers=admin) as client:
        client.put(f"/sellers/{seller_id}/consent", json={"shop_name": "Dapur Bu Siti"})
        listed = client.post(f"/sellers/{seller_id}/products", json={
            "name": "Kue lapis", "price": 3000, "unit": "pcs", "stock": stock})
        assert listed.status_code == 201, listed.text
        return listed.json()["id"]


def count(runtime, what) -> int:
    with transaction(runtime.sessions) as session:
        return session.execute(select(func.count()).select_from(what)).scalar_one()


def test_concurrent_retries_with_one_key_make_one_order(pg):
    runtime, url = pg
    product_id = _product(runtime, url, stock=100)
    ukpd = auth_headers(runtime.settings, "integration", subject="sudin-umkm.jaksel")
    body = {"product_id": product_id, "quantity": 10, "unit_name": "Sudin UMKM",
            "delivery_date": (today_in_jakarta() + timedelta(days=3)).isoformat(),
            "delivery_place": "Aula Kecamatan Cilandak", "budget_reference": "DPA-045"}
    headers = {**ukpd, "Idempotency-Key": "acara-17-agustus"}
    events = count(runtime, outbox)

    answers = race(url, [lambda c: c.post("/orders", headers=headers, json=body)] * RACERS)

    assert statuses(answers) == [201] * RACERS
    assert len({a.json()["id"] for a in answers}) == 1
    assert count(runtime, Order) == 1 and count(runtime, outbox) == events + 1  # one OrderPlaced
    with transaction(runtime.sessions) as session:
        assert session.get(Product, product_id).stock == 90


def test_orders_for_the_last_items_sell_each_item_once(pg):
    runtime, url = pg
    product_id = _product(runtime, url, stock=3)
    body = {"product_id": product_id, "quantity": 2, "name": "Rina", "phone": "081234567890"}

    answers = race(url, [lambda c: c.post("/catalogue/orders", json=body)] * RACERS)

    assert statuses(answers) == [201] + [409] * (RACERS - 1)
    assert all(a.json()["field"] == "quantity" for a in answers if a.status_code == 409)
    with transaction(runtime.sessions) as session:
        assert session.get(Product, product_id).stock == 1
    assert count(runtime, Order) == 1


def test_an_accept_and_a_decline_at_once_make_one_decision(pg):
    runtime, url = pg
    product_id = _product(runtime, url, stock=10)
    placed = httpx.post(f"{url}/catalogue/orders", json={
        "product_id": product_id, "quantity": 4, "name": "Rina", "phone": "081234567890"})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    lurah = auth_headers(runtime.settings, "city_admin", subject="lurah")
    calls = [lambda c: c.post(f"/orders/{order_id}/accept", headers=lurah),
             lambda c: c.post(f"/orders/{order_id}/decline", headers=lurah,
                              json={"reason": "Tidak sanggup"})] * (RACERS // 2)
    events = count(runtime, outbox)

    answers = race(url, calls)

    assert statuses(answers) == [200] + [409] * (RACERS - 1)
    winner = next(a.json() for a in answers if a.status_code == 200)
    assert count(runtime, outbox) == events + 1  # one OrderAccepted or one OrderCancelled
    with transaction(runtime.sessions) as session:
        stock = session.get(Product, product_id).stock
    assert stock == (6 if winner["status"] == "accepted" else 10)  # given back once, if at all


def test_simultaneous_public_orders_from_one_address_share_one_bucket(postgres_url,
                                                                      kafka_bootstrap):
    with service_runtime(build, MarketplaceSettings, postgres_url, kafka_bootstrap,
                         public_orders_burst=2, public_orders_per_minute=0.5) as runtime:
        with served(runtime) as url:
            product_id = _product(runtime, url, stock=100)
            body = {"product_id": product_id, "quantity": 1, "name": "Rina",
                    "phone": "081234567890"}

            answers = race(url, [lambda c: c.post("/catalogue/orders", json=body)] * RACERS)

            assert statuses(answers) == [201] * 2 + [429] * (RACERS - 2)
            assert all(int(a.headers["Retry-After"]) >= 1 for a in answers
                       if a.status_code == 429)
            assert count(runtime, Order) == 2
