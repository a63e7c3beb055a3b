"""A city unit orders kue basah for its event, and the revenue reaches monitoring.

Training's graduation is published on its topic as training would (the whole registration ->
graduation chain through HTTP is test_chain's); from there on only the HTTP APIs: the lurah
records the graduate's consent and lists the kue; Sudin UMKM orders 100 for an event (a retry
with the same Idempotency-Key is the same order); the lurah accepts and, after delivery,
fulfils it; monitoring's indicators and marketplace's sales report show the Rp 300.000."""

import asyncio
import uuid
from datetime import date, timedelta

import httpx

from berdaya_shared.api.auth import issue_token
from berdaya_shared.events import new_event
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.kafka import ensure_topics, new_producer
from berdaya_shared.settings import DEV_JWT_SECRET
from berdaya_shared.testing import envelopes, read_topic, wait_until

KELURAHAN = "31.74.06.1001"  # Cilandak Barat
AREA = {"kelurahan_code": KELURAHAN, "kecamatan_code": KELURAHAN[:8], "kota_code": KELURAHAN[:5]}


def auth(role: str, area: str, subject: str) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, subject=subject, roles=[role], area=area)
    return {"Authorization": f"Bearer {token}"}


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def graduate(kafka_bootstrap: str) -> str:
    person = str(uuid.uuid4())
    envelope = new_event(ParticipantGraduated(**{
        **ParticipantGraduated.EXAMPLE, **AREA, "participant_id": person,
        "programme_id": str(uuid.uuid4()), "programme_code": "UP2K-CILANDAK",
        "full_name": "Sri Wahyuni", "track": "kue-basah", "track_code": "kue-basah"}),
        subject=person, source="berdaya/training")

    async def publish() -> None:
        await ensure_topics(kafka_bootstrap, ["training.events"])
        producer = new_producer(kafka_bootstrap, client_id="e2e-training")
        await producer.start()
        try:
            await producer.send_and_wait("training.events", value=envelope.to_bytes(),
                                         key=person.encode())
        finally:
            await producer.stop()

    asyncio.run(publish())
    return person


def test_a_city_unit_order_becomes_revenue_in_monitoring(stack, kafka_bootstrap):
    mkt, mon = stack.urls["marketplace"], stack.urls["monitoring"]
    http = httpx.Client(timeout=30)
    lurah = auth("kelurahan_officer", KELURAHAN, "lurah.cilandak-barat")
    ukpd = auth("integration", "31", "sudin-umkm.jaksel")
    admin = auth("city_admin", "31", "admin.kota")
    person = graduate(kafka_bootstrap)

    def seller():  # type: ignore[no-untyped-def]
        return [s for s in ok(http.get(f"{mkt}/sellers", headers=lurah))["items"]
                if s["participant_id"] == person]
    profile = wait_until(seller, timeout=60, what="a seller profile for the graduate")[0]
    ok(http.put(f"{mkt}/sellers/{profile['id']}/consent", headers=lurah, json={
        "shop_name": "Kue Bu Sri", "contact_preference": "via_officer"}))
    product = ok(http.post(f"{mkt}/sellers/{profile['id']}/products", headers=lurah, json={
        "name": "Kue lapis", "price": 3000, "unit": "pcs", "category": "kue-basah",
        "stock": 250}), 201)

    order_body = {"product_id": product["id"], "quantity": 100,
                  "unit_name": "Sudin UMKM Jakarta Selatan",
                  "delivery_date": str(date.today() + timedelta(days=5)),
                  "delivery_place": "Aula Kantor Walikota Jakarta Selatan",
                  "budget_reference": "DPA-UMKM-2027/017"}
    key = {"Idempotency-Key": f"acara-umkm-{person}"}
    order = ok(http.post(f"{mkt}/orders", headers={**ukpd, **key}, json=order_body), 201)
    retried = ok(http.post(f"{mkt}/orders", headers={**ukpd, **key}, json=order_body), 201)
    assert retried["id"] == order["id"] and order["amount"] == 300_000
    assert ok(http.get(f"{mkt}/catalogue/{product['id']}"))["stock"] == 150
    ok(http.post(f"{mkt}/orders/{order['id']}/accept", headers=lurah))
    fulfilled = ok(http.post(f"{mkt}/orders/{order['id']}/fulfil", headers=lurah))
    assert fulfilled["status"] == "fulfilled" and fulfilled["sale_id"]

    def revenue():  # type: ignore[no-untyped-def]
        rows = ok(http.get(f"{mon}/indicators", headers=admin,
                           params={"group_by": "kelurahan"}))["rows"]
        return [r for r in rows if r["key"] == KELURAHAN and r["revenue_recorded"] >= 300_000]
    wait_until(revenue, timeout=60, what="monitoring's indicators to show the order's revenue")

    report = ok(http.get(f"{mkt}/reports/sales", headers=lurah, params={"group_by": "seller"}))
    # Other e2e tests sell in the same kelurahan: this seller's row is the order alone.
    assert [(r["key"], r["amount"], r["quantity"]) for r in report["rows"]
            if r["key"] == profile["id"]] == [(profile["id"], 300_000, 100)]

    def order_events(messages):  # type: ignore[no-untyped-def]
        return {e.type for e in envelopes(messages) if e.subject == person} >= {
            "marketplace.order_placed.v1", "marketplace.order_accepted.v1",
            "marketplace.sale_recorded.v1", "marketplace.order_fulfilled.v1"}
    seen = asyncio.run(read_topic(kafka_bootstrap, "marketplace.events", until=order_events))
    placed = [e for e in envelopes(seen)
              if e.subject == person and e.type == "marketplace.order_placed.v1"]
    assert len(placed) == 1  # the retry made no second order
    assert all(b"Sudin UMKM Jakarta Selatan" not in m.value for m in seen)
