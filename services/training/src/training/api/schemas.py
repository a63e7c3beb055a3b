"""Request and response bodies of training's API.

Every string is bounded by the column it lands in (ids 36, track codes 60, names 200)."""

from datetime import date, datetime, time
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from berdaya_shared.api.types import PositiveInt32

from ..adapters.tables import GraduationDecision
from ..domain.graduation import MAX_SCORE, MIN_SCORE, AssessmentKind, AttendanceStatus, Outcome
from ..domain.model import CohortStatus, RosterStatus

AREA_PATTERN = r"^31(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
ParticipantId = Annotated[str, Field(min_length=1, max_length=36)]
KitItem = Annotated[str, Field(min_length=1, max_length=200)]


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local (Jakarta) time of day, without a UTC offset")
    return value


# A time of day in Jakarta, "HH:MM" or "HH:MM:SS". JSON Schema's "time" format demands an
# offset, which a session's wall-clock time does not have: documented as a pattern instead.
LocalTime = Annotated[time, AfterValidator(_local), WithJsonSchema({
    "type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$",
    "description": "Local time of day in Jakarta, HH:MM[:SS]"})]
MAX_SHEET = 2000  # members one attendance sheet may list (a large UEP cohort is ~500)


class TrackCreate(BaseModel):
    code: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$",
                      description="Short code, e.g. tata-boga")
    name: str = Field(min_length=1, max_length=200, description="Name in Bahasa Indonesia")
    hours: PositiveInt32
    kit_type: str = Field(min_length=1, max_length=100, description="e.g. alat masak set")
    kit_items: list[KitItem] = Field(min_length=1, max_length=50)
    min_attendance_share: float = Field(ge=0, le=1, description="Share of sessions attended")
    min_score: int = Field(ge=MIN_SCORE, le=MAX_SCORE, description="Pass mark (0-100)")


class TrackRead(TrackCreate):
    model_config = ConfigDict(from_attributes=True)
    id: str
    programme_id: str
    created_by: str
    created_at: datetime


class VenueCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=300)
    kelurahan_code: str = Field(max_length=13, description="Kemendagri kelurahan code")
    capacity: PositiveInt32


class VenueRead(VenueCreate):
    model_config = ConfigDict(from_attributes=True)
    id: str
    created_by: str
    created_at: datetime


class VenuePage(BaseModel):
    items: list[VenueRead]
    next_cursor: str | None


class CohortCreate(BaseModel):
    programme_id: str = Field(min_length=1, max_length=36)
    track_code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    venue_id: str = Field(min_length=1, max_length=36)
    area_code: str = Field(max_length=13, pattern=AREA_PATTERN,
                           description="Kemendagri code of the area the cohort is run for")
    starts_on: date
    ends_on: date


class CohortRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    programme_id: str
    track_code: str | None
    name: str
    venue_id: str | None
    area_code: str
    status: CohortStatus
    starts_on: date
    ends_on: date
    created_by: str
    created_at: datetime
    started_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None


class CohortPage(BaseModel):
    items: list[CohortRead]
    next_cursor: str | None


class Members(BaseModel):
    participant_ids: list[ParticipantId] = Field(min_length=1, max_length=500)


class SessionCreate(BaseModel):
    held_on: date
    starts_at: LocalTime
    ends_at: LocalTime
    topic: str = Field(min_length=1, max_length=200)
    trainer_id: str = Field(min_length=1, max_length=100,
                            description="The trainer's id (their user subject for now)")


class SessionRead(SessionCreate):
    model_config = ConfigDict(from_attributes=True)
    id: str
    cohort_id: str
    created_by: str
    created_at: datetime
    attendance_recorded_by: str | None
    attendance_recorded_at: datetime | None


class AttendanceEntry(BaseModel):
    participant_id: ParticipantId
    status: AttendanceStatus


class AttendanceSheet(BaseModel):
    entries: list[AttendanceEntry] = Field(min_length=1, max_length=MAX_SHEET)


class SheetSaved(BaseModel):
    recorded: int
    corrected: int


class AttendanceRead(AttendanceEntry):
    model_config = ConfigDict(from_attributes=True)
    recorded_by: str
    recorded_at: datetime


class CorrectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    participant_id: str
    old_status: AttendanceStatus
    new_status: AttendanceStatus
    corrected_by: str
    corrected_at: datetime


class ScoreIn(BaseModel):
    participant_id: ParticipantId
    kind: AssessmentKind
    score: int = Field(ge=MIN_SCORE, le=MAX_SCORE)


class Scores(BaseModel):
    scores: list[ScoreIn] = Field(min_length=1, max_length=2 * MAX_SHEET)


class ScoreRead(ScoreIn):
    model_config = ConfigDict(from_attributes=True)
    assessed_by: str
    assessed_at: datetime


class DecisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    participant_id: str
    outcome: Outcome
    attendance_share: float
    score: int | None
    reason: str | None = Field(description="why not graduated: Bahasa Indonesia, or English on "
                                           "Accept-Language: en")
    decided_by: str
    decided_at: datetime

    @classmethod
    def of(cls, decision: GraduationDecision, language: str) -> "DecisionRead":
        read = cls.model_validate(decision)
        if language == "en" and decision.reason_en:
            read.reason = decision.reason_en
        return read


class OverrideIn(BaseModel):
    outcome: Outcome
    reason: str = Field(min_length=10, max_length=500,
                        description="Why the rule's decision is changed (Bahasa)")


class OverrideRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    old_outcome: Outcome
    new_outcome: Outcome
    reason: str
    overridden_by: str
    overridden_at: datetime


class RosterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    participant_id: str
    programme_id: str
    programme_code: str
    track: str | None
    full_name: str
    kelurahan_code: str
    status: RosterStatus
    cohort_id: str | None
    enrolled_at: datetime
    graduated_at: datetime | None


class RosterPage(BaseModel):
    items: list[RosterRead]
    next_cursor: str | None
