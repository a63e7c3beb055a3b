"""Request and response bodies of registration's API."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AREA_PATTERN = r"^31(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
AreaCode = Field(pattern=AREA_PATTERN,
                 description="Kemendagri code in dotted form, e.g. 31.74.06.1001")


class ProgrammeCreate(BaseModel):
    code: str = Field(min_length=2, max_length=60, pattern=r"^[A-Z0-9][A-Z0-9\-]*$")
    name: str = Field(min_length=2, max_length=200)
    kind: str = Field(min_length=2, max_length=40, examples=["UEP", "UP2K"])
    target_area_code: str = AreaCode
    intake_opens_on: date
    intake_closes_on: date
    total_capacity: int = Field(ge=1, le=1_000_000)
    kelurahan_quota: int | None = Field(default=None, ge=0)
    quotas: dict[str, int] = Field(default_factory=dict)
    tracks: list[str] = Field(default_factory=list, max_length=50)
    eligibility_rules: list[dict[str, Any]] = Field(default_factory=list, max_length=50)


class SeatRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    scope: str
    capacity: int
    taken: int


class ProgrammeRead(ProgrammeCreate):
    model_config = ConfigDict(from_attributes=True)
    id: str
    created_by: str
    created_at: datetime
    seats: list[SeatRead] = Field(default_factory=list)


class PersonFields(BaseModel):
    full_name: str = Field(min_length=2, max_length=200)
    nik: str = Field(min_length=1, max_length=40)
    kk_number: str = Field(min_length=1, max_length=40)
    birth_date: date
    gender: Literal["F", "M"]
    phone: str | None = Field(default=None, max_length=30)
    address: str = Field(min_length=1, max_length=300)
    rt: str = Field(min_length=1, max_length=6)
    rw: str = Field(min_length=1, max_length=6)
    kelurahan_code: str = AreaCode
    dtks_listed: bool = False
    pkk_cadre: bool = False
    baseline_business: str | None = Field(default=None, max_length=200)
    baseline_monthly_income: int | None = Field(default=None, ge=0)


class ParticipantCorrection(BaseModel):
    """Only the fields sent are changed; each change is audited."""

    model_config = ConfigDict(extra="forbid")
    full_name: str | None = Field(default=None, min_length=2, max_length=200)
    nik: str | None = Field(default=None, max_length=40)
    kk_number: str | None = Field(default=None, max_length=40)
    birth_date: date | None = None
    gender: Literal["F", "M"] | None = None
    phone: str | None = Field(default=None, max_length=30)
    address: str | None = Field(default=None, max_length=300)
    rt: str | None = Field(default=None, max_length=6)
    rw: str | None = Field(default=None, max_length=6)
    kelurahan_code: str | None = Field(default=None, pattern=AREA_PATTERN)  # optional here
    dtks_listed: bool | None = None
    pkk_cadre: bool | None = None
    baseline_business: str | None = Field(default=None, max_length=200)
    baseline_monthly_income: int | None = Field(default=None, ge=0)


class ParticipantSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    full_name: str
    gender: str
    birth_date: date
    phone: str | None
    kelurahan_code: str
    pkk_cadre: bool
    created_at: datetime


class ParticipantRead(ParticipantSummary):
    nik: str
    kk_number: str
    address: str
    rt: str
    rw: str
    dtks_listed: bool
    baseline_business: str | None
    baseline_monthly_income: int | None
    updated_at: datetime
    created_by: str


class DuplicateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    participant_id: str
    candidate_id: str
    kelurahan_code: str
    score: float
    status: str
    reviewed_by: str | None
    reviewed_at: datetime | None


class Registered(BaseModel):
    participant: ParticipantRead
    possible_duplicates: list[DuplicateRead]


class CorrectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    field: str
    old_value: str | None
    new_value: str | None
    changed_by: str
    changed_at: datetime


class ApplicationCreate(BaseModel):
    participant_id: str = Field(min_length=1, max_length=36)
    programme_id: str = Field(min_length=1, max_length=36)
    track: str | None = Field(default=None, max_length=60)


class Reason(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class ApplicationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    programme_id: str
    participant_id: str
    full_name: str
    track: str | None
    kelurahan_code: str
    status: str
    reasons: list[str]
    submitted_by: str
    submitted_at: datetime
    verified_by: str | None
    enrolled_at: datetime | None
    waitlisted_at: datetime | None
    withdrawn_at: datetime | None


class Page(BaseModel):
    items: list[Any]
    next_cursor: str | None


class DuplicateDecision(BaseModel):
    decision: Literal["duplicate", "not_duplicate"]


class ImportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    filename: str
    sha256: str
    programme_id: str | None
    area_code: str
    uploaded_by: str
    uploaded_at: datetime
    rows_total: int
    rows_imported: int
    rows_skipped: int
    rows_failed: int
    outcomes: dict[str, int] = Field(default_factory=dict)
    errors: list[dict[str, Any]]
