"""Request and response bodies of training's API."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class CohortCreate(BaseModel):
    programme_id: str = Field(min_length=1, max_length=36)
    track: str | None = Field(default=None, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    venue: str = Field(min_length=1, max_length=200)
    area_code: str = Field(pattern=r"^31(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
                           description="Kemendagri code of the area the cohort is run for")
    starts_on: date
    ends_on: date


class CohortRead(CohortCreate):
    model_config = ConfigDict(from_attributes=True)
    id: str
    created_by: str
    created_at: datetime


class Members(BaseModel):
    participant_ids: list[str] = Field(min_length=1, max_length=500)


class AttendanceIn(BaseModel):
    session_on: date
    present: list[str] = Field(default_factory=list, max_length=500)
    absent: list[str] = Field(default_factory=list, max_length=500)


class GraduationIn(BaseModel):
    participant_id: str = Field(min_length=1, max_length=36)


class RosterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    participant_id: str
    programme_id: str
    programme_code: str
    track: str | None
    full_name: str
    kelurahan_code: str
    status: str
    cohort_id: str | None
    enrolled_at: datetime
    graduated_at: datetime | None


class RosterPage(BaseModel):
    items: list[RosterRead]
    next_cursor: str | None
