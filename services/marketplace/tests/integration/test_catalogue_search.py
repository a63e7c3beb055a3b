"""Categories as data, products with stock and photos, the catalogue's search and keyset pages,
ProductUpdated, and a seller's paginated product list."""

import asyncio

import pytest
from sqlalchemy import func, select

from berdaya_shared.db import transaction
from berdaya_shared.events.marketplace import ProductUpdated
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic
from marketplace.adapters.tables import Product, outbox

from .conftest import CILANDAK_BARAT

KRAMAT_JATI = "31.75.04.1001"
PHOTO = "https://foto.berdaya.example/kue-lapis.jpg"


@pytest.fixture
def admin(runtime):
    return auth_headers(runtime.settings, "city_admin", subject="admin.kota")


@pytest.fixture
def put(client, admin):
    def apply(seller, name, **fields):
        r = client.post(f"/sellers/{seller.id}/products", headers=admin,
                        json={"name": name, "price": 20000, "unit": "pcs", **fields})
        assert r.status_code == 201, r.text
        return r.json()["id"]
    return apply


def count(runtime, what) -> int:
    with transaction(runtime.sessions) as session:
        return session.execute(select(func.count()).select_from(what)).scalar_one()


def found(client, **params) -> set[str]:
    answer = client.get("/catalogue", params=params)
    assert answer.status_code == 200, answer.text
    return {i["id"] for i in answer.json()["items"]}


def test_categories_are_data(client):
    codes = [c["code"] for c in client.get("/categories").json()]
    assert codes == ["jasa", "kerajinan", "kue-basah", "makanan", "minuman"]


def test_search_by_category_kota_and_text_and_stock(client, graduate, consent, put, admin):
    siti, dewi = graduate(CILANDAK_BARAT), graduate(KRAMAT_JATI)
    consent(siti.id, shop_name="Dapur Siti")
    consent(dewi.id, shop_name="Steam Dewi")
    lapis = put(siti, "Kue lapis", category="kue-basah", stock=10, photo_urls=[PHOTO])
    jus = put(siti, "Jus jambu", category="minuman")
    steam = put(dewi, "Cuci motor steam", category="jasa", unit="motor")
    sold_out = put(dewi, "Kue cucur", category="kue-basah", stock=0)

    assert found(client) == {lapis, jus, steam}  # out of stock stays hidden
    assert found(client, category="kue-basah") == {lapis}
    assert found(client, kota_code="31.75") == {steam}
    assert found(client, kota_code="31.71", category="minuman") == {jus}
    assert found(client, q="steam") == {steam}  # the shop's name matches too
    assert found(client, category="no-such") == set()
    assert client.get("/catalogue", params={"kota_code": "Jaksel"}).status_code == 422
    item = client.get(f"/catalogue/{lapis}").json()
    assert (item["category"], item["stock"], item["photo_urls"]) == ("kue-basah", 10, [PHOTO])
    assert client.get(f"/catalogue/{sold_out}").status_code == 404

    restocked = client.patch(f"/products/{sold_out}", headers=admin, json={"stock": 5})
    assert restocked.status_code == 200 and restocked.json()["stock"] == 5
    assert sold_out in found(client, category="kue-basah")


def test_the_catalogue_pages_with_the_shared_opaque_cursor(client, graduate, consent, put):
    seller = graduate()
    consent(seller.id)
    ids = {put(seller, f"Kue {n}") for n in range(5)}
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/catalogue", params=params).json()
        seen += [i["id"] for i in page["items"]]
        pages, cursor = pages + 1, page["next_cursor"]
        if cursor is None:
            break
        assert cursor not in ids  # opaque, not a raw product id
    assert sorted(seen) == sorted(ids) and len(seen) == 5 and pages == 3
    bad = client.get("/catalogue", params={"cursor": "bm90IGEgY3Vyc29y"})
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"


def test_a_sellers_products_are_paginated(client, graduate, put, admin):
    seller = graduate()
    ids = {put(seller, f"Kue {n}") for n in range(3)}
    first = client.get(f"/sellers/{seller.id}/products", headers=admin, params={"limit": 2}).json()
    rest = client.get(f"/sellers/{seller.id}/products", headers=admin,
                      params={"cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and rest["next_cursor"] is None
    assert {p["id"] for p in first["items"] + rest["items"]} == ids


@pytest.mark.parametrize(("changes", "field"), [
    ({"category": "kue basah"}, "category"), ({"price": -1000}, "price"),
    ({"stock": -1}, "stock"), ({"photo_urls": ["http://foto.example/a.jpg"]}, "photo_urls"),
    ({"photo_urls": ["javascript:alert(1)"]}, "photo_urls"),
    ({"photo_urls": [PHOTO] * 6}, "photo_urls"),
    ({"photo_urls": ["https://foto.example/" + "a" * 500]}, "photo_urls"),
    ({"stock": 2**31}, "stock"),
])
def test_bad_product_input_names_the_field_and_stores_nothing(runtime, client, graduate, admin,
                                                             changes, field):
    seller = graduate()
    events = count(runtime, outbox)
    answer = client.post(f"/sellers/{seller.id}/products", headers=admin,
                         json={"name": "Kue lapis", "price": 20000, "unit": "pcs", **changes})
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"].split(".")[0] == field  # photo_urls.0: the bad URL's index
    assert count(runtime, Product) == 0 and count(runtime, outbox) == events


def test_a_product_change_publishes_product_updated(runtime, client, graduate, put, admin):
    seller = graduate()
    product = put(seller, "Kue lapis", stock=3)
    changed = client.patch(f"/products/{product}", headers=admin,
                           json={"price": 27500, "stock": 12})
    assert changed.status_code == 200, changed.text
    publish_pending(runtime)

    def mine(messages):
        return [e for e in envelopes(messages) if e.type == ProductUpdated.TYPE
                and e.data["product_id"] == product]

    read = mine(asyncio.run(read_topic(runtime.relay.bootstrap, "marketplace.events",
                                       until=lambda ms: bool(mine(ms)))))
    assert len(read) == 1 and read[0].subject == seller.participant_id
    assert (read[0].data["price"], read[0].data["stock"], read[0].data["available"],
            read[0].data["updated_by"]) == (27500, 12, True, "admin.kota")
    assert "phone" not in read[0].data
