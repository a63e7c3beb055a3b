"""Request and response bodies of registration's API."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from berdaya_shared.api.types import NonNegativeInt32

from ..domain.importing import ImportState

AREA_PATTERN = r"^31(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
AreaCode = Field(pattern=AREA_PATTERN,
                 description="Kemendagri code in dotted form, e.g. 31.74.06.1001")


# A track is stored on each application (application.track, 60 characters).
Track = Annotated[str, StringConstraints(min_length=1, max_length=60)]
KelurahanKey = Annotated[str, StringConstraints(max_length=13)]


class ProgrammeCreate(BaseModel):
    code: str = Field(min_length=2, max_length=60, pattern=r"^[A-Z0-9][A-Z0-9\-]*$")
    name: str = Field(min_length=2, max_length=200)
    kind: str = Field(min_length=2, max_length=40, examples=["UEP", "UP2K"])
    target_area_code: str = AreaCode
    intake_opens_on: date
    intake_closes_on: date
    total_capacity: int = Field(ge=1, le=1_000_000)
    kelurahan_quota: NonNegativeInt32 | None = None
    quotas: dict[KelurahanKey, NonNegativeInt32] = Field(default_factory=dict, max_length=300)
    tracks: list[Track] = Field(default_factory=list, max_length=50)
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
    baseline_monthly_income: NonNegativeInt32 | None = None  # participant.baseline_monthly_income: INTEGER


def _refuse_null(value: Any) -> Any:
    if value is None:  # "wajib diisi" in Bahasa (api/messages.py): the field needs a value
        raise PydanticCustomError("missing", "must not be null: this field always has a value")
    return value


# A correction may leave a field out, but not send null for one that always has a value.
NotNull = BeforeValidator(_refuse_null)


class ParticipantCorrection(BaseModel):
    """Only the fields sent are changed; each change is audited.

    ``null`` clears phone and the baseline; for any other field it is a 422 naming the field
    (leaving the field out keeps its value).
    """

    model_config = ConfigDict(extra="forbid")
    full_name: Annotated[str | None, NotNull] = Field(default=None, min_length=2, max_length=200)
    nik: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=40)
    kk_number: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=40)
    birth_date: Annotated[date | None, NotNull] = None
    gender: Annotated[Literal["F", "M"] | None, NotNull] = None
    phone: str | None = Field(default=None, max_length=30)
    address: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=300)
    rt: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=6)
    rw: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=6)
    kelurahan_code: Annotated[str | None, NotNull] = Field(default=None, pattern=AREA_PATTERN)
    dtks_listed: Annotated[bool | None, NotNull] = None
    pkk_cadre: Annotated[bool | None, NotNull] = None
    baseline_business: str | None = Field(default=None, max_length=200)
    baseline_monthly_income: NonNegativeInt32 | None = None


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


class RowProblem(BaseModel):
    row: int = Field(description="spreadsheet row (the header is row 1)")
    field: str
    reason: str = Field(description="in Bahasa Indonesia, or English on Accept-Language: en")


class ImportSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    filename: str
    sha256: str
    programme_id: str | None
    track: str | None
    verify: bool
    area_code: str
    uploaded_by: str
    uploaded_at: datetime
    state: ImportState = Field(description="queued -> running -> done | failed")
    rows_done: int = Field(description="rows read and committed so far")
    rows_total: int | None = Field(
        description="all data rows of the file: known only once the state is done (a CSV is "
                    "read as it streams; until then see rows_expected)")
    rows_expected: int | None = Field(
        description="counted at upload (the CSV's lines, the sheet's dimension): an estimate "
                    "for a progress bar; empty lines are not rows")
    rows_imported: int
    rows_skipped: int
    rows_failed: int
    chunks_committed: int
    last_row: int = Field(description="the last spreadsheet row committed")
    outcomes: dict[str, int]
    error: str | None = Field(description="why a failed import stopped, and what it kept")
    started_at: datetime | None
    finished_at: datetime | None


class ImportRead(ImportSummary):
    errors: list[RowProblem] = Field(description="the row report (at most 5,000 rows' problems)")
