"""A graduate's business status, derived from the evidence of the visits (no I/O).

Statuses: ``active_daily`` (produces 5-7 days a week), ``active_weekly`` (1-4 days),
``seasonal`` (production or revenue concentrated in the weeks before Lebaran or Natal),
``stopped``. Older clients send ``producing_daily``, ``producing_weekly``, ``seasonal_only``:
they mean the same and are read as the new names (``OLD_NAMES``).

The season windows are the ``WINDOW_DAYS`` days before the first day of Idul Fitri and before
25 December (the day itself excluded), Idul Fitri's date from the ``holidays`` package.

Seasonal, when the visits include at least one inside a window and one outside, and either
* production: the visits inside average at least 4 production days a week and those outside
  at most 1, or
* revenue: the visits inside hold at least 70 % of the monthly revenue reported while being
  at most half of the visits that reported revenue.
* sales (marketplace's SaleRecorded): over at least ``SALES_MIN_SPAN_DAYS`` days from the
  first sale to the last, at least 70 % of the sales revenue falls inside the windows while
  the windows cover less than 20 % of those days.
An officer's explicit ``stopped`` at the latest visit wins over seasonality (the business is
gone, not resting); otherwise seasonality wins over the latest visit (a quiet month after
Lebaran is the pattern, not a stop). Without seasonality the latest visit decides: stopped
when it says so or when it saw 0 production days and no revenue; daily at 5+ days; weekly at
1-4; without production days, the officer's own judgement.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from berdaya_shared.calendar_id import in_season

DAILY_FROM_DAYS = 5
SEASON_INSIDE_MIN_DAYS = 4
SEASON_OUTSIDE_MAX_DAYS = 1
SEASON_REVENUE_SHARE = 0.7
SEASON_MAX_WINDOW_SHARE = 0.2
SALES_MIN_SPAN_DAYS = 90


class BusinessStatus(StrEnum):
    ACTIVE_DAILY = "active_daily"
    ACTIVE_WEEKLY = "active_weekly"
    SEASONAL = "seasonal"
    STOPPED = "stopped"


OLD_NAMES = {"producing_daily": BusinessStatus.ACTIVE_DAILY,
             "producing_weekly": BusinessStatus.ACTIVE_WEEKLY,
             "seasonal_only": BusinessStatus.SEASONAL}


def normalise(value: str) -> str:
    return OLD_NAMES.get(value, value)


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """What one recorded visit saw."""

    visited_on: date
    observed: str | None  # the officer's judgement (new names), if given
    production_days: int | None
    revenue: int | None


def _mean(values: list[int]) -> float:
    return sum(values) / len(values)


def seasonal_reason(history: list[Evidence]) -> str | None:
    """Why the history is seasonal (Bahasa), or None when it is not."""
    inside = [e for e in history if in_season(e.visited_on)]
    outside = [e for e in history if not in_season(e.visited_on)]
    if not inside or not outside:
        return None
    days_in = [e.production_days for e in inside if e.production_days is not None]
    days_out = [e.production_days for e in outside if e.production_days is not None]
    if (days_in and days_out and _mean(days_in) >= SEASON_INSIDE_MIN_DAYS
            and _mean(days_out) <= SEASON_OUTSIDE_MAX_DAYS):
        return (f"Produksi rata-rata {_mean(days_in):.1f} hari/minggu menjelang Lebaran/Natal, "
                f"{_mean(days_out):.1f} hari/minggu di luar musim itu.")
    with_revenue = [e for e in history if e.revenue is not None]
    total = sum(e.revenue or 0 for e in with_revenue)
    revenue_in = sum(e.revenue or 0 for e in with_revenue if in_season(e.visited_on))
    visits_in = sum(1 for e in with_revenue if in_season(e.visited_on))
    if total > 0 and revenue_in >= SEASON_REVENUE_SHARE * total \
            and visits_in * 2 <= len(with_revenue):
        return (f"{round(100 * revenue_in / total)}% omzet tercatat menjelang Lebaran/Natal "
                f"dari {visits_in} dari {len(with_revenue)} kunjungan.")
    return None


@dataclass(frozen=True, kw_only=True)
class Sale:
    sold_on: date
    amount: int


def seasonal_sales_reason(sales: list[Sale]) -> str | None:
    """Why the sales are seasonal (Bahasa), or None when they are not (or too few days)."""
    if not sales:
        return None
    first = min(s.sold_on for s in sales)
    span = (max(s.sold_on for s in sales) - first).days + 1
    total = sum(s.amount for s in sales)
    if span < SALES_MIN_SPAN_DAYS or total <= 0:
        return None
    inside = sum(s.amount for s in sales if in_season(s.sold_on))
    window_days = sum(1 for i in range(span) if in_season(first + timedelta(days=i)))
    if inside >= SEASON_REVENUE_SHARE * total and window_days < SEASON_MAX_WINDOW_SHARE * span:
        return (f"{round(100 * inside / total)}% penjualan tercatat menjelang Lebaran/Natal, "
                f"masa yang hanya {round(100 * window_days / span)}% dari {span} hari "
                f"pengamatan.")
    return None


def derive(history: list[Evidence],
           sales: list[Sale] | None = None) -> tuple[BusinessStatus, str] | None:
    """The status the visits (and sales) support and why (Bahasa), or None without any
    visit: sales alone only tell whether the business is seasonal."""
    if not history:
        return None
    # The latest visit; of visits on the same day, the one recorded last (``history`` comes
    # in recording order and the sort is stable).
    latest = sorted(history, key=lambda e: e.visited_on)[-1]
    if latest.observed == BusinessStatus.STOPPED:
        return BusinessStatus.STOPPED, "Petugas mencatat usaha berhenti pada kunjungan terakhir."
    season = seasonal_reason(history) or seasonal_sales_reason(sales or [])
    if season is not None:
        return BusinessStatus.SEASONAL, season
    return from_visit(latest)


def from_visit(visit: Evidence) -> tuple[BusinessStatus, str]:
    days = visit.production_days
    if days is not None:
        if days == 0 and not visit.revenue:
            return BusinessStatus.STOPPED, "Tidak ada produksi dan omzet pada kunjungan terakhir."
        if days >= DAILY_FROM_DAYS:
            return BusinessStatus.ACTIVE_DAILY, f"Produksi {days} hari/minggu."
        if days >= 1:
            return BusinessStatus.ACTIVE_WEEKLY, f"Produksi {days} hari/minggu."
    if visit.observed:
        return BusinessStatus(visit.observed), "Penilaian petugas pada kunjungan terakhir."
    return BusinessStatus.ACTIVE_WEEKLY, "Ada omzet tanpa hari produksi (menjual stok)."


ENTREPRENEUR_SPAN_DAYS = 182
ACTIVE = (BusinessStatus.ACTIVE_DAILY, BusinessStatus.ACTIVE_WEEKLY)


def entrepreneur_on(active_visits: list[date]) -> date | None:
    """The day a graduate became a "new entrepreneur": the first visit found active at least
    six months (182 days) after an earlier active visit; None until then."""
    days = sorted(active_visits)
    if not days:
        return None
    for day in days:
        if (day - days[0]).days >= ENTREPRENEUR_SPAN_DAYS:
            return day
    return None
