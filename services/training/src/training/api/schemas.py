"""Request and response bodies of training's API.

Every string is bounded by the column it lands in (ids 36, track 60, names 200)."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..domain.model import RosterStatus

AREA_PATTERN = r"^31(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
ParticipantId = Annotated[str, Field(min_length=1, max_length=36)]


class CohortCreate(BaseModel):
    programme_id: str = Field(min_length=1, max_length=36)
    track: str | None = Field(default=None, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    venue: str = Field(min_length=1, max_length=200)
    area_code: str = Field(max_length=13, pattern=AREA_PATTERN,
                           description="Kemendagri code of the area the cohort is run for")
    starts_on: date
    ends_on: date


class CohortRead(CohortCreate):
    model_config = ConfigDict(from_attributes=True)
    id: str
    created_by: str
    created_at: datetime


class Members(BaseModel):
    participant_ids: list[ParticipantId] = Field(min_length=1, max_length=500)


class AttendanceIn(BaseModel):
    session_on: date
    present: list[ParticipantId] = Field(default_factory=list, max_length=500)
    absent: list[ParticipantId] = Field(default_factory=list, max_length=500)


class GraduationIn(BaseModel):
    participant_id: ParticipantId


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
