"""bazaars: market events organised by lurah and camat, applications, booth allocation

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("market_event",
    sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
    sa.Column("starts_on", sa.Date(), nullable=False),
    sa.Column("ends_on", sa.Date(), nullable=False),
    sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column("booths", sa.Integer(), nullable=False),
    sa.Column("categories", sa.JSON(), nullable=False),
    sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column("invited", sa.Integer(), nullable=False),
    sa.Column("organised_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column("seed", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column("off_season", sa.Boolean(), nullable=True),
    sa.Column("allocated_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column("allocated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column("revision", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_market_event"))
    )
    op.create_index(op.f("ix_market_event_area_code"), "market_event", ["area_code"],
                    unique=False)
    op.create_table("bazaar_application",
    sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("seller_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
    sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column("applied_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column("booths_last_year", sa.Integer(), nullable=True),
    sa.Column("seasonal", sa.Boolean(), nullable=True),
    sa.Column("draw", sa.Integer(), nullable=True),
    sa.Column("rank", sa.Integer(), nullable=True),
    sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column("reason_en", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column("withdrawn_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(["event_id"], ["market_event.id"],
                            name=op.f("fk_bazaar_application_event_id_market_event")),
    sa.ForeignKeyConstraint(["seller_id"], ["seller_profile.id"],
                            name=op.f("fk_bazaar_application_seller_id_seller_profile")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_bazaar_application")),
    sa.UniqueConstraint("event_id", "seller_id",
                        name=op.f("uq_bazaar_application_event_id_seller_id"))
    )
    op.create_index(op.f("ix_bazaar_application_event_id"), "bazaar_application", ["event_id"],
                    unique=False)
    op.create_index(op.f("ix_bazaar_application_seller_id"), "bazaar_application",
                    ["seller_id"], unique=False)


def downgrade() -> None:
    op.drop_table("bazaar_application")
    op.drop_table("market_event")
