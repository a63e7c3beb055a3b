"""categories as data; a product's stock and photo URLs

Existing products keep a category only when it names a seeded category (``kue basah`` and
``kue`` become ``kue-basah``); any other free text is cleared, since it was never checked.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CATEGORIES = [
    ("kue-basah", "Kue basah", "Traditional cakes"),
    ("makanan", "Makanan", "Food"),
    ("minuman", "Minuman", "Drinks"),
    ("jasa", "Jasa (mis. steam motor)", "Services (e.g. motorbike wash)"),
    ("kerajinan", "Kerajinan", "Crafts"),
]


def upgrade() -> None:
    category = op.create_table("category",
    sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint("code", name=op.f("pk_category"))
    )
    op.bulk_insert(category, [{"code": c, "name": n, "name_en": e} for c, n, e in CATEGORIES])
    op.execute("UPDATE product SET category = 'kue-basah' "
               "WHERE lower(category) IN ('kue basah', 'kue', 'kue-basah')")
    op.execute("UPDATE product SET category = lower(category) "
               "WHERE lower(category) IN ('makanan', 'minuman', 'jasa', 'kerajinan')")
    op.execute("UPDATE product SET category = NULL WHERE category NOT IN "
               "('kue-basah', 'makanan', 'minuman', 'jasa', 'kerajinan')")
    # Plain ADD COLUMN (a batch copy of product would be fine, but keeps SQLite simple).
    op.add_column("product", sa.Column("stock", sa.Integer(), nullable=True))
    op.add_column("product", sa.Column("photo_urls", sa.JSON(), nullable=False,
                                       server_default=sa.text("'[]'")))
    op.create_index(op.f("ix_product_category"), "product", ["category"], unique=False)
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint in place
        op.create_foreign_key(op.f("fk_product_category_category"), "product", "category",
                              ["category"], ["code"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_product_category_category"), "product", type_="foreignkey")
    op.drop_index(op.f("ix_product_category"), table_name="product")
    op.drop_column("product", "photo_urls")
    op.drop_column("product", "stock")
    op.drop_table("category")
