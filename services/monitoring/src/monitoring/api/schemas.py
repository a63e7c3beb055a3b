"""Request and response bodies of monitoring's API.

Every value a caller sends fits its column: income is a PostgreSQL INTEGER (``NonNegativeInt32``),
notes at most 2,000 characters."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from berdaya_shared.api.types import NonNegativeInt32

from ..domain.model import VisitStatus
from ..domain.referrals import Outcome, ReferralStatus
from ..domain.report import MAX_MONTHLY_AMOUNT, MAX_PRODUCTS, Channel, KitState, Need, income_change_note
from ..domain.status import BusinessStatus

Product = Annotated[str, Field(min_length=1, max_length=100)]


class VisitRecord(BaseModel):
    """What the officer saw. Old clients send ``visited_on, business_status, monthly_income,
    notes`` and keep working; every other field is optional."""

    visited_on: date
    business_status: str | None = Field(
        default=None, max_length=20,
        description="The officer's judgement: active_daily, active_weekly, seasonal (produces "
                    "only for Lebaran and Natal) or stopped; the older names producing_daily, "
                    "producing_weekly, seasonal_only are read as these. Optional when "
                    "production_days_per_week is given")
    monthly_income: NonNegativeInt32 | None = Field(
        default=None, description="Monthly net income in Rupiah (the older name of "
                                  "monthly_net_income)")
    notes: str = Field(default="", max_length=2000)
    monthly_net_income: NonNegativeInt32 | None = Field(
        default=None, description=f"Rupiah a month, at most {MAX_MONTHLY_AMOUNT:,}")
    monthly_revenue: NonNegativeInt32 | None = Field(
        default=None, description=f"Omzet, Rupiah a month, at most {MAX_MONTHLY_AMOUNT:,}")
    production_days_per_week: int | None = Field(default=None, ge=0, le=7)
    main_products: list[Product] = Field(default=[], max_length=MAX_PRODUCTS)
    channels: list[Channel] = Field(default=[], max_length=len(Channel))
    kit_state: KitState | None = None
    needs: list[Need] = Field(default=[], max_length=len(Need))


class VisitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    plan_id: str
    sequence: int
    due_on: date
    status: VisitStatus
    visited_on: date | None
    business_status: BusinessStatus | None
    monthly_income: int | None
    notes: str | None
    recorded_by: str | None
    recorded_at: datetime | None
    overdue_flagged_at: datetime | None
    assigned_to: str | None
    assigned_by: str | None
    assigned_at: datetime | None
    production_days_per_week: int | None = None
    main_products: list[str] | None = None
    monthly_revenue: int | None = None
    channels: list[str] | None = None
    kit_state: str | None = None
    needs: list[str] | None = None
    income_baseline: int | None = None
    income_change_amount: int | None = None
    income_change_pct: float | None = None
    income_change_note: str | None = Field(
        default=None, description="Why no income change was computed, in Bahasa")

    @model_validator(mode="after")
    def _note(self) -> "VisitRead":
        if self.status == VisitStatus.DONE:
            self.income_change_note = income_change_note(baseline=self.income_baseline,
                                                         net=self.monthly_income)
        return self


class PlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
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
    created_at: datetime
    business_status: BusinessStatus | None = None
    business_status_reason: str | None = None
    business_status_changed_at: datetime | None = None


class KitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kit_id: str
    kit_type: str
    items: list[dict[str, object]]
    issued_at: datetime
    state: str | None
    state_seen_on: date | None


class PlanDetail(PlanRead):
    visits: list[VisitRead]
    starter_kits: list[KitRead] = []
    referrals: list["ReferralRead"] = []
    open_escalations: list["EscalationRead"] = []


class PlanPage(BaseModel):
    items: list[PlanRead]
    next_cursor: str | None


class VisitScheduleWrite(BaseModel):
    offsets_days: list[int] = Field(
        min_length=1, max_length=12,
        description="Days after graduation of each visit, strictly increasing; a due date on a "
                    "weekend, public holiday or cuti bersama moves to the next working day")


class VisitScheduleRead(BaseModel):
    programme_id: str
    offsets_days: list[int]
    is_default: bool = Field(description="true: the programme has no schedule of its own")
    updated_by: str | None = None
    updated_at: datetime | None = None


class CoverageWrite(BaseModel):
    kelurahan_codes: list[Annotated[str, Field(max_length=13)]] = Field(max_length=300)


class CoverageRead(BaseModel):
    subject: str
    kelurahan_codes: list[str]


class VisitAssign(BaseModel):
    officer: str = Field(min_length=1, max_length=100, description="The field officer's login")


class WorkItemRead(BaseModel):
    visit_id: str
    plan_id: str
    participant_id: str
    full_name: str
    phone: str | None
    kelurahan_code: str
    kecamatan_code: str
    programme_id: str
    programme_code: str
    sequence: int
    due_on: date
    days_overdue: int
    escalation_level: int | None
    assigned_to: str | None
    overdue_flagged_at: datetime | None


class WorkListPage(BaseModel):
    items: list[WorkItemRead]
    next_cursor: str | None


class EscalationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    visit_id: str
    plan_id: str
    participant_id: str
    full_name: str
    level: int
    role: str
    area_code: str
    kelurahan_code: str
    due_on: date
    days_overdue: int
    raised_at: datetime
    closed_at: datetime | None
    closed_reason: str | None


class EscalationPage(BaseModel):
    items: list[EscalationRead]
    next_cursor: str | None


class TargetProgress(BaseModel):
    programme_id: str
    starts_on: date
    ends_on: date
    new_entrepreneurs_min: int
    new_entrepreneurs_max: int
    expected_to_date: int = Field(description="The minimum's pace: min x elapsed / duration")
    gap_to_expected: int
    gap_to_min: int


class IndicatorRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    key: str = Field(description="The area code, track code or cohort id of the group")
    graduates: int
    active_daily: int
    active_weekly: int
    seasonal: int
    stopped: int
    no_status_yet: int
    new_entrepreneurs: int = Field(description="Active at two visits >= 6 months apart")
    kits_issued: int
    kits_in_use: int
    income_change_mean: float | None
    income_change_median: float | None
    visits_done: int
    visits_on_time: int
    revenue_recorded: int
    referrals_open: int
    referrals_closed_positive: int = Field(description="Licence issued, loan granted or "
                                                       "training given")
    target: TargetProgress | None


class Indicators(BaseModel):
    group_by: str
    programme_id: str | None
    as_of: date
    rows: list[IndicatorRow]


class TargetWrite(BaseModel):
    programme_id: str = Field(default="*", min_length=1, max_length=36,
                              description='A programme id, or "*" for all programmes')
    new_entrepreneurs_min: NonNegativeInt32
    new_entrepreneurs_max: NonNegativeInt32
    starts_on: date
    ends_on: date


class TargetRead(TargetWrite):
    model_config = ConfigDict(from_attributes=True)
    area_code: str
    set_by: str
    set_at: datetime


class ReferralOpen(BaseModel):
    plan_id: str = Field(max_length=36)
    need: str = Field(max_length=20, description="licence, capital, marketing or skills")
    agency_code: str | None = Field(default=None, max_length=40,
                                    description="Left out: the routing rules choose")


class ReferralSend(BaseModel):
    agency_code: str | None = Field(default=None, max_length=40)


class ReferralClose(BaseModel):
    outcome: Outcome
    notes: str = Field(default="", max_length=2000)


class ReferralRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    plan_id: str
    participant_id: str
    kelurahan_code: str
    visit_id: str | None
    need: str
    agency_code: str
    status: ReferralStatus
    outcome: str | None
    outcome_notes: str | None
    opened_by: str | None
    opened_at: datetime | None
    due_on: date | None
    accepted_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None
    overdue_flagged_at: datetime | None


class ReferralPage(BaseModel):
    items: list[ReferralRead]
    next_cursor: str | None


class AgencyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str
    agreed_days: int


class LadderStep(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    days_overdue: int = Field(ge=1, le=3650)
    role: Literal["kelurahan_officer", "kecamatan_officer", "city_admin"]


class LadderStepRead(LadderStep):
    level: int
    set_by: str | None = None  # None: the ladder the service was installed with
    set_at: datetime | None = None


class LadderWrite(BaseModel):
    steps: list[LadderStep] = Field(min_length=1, max_length=10)


PlanDetail.model_rebuild()  # its referrals and escalations are defined further down
