"""The booth allocation rule, pure: fewer booths first, seasonal sellers outside the season,
kelurahan in proportion to their applicants, ties by the seeded draw, and the same answer
from the same seed."""

from datetime import date

import pytest

from berdaya_shared.calendar_id import touches_season
from berdaya_shared.errors import Conflict, InvalidInput
from marketplace.domain import bazaar
from marketplace.domain.bazaar import Applicant, allocate, draw_numbers, kelurahan_quotas

CILANDAK_BARAT, PONDOK_LABU, LEBAK_BULUS = "31.74.06.1001", "31.74.06.1003", "31.74.06.1004"


def applicant(seller_id: str, kelurahan: str = CILANDAK_BARAT, *, booths: int = 0,
              seasonal: bool = False) -> Applicant:
    return Applicant(seller_id=seller_id, kelurahan_code=kelurahan, booths_last_year=booths,
                     seasonal=seasonal)


def holders(placements) -> list[str]:
    return [p.seller_id for p in placements if p.allocated]


def test_when_the_applicants_fit_everyone_gets_a_booth():
    placements = allocate([applicant("a"), applicant("b", booths=3)], booths=5, seed="s",
                          off_season=True)
    assert holders(placements) == ["a", "b"]
    assert all("semua mendapat stand" in p.reason for p in placements)


def test_fewer_booths_in_the_last_twelve_months_come_first():
    people = [applicant("often", booths=4), applicant("once", booths=1), applicant("never")]
    placements = allocate(people, booths=2, seed="s", off_season=False)
    assert holders(placements) == ["never", "once"]
    [waiting] = [p for p in placements if not p.allocated]
    assert (waiting.seller_id, waiting.rank) == ("often", 3)
    assert waiting.reason == ("Daftar tunggu nomor 1: urutan 3 dari 3 pelamar untuk 2 stand; "
                              "4 stand dalam 12 bulan terakhir, nomor undian "
                              f"{waiting.draw}.")
    assert waiting.reason_en.startswith("Waiting list number 1: place 3 of 3 applicants")


@pytest.mark.parametrize(("off_season", "winner"), [(True, "seasonal"), (False, None)])
def test_seasonal_sellers_come_first_only_outside_the_season(off_season, winner):
    people = [applicant(f"daily-{i}") for i in range(6)] + [applicant("seasonal", seasonal=True)]
    placements = allocate(people, booths=1, seed="seed-7", off_season=off_season)
    if winner:
        assert holders(placements) == [winner]
        assert "penjual musiman diutamakan" in placements[0].reason
    else:  # in season the draw decides among equals, seasonal or not
        draws = draw_numbers("seed-7", [p.seller_id for p in people])
        assert holders(placements) == [min(draws, key=draws.__getitem__)]


def test_a_seasonal_seller_does_not_pass_one_with_fewer_booths():
    people = [applicant("seasonal", booths=2, seasonal=True), applicant("daily", booths=1)]
    assert holders(allocate(people, booths=1, seed="s", off_season=True)) == ["daily"]


def test_ties_go_by_the_seeded_draw_and_the_same_seed_gives_the_same_allocation():
    people = [applicant(f"seller-{i:02}") for i in range(20)]
    first = allocate(people, booths=5, seed="audit-1", off_season=True)
    again = allocate(list(reversed(people)), booths=5, seed="audit-1", off_season=True)
    assert first == again
    draws = draw_numbers("audit-1", [p.seller_id for p in people])
    assert holders(first) == sorted(draws, key=draws.__getitem__)[:5]
    assert [p.rank for p in first] == list(range(1, 21))
    other = allocate(people, booths=5, seed="audit-2", off_season=True)
    assert holders(other) != holders(first)  # another seed, another draw


