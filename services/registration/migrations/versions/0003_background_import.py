"""imports run in the background: state, progress, lease, the stored file and the row report

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("track", AutoString(length=60), nullable=True))
        batch_op.add_column(sa.Column("verify", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("uploader_roles", sa.JSON(), nullable=False,
                                      server_default="[]"))
        batch_op.add_column(sa.Column("size_bytes", sa.Integer(), nullable=False,
                                      server_default="0"))
        # Imports made before this change ran inside their request: they are done.
        batch_op.add_column(sa.Column("state", AutoString(length=10), nullable=False,
                                      server_default="done"))
        batch_op.add_column(sa.Column("rows_expected", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rows_done", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("chunks_committed", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("last_row", sa.Integer(), nullable=False,
                                      server_default="1"))
        batch_op.add_column(sa.Column("errors_stored", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("outcomes", sa.JSON(), nullable=False,
                                      server_default="{}"))
        batch_op.add_column(sa.Column("error", AutoString(length=1000), nullable=True))
        batch_op.add_column(sa.Column("error_en", AutoString(length=1000), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.create_index("ix_import_batch_pending", ["state", "uploaded_at"], unique=False)
    op.execute("UPDATE import_batch SET rows_done = rows_total")

    op.create_table(
        "import_file_part",
        sa.Column("batch_id", AutoString(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"],
                                name=op.f("fk_import_file_part_batch_id_import_batch")),
        sa.PrimaryKeyConstraint("batch_id", "seq", name=op.f("pk_import_file_part")),
    )
    op.create_table(
        "import_row_error",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", AutoString(length=36), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("field", AutoString(length=60), nullable=False),
        sa.Column("reason", AutoString(length=500), nullable=False),
        sa.Column("reason_en", AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"],
                                name=op.f("fk_import_row_error_batch_id_import_batch")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_row_error")),
    )
    op.create_index("ix_import_row_error_batch_row", "import_row_error", ["batch_id", "row"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_import_row_error_batch_row", table_name="import_row_error")
    op.drop_table("import_row_error")
    op.drop_table("import_file_part")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index("ix_import_batch_pending")
        for column in ("finished_at", "started_at", "claimed_until", "claimed_by", "error_en",
                       "error", "outcomes", "errors_stored", "last_row", "chunks_committed",
                       "rows_done", "rows_expected", "state", "size_bytes", "uploader_roles",
                       "verify", "track"):
            batch_op.drop_column(column)
