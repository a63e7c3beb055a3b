"""The catalogue's text search answers the same whichever plan serves it: a word of three
characters or more (trigram indexes on PostgreSQL), a shorter one (a filtered scan), by product
name or by shop name, case-insensitive, with ``%`` and ``_`` taken literally."""

import pytest

from berdaya_shared.testing import auth_headers


@pytest.fixture
def shops(runtime, client, graduate, consent):
    admin = auth_headers(runtime.settings, "city_admin", subject="admin.kota")

    def put(seller, name):
        r = client.post(f"/sellers/{seller.id}/products", headers=admin,
                        json={"name": name, "price": 20000, "unit": "pcs"})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    siti, ani = graduate(), graduate()
    consent(siti.id, shop_name="Dapur Bu Siti")
    consent(ani.id, shop_name="Warung 100% Ani")
    return {"lapis": put(siti, "Kue LAPIS legit"), "cendol": put(ani, "Es cendol"),
            "klepon": put(ani, "Klepon_isi gula")}


def found(client, q):
    answer = client.get("/catalogue", params={"q": q})
    assert answer.status_code == 200, answer.text
    return {i["id"] for i in answer.json()["items"]}


@pytest.mark.parametrize(("q", "expected"), [
    ("lapis", {"lapis"}), ("Lapis", {"lapis"}), ("siti", {"lapis"}),  # by shop name
    ("es", {"cendol"}), ("bu", {"lapis"}),  # shorter than a trigram
    ("100%", {"cendol", "klepon"}), ("n_i", {"klepon"}), ("nxi", set()), ("_isi", {"klepon"}),
    ("tidak ada", set())])
def test_text_search_by_product_or_shop_name(client, shops, q, expected):
    assert found(client, q) == {shops[name] for name in expected}


def test_text_search_pages_with_the_cursor(runtime, client, graduate, consent):
    admin = auth_headers(runtime.settings, "city_admin")
    seller = graduate()
    consent(seller.id, shop_name="Kedai Kue")
    made = {client.post(f"/sellers/{seller.id}/products", headers=admin, json={
        "name": f"Kue nomor {i}", "price": 1000, "unit": "pcs"}).json()["id"] for i in range(5)}
    first = client.get("/catalogue", params={"q": "kue", "limit": 3}).json()
    rest = client.get("/catalogue", params={"q": "kue", "limit": 3,
                                            "cursor": first["next_cursor"]}).json()
    assert {i["id"] for i in first["items"] + rest["items"]} == made
