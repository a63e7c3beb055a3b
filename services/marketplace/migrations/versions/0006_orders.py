"""orders from city units and the public, the public order rate limit; trigram indexes for
the catalogue's text search on PostgreSQL (pg_trgm; SQLite scans, as before)

Revision ID: 0006
Revises: 0004
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def _s(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table("customer_order",
    sa.Column("id", _s(36), nullable=False),
    sa.Column("product_id", _s(36), nullable=False),
    sa.Column("seller_id", _s(36), nullable=False),
    sa.Column("participant_id", _s(36), nullable=False),
    sa.Column("kelurahan_code", _s(13), nullable=False),
    sa.Column("kecamatan_code", _s(8), nullable=False),
    sa.Column("kota_code", _s(5), nullable=False),
    sa.Column("product_name", _s(120), nullable=False),
    sa.Column("unit_price", sa.Integer(), nullable=False),
    sa.Column("quantity", sa.Integer(), nullable=False),
    sa.Column("amount", sa.BigInteger(), nullable=False),
    sa.Column("buyer_kind", _s(10), nullable=False),
    sa.Column("buyer_name", _s(120), nullable=False),
    sa.Column("buyer_phone", _s(20), nullable=True),
    sa.Column("delivery_date", sa.Date(), nullable=True),
    sa.Column("delivery_place", _s(300), nullable=True),
    sa.Column("budget_reference", _s(60), nullable=True),
    sa.Column("note", _s(500), nullable=True),
    sa.Column("status", _s(10), nullable=False),
    sa.Column("placed_by", _s(100), nullable=False),
    sa.Column("placed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column("decided_by", _s(100), nullable=True),
    sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column("closed_by", _s(100), nullable=True),
    sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column("reason", _s(500), nullable=True),
    sa.Column("sale_id", _s(36), nullable=True),
    sa.Column("idempotency_scope", _s(100), nullable=True),
    sa.Column("idempotency_key", _s(100), nullable=True),
    sa.Column("request_fingerprint", _s(64), nullable=True),
    sa.ForeignKeyConstraint(["product_id"], ["product.id"],
                            name=op.f("fk_customer_order_product_id_product")),
    sa.ForeignKeyConstraint(["seller_id"], ["seller_profile.id"],
                            name=op.f("fk_customer_order_seller_id_seller_profile")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_order")),
    sa.UniqueConstraint("idempotency_scope", "idempotency_key",
                        name=op.f("uq_customer_order_idempotency_scope"))
    )
    op.create_index(op.f("ix_customer_order_product_id"), "customer_order", ["product_id"])
    op.create_index(op.f("ix_customer_order_seller_id"), "customer_order", ["seller_id"])
    op.create_index(op.f("ix_customer_order_kelurahan_code"), "customer_order",
                    ["kelurahan_code"])
    op.create_index(op.f("ix_customer_order_status"), "customer_order", ["status"])
    op.create_table("order_rate_bucket",
    sa.Column("client", _s(64), nullable=False),
    sa.Column("tokens", sa.Float(), nullable=False),
    sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint("client", name=op.f("pk_order_rate_bucket"))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_product_name_trgm ON product USING gin (name gin_trgm_ops)")
        op.execute("CREATE INDEX ix_seller_profile_shop_name_trgm ON seller_profile "
                   "USING gin (shop_name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_seller_profile_shop_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_product_name_trgm")
    op.drop_table("order_rate_bucket")
    op.drop_table("customer_order")
