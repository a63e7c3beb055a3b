"""trainers mentors kits

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-24 01:18:19.738603

Trainers and mentors (people of training), mentor assignments with their history, starter
kits with their status audit, and the time of the latest registration event applied per
participant and programme (older news arriving late is ignored). A branch beside 0002:
``migrate`` applies every head.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('area_code', sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
    sa.Column('user_subject', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('max_caseload', sa.Integer(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('user_subject', name=op.f('uq_person_user_subject'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_area_code'), ['area_code'], unique=False)

    op.create_table('registration_news',
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('programme_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('happened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('participant_id', 'programme_id', name=op.f('pk_registration_news'))
    )
    op.create_table('starter_kit',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('programme_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kelurahan_code', sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
    sa.Column('kit_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('handed_over_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('handed_over_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('acknowledged_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('acknowledged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_starter_kit')),
    sa.UniqueConstraint('participant_id', 'programme_id', name=op.f('uq_starter_kit_participant_id_programme_id'))
    )
    with op.batch_alter_table('starter_kit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_starter_kit_kelurahan_code'), ['kelurahan_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_starter_kit_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_starter_kit_programme_id'), ['programme_id'], unique=False)

    op.create_table('kit_status_change',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kit_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('old_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('new_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kit_id'], ['starter_kit.id'], name=op.f('fk_kit_status_change_kit_id_starter_kit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_status_change'))
    )
    with op.batch_alter_table('kit_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kit_status_change_kit_id'), ['kit_id'], unique=False)

    op.create_table('mentor_assignment',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('mentor_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('programme_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('assigned_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ended_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['mentor_id'], ['person.id'], name=op.f('fk_mentor_assignment_mentor_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_assignment'))
    )
    with op.batch_alter_table('mentor_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_assignment_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_assignment_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('uq_mentor_assignment_open', ['participant_id', 'programme_id'], unique=True, postgresql_where=sa.text('ended_at IS NULL'), sqlite_where=sa.text('ended_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('mentor_assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_mentor_assignment_open', postgresql_where=sa.text('ended_at IS NULL'), sqlite_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_mentor_assignment_participant_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_assignment_mentor_id'))

    op.drop_table('mentor_assignment')
    with op.batch_alter_table('kit_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kit_status_change_kit_id'))

    op.drop_table('kit_status_change')
    with op.batch_alter_table('starter_kit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_starter_kit_programme_id'))
        batch_op.drop_index(batch_op.f('ix_starter_kit_participant_id'))
        batch_op.drop_index(batch_op.f('ix_starter_kit_kelurahan_code'))

    op.drop_table('starter_kit')
    op.drop_table('registration_news')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_area_code'))

    op.drop_table('person')
