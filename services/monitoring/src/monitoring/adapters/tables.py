"""Monitoring's tables (its own registry and metadata), plus its outbox and inbox."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from berdaya_shared.db import new_id, new_registry
from berdaya_shared.inbox import define_inbox
from berdaya_shared.outbox import define_outbox

from ..domain.model import VisitStatus


class Base(SQLModel, registry=new_registry()):
    """Monitoring's own table registry (a class statement, so type checkers see a base class)."""


metadata = Base.metadata
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)


class FollowUpPlan(Base, table=True):
    """A graduate's follow-up after a programme, as told by training's ParticipantGraduated."""

    __tablename__ = "follow_up_plan"
    __table_args__ = (UniqueConstraint("participant_id", "programme_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    participant_id: str = Field(index=True, max_length=36)
    programme_id: str = Field(index=True, max_length=36)
    programme_code: str = Field(max_length=60)
    track: str | None = Field(default=None, max_length=60)
    full_name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    kelurahan_code: str = Field(index=True, max_length=13)
    kecamatan_code: str = Field(max_length=8)
    kota_code: str = Field(max_length=5)
    baseline_business: str | None = Field(default=None, max_length=200)
    baseline_monthly_income: int | None = None
    graduated_at: datetime
    created_at: datetime
    # Derived from the recorded visits (domain.status); None until the first visit.
    business_status: str | None = Field(default=None, index=True, max_length=20)
    business_status_reason: str | None = Field(default=None, max_length=300)
    business_status_changed_at: datetime | None = None
    # For the outcome indicators (kept current when visits are recorded): the cohort and
    # track from the graduation, the latest income change, and the day the graduate became a
    # "new entrepreneur" (active at two visits at least six months apart).
    cohort_id: str | None = Field(default=None, index=True, max_length=36)
    track_code: str | None = Field(default=None, max_length=60)
    income_change_amount: int | None = None
    entrepreneur_on: date | None = None
    # Recorded visits and those made by their due date (kept with the status), so the
    # indicators sum two columns instead of joining every visit of the area.
    visits_done: int = 0
    visits_on_time: int = 0


class Visit(Base, table=True):
    """One follow-up visit of a plan: scheduled at a due date, done once a field officer
    records it. ``overdue_flagged_at`` is set once, when VisitOverdue is emitted."""

    __tablename__ = "visit"
    __table_args__ = (
        UniqueConstraint("plan_id", "sequence"),
        # The overdue job: scheduled, not flagged yet, in due order (bench: 1M visits).
        Index("ix_visit_overdue_pending", "due_on", "id",
              postgresql_where=text("status = 'scheduled' AND overdue_flagged_at IS NULL"),
              sqlite_where=text("status = 'scheduled' AND overdue_flagged_at IS NULL")),
        # Work lists: a field officer's scheduled visits in due order.
        Index("ix_visit_assigned_scheduled", "assigned_to", "due_on", "id",
              postgresql_where=text("status = 'scheduled'"),
              sqlite_where=text("status = 'scheduled'")),
        # A lurah's or camat's overdue list: the area's scheduled visits in due order, without
        # walking the whole city's (bench: a kelurahan of a kota with 400,000 visits).
        Index("ix_visit_area_scheduled", "kelurahan_code", "due_on", "id",
              postgresql_where=text("status = 'scheduled'"),
              sqlite_where=text("status = 'scheduled'")),
    )
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    plan_id: str = Field(foreign_key="follow_up_plan.id", index=True, max_length=36)
    # The plan's kelurahan, copied so area work lists use one index; moved with the plan
    # when ParticipantUpdated moves the person (service_layer.handlers.participant_moved).
    kelurahan_code: str = Field(max_length=13)
    sequence: int
    due_on: date = Field(index=True)
    status: str = Field(default=VisitStatus.SCHEDULED, max_length=20)  # a VisitStatus
    visited_on: date | None = None
    business_status: str | None = Field(default=None, max_length=20)  # a BusinessStatus
    monthly_income: int | None = None
    notes: str | None = Field(default=None, max_length=2000)
    recorded_by: str | None = Field(default=None, max_length=100)
    recorded_at: datetime | None = None
    overdue_flagged_at: datetime | None = None
    # The field officer (login subject) who is to make the visit; None while no officer
    # covers the kelurahan. Set by coverage or by a lurah/camat reassigning it.
    assigned_to: str | None = Field(default=None, index=True, max_length=100)
    assigned_by: str | None = Field(default=None, max_length=100)
    assigned_at: datetime | None = None
    # The visit report (issue 8); ``monthly_income`` above is the monthly net income.
    observed_status: str | None = Field(default=None, max_length=20)  # the officer's own word
    production_days_per_week: int | None = None
    main_products: list[str] | None = Field(default=None, sa_column=Column(JSON))
    monthly_revenue: int | None = None
    channels: list[str] | None = Field(default=None, sa_column=Column(JSON))
    kit_state: str | None = Field(default=None, max_length=10)  # a KitState
    needs: list[str] | None = Field(default=None, sa_column=Column(JSON))
    income_baseline: int | None = None  # the plan's baseline when the visit was recorded
    income_change_amount: int | None = None
    income_change_pct: float | None = None
    # Escalation counts from the later of due_on and the last reassignment; a reminder is
    # sent once per assignment.
    escalation_from: date | None = None
    reminded_at: datetime | None = None


class VisitSchedule(Base, table=True):
    """A programme's follow-up offsets (days after graduation, increasing); programmes without
    one use the service's default (``visit_offsets_days``). Applies to plans opened after it."""

    __tablename__ = "visit_schedule"
    programme_id: str = Field(primary_key=True, max_length=36)
    offsets_days: list[int] = Field(sa_column=Column(JSON, nullable=False))
    updated_by: str = Field(max_length=100)
    updated_at: datetime


class FieldOfficerArea(Base, table=True):
    """A kelurahan a field officer (login subject) covers: visits there are assigned to them."""

    __tablename__ = "field_officer_area"
    subject: str = Field(primary_key=True, max_length=100)
    kelurahan_code: str = Field(primary_key=True, index=True, max_length=13)
    assigned_by: str = Field(max_length=100)
    assigned_at: datetime


class StarterKit(Base, table=True):
    """A starter kit training issued to a graduate (StarterKitIssued); ``state`` is the latest
    one a visit reported (None until a visit sees it)."""

    __tablename__ = "starter_kit"
    kit_id: str = Field(primary_key=True, max_length=36)
    participant_id: str = Field(index=True, max_length=36)
    programme_id: str = Field(max_length=36)
    kit_type: str = Field(max_length=200)
    items: list[dict[str, object]] = Field(sa_column=Column(JSON, nullable=False))
    kelurahan_code: str = Field(index=True, max_length=13)
    issued_at: datetime
    state: str | None = Field(default=None, max_length=10)  # a KitState
    state_seen_on: date | None = None


class EscalationStep(Base, table=True):
    """The escalation ladder as data: at ``days_overdue`` a late visit reaches ``role`` (over
    the plan's kelurahan for ``kelurahan_officer``, its kecamatan for ``kecamatan_officer``,
    its kota for ``city_admin``). Seeded with 7 -> lurah, 14 -> camat."""

    __tablename__ = "escalation_step"
    level: int = Field(primary_key=True)
    days_overdue: int
    role: str = Field(max_length=40)
    # Who set the ladder and when (None: the seeded ladder of migration 0002).
    set_by: str | None = Field(default=None, max_length=100)
    set_at: datetime | None = None


class Escalation(Base, table=True):
    """A visit that reached a level of the ladder; open until the visit is recorded or
    reassigned. One per visit, level and start of the count (``started_on``)."""

    __tablename__ = "escalation"
    __table_args__ = (UniqueConstraint("visit_id", "level", "started_on"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    visit_id: str = Field(foreign_key="visit.id", index=True, max_length=36)
    plan_id: str = Field(max_length=36)
    participant_id: str = Field(max_length=36)
    full_name: str = Field(max_length=200)
    level: int
    role: str = Field(max_length=40)
    area_code: str = Field(max_length=13)
    kelurahan_code: str = Field(index=True, max_length=13)
    due_on: date
    started_on: date
    days_overdue: int
    raised_at: datetime
    closed_at: datetime | None = None
    closed_reason: str | None = Field(default=None, max_length=20)  # recorded | reassigned


class Sale(Base, table=True):
    """A sale marketplace recorded (SaleRecorded): real revenue, one row per sale id."""

    __tablename__ = "sale"
    sale_id: str = Field(primary_key=True, max_length=36)
    participant_id: str = Field(index=True, max_length=36)
    seller_id: str = Field(max_length=36)
    amount: int = Field(sa_type=BigInteger)
    quantity: int
    sold_on: date
    channel: str = Field(max_length=20)
    kelurahan_code: str = Field(index=True, max_length=13)


class OutcomeTarget(Base, table=True):
    """A city target as data: new entrepreneurs in an area (kota, kecamatan or kelurahan
    code) between two dates, for one programme or for all (``programme_id`` "*")."""

    __tablename__ = "outcome_target"
    area_code: str = Field(primary_key=True, max_length=13)
    programme_id: str = Field(primary_key=True, max_length=36)
    new_entrepreneurs_min: int
    new_entrepreneurs_max: int
    starts_on: date
    ends_on: date
    set_by: str = Field(max_length=100)
    set_at: datetime


class Agency(Base, table=True):
    """An agency referrals go to (Sudin UMKM, Sudin PE, the licensing office, KUR partners,
    Jakpreneur), as data; ``client_subject`` is the login of its integration client."""

    __tablename__ = "agency"
    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    client_subject: str = Field(unique=True, max_length=100)
    agreed_days: int


class ReferralRoute(Base, table=True):
    """Routing as data: a need (and a business type, a track code or "*") -> an agency."""

    __tablename__ = "referral_route"
    need: str = Field(primary_key=True, max_length=20)
    business_type: str = Field(primary_key=True, max_length=60)
    agency_code: str = Field(foreign_key="agency.code", max_length=40)


class Referral(Base, table=True):
    """A graduate referred to an agency for a need; see domain.referrals for the life cycle."""

    __tablename__ = "referral"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    plan_id: str = Field(foreign_key="follow_up_plan.id", index=True, max_length=36)
    participant_id: str = Field(max_length=36)
    kelurahan_code: str = Field(index=True, max_length=13)
    visit_id: str | None = Field(default=None, max_length=36)
    need: str = Field(max_length=20)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=40)
    status: str = Field(max_length=20)  # a ReferralStatus
    outcome: str | None = Field(default=None, max_length=20)  # an Outcome
    outcome_notes: str | None = Field(default=None, max_length=2000)
    created_at: datetime
    opened_by: str | None = Field(default=None, max_length=100)
    opened_at: datetime | None = None
    due_on: date | None = None  # opened + the agency's agreed days
    accepted_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=100)
    closed_at: datetime | None = None
    overdue_flagged_at: datetime | None = None
