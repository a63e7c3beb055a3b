"""applications remember whose kelurahan quota their seat counts against

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat_kelurahan_code',
                                      sqlmodel.sql.sqltypes.AutoString(length=13), nullable=True))
    # Until now nobody moved with a seat: an enrolled seat counts where the application is.
    op.execute("UPDATE application SET seat_kelurahan_code = kelurahan_code "
               "WHERE status = 'enrolled'")


def downgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('seat_kelurahan_code')
