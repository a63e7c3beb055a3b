"""Training's tables (its own registry and metadata), plus its outbox and inbox."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from berdaya_shared.db import new_id, new_registry
from berdaya_shared.inbox import define_inbox
from berdaya_shared.outbox import define_outbox

from ..domain.model import RosterStatus


class Base(SQLModel, registry=new_registry()):
    """Training's own table registry (a class statement, so type checkers see a base class)."""


metadata = Base.metadata
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)


class RosterEntry(Base, table=True):
    """A participant enrolled in a programme, as told by registration."""

    __tablename__ = "roster_entry"
    __table_args__ = (UniqueConstraint("participant_id", "programme_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    participant_id: str = Field(index=True, max_length=36)
    programme_id: str = Field(index=True, max_length=36)
    programme_code: str = Field(max_length=60)
    track: str | None = Field(default=None, max_length=60)
    full_name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    gender: str = Field(max_length=1)
    kelurahan_code: str = Field(index=True, max_length=13)
    kecamatan_code: str = Field(max_length=8)
    kota_code: str = Field(max_length=5)
    baseline_business: str | None = Field(default=None, max_length=200)
    baseline_monthly_income: int | None = None
    status: str = Field(default=RosterStatus.ENROLLED, max_length=20)  # a RosterStatus
    cohort_id: str | None = Field(default=None, foreign_key="cohort.id", max_length=36)
    enrolled_at: datetime
    graduated_at: datetime | None = None


class Cohort(Base, table=True):
    __tablename__ = "cohort"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    programme_id: str = Field(index=True, max_length=36)
    track: str | None = Field(default=None, max_length=60)
    name: str = Field(max_length=200)
    venue: str = Field(max_length=200)
    area_code: str = Field(index=True, max_length=13)  # the area the cohort is run for
    starts_on: date
    ends_on: date
    created_by: str = Field(max_length=100)
    created_at: datetime


class Attendance(Base, table=True):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("cohort_id", "participant_id", "session_on"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    cohort_id: str = Field(foreign_key="cohort.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    session_on: date
    present: bool
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime
# ---- H: trainers, mentors, kits ----
