"""visit schedules per programme, field officers' kelurahan, visit assignment, visit
reports (production, revenue, channels, kit state, needs, income change), starter kits,
the plan's derived business status (old status names mapped to the new ones), the
escalation ladder (seeded 7 days -> lurah, 14 -> camat) and escalations, sales, outcome
targets and the plan's indicator columns, agencies, referral routes and referrals

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The agency catalogue and routing rules the city starts with (data: change them in the
# tables; agreed_days is how long an agency has to act on a referral).
AGENCIES = [
    {"code": "sudin-umkm", "name": "Suku Dinas UMKM", "client_subject": "agency-sudin-umkm",
     "agreed_days": 14},
    {"code": "sudin-pe", "name": "Suku Dinas Perekonomian", "client_subject": "agency-sudin-pe",
     "agreed_days": 14},
    {"code": "ptsp", "name": "PTSP (perizinan NIB/PIRT)", "client_subject": "agency-ptsp",
     "agreed_days": 21},
    {"code": "kur", "name": "Mitra KUR / permodalan", "client_subject": "agency-kur",
     "agreed_days": 30},
    {"code": "jakpreneur", "name": "Jakpreneur (pendampingan)",
     "client_subject": "agency-jakpreneur", "agreed_days": 14},
]
ROUTES = [
    {"need": "licence", "business_type": "*", "agency_code": "ptsp"},
    {"need": "capital", "business_type": "*", "agency_code": "kur"},
    {"need": "marketing", "business_type": "*", "agency_code": "sudin-umkm"},
    {"need": "skills", "business_type": "*", "agency_code": "jakpreneur"},
    {"need": "skills", "business_type": "steam-motor", "agency_code": "sudin-pe"},
]

# Visit reports before issue 8 used these names (see monitoring.domain.status).
OLD_TO_NEW = {"producing_daily": "active_daily", "producing_weekly": "active_weekly",
              "seasonal_only": "seasonal"}


def upgrade() -> None:
    op.create_table(
        "visit_schedule",
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("offsets_days", sa.JSON(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("programme_id", name=op.f("pk_visit_schedule")))
    op.create_table(
        "field_officer_area",
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.Column("assigned_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("assigned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("subject", "kelurahan_code", name=op.f("pk_field_officer_area")))
    with op.batch_alter_table("field_officer_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_officer_area_kelurahan_code"),
                              ["kelurahan_code"], unique=False)
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=True))
        batch_op.add_column(sa.Column("assigned_by", sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=True))
        batch_op.add_column(sa.Column("assigned_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.create_index(batch_op.f("ix_visit_assigned_to"), ["assigned_to"], unique=False)
        batch_op.add_column(sa.Column("observed_status",
                                      sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("production_days_per_week", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("main_products", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("monthly_revenue", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("channels", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("kit_state", sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=True))
        batch_op.add_column(sa.Column("needs", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("income_baseline", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("income_change_amount", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("income_change_pct", sa.Float(), nullable=True))
        batch_op.create_index(
            "ix_visit_overdue_pending", ["due_on", "id"], unique=False,
            postgresql_where=sa.text("status = 'scheduled' AND overdue_flagged_at IS NULL"),
            sqlite_where=sa.text("status = 'scheduled' AND overdue_flagged_at IS NULL"))
        batch_op.create_index(
            "ix_visit_assigned_scheduled", ["assigned_to", "due_on", "id"], unique=False,
            postgresql_where=sa.text("status = 'scheduled'"),
            sqlite_where=sa.text("status = 'scheduled'"))
        batch_op.add_column(sa.Column("escalation_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table("follow_up_plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("business_status",
                                      sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("business_status_reason",
                                      sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column("business_status_changed_at",
                                      sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_follow_up_plan_business_status"),
                              ["business_status"], unique=False)
        batch_op.add_column(sa.Column("cohort_id", sqlmodel.sql.sqltypes.AutoString(length=36),
                                      nullable=True))
        batch_op.add_column(sa.Column("track_code", sqlmodel.sql.sqltypes.AutoString(length=60),
                                      nullable=True))
        batch_op.add_column(sa.Column("income_change_amount", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("entrepreneur_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_follow_up_plan_cohort_id"), ["cohort_id"],
                              unique=False)
    op.create_table(
        "outcome_target",
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("new_entrepreneurs_min", sa.Integer(), nullable=False),
        sa.Column("new_entrepreneurs_max", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("set_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("area_code", "programme_id", name=op.f("pk_outcome_target")))
    for old, new in OLD_TO_NEW.items():
        op.execute(sa.text("UPDATE visit SET business_status = :new WHERE business_status = :old")
                   .bindparams(old=old, new=new))
    op.execute(sa.text("UPDATE visit SET observed_status = business_status"))
    steps = op.create_table(
        "escalation_step",
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.PrimaryKeyConstraint("level", name=op.f("pk_escalation_step")))
    op.bulk_insert(steps, [{"level": 1, "days_overdue": 7, "role": "kelurahan_officer"},
                           {"level": 2, "days_overdue": 14, "role": "kecamatan_officer"}])
    op.create_table(
        "escalation",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("visit_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("plan_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("raised_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_escalation_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation")),
        sa.UniqueConstraint("visit_id", "level", "started_on",
                            name=op.f("uq_escalation_visit_id_level_started_on")))
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalation_visit_id"), ["visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_escalation_kelurahan_code"), ["kelurahan_code"],
                              unique=False)
    agencies = op.create_table(
        "agency",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("client_subject", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("agreed_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agency")),
        sa.UniqueConstraint("client_subject", name=op.f("uq_agency_client_subject")))
    op.bulk_insert(agencies, AGENCIES)
    routes = op.create_table(
        "referral_route",
        sa.Column("need", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("business_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["agency_code"], ["agency.code"],
                                name=op.f("fk_referral_route_agency_code_agency")),
        sa.PrimaryKeyConstraint("need", "business_type", name=op.f("pk_referral_route")))
    op.bulk_insert(routes, ROUTES)
    op.create_table(
        "referral",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("plan_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.Column("visit_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("need", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("outcome_notes", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("accepted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("overdue_flagged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["follow_up_plan.id"],
                                name=op.f("fk_referral_plan_id_follow_up_plan")),
        sa.ForeignKeyConstraint(["agency_code"], ["agency.code"],
                                name=op.f("fk_referral_agency_code_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")))
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_kelurahan_code"), ["kelurahan_code"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_referral_agency_code"), ["agency_code"],
                              unique=False)
    op.create_table(
        "sale",
        sa.Column("sale_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("seller_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("sold_on", sa.Date(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale")))
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_participant_id"), ["participant_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_sale_kelurahan_code"), ["kelurahan_code"],
                              unique=False)
    op.create_table(
        "starter_kit",
        sa.Column("kit_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("kit_type", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.Column("issued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("state_seen_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("kit_id", name=op.f("pk_starter_kit")))
    with op.batch_alter_table("starter_kit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_starter_kit_participant_id"), ["participant_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_starter_kit_kelurahan_code"), ["kelurahan_code"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("referral")
    op.drop_table("referral_route")
    op.drop_table("agency")
    op.drop_table("sale")
    op.drop_table("starter_kit")
    op.drop_table("escalation")
    op.drop_table("escalation_step")
    for old, new in OLD_TO_NEW.items():
        op.execute(sa.text("UPDATE visit SET business_status = :old WHERE business_status = :new")
                   .bindparams(old=old, new=new))
    op.drop_table("outcome_target")
    with op.batch_alter_table("follow_up_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_plan_cohort_id"))
        for column in ("entrepreneur_on", "income_change_amount", "track_code", "cohort_id"):
            batch_op.drop_column(column)
        batch_op.drop_index(batch_op.f("ix_follow_up_plan_business_status"))
        batch_op.drop_column("business_status_changed_at")
        batch_op.drop_column("business_status_reason")
        batch_op.drop_column("business_status")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_assigned_scheduled")
        batch_op.drop_index("ix_visit_overdue_pending")
        for column in ("income_change_pct", "income_change_amount", "income_baseline", "needs",
                       "kit_state", "channels", "monthly_revenue", "main_products",
                       "production_days_per_week", "observed_status", "reminded_at",
                       "escalation_from"):
            batch_op.drop_column(column)
        batch_op.drop_index(batch_op.f("ix_visit_assigned_to"))
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("assigned_by")
        batch_op.drop_column("assigned_to")
    with op.batch_alter_table("field_officer_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_officer_area_kelurahan_code"))
    op.drop_table("field_officer_area")
    op.drop_table("visit_schedule")
