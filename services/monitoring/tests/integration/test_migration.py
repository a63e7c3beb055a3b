"""Migration 0003 on a store that already holds plans and visits: every visit gets its plan's
kelurahan (the area work lists read it) and every plan its visits done and on time (the
indicators sum them), so nothing recorded before the upgrade drops out of a list or a number."""

import sqlalchemy as sa

from berdaya_shared.migrations import upgrade
from monitoring.bootstrap import MIGRATIONS

NOW = "2026-11-20 09:00:00.000000"


def test_existing_visits_keep_their_area_and_count_in_the_indicators(database_url):
    upgrade(database_url, MIGRATIONS, "0002")
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO follow_up_plan (id, participant_id, programme_id, programme_code, "
            "full_name, kelurahan_code, kecamatan_code, kota_code, graduated_at, created_at) "
            "VALUES ('plan-1', 'person-1', 'prog-1', 'UP2K', 'Siti Aminah', '31.74.06.1001', "
            "'31.74.06', '31.74', :now, :now)"), {"now": NOW})
        for visit_id, seq, due, status, visited in (
                ("v-1", 1, "2026-01-05", "done", "2026-01-05"),    # on time
                ("v-2", 2, "2026-03-05", "done", "2026-03-20"),    # late
                ("v-3", 3, "2026-06-05", "scheduled", None)):
            conn.execute(sa.text(
                "INSERT INTO visit (id, plan_id, sequence, due_on, status, visited_on) "
                "VALUES (:id, 'plan-1', :seq, :due, :status, :visited)"),
                {"id": visit_id, "seq": seq, "due": due, "status": status, "visited": visited})

    upgrade(database_url, MIGRATIONS)

    with engine.connect() as conn:
        areas = conn.execute(sa.text("SELECT DISTINCT kelurahan_code FROM visit")).scalars().all()
        assert areas == ["31.74.06.1001"]
        counts = conn.execute(sa.text(
            "SELECT visits_done, visits_on_time FROM follow_up_plan")).one()
        assert tuple(counts) == (2, 1)
    engine.dispose()
