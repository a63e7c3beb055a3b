"""The public catalogue: no token, available products of active sellers, no personal data."""

import pytest

from berdaya_shared.testing import auth_headers

from .conftest import CILANDAK_BARAT

PONDOK_LABU, KRAMAT_JATI = "31.71.03.1005", "31.75.04.1001"


@pytest.fixture
def shop(runtime, client, graduate, pause, consent):
    """Four sellers in two kecamatan who consented (only Siti shows her full name): one
    paused, one with a product taken off the shelf."""
    admin = auth_headers(runtime.settings, "city_admin")

    def put(seller, name, price=20000):
        r = client.post(f"/sellers/{seller.id}/products", headers=admin,
                        json={"name": name, "price": price, "unit": "pcs"})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    siti, ani = graduate(CILANDAK_BARAT, full_name="Siti"), graduate(PONDOK_LABU, full_name="Ani")
    dewi, rina = graduate(KRAMAT_JATI, full_name="Dewi"), graduate(PONDOK_LABU, full_name="Rina")
    ids = {"lapis": put(siti, "Kue Lapis Legit"), "risol": put(ani, "Risol mayo"),
           "jus": put(dewi, "Jus jambu"), "paused": put(rina, "Kue lapis surabaya"),
           "off": put(siti, "Kue lapis pandan")}
    client.patch(f"/products/{ids['off']}", headers=admin, json={"available": False})
    consent(siti.id, shop_name="Dapur Siti", show_full_name=True)
    consent(ani.id, shop_name="Risol Ani")
    consent(dewi.id, shop_name="Jus Segar Kramat")
    pause(rina.id)
    return ids, [siti, ani, dewi, rina]


def test_catalogue_shows_only_available_products_of_active_sellers(client, shop):
    ids, _ = shop
    page = client.get("/catalogue")
    assert page.status_code == 200
    assert {i["id"] for i in page.json()["items"]} == {ids["lapis"], ids["risol"], ids["jus"]}
    lapis = client.get(f"/catalogue/{ids['lapis']}").json()
    assert (lapis["shop_name"], lapis["seller_name"]) == ("Dapur Siti", "Siti")
    risol = client.get(f"/catalogue/{ids['risol']}").json()
    assert (risol["shop_name"], risol["seller_name"]) == ("Risol Ani", None)
    assert client.get(f"/catalogue/{ids['off']}").status_code == 404
    assert client.get(f"/catalogue/{ids['paused']}").status_code == 404
    assert client.get("/catalogue/no-such-product").status_code == 404


def test_catalogue_filters_by_area_and_text(client, shop):
    ids, _ = shop

    def found(**params):
        return {i["id"] for i in client.get("/catalogue", params=params).json()["items"]}

    assert found(kecamatan_code="31.71.03") == {ids["lapis"], ids["risol"]}
    assert found(kelurahan_code=PONDOK_LABU) == {ids["risol"]}
    assert found(q="LAPIS") == {ids["lapis"]}
    assert found(q="%") == set()
    assert found(q="jus", kecamatan_code="31.71.03") == set()
    assert client.get("/catalogue", params={"kecamatan_code": "Cilandak"}).status_code == 422


def test_catalogue_pages_with_a_cursor(client, shop):
    ids, _ = shop
    first = client.get("/catalogue", params={"limit": 2}).json()
    rest = client.get("/catalogue", params={"cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and rest["next_cursor"] is None
    assert {i["id"] for i in first["items"] + rest["items"]} == {ids["lapis"], ids["risol"],
                                                                 ids["jus"]}


def test_catalogue_never_shows_a_phone_or_participant_id(client, shop):
    ids, sellers = shop
    bodies = [client.get("/catalogue").text, client.get(f"/catalogue/{ids['lapis']}").text]
    for body in bodies:
        assert "phone" not in body and "participant_id" not in body
        for seller in sellers:
            assert seller.participant_id not in body and seller.phone not in body
