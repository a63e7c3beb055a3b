"""What other services tell monitoring to do, as plain data (consumers build these from events)."""

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, kw_only=True)
class OpenPlan:
    """Training graduated a participant: follow their business up."""

    participant_id: str
    programme_id: str
    programme_code: str
    track: str | None
    full_name: str
    phone: str | None
    kelurahan_code: str
    kecamatan_code: str
    kota_code: str
    baseline_business: str | None
    baseline_monthly_income: int | None
    graduated_at: datetime
    cohort_id: str | None = None
    track_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class VisitReport:
    """What a field officer saw at a visit."""

    visited_on: date
    business_status: str | None  # the officer's judgement; old or new names
    monthly_income: int | None  # net income (old clients' name for it)
    notes: str
    monthly_net_income: int | None = None
    monthly_revenue: int | None = None
    production_days_per_week: int | None = None
    main_products: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    kit_state: str | None = None
    needs: tuple[str, ...] = ()
