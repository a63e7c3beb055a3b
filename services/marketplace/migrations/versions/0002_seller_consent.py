"""seller consent, shop identity and the status audit

Existing profiles were opened without asking anyone, so every one of them (active or paused)
becomes ``pending_consent``: hidden from the public until an officer records the graduate's
consent.

Plain ALTER TABLE ADD/DROP COLUMN, not batch mode: on SQLite a batch copy drops
seller_profile, which products reference, and fails once products exist.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("seller_profile", sa.Column("shop_name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
    op.add_column("seller_profile", sa.Column("shop_description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    op.add_column("seller_profile", sa.Column("contact_preference", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.add_column("seller_profile", sa.Column("show_full_name", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("seller_profile", sa.Column("consent_recorded_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.add_column("seller_profile", sa.Column("consent_recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column("seller_profile", sa.Column("paused_by", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.add_column("seller_profile", sa.Column("business_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.execute("UPDATE seller_profile SET status = 'pending_consent'")
    op.create_table("seller_status_change",
    sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("seller_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("old_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column("new_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(["seller_id"], ["seller_profile.id"], name=op.f("fk_seller_status_change_seller_id_seller_profile")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_status_change"))
    )
    with op.batch_alter_table("seller_status_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seller_status_change_seller_id"), ["seller_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("seller_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seller_status_change_seller_id"))
    op.drop_table("seller_status_change")
    op.execute("UPDATE seller_profile SET status = 'active' WHERE status = 'consent_withdrawn'")
    op.execute("UPDATE seller_profile SET status = 'active' WHERE status = 'pending_consent'")
    for column in ("business_status", "paused_by", "consent_recorded_at", "consent_recorded_by", "show_full_name",
                   "contact_preference", "shop_description", "shop_name"):
        op.drop_column("seller_profile", column)
