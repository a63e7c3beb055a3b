"""import batches remember the uploader's area

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:11:18.106386
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        # Batches uploaded before this change were not scoped: only the province ("31") sees them.
        batch_op.add_column(sa.Column('area_code', sqlmodel.sql.sqltypes.AutoString(length=13),
                                      nullable=False, server_default='31'))
        batch_op.create_index(batch_op.f('ix_import_batch_area_code'), ['area_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_area_code'))
        batch_op.drop_column('area_code')

