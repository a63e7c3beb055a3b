"""sales: fulfilled orders and bazaar sales, the evidence told to monitoring

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("sale",
    sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("seller_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
    sa.Column("kecamatan_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column("kota_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column("amount", sa.BigInteger(), nullable=False),
    sa.Column("quantity", sa.Integer(), nullable=False),
    sa.Column("sold_on", sa.Date(), nullable=False),
    sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column("source_ref", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(["seller_id"], ["seller_profile.id"],
                            name=op.f("fk_sale_seller_id_seller_profile")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_sale"))
    )
    op.create_index(op.f("ix_sale_seller_id"), "sale", ["seller_id"], unique=False)
    op.create_index(op.f("ix_sale_kelurahan_code"), "sale", ["kelurahan_code"], unique=False)
    op.create_index(op.f("ix_sale_source_ref"), "sale", ["source_ref"], unique=False)


def downgrade() -> None:
    op.drop_table("sale")
