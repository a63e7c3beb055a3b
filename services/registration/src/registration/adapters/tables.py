"""Registration's tables (its own registry and metadata), plus its outbox and inbox."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field

from berdaya_shared.db import new_base, new_id
from berdaya_shared.inbox import define_inbox
from berdaya_shared.outbox import define_outbox

from ..domain.status import ApplicationStatus, DuplicateStatus

if TYPE_CHECKING:  # to the type checker, Base is what new_base() builds: a SQLModel subclass
    from sqlmodel import SQLModel as Base
else:
    Base = new_base()
metadata = Base.metadata
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)


class Programme(Base, table=True):
    __tablename__ = "programme"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    code: str = Field(unique=True, max_length=60)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    target_area_code: str = Field(index=True, max_length=13)
    intake_opens_on: date
    intake_closes_on: date
    total_capacity: int
    kelurahan_quota: int | None = None  # seats per kelurahan unless overridden in quotas
    quotas: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    tracks: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    eligibility_rules: list[dict[str, Any]] = Field(default_factory=list,
                                                    sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=100)
    created_at: datetime


class SeatCounter(Base, table=True):
    """Seats taken per programme ("*" = the programme total) and per kelurahan.

    Enrolment locks the counter rows (FOR UPDATE on PostgreSQL) so seats are never oversold."""

    __tablename__ = "seat_counter"
    programme_id: str = Field(primary_key=True, foreign_key="programme.id", max_length=36)
    scope: str = Field(primary_key=True, max_length=13)
    capacity: int
    taken: int = 0


class Household(Base, table=True):
    __tablename__ = "household"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    kk_number: str = Field(unique=True, max_length=16)
    address: str = Field(max_length=300)
    rt: str = Field(max_length=3)
    rw: str = Field(max_length=3)
    kelurahan_code: str = Field(index=True, max_length=13)
    dtks_listed: bool = False


class Participant(Base, table=True):
    __tablename__ = "participant"
    __table_args__ = (Index("ix_participant_name_id", "full_name", "id"),
                      Index("ix_participant_dedup", "birth_date", "kelurahan_code"))
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    nik: str = Field(unique=True, max_length=16)
    household_id: str = Field(foreign_key="household.id", index=True, max_length=36)
    full_name: str = Field(max_length=200)
    birth_date: date
    gender: str = Field(max_length=1)
    phone: str | None = Field(default=None, max_length=20)
    kelurahan_code: str = Field(index=True, max_length=13)  # the household's, kept for scoping
    pkk_cadre: bool = False
    baseline_business: str | None = Field(default=None, max_length=200)
    baseline_monthly_income: int | None = None
    created_by: str = Field(max_length=100)
    created_at: datetime
    updated_at: datetime


class Correction(Base, table=True):
    """Audit trail of changes to a participant or their household: who, when, old -> new."""

    __tablename__ = "correction"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    participant_id: str = Field(foreign_key="participant.id", index=True, max_length=36)
    field: str = Field(max_length=60)
    old_value: str | None = Field(default=None, max_length=300)
    new_value: str | None = Field(default=None, max_length=300)
    changed_by: str = Field(max_length=100)
    changed_at: datetime


class Application(Base, table=True):
    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("programme_id", "participant_id"),
                      Index("ix_application_queue", "programme_id", "status", "waitlisted_at"))
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    programme_id: str = Field(foreign_key="programme.id", index=True, max_length=36)
    participant_id: str = Field(foreign_key="participant.id", index=True, max_length=36)
    track: str | None = Field(default=None, max_length=60)
    kelurahan_code: str = Field(index=True, max_length=13)
    full_name: str = Field(max_length=200)  # copied for list filters and name search
    status: str = Field(default=ApplicationStatus.APPLIED, index=True, max_length=20)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    submitted_by: str = Field(max_length=100)
    submitted_at: datetime
    verified_by: str | None = Field(default=None, max_length=100)
    verified_at: datetime | None = None
    enrolled_at: datetime | None = None
    waitlisted_at: datetime | None = None
    decided_at: datetime | None = None
    withdrawn_at: datetime | None = None
    # Whose kelurahan quota the seat of an enrolled application counts against (seats.py).
    seat_kelurahan_code: str | None = Field(default=None, max_length=13)


class DuplicateFlag(Base, table=True):
    """Two people who may be one: flagged for an officer, never merged silently."""

    __tablename__ = "duplicate_flag"
    __table_args__ = (UniqueConstraint("participant_id", "candidate_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    participant_id: str = Field(foreign_key="participant.id", index=True, max_length=36)
    candidate_id: str = Field(foreign_key="participant.id", max_length=36)
    kelurahan_code: str = Field(index=True, max_length=13)
    score: float
    status: str = Field(default=DuplicateStatus.OPEN, max_length=20)
    reviewed_by: str | None = Field(default=None, max_length=100)
    reviewed_at: datetime | None = None
    created_at: datetime


class ImportBatch(Base, table=True):
    """One uploaded list and its progress. The jobs role claims a queued batch under a lease
    (``claimed_by``/``claimed_until``) and commits it chunk by chunk; ``last_row`` is the last
    spreadsheet row of the last committed chunk, where a resumed import carries on."""

    __tablename__ = "import_batch"
    __table_args__ = (Index("ix_import_batch_pending", "state", "uploaded_at"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    filename: str = Field(max_length=200)
    sha256: str = Field(index=True, max_length=64)
    programme_id: str | None = Field(default=None, max_length=36)
    track: str | None = Field(default=None, max_length=60)
    verify: bool = False
    area_code: str = Field(default="31", index=True, max_length=13)  # the uploader's area
    uploaded_by: str = Field(max_length=100)
    uploader_roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    uploaded_at: datetime
    size_bytes: int = 0
    state: str = Field(default="queued", max_length=10)  # domain.importing.ImportState
    rows_expected: int | None = None  # counted at upload (CSV lines, the sheet's dimension)
    rows_done: int = 0
    rows_total: int = 0  # final once the state is done
    rows_imported: int = 0
    rows_skipped: int = 0
    rows_failed: int = 0
    chunks_committed: int = 0
    last_row: int = 1  # the header is row 1
    errors_stored: int = 0
    outcomes: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, max_length=1000)  # why a failed import stopped
    error_en: str | None = Field(default=None, max_length=1000)
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_until: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    # Row reports of imports made before imports ran in the background (0003).
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ImportFilePart(Base, table=True):
    """The uploaded file, in parts of at most 1 MiB: kept in the store, so any API replica can
    take the upload and any jobs process can read it."""

    __tablename__ = "import_file_part"
    batch_id: str = Field(foreign_key="import_batch.id", primary_key=True, max_length=36)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ImportRowError(Base, table=True):
    """One problem of one row of an import, in Bahasa Indonesia and English."""

    __tablename__ = "import_row_error"
    __table_args__ = (Index("ix_import_row_error_batch_row", "batch_id", "row"),)
    id: int | None = Field(default=None, primary_key=True)
    batch_id: str = Field(foreign_key="import_batch.id", max_length=36)
    row: int
    field: str = Field(max_length=60)
    reason: str = Field(max_length=500)
    reason_en: str = Field(max_length=500)
