"""Training's tables (its own registry and metadata), plus its outbox and inbox."""

from datetime import date, datetime, time

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from berdaya_shared.db import new_id, new_registry
from berdaya_shared.inbox import define_inbox
from berdaya_shared.outbox import define_outbox

from ..domain.model import CohortStatus, RosterStatus


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
    track_code: str | None = Field(default=None, max_length=60)  # None: before tracks existed
    name: str = Field(max_length=200)
    venue_id: str | None = Field(default=None, foreign_key="venue.id", max_length=36)
    area_code: str = Field(index=True, max_length=13)  # the area the cohort is run for
    status: str = Field(default=CohortStatus.PLANNED, max_length=20)  # a CohortStatus
    starts_on: date
    ends_on: date
    created_by: str = Field(max_length=100)
    created_at: datetime
    started_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=100)
    closed_at: datetime | None = None


class Track(Base, table=True):
    """A programme's track (tata boga, steam motor, ...) with its starter kit and its
    graduation rule, as data."""

    __tablename__ = "track"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    programme_id: str = Field(index=True, max_length=36)
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)
    hours: int
    kit_type: str = Field(max_length=100)
    kit_items: list[str] = Field(sa_column=Column(JSON, nullable=False))
    min_attendance_share: float
    min_score: int
    created_by: str = Field(max_length=100)
    created_at: datetime


class Venue(Base, table=True):
    __tablename__ = "venue"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    address: str = Field(max_length=300)
    kelurahan_code: str = Field(index=True, max_length=13)
    capacity: int
    created_by: str = Field(max_length=100)
    created_at: datetime


class CohortSession(Base, table=True):
    """One scheduled session of a cohort; ``attendance_recorded_at`` is set by its sheet."""

    __tablename__ = "cohort_session"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    cohort_id: str = Field(foreign_key="cohort.id", index=True, max_length=36)
    held_on: date
    starts_at: time
    ends_at: time
    topic: str = Field(max_length=200)
    trainer_id: str = Field(index=True, max_length=100)
    created_by: str = Field(max_length=100)
    created_at: datetime
    attendance_recorded_by: str | None = Field(default=None, max_length=100)
    attendance_recorded_at: datetime | None = None


class Attendance(Base, table=True):
    """A participant's attendance at one session."""

    __tablename__ = "session_attendance"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    cohort_id: str = Field(foreign_key="cohort.id", index=True, max_length=36)
    session_id: str = Field(foreign_key="cohort_session.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    status: str = Field(max_length=10)  # an AttendanceStatus
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime


class AttendanceCorrection(Base, table=True):
    """Audit: an attendance changed after it was first recorded (who, when, old -> new)."""

    __tablename__ = "attendance_correction"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    session_id: str = Field(foreign_key="cohort_session.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    old_status: str = Field(max_length=10)
    new_status: str = Field(max_length=10)
    corrected_by: str = Field(max_length=100)
    corrected_at: datetime


class Assessment(Base, table=True):
    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("cohort_id", "participant_id", "kind"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    cohort_id: str = Field(foreign_key="cohort.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    kind: str = Field(max_length=20)  # an AssessmentKind
    score: int
    assessed_by: str = Field(max_length=100)
    assessed_at: datetime


class GraduationDecision(Base, table=True):
    """The outcome for one member when their cohort closed (or after an override)."""

    __tablename__ = "graduation_decision"
    __table_args__ = (UniqueConstraint("cohort_id", "participant_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    cohort_id: str = Field(foreign_key="cohort.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    outcome: str = Field(max_length=20)  # an Outcome
    attendance_share: float
    score: int | None = None
    reason: str | None = Field(default=None, max_length=500)
    reason_en: str | None = Field(default=None, max_length=500)
    decided_by: str = Field(max_length=100)
    decided_at: datetime


class DecisionOverride(Base, table=True):
    """Audit: an officer changed a graduation decision, with a written reason."""

    __tablename__ = "decision_override"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    decision_id: str = Field(foreign_key="graduation_decision.id", index=True, max_length=36)
    old_outcome: str = Field(max_length=20)
    new_outcome: str = Field(max_length=20)
    reason: str = Field(max_length=500)
    overridden_by: str = Field(max_length=100)
    overridden_at: datetime


# ---- H: trainers, mentors, kits ----


class Person(Base, table=True):
    """A trainer or a mentor (OK OCE, a Sudin): people of training, kept by area."""

    __tablename__ = "person"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    kind: str = Field(max_length=20)  # a domain.people.PersonKind
    full_name: str = Field(max_length=200)
    organisation: str = Field(max_length=200)
    phone: str = Field(max_length=20)  # E.164, +62
    area_code: str = Field(index=True, max_length=13)  # Kemendagri code (kota, kecamatan, kelurahan)
    user_subject: str | None = Field(default=None, unique=True, max_length=100)  # token's sub
    max_caseload: int | None = None  # mentors only
    created_by: str = Field(max_length=100)
    created_at: datetime
    updated_by: str | None = Field(default=None, max_length=100)
    updated_at: datetime | None = None


class MentorAssignment(Base, table=True):
    """A mentor accompanies a participant on a programme; a reassignment ends the old row
    (``ended_at``), so the history stays. At most one open row per participant and programme."""

    __tablename__ = "mentor_assignment"
    __table_args__ = (
        Index("uq_mentor_assignment_open", "participant_id", "programme_id", unique=True,
              postgresql_where=text("ended_at IS NULL"), sqlite_where=text("ended_at IS NULL")),
    )
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    mentor_id: str = Field(foreign_key="person.id", index=True, max_length=36)
    participant_id: str = Field(index=True, max_length=36)
    programme_id: str = Field(max_length=36)
    assigned_by: str = Field(max_length=100)
    assigned_at: datetime
    ended_by: str | None = Field(default=None, max_length=100)
    ended_at: datetime | None = None


class StarterKit(Base, table=True):
    """The equipment handed to a graduate, once per graduate per programme; never deleted."""

    __tablename__ = "starter_kit"
    __table_args__ = (UniqueConstraint("participant_id", "programme_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    participant_id: str = Field(index=True, max_length=36)
    programme_id: str = Field(index=True, max_length=36)
    kelurahan_code: str = Field(index=True, max_length=13)  # the graduate's, for area scoping
    kit_type: str = Field(max_length=100)
    items: list[dict[str, object]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    handed_over_by: str = Field(max_length=200)
    handed_over_at: datetime
    acknowledged_by_name: str = Field(max_length=200)
    acknowledged_at: datetime
    status: str = Field(max_length=20)  # a domain.people.KitStatus
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime


class KitStatusChange(Base, table=True):
    """Audit of a kit's status: lost, returned, damaged (who, when, old -> new, why)."""

    __tablename__ = "kit_status_change"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    kit_id: str = Field(foreign_key="starter_kit.id", index=True, max_length=36)
    old_status: str = Field(max_length=20)
    new_status: str = Field(max_length=20)
    reason: str = Field(max_length=500)
    changed_by: str = Field(max_length=100)
    changed_at: datetime


class RegistrationNews(Base, table=True):
    """The time of the latest registration event applied per participant and programme, so
    older news arriving late (a withdrawal overtaken by the enrolment it cancels) is ignored."""

    __tablename__ = "registration_news"
    participant_id: str = Field(primary_key=True, max_length=36)
    programme_id: str = Field(primary_key=True, max_length=36)
    event_type: str = Field(max_length=200)
    happened_at: datetime
