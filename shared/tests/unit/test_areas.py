"""Area scoping as SQL: a kota, kecamatan or kelurahan sees exactly the rows inside it (the
same rule as ``within``), whether the condition is a prefix match or, for a kelurahan, an
equality an index can serve in order."""

import sqlalchemy as sa

from berdaya_shared.areas import in_area, within

CODES = ["31.74.06.1001", "31.74.06.1002", "31.74.07.1001", "31.71.03.1001"]


def test_in_area_selects_what_within_says():
    engine = sa.create_engine("sqlite://")
    table = sa.Table("t", sa.MetaData(), sa.Column("code", sa.String(13)))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"code": c} for c in CODES])
        for area in ("31", "31.74", "31.74.06", "31.74.06.1001", "31.74.0", "31.74.06.100"):
            found = conn.execute(sa.select(table.c.code).where(in_area(table.c.code, area))
                                 ).scalars().all()
            assert sorted(found) == sorted(c for c in CODES if within(c, area)), area
    assert sorted(c for c in CODES if within(c, "31.74.06.1001")) == ["31.74.06.1001"]
    assert sorted(c for c in CODES if within(c, "31.74.06")) == ["31.74.06.1001", "31.74.06.1002"]
