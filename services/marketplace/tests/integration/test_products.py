"""Officers list products on a graduate's behalf -> ProductListed; bad input; area scoping."""

import asyncio

import pytest

from berdaya_shared.events.marketplace import ProductListed, SellerProfileCreated
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic

from .conftest import CILANDAK_BARAT

KUE = {"name": "Kue lapis", "description": "Kue lapis legit, 20 potong", "price": 25000,
       "unit": "box", "category": "kue-basah"}


@pytest.fixture
def lurah(runtime):
    return auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT,
                        subject="lurah-cilandak-barat")


def test_officer_lists_a_product_and_product_listed_is_published(runtime, client, graduate, lurah):
    seller = graduate()
    created = client.post(f"/sellers/{seller.id}/products", headers=lurah, json=KUE)
    assert created.status_code == 201, created.text
    product = created.json()
    assert (product["price"], product["available"], product["listed_by"]) == (
        25000, True, "lurah-cilandak-barat")
    listed = client.get(f"/sellers/{seller.id}/products", headers=lurah).json()["items"]
    assert [p["id"] for p in listed] == [product["id"]]

    assert publish_pending(runtime) == 2  # SellerProfileCreated, then ProductListed
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "marketplace.events",
        until=lambda ms: any(e.data.get("product_id") == product["id"] for e in envelopes(ms)))))
    mine = [e for e in published if e.subject == seller.participant_id]
    assert [e.type for e in mine] == [SellerProfileCreated.TYPE, ProductListed.TYPE]
    assert mine[-1].data["price"] == 25000 and mine[-1].data["seller_id"] == seller.id


def test_officer_changes_price_and_availability(runtime, client, graduate, lurah):
    seller = graduate()
    product_id = client.post(f"/sellers/{seller.id}/products", headers=lurah, json=KUE).json()["id"]
    changed = client.patch(f"/products/{product_id}", headers=lurah,
                           json={"price": 30000, "available": False})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["price"], changed.json()["available"]) == (30000, False)
    empty = client.patch(f"/products/{product_id}", headers=lurah, json={})
    assert empty.status_code == 422
    sloppy = client.patch(f"/products/{product_id}", headers=lurah, json={"available": "yes"})
    assert sloppy.status_code == 422 and sloppy.json()["field"] == "available"


@pytest.mark.parametrize(("body", "field"), [
    ({**KUE, "price": 0}, "price"),
    ({k: v for k, v in KUE.items() if k != "name"}, "name"),
    ({**KUE, "price": "dua puluh ribu"}, "price"),
    ({**KUE, "unit": ""}, "unit"),
    ({**KUE, "description": "x" * 2001}, "description"),
])
def test_bad_product_is_a_problem_naming_the_field(runtime, client, graduate, lurah, body, field):
    seller = graduate()
    bad = client.post(f"/sellers/{seller.id}/products", headers=lurah, json=body)
    assert bad.status_code == 422 and bad.json()["field"] == field
    assert bad.headers["content-type"] == "application/problem+json"
    assert publish_pending(runtime) == 1  # the profile only: nothing for the refused product


def test_malformed_json_is_a_400(runtime, client, graduate, lurah):
    seller = graduate()
    broken = client.post(f"/sellers/{seller.id}/products",
                         headers={**lurah, "content-type": "application/json"},
                         content=b'{"name": ')
    assert broken.status_code == 400 and broken.json()["title"] == "JSON tidak sah"


def test_paused_or_unknown_seller_cannot_list(runtime, client, graduate, pause, lurah):
    assert client.post("/sellers/no-such-seller/products", headers=lurah,
                       json=KUE).status_code == 404
    seller = graduate()
    product_id = client.post(f"/sellers/{seller.id}/products", headers=lurah, json=KUE).json()["id"]
    pause(seller.id)
    refused = client.post(f"/sellers/{seller.id}/products", headers=lurah, json=KUE)
    assert refused.status_code == 409 and refused.json()["field"] == "seller_id"
    assert client.patch(f"/products/{product_id}", headers=lurah,
                        json={"price": 1000}).status_code == 409


def test_officer_of_another_kelurahan_cannot_list_or_change(runtime, client, graduate, lurah):
    seller = graduate()
    product_id = client.post(f"/sellers/{seller.id}/products", headers=lurah, json=KUE).json()["id"]
    stranger = auth_headers(runtime.settings, "kelurahan_officer", area="31.71.03.1005")
    assert client.post(f"/sellers/{seller.id}/products", headers=stranger,
                       json=KUE).status_code == 404
    assert client.patch(f"/products/{product_id}", headers=stranger,
                        json={"price": 1000}).status_code == 404
    assert client.get(f"/sellers/{seller.id}", headers=stranger).status_code == 404
    assert client.post(f"/sellers/{seller.id}/products", json=KUE).status_code == 401
    assert client.patch(f"/products/{product_id}", json={"price": 1000}).status_code == 401
    field = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    assert client.post(f"/sellers/{seller.id}/products", headers=field,
                       json=KUE).status_code == 403
