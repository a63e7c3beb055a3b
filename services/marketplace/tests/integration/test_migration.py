"""Migration 0002 on a store that already holds sellers and products: every profile waits for
consent (nobody was asked), and nothing is lost."""

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
        conn.execute(sa.text(
            "INSERT INTO product (id, seller_id, name, price, unit, available, listed_by, "
            "listed_at, updated_by, updated_at) VALUES ('p-1', 's-active', 'Kue lapis', 25000, "
            "'box', true, 'lurah', :now, 'lurah', :now)"), {"now": NOW})

    upgrade(database_url, MIGRATIONS)

    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, status, shop_name, show_full_name FROM seller_profile ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("s-active", "pending_consent", None, False),
                                            ("s-paused", "pending_consent", None, False)]
        assert conn.execute(sa.text("SELECT count(*) FROM product")).scalar_one() == 1
    engine.dispose()
