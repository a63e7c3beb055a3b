"""The graduate's consent gates the public catalogue; officers pause and resume sellers."""

import asyncio

import pytest
from sqlalchemy import func, select

from berdaya_shared.db import transaction
from berdaya_shared.events.marketplace import (
    SellerConsentGiven,
    SellerConsentWithdrawn,
    SellerPaused,
    SellerResumed,
)
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic
from marketplace.adapters.tables import SellerProfile, SellerStatusChange, outbox

from .conftest import CILANDAK_BARAT, shop_consent

PONDOK_LABU = "31.71.03.1005"
KUE = {"name": "Kue lapis", "price": 25000, "unit": "box"}


@pytest.fixture
def lurah(runtime):
    return auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT,
                        subject="lurah.cilandak-barat")


@pytest.fixture
def seller(client, graduate, lurah):
    """A graduate with a product an officer prepared before any consent."""
    profile = graduate(full_name="Siti Aminah")
    product = client.post(f"/sellers/{profile.id}/products", headers=lurah, json=KUE)
    assert product.status_code == 201, product.text
    return profile, product.json()["id"]


def public_ids(client) -> set[str]:
    return {i["id"] for i in client.get("/catalogue").json()["items"]}


def count(runtime, what) -> int:
    with transaction(runtime.sessions) as session:
        return session.execute(select(func.count()).select_from(what)).scalar_one()


