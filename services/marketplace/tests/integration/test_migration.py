"""Migrations 0002 and 0003 on a store that already holds sellers and products: every profile
waits for consent (nobody was asked), known free-text categories map to codes, nothing else is
lost."""

import sqlalchemy as sa

from berdaya_shared.migrations import upgrade
from marketplace.bootstrap import MIGRATIONS

NOW = "2026-11-20 09:00:00.000000"


def test_existing_sellers_wait_for_consent_after_the_upgrade(database_url):
    upgrade(database_url, MIGRATIONS, "0001")
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        for seller_id, status in (("s-active", "active"), ("s-paused", "paused")):
            conn.execute(sa.text(
                "INSERT INTO seller_profile (id, participant_id, display_name, kelurahan_code, "
                "kecamatan_code, kota_code, programme_code, status, created_at) VALUES "
                "(:id, :id, 'Siti Aminah', '31.71.03.1001', '31.71.03', '31.71', 'UP2K', "
                ":status, :now)"), {"id": seller_id, "status": status, "now": NOW})
        for product_id, category in (("p-1", "Kue basah"), ("p-2", "gorengan"), ("p-3", None)):
            conn.execute(sa.text(
                "INSERT INTO product (id, seller_id, name, price, unit, category, available, "
                "listed_by, listed_at, updated_by, updated_at) VALUES (:id, 's-active', "
                "'Kue lapis', 25000, 'box', :category, true, 'lurah', :now, 'lurah', :now)"),
                {"id": product_id, "category": category, "now": NOW})

    upgrade(database_url, MIGRATIONS)

    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, status, shop_name, show_full_name FROM seller_profile ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("s-active", "pending_consent", None, False),
                                            ("s-paused", "pending_consent", None, False)]
        products = conn.execute(sa.text(
            "SELECT id, category, stock FROM product ORDER BY id")).all()
        assert [tuple(r) for r in products] == [("p-1", "kue-basah", None), ("p-2", None, None),
                                                ("p-3", None, None)]
    engine.dispose()
