"""Sales reports on a small data set: per seller, kelurahan and month, in the caller's area,
within a period; JSON and CSV give the same numbers."""

import csv
import io
from datetime import date

import pytest

from berdaya_shared.db import transaction
from berdaya_shared.testing import auth_headers
from marketplace.adapters.tables import SellerProfile
from marketplace.domain.model import SaleChannel
from marketplace.service_layer.sales import record_sale

CILANDAK_BARAT, CIPETE_SELATAN = "31.74.06.1001", "31.74.06.1005"
KRAMAT_JATI = "31.75.04.1001"


@pytest.fixture
def sales(runtime, graduate, consent):
    """Siti (Cilandak Barat) sells 3 times in two months, Ani (Cipete Selatan) once, Dewi
    (Kramat Jati, another kota) once."""
    siti, ani, dewi = graduate(CILANDAK_BARAT), graduate(CIPETE_SELATAN), graduate(KRAMAT_JATI)
    consent(siti.id, shop_name="Dapur Bu Siti")
    with transaction(runtime.sessions) as session:
        def sell(seller, amount, quantity, sold_on, channel=SaleChannel.ORDER):
            record_sale(session=session, seller=session.get(SellerProfile, seller.id),
                        amount=amount, quantity=quantity, sold_on=sold_on, channel=channel,
                        source_ref=None, recorded_by="lurah", source="test")
        sell(siti, 60_000, 20, date(2027, 3, 5))
        sell(siti, 40_000, 10, date(2027, 3, 20), SaleChannel.BAZAAR)
        sell(siti, 25_000, 5, date(2027, 4, 2))
        sell(ani, 100_000, 50, date(2027, 4, 9))
        sell(dewi, 999_000, 1, date(2027, 4, 9))
    return siti, ani, dewi


def report(client, headers, **params):
    answer = client.get("/reports/sales", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_sales_per_seller_kelurahan_and_month_in_the_callers_area(runtime, client, sales):
    siti, ani, _ = sales
    camat = auth_headers(runtime.settings, "kecamatan_officer", area="31.74.06")
    by_seller = report(client, camat, group_by="seller")
    assert [(r["key"], r["label"], r["sales"], r["quantity"], r["amount"])
            for r in by_seller["rows"]] == [(siti.id, "Dapur Bu Siti", 3, 35, 125_000),
                                             (ani.id, ani.display_name, 1, 50, 100_000)]
    assert (by_seller["total_sales"], by_seller["total_amount"]) == (4, 225_000)

    by_kelurahan = report(client, camat, group_by="kelurahan")["rows"]
    assert [(r["key"], r["label"], r["amount"], r["sellers"]) for r in by_kelurahan] == [
        (CILANDAK_BARAT, "Cilandak Barat", 125_000, 1), (CIPETE_SELATAN, "Cipete Selatan", 100_000, 1)]

    by_month = report(client, camat, group_by="month")["rows"]
    assert [(r["key"], r["sales"], r["amount"], r["sellers"]) for r in by_month] == [
        ("2027-03", 2, 100_000, 1), ("2027-04", 2, 125_000, 2)]

    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    april = report(client, lurah, group_by="month", **{"from": "2027-04-01", "to": "2027-04-30"})
    assert [(r["key"], r["amount"]) for r in april["rows"]] == [("2027-04", 25_000)]
    admin = auth_headers(runtime.settings, "city_admin")
    assert report(client, admin, group_by="kelurahan")["total_amount"] == 1_224_000


def test_the_csv_has_the_same_rows(runtime, client, sales):
    camat = auth_headers(runtime.settings, "kecamatan_officer", area="31.74.06")
    answer = client.get("/reports/sales", headers=camat,
                        params={"group_by": "kelurahan", "format": "csv"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["key"], r["label"], r["amount"]) for r in rows] == [
        (CILANDAK_BARAT, "Cilandak Barat", "125000"), (CIPETE_SELATAN, "Cipete Selatan", "100000")]


def test_bad_report_requests(runtime, client):
    camat = auth_headers(runtime.settings, "kecamatan_officer", area="31.74.06")
    backwards = client.get("/reports/sales", headers=camat,
                           params={"from": "2027-04-30", "to": "2027-04-01"})
    assert backwards.status_code == 422 and backwards.json()["field"] == "to"
    assert client.get("/reports/sales", headers=camat,
                      params={"group_by": "product"}).status_code == 422
    assert client.get("/reports/sales").status_code == 401
