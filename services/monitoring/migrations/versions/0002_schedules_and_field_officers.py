"""visit schedules per programme, field officers' kelurahan, visit assignment

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


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_assigned_to"))
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("assigned_by")
        batch_op.drop_column("assigned_to")
    with op.batch_alter_table("field_officer_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_officer_area_kelurahan_code"))
    op.drop_table("field_officer_area")
    op.drop_table("visit_schedule")
