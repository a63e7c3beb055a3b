"""On PostgreSQL: simultaneous requests released together by a barrier make one decision each;
every oversize value is a 422 naming the field; problems read in Bahasa, or English on request."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from berdaya_shared.api.types import INT32_MAX
from berdaya_shared.db import transaction
from berdaya_shared.errors import Conflict
from berdaya_shared.events import new_event
from berdaya_shared.events.monitoring import BusinessStatusChanged
from berdaya_shared.testing import auth_headers, service_runtime
from berdaya_shared.testing.races import at_once
from marketplace.adapters.tables import SellerProfile, SellerStatusChange, outbox
from marketplace.bootstrap import build
from marketplace.config import MarketplaceSettings
from marketplace.messaging import incoming

from .conftest import CILANDAK_BARAT, graduation, shop_consent

RACERS = 6
LONG_ID = "x" * 37
KUE = {"name": "Kue lapis", "description": "Kue lapis legit", "price": 25000, "unit": "box",
       "category": "kue-basah"}


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(build, MarketplaceSettings, postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def seller_of(runtime, person: str | None = None) -> str:
    envelope = graduation(person or str(uuid.uuid4()))
    with transaction(runtime.sessions) as session:
        incoming.handlers_for(runtime.settings)[envelope.type](session, envelope)
        return session.exec(select(SellerProfile.id).where(
            SellerProfile.participant_id == envelope.subject)).one()


def test_one_graduation_delivered_twice_at_once_opens_one_seller_profile(pg):
    runtime, _ = pg
    person = str(uuid.uuid4())

    def deliver(_: int) -> str:  # two copies with their own event ids, as a replay would send
        try:
            seller_of(runtime, person)
            return "applied"
        except Conflict as refused:  # the consumer retries this one
            assert refused.field == "participant_id"
            return "retry"

    outcomes = at_once(RACERS, deliver)

    assert "applied" in outcomes and set(outcomes) <= {"applied", "retry"}
    assert deliver(0) == "applied"
    with runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SellerProfile).where(
            SellerProfile.participant_id == person)).scalar_one() == 1


def test_simultaneous_changes_of_one_product_all_apply_in_turn(pg):
    runtime, client = pg
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    seller = seller_of(runtime)
    product = client.post(f"/sellers/{seller}/products", headers=lurah, json=KUE).json()["id"]
    prices = [10_000 + i for i in range(RACERS)]

    answers = at_once(RACERS, lambda i: client.patch(f"/products/{product}", headers=lurah,
                                                     json={"price": prices[i]}))

    assert [a.status_code for a in answers] == [200] * RACERS
    stored = client.get(f"/sellers/{seller}/products", headers=lurah).json()["items"]
    assert stored[0]["price"] in prices


def test_simultaneous_pauses_of_one_seller_make_one_pause_and_one_event(pg):
    runtime, client = pg
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    seller = seller_of(runtime)
    assert client.put(f"/sellers/{seller}/consent", headers=lurah,
                      json=shop_consent()).status_code == 200
    with runtime.engine.connect() as conn:
        events_before = conn.execute(select(func.count()).select_from(outbox)).scalar_one()

    answers = at_once(RACERS, lambda i: client.post(f"/sellers/{seller}/pause", headers=lurah,
                                                    json={"reason": f"Alasan {i}"}))

    assert sorted(a.status_code for a in answers) == [200] + [409] * (RACERS - 1)
    with runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == (
            events_before + 1)
        assert conn.execute(select(func.count()).select_from(SellerStatusChange).where(
            SellerStatusChange.new_status == "paused")).scalar_one() == 1


def test_monitorings_stop_and_an_officers_pause_at_once_make_one_pause(pg):
    runtime, client = pg
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    seller = seller_of(runtime)
    client.put(f"/sellers/{seller}/consent", headers=lurah, json=shop_consent())
    with transaction(runtime.sessions) as session:
        person = session.get(SellerProfile, seller).participant_id
    stop = new_event(BusinessStatusChanged(**{**BusinessStatusChanged.EXAMPLE,
                                              "participant_id": person, "new_status": "stopped"}),
                     subject=person, source="test")
    handle = incoming.handlers_for(runtime.settings)[BusinessStatusChanged.TYPE]

    def act(i: int) -> int:
        if i == 0:
            with transaction(runtime.sessions) as session:
                handle(session, stop)
            return 0
        return client.post(f"/sellers/{seller}/pause", headers=lurah,
                           json={"reason": "Izin habis"}).status_code

    outcome = at_once(2, act)

    assert outcome[1] in (200, 409)
    with runtime.engine.connect() as conn:
        pauses = conn.execute(select(SellerStatusChange.changed_by).where(
            SellerStatusChange.new_status == "paused")).scalars().all()
        assert len(pauses) == 1
        stored = conn.execute(select(SellerProfile.status, SellerProfile.paused_by).where(
            SellerProfile.id == seller)).one()
    assert tuple(stored) == ("paused", "officer" if outcome[1] == 200 else "monitoring")


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("post", "/sellers/{seller}/products", {**KUE, "price": INT32_MAX + 1}, "price"),
    ("post", "/sellers/{seller}/products", {**KUE, "price": 10**30}, "price"),
    ("post", "/sellers/{seller}/products", {**KUE, "name": "n" * 121}, "name"),
    ("post", "/sellers/{seller}/products", {**KUE, "description": "d" * 2001}, "description"),
    ("post", "/sellers/{seller}/products", {**KUE, "unit": "u" * 21}, "unit"),
    ("post", "/sellers/{seller}/products", {**KUE, "category": "c" * 61}, "category"),
    ("patch", "/products/{product}", {"price": INT32_MAX + 1}, "price"),
    ("patch", "/products/{product}", {"price": None}, "price"),
    ("patch", "/products/{product}", {"available": None, "price": 1000}, "available"),
    ("post", f"/sellers/{LONG_ID}/products", KUE, "seller_id"),
    ("get", f"/sellers/{LONG_ID}", None, "seller_id"),
    ("get", f"/sellers/{LONG_ID}/products", None, "seller_id"),
    ("patch", f"/products/{LONG_ID}", {"price": 1000}, "product_id"),
    ("get", f"/catalogue/{LONG_ID}", None, "product_id"),
    ("get", f"/catalogue?cursor={LONG_ID}", None, "cursor"),
    ("get", "/catalogue?q=" + "q" * 101, None, "q"),
    ("put", "/sellers/{seller}/consent", shop_consent(shop_name="s" * 81), "shop_name"),
    ("put", f"/sellers/{LONG_ID}/consent", shop_consent(), "seller_id"),
    ("post", "/sellers/{seller}/pause", {"reason": "r" * 501}, "reason"),
])
def test_oversize_input_is_a_422_naming_the_field(pg, method, path, body, field):
    runtime, client = pg
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    seller = seller_of(runtime)
    product = client.post(f"/sellers/{seller}/products", headers=lurah, json=KUE).json()
    answer = client.request(method, path.format(seller=seller, product=product["id"]),
                            headers=lurah, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    stored = client.get(f"/sellers/{seller}/products", headers=lurah).json()["items"]
    assert [p["price"] for p in stored] == [KUE["price"]]


def test_problems_are_in_bahasa_and_in_english_on_request(pg):
    runtime, client = pg
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    seller = seller_of(runtime)
    product = client.post(f"/sellers/{seller}/products", headers=lurah, json=KUE).json()["id"]
    empty = client.patch(f"/products/{product}", headers=lurah, json={})
    assert empty.status_code == 422
    assert empty.json()["detail"] == "body: Kirim price, available, atau stock."
    english = client.patch(f"/products/{product}", json={},
                           headers={**lurah, "Accept-Language": "en"})
    assert "Send price, available or stock." in english.json()["detail"]
    missing = client.get(f"/catalogue/{uuid.uuid4()}")
    assert missing.json()["detail"] == "Produk ini tidak ada di katalog."
    stranger = auth_headers(runtime.settings, "kelurahan_officer", area="31.71.03.1005")
    hidden = client.patch(f"/products/{product}", json={"price": 1},
                          headers={**stranger, "Accept-Language": "en"})
    assert hidden.status_code == 404 and hidden.json()["detail"] == "No such product in your area."