def test_kelurahan_share_the_booths_in_proportion_to_their_applicants():
    # 6 + 3 + 1 applicants for 5 booths: exact shares 3, 1.5, 0.5 -> 3 + 1 + 0, and the two
    # halves tie on their remainder: the seeded draw of the kelurahan codes decides the fifth.
    counts = {CILANDAK_BARAT: 6, PONDOK_LABU: 3, LEBAK_BULUS: 1}
    quotas = kelurahan_quotas(counts, booths=5, seed="s")
    assert quotas[CILANDAK_BARAT] == 3 and sum(quotas.values()) == 5
    assert (quotas[PONDOK_LABU], quotas[LEBAK_BULUS]) in {(2, 0), (1, 1)}
    assert kelurahan_quotas(counts, booths=5, seed="s") == quotas  # the same seed, the same
    # 7 + 3 for 5 booths: 3.5 and 1.5, one extra booth for the kelurahan first in the draw
    split = kelurahan_quotas({CILANDAK_BARAT: 7, PONDOK_LABU: 3}, booths=5, seed="s")
    assert (split[CILANDAK_BARAT], split[PONDOK_LABU]) in {(4, 1), (3, 2)}
    assert kelurahan_quotas({CILANDAK_BARAT: 8, PONDOK_LABU: 2}, booths=4, seed="s") == {
        CILANDAK_BARAT: 3, PONDOK_LABU: 1}  # 3.2 and 0.8: the larger remainder wins
    people = ([applicant(f"cb-{i}", CILANDAK_BARAT) for i in range(6)]
              + [applicant(f"pl-{i}", PONDOK_LABU) for i in range(3)]
              + [applicant("lb-0", LEBAK_BULUS)])
    placements = allocate(people, booths=5, seed="s", off_season=True)
    given = [p for p in placements if p.allocated]
    assert len(given) == 5
    assert sum(p.seller_id.startswith("cb-") for p in given) == 3
    assert "sebanding dengan 6 dari 10 pelamar" in next(
        p.reason for p in placements if p.seller_id.startswith("cb-"))


def test_a_kelurahan_with_many_applicants_does_not_take_every_booth():
    # 8 + 2 for 4 booths: 3.2 and 0.8, so Pondok Labu's applicant who had the most booths
    # still gets one (the largest remainder), ahead of Cilandak Barat's newcomers.
    people = [applicant(f"cb-{i}", CILANDAK_BARAT) for i in range(8)] + [
        applicant("pl-0", PONDOK_LABU, booths=5), applicant("pl-1", PONDOK_LABU, booths=6)]
    placements = allocate(people, booths=4, seed="s", off_season=True)
    assert "pl-0" in holders(placements) and "pl-1" not in holders(placements)
    assert sum(p.startswith("cb-") for p in holders(placements)) == 3


@pytest.mark.parametrize(("first", "last", "touches"), [
    (date(2026, 7, 10), date(2026, 7, 12), False),   # mid-year
    (date(2026, 12, 1), date(2026, 12, 3), True),    # before Natal
    (date(2026, 12, 25), date(2026, 12, 27), False),  # Natal itself and after
    (date(2026, 3, 10), date(2026, 3, 12), True),    # before Idul Fitri (21 March 2026)
    (date(2026, 11, 20), date(2026, 11, 25), True),  # ends inside the Natal window
])
def test_an_event_touches_the_season_when_any_of_its_days_does(first, last, touches):
    assert touches_season(first, last) is touches


def test_bad_dates_and_closed_bazaars_are_problems_naming_the_field():
    with pytest.raises(InvalidInput) as late:
        bazaar.check_dates(date(2026, 7, 10), date(2026, 7, 9))
    assert late.value.field == "ends_on"
    with pytest.raises(InvalidInput) as long:
        bazaar.check_dates(date(2026, 7, 1), date(2026, 8, 1))
    assert long.value.field == "ends_on"
    with pytest.raises(Conflict) as closed:
        bazaar.check_open(bazaar.MarketEventStatus.ALLOCATED)
    assert closed.value.field == "event_id"
    with pytest.raises(Conflict) as over:
        bazaar.check_may_withdraw("allocated", ends_on=date(2026, 7, 11), today=date(2026, 7, 12))
    assert over.value.field == "application_id"
    bazaar.check_may_withdraw("allocated", ends_on=date(2026, 7, 11), today=date(2026, 7, 11))


@pytest.mark.parametrize(("status", "kelurahan", "categories", "mine", "error"), [
    ("paused", CILANDAK_BARAT, [], set(), Conflict),
    ("active", "31.74.07.1001", [], set(), InvalidInput),
    ("active", CILANDAK_BARAT, ["kue-basah"], {"minuman"}, InvalidInput),
])
def test_only_active_sellers_of_the_area_and_its_categories_may_apply(status, kelurahan,
                                                                     categories, mine, error):
    with pytest.raises(error) as refused:
        bazaar.check_may_apply(seller_status=status, seller_kelurahan=kelurahan,
                               event_area="31.74.06", categories=categories,
                               seller_categories=mine)
    assert refused.value.field == "seller_id"
    bazaar.check_may_apply(seller_status="active", seller_kelurahan=CILANDAK_BARAT,
                           event_area="31.74.06", categories=["kue-basah"],
                           seller_categories={"kue-basah", "minuman"})
