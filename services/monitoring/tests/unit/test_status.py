"""Business status from the evidence, on constructed histories around real Lebaran and Natal
dates (Idul Fitri 31 March 2025 and 21 March 2026, from the `holidays` package)."""

from datetime import date

import pytest

from monitoring.domain.status import BusinessStatus, Evidence, derive, in_season, normalise


def seen(day: date, days: int | None = None, revenue: int | None = None,
         observed: str | None = None) -> Evidence:
    return Evidence(visited_on=day, observed=observed, production_days=days, revenue=revenue)


@pytest.mark.parametrize(("day", "inside"), [
    (date(2025, 2, 28), False), (date(2025, 3, 1), True),    # 30 days before 31 March 2025
    (date(2025, 3, 30), True), (date(2025, 3, 31), False),   # Idul Fitri itself is outside
    (date(2026, 2, 19), True), (date(2026, 2, 18), False),   # before 21 March 2026
    (date(2025, 11, 25), True), (date(2025, 12, 24), True), (date(2025, 12, 25), False),
    (date(2025, 11, 24), False), (date(2025, 7, 1), False),
])
def test_the_season_windows_are_the_30_days_before_lebaran_and_natal(day, inside):
    assert in_season(day) is inside


def test_production_only_before_lebaran_is_seasonal():
    history = [seen(date(2025, 3, 20), days=6), seen(date(2025, 6, 10), days=0),
               seen(date(2025, 9, 10), days=1)]
    status, reason = derive(history)
    assert status == BusinessStatus.SEASONAL
    assert reason == ("Produksi rata-rata 6.0 hari/minggu menjelang Lebaran/Natal, "
                      "0.5 hari/minggu di luar musim itu.")


def test_revenue_concentrated_before_lebaran_2026_is_seasonal():
    history = [seen(date(2026, 3, 10), revenue=9_000_000, observed="active_weekly"),
               seen(date(2026, 5, 10), revenue=1_000_000, observed="active_weekly"),
               seen(date(2026, 8, 10), revenue=1_000_000, observed="active_weekly")]
    assert derive(history) == (BusinessStatus.SEASONAL,
                               "82% omzet tercatat menjelang Lebaran/Natal dari 1 dari 3 "
                               "kunjungan.")


def test_production_only_before_natal_is_seasonal_not_stopped():
    history = [seen(date(2025, 12, 10), days=7), seen(date(2026, 2, 2), days=0, revenue=0)]
    assert derive(history)[0] == BusinessStatus.SEASONAL


def test_steady_production_through_lebaran_is_daily():
    history = [seen(date(2025, 3, 20), days=6), seen(date(2025, 6, 10), days=5)]
    assert derive(history) == (BusinessStatus.ACTIVE_DAILY, "Produksi 5 hari/minggu.")


def test_revenue_spread_over_the_year_is_not_seasonal():
    history = [seen(date(2026, 3, 10), days=3, revenue=3_000_000),
               seen(date(2026, 5, 10), days=3, revenue=2_500_000)]
    assert derive(history)[0] == BusinessStatus.ACTIVE_WEEKLY


def test_an_officer_saying_stopped_wins_over_the_season():
    history = [seen(date(2025, 3, 20), days=6), seen(date(2025, 6, 10), days=0),
               seen(date(2025, 9, 10), days=0, observed="stopped")]
    assert derive(history)[0] == BusinessStatus.STOPPED


@pytest.mark.parametrize(("evidence", "status"), [
    (seen(date(2025, 7, 1), days=0), BusinessStatus.STOPPED),
    (seen(date(2025, 7, 1), days=0, revenue=500_000), BusinessStatus.ACTIVE_WEEKLY),
    (seen(date(2025, 7, 1), days=1), BusinessStatus.ACTIVE_WEEKLY),
    (seen(date(2025, 7, 1), days=4), BusinessStatus.ACTIVE_WEEKLY),
    (seen(date(2025, 7, 1), days=5), BusinessStatus.ACTIVE_DAILY),
    (seen(date(2025, 7, 1), observed="seasonal"), BusinessStatus.SEASONAL),
    (seen(date(2025, 7, 1), days=7, observed="active_weekly"), BusinessStatus.ACTIVE_DAILY),
])
def test_one_visit_decides_by_its_production_days_else_the_officer(evidence, status):
    assert derive([evidence])[0] == status


def test_no_visit_no_status():
    assert derive([]) is None


@pytest.mark.parametrize(("old", "new"), [("producing_daily", "active_daily"),
                                          ("producing_weekly", "active_weekly"),
                                          ("seasonal_only", "seasonal"), ("stopped", "stopped")])
def test_old_status_names_read_as_the_new_ones(old, new):
    assert normalise(old) == new


def sale(day: date, amount: int):
    from monitoring.domain.status import Sale
    return Sale(sold_on=day, amount=amount)


def test_sales_concentrated_before_lebaran_make_a_weekly_business_seasonal():
    visits = [seen(date(2025, 6, 10), days=3)]
    sales = [sale(date(2025, 3, 5), 6_000_000), sale(date(2025, 3, 25), 3_000_000),
             sale(date(2025, 5, 10), 400_000), sale(date(2025, 8, 10), 300_000),
             sale(date(2025, 10, 20), 300_000)]
    status, reason = derive(visits, sales)
    assert status == BusinessStatus.SEASONAL
    # 9.0 of 10.0 juta inside; 26 window days (5-30 March) of the 230 observed.
    assert reason == ("90% penjualan tercatat menjelang Lebaran/Natal, masa yang hanya 11% "
                      "dari 230 hari pengamatan.")


def test_sales_spread_over_the_year_or_too_few_days_are_not_seasonal():
    visits = [seen(date(2025, 6, 10), days=3)]
    spread = [sale(date(2025, 3, 5), 1_000_000), sale(date(2025, 5, 10), 1_000_000),
              sale(date(2025, 8, 10), 1_000_000), sale(date(2025, 10, 20), 1_000_000)]
    assert derive(visits, spread)[0] == BusinessStatus.ACTIVE_WEEKLY
    short = [sale(date(2025, 3, 5), 9_000_000), sale(date(2025, 4, 20), 100_000)]
    assert derive(visits, short)[0] == BusinessStatus.ACTIVE_WEEKLY
    assert derive([], spread) is None


def test_a_new_entrepreneur_is_active_at_two_visits_six_months_apart():
    from monitoring.domain.status import entrepreneur_on
    assert entrepreneur_on([date(2025, 3, 3), date(2025, 8, 31)]) is None      # 181 days
    assert entrepreneur_on([date(2025, 9, 1), date(2025, 3, 3)]) == date(2025, 9, 1)  # 182
    assert entrepreneur_on([date(2025, 3, 3), date(2025, 9, 1), date(2026, 1, 5)]) == date(
        2025, 9, 1)
    assert entrepreneur_on([]) is None


def test_of_two_visits_on_one_day_the_one_recorded_last_decides():
    day = date(2026, 9, 1)
    stopped, daily = seen(day, days=0, observed="stopped"), seen(day, days=6)
    assert derive([stopped, daily])[0] == BusinessStatus.ACTIVE_DAILY
    assert derive([daily, stopped])[0] == BusinessStatus.STOPPED
