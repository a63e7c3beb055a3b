"""Monitoring's BusinessStatusChanged pauses and resumes sellers; an officer's pause stands."""

import asyncio
import uuid

import pytest
from sqlmodel import select

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.marketplace import SellerPaused, SellerResumed
from berdaya_shared.events.monitoring import BusinessStatusChanged
from berdaya_shared.kafka import ensure_topics, new_producer
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic, wait_until
from marketplace.adapters.tables import SellerProfile
from marketplace.messaging import incoming

from .conftest import CILANDAK_BARAT, shop_consent

KUE = {"name": "Kue lapis", "price": 25000, "unit": "box"}


def business(participant_id: str, new_status: str, old_status: str | None = None):
    data = {**BusinessStatusChanged.EXAMPLE, "participant_id": participant_id,
            "old_status": old_status, "new_status": new_status,
            "reason": f"Kunjungan terakhir: {new_status}"}
    return new_event(BusinessStatusChanged(**data), subject=participant_id, source="test")


@pytest.fixture
def lurah(runtime):
    return auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT,
                        subject="lurah.cilandak-barat")


@pytest.fixture
def monitoring_says(runtime):
    handle = incoming.handlers_for(runtime.settings)[BusinessStatusChanged.TYPE]

    def apply(participant_id: str, new_status: str):
        envelope = business(participant_id, new_status)
        with transaction(runtime.sessions) as session:
            handle(session, envelope)
        return envelope
    return apply


@pytest.fixture
def shop(client, graduate, lurah):
    seller = graduate()
    product = client.post(f"/sellers/{seller.id}/products", headers=lurah, json=KUE).json()["id"]
    return seller, product


def state(client, lurah, seller_id):
    body = client.get(f"/sellers/{seller_id}", headers=lurah).json()
    return body["status"], body["paused_by"], body["business_status"]


def public(client, product) -> bool:
    return client.get(f"/catalogue/{product}").status_code == 200


def test_stopped_pauses_and_back_to_active_resumes(runtime, client, shop, lurah,
                                                   monitoring_says):
    seller, product = shop
    client.put(f"/sellers/{seller.id}/consent", headers=lurah, json=shop_consent())
    assert public(client, product)

    stopped = monitoring_says(seller.participant_id, "stopped")
    assert state(client, lurah, seller.id) == ("paused", "monitoring", "stopped")
    assert not public(client, product)
    monitoring_says(seller.participant_id, "seasonal")
    assert state(client, lurah, seller.id) == ("active", None, "seasonal")
    assert public(client, product)

    history = client.get(f"/sellers/{seller.id}/history", headers=lurah).json()
    assert [(h["new_status"], h["changed_by"], h["reason"]) for h in history[1:]] == [
        ("paused", "monitoring", "Kunjungan terakhir: stopped"),
        ("active", "monitoring", "Kunjungan terakhir: seasonal")]

    publish_pending(runtime)

    def mine(messages):
        return [e for e in envelopes(messages) if e.subject == seller.participant_id
                and e.type in (SellerPaused.TYPE, SellerResumed.TYPE)]

    read = mine(asyncio.run(read_topic(runtime.relay.bootstrap, "marketplace.events",
                                       until=lambda ms: len(mine(ms)) >= 2)))
    assert [e.type for e in read] == [SellerPaused.TYPE, SellerResumed.TYPE]
    assert read[0].causationid == stopped.id and read[0].data["changed_by"] == "monitoring"


def test_an_officers_pause_is_not_lifted_by_monitoring(client, shop, lurah, monitoring_says):
    seller, product = shop
    client.put(f"/sellers/{seller.id}/consent", headers=lurah, json=shop_consent())
    client.post(f"/sellers/{seller.id}/pause", headers=lurah, json={"reason": "Izin PIRT habis"})
    monitoring_says(seller.participant_id, "active_daily")
    assert state(client, lurah, seller.id) == ("paused", "officer", "active_daily")
    assert not public(client, product)


def test_an_officer_resumes_a_seller_monitoring_stopped(client, shop, lurah, monitoring_says):
    seller, product = shop
    client.put(f"/sellers/{seller.id}/consent", headers=lurah, json=shop_consent())
    monitoring_says(seller.participant_id, "stopped")
    resumed = client.post(f"/sellers/{seller.id}/resume", headers=lurah,
                          json={"reason": "Sudah berjualan lagi, kunjungan belum dicatat"})
    assert resumed.status_code == 200
    assert state(client, lurah, seller.id) == ("active", None, "stopped")
    assert public(client, product)


def test_consent_to_a_stopped_business_keeps_it_paused_until_it_is_active(
        client, shop, lurah, monitoring_says):
    seller, product = shop
    monitoring_says(seller.participant_id, "stopped")
    assert state(client, lurah, seller.id) == ("pending_consent", None, "stopped")
    client.put(f"/sellers/{seller.id}/consent", headers=lurah, json=shop_consent())
    assert state(client, lurah, seller.id) == ("paused", "monitoring", "stopped")
    assert not public(client, product)
    monitoring_says(seller.participant_id, "active_weekly")
    assert state(client, lurah, seller.id)[0] == "active" and public(client, product)


def test_a_status_for_someone_who_never_sold_changes_nothing(runtime, monitoring_says):
    monitoring_says(str(uuid.uuid4()), "stopped")
    with transaction(runtime.sessions) as session:
        assert session.exec(select(SellerProfile)).all() == []


def test_the_consumer_runner_pauses_on_a_published_stop(runtime, client, shop, lurah):
    seller, _ = shop
    client.put(f"/sellers/{seller.id}/consent", headers=lurah, json=shop_consent())
    envelope = business(seller.participant_id, "stopped")

    def paused():
        return state(client, lurah, seller.id)[0] == "paused" or None

    async def go() -> None:
        await ensure_topics(runtime.consumer.bootstrap, runtime.consumer.topics)
        producer = new_producer(runtime.consumer.bootstrap, client_id="test-monitoring")
        await producer.start()
        await producer.send_and_wait("monitoring.events", value=envelope.to_bytes(),
                                     key=envelope.subject.encode())
        await producer.stop()
        consuming = asyncio.create_task(runtime.consumer.run())
        try:
            await asyncio.to_thread(wait_until, paused, what="seller paused", timeout=90)
        finally:
            runtime.consumer.stop()
            await consuming

    asyncio.run(go())