def test_consent_gates_the_public_catalogue_before_after_and_withdrawn(client, seller, lurah):
    profile, product = seller
    assert product not in public_ids(client)
    assert client.get(f"/catalogue/{product}").status_code == 404

    given = client.put(f"/sellers/{profile.id}/consent", headers=lurah,
                       json=shop_consent(shop_name="Dapur Bu Siti"))
    assert given.status_code == 200, given.text
    body = given.json()
    assert (body["status"], body["shop_name"], body["consent_recorded_by"]) == (
        "active", "Dapur Bu Siti", "lurah.cilandak-barat")
    assert body["consent_recorded_at"] is not None
    assert product in public_ids(client)
    assert client.get("/catalogue", params={"q": "bu siti"}).json()["items"][0]["id"] == product

    withdrawn = client.post(f"/sellers/{profile.id}/consent/withdrawal", headers=lurah,
                            json={"reason": "Tidak ingin berjualan daring"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "consent_withdrawn"
    assert product not in public_ids(client)
    assert client.get(f"/catalogue/{product}").status_code == 404
    again = client.post(f"/sellers/{profile.id}/consent/withdrawal", headers=lurah)
    assert again.status_code == 409 and again.json()["field"] == "status"

    assert client.put(f"/sellers/{profile.id}/consent", headers=lurah,
                      json=shop_consent()).json()["status"] == "active"
    assert product in public_ids(client)


def test_the_public_sees_a_full_name_only_when_chosen_and_never_a_phone(client, seller, lurah):
    profile, product = seller
    client.put(f"/sellers/{profile.id}/consent", headers=lurah, json=shop_consent())
    item = client.get(f"/catalogue/{product}").json()
    assert (item["shop_name"], item["seller_name"], item["kelurahan_code"]) == (
        "Dapur Bu Siti", None, CILANDAK_BARAT)
    for body in (client.get("/catalogue").text, client.get(f"/catalogue/{product}").text):
        assert "Siti Aminah" not in body and profile.phone not in body
        assert profile.participant_id not in body

    client.put(f"/sellers/{profile.id}/consent", headers=lurah,
               json=shop_consent(show_full_name=True, contact_preference="whatsapp"))
    item = client.get(f"/catalogue/{product}").json()
    assert (item["seller_name"], item["contact_preference"]) == ("Siti Aminah", "whatsapp")
    assert profile.phone not in client.get("/catalogue").text


def test_consent_by_an_officer_of_another_area_stores_nothing(runtime, client, seller):
    profile, _ = seller
    before = count(runtime, outbox)
    stranger = auth_headers(runtime.settings, "kelurahan_officer", area=PONDOK_LABU)
    refused = client.put(f"/sellers/{profile.id}/consent", headers=stranger, json=shop_consent())
    assert refused.status_code == 404 and refused.json()["field"] == "seller_id"
    field = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    assert client.put(f"/sellers/{profile.id}/consent", headers=field,
                      json=shop_consent()).status_code == 403
    assert client.put(f"/sellers/{profile.id}/consent", json=shop_consent()).status_code == 401
    assert count(runtime, outbox) == before and count(runtime, SellerStatusChange) == 0
    with transaction(runtime.sessions) as session:
        stored = session.get(SellerProfile, profile.id)
        assert (stored.status, stored.shop_name) == ("pending_consent", None)


@pytest.mark.parametrize(("changes", "field"), [
    ({"shop_name": "   "}, "shop_name"), ({"shop_name": "n" * 81}, "shop_name"),
    ({"description": "d" * 501}, "description"), ({"contact_preference": "sms"}, "contact_preference"),
    ({"show_full_name": "yes"}, "show_full_name"), ({"shop_name": None}, "shop_name"),
])
def test_bad_consent_is_a_422_naming_the_field(runtime, client, seller, lurah, changes, field):
    profile, product = seller
    before = count(runtime, outbox)
    answer = client.put(f"/sellers/{profile.id}/consent", headers=lurah,
                        json=shop_consent(**changes))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert count(runtime, outbox) == before and product not in public_ids(client)


def test_officers_pause_and_resume_with_a_reason_audited(runtime, client, seller, lurah):
    profile, product = seller
    assert client.post(f"/sellers/{profile.id}/pause", headers=lurah,
                       json={"reason": "Sakit"}).status_code == 409  # no consent yet
    client.put(f"/sellers/{profile.id}/consent", headers=lurah, json=shop_consent())
    no_reason = client.post(f"/sellers/{profile.id}/pause", headers=lurah, json={"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    paused = client.post(f"/sellers/{profile.id}/pause", headers=lurah,
                         json={"reason": "Usaha berhenti karena sakit"})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert product not in public_ids(client)
    refused = client.post(f"/sellers/{profile.id}/products", headers=lurah, json=KUE)
    assert refused.status_code == 409 and refused.json()["field"] == "seller_id"
    assert client.put(f"/sellers/{profile.id}/consent", headers=lurah,
                      json=shop_consent()).json()["status"] == "paused"  # consent keeps a pause

    resumed = client.post(f"/sellers/{profile.id}/resume", headers=lurah,
                          json={"reason": "Sudah produksi lagi"})
    assert resumed.status_code == 200 and resumed.json()["status"] == "active"
    assert product in public_ids(client)
    twice = client.post(f"/sellers/{profile.id}/resume", headers=lurah, json={"reason": "x"})
    assert twice.status_code == 409 and twice.json()["field"] == "status"

    history = client.get(f"/sellers/{profile.id}/history", headers=lurah).json()
    assert [(h["old_status"], h["new_status"], h["reason"]) for h in history] == [
        ("pending_consent", "active", None),
        ("active", "paused", "Usaha berhenti karena sakit"),
        ("paused", "paused", None),
        ("paused", "active", "Sudah produksi lagi")]
    assert {h["changed_by"] for h in history} == {"lurah.cilandak-barat"}


def test_consent_pause_resume_and_withdrawal_are_read_back_from_kafka(runtime, client, seller,
                                                                     lurah):
    profile, _ = seller
    client.put(f"/sellers/{profile.id}/consent", headers=lurah, json=shop_consent())
    client.post(f"/sellers/{profile.id}/pause", headers=lurah, json={"reason": "Sakit"})
    client.post(f"/sellers/{profile.id}/resume", headers=lurah, json={"reason": "Sehat"})
    client.post(f"/sellers/{profile.id}/consent/withdrawal", headers=lurah)
    publish_pending(runtime)
    wanted = [SellerConsentGiven.TYPE, SellerPaused.TYPE, SellerResumed.TYPE,
              SellerConsentWithdrawn.TYPE]

    def mine(messages):
        return [e for e in envelopes(messages) if e.subject == profile.participant_id
                and e.type in wanted]

    read = mine(asyncio.run(read_topic(runtime.relay.bootstrap, "marketplace.events",
                                       until=lambda ms: len(mine(ms)) >= 4)))
    assert [e.type for e in read] == wanted
    given = read[0].data
    assert (given["seller_id"], given["shop_name"], given["show_full_name"],
            given["recorded_by"]) == (profile.id, "Dapur Bu Siti", False, "lurah.cilandak-barat")
    assert read[1].data["reason"] == "Sakit" and read[2].data["reason"] == "Sehat"
    for event in read:
        assert "phone" not in event.data and "nik" not in event.data and "kk" not in event.data
        assert profile.phone not in event.to_bytes().decode()
