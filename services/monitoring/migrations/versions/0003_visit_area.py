"""a visit carries its plan's kelurahan, indexed with the due date for area work lists; a
plan counts its recorded and on-time visits for the indicators; the escalation ladder says who
set it and when

Plain ADD COLUMN with a server default, then filled from the plan (a batch copy of visit
would drop a table escalations reference on SQLite). PostgreSQL drops the default afterwards:
new visits always name their kelurahan.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("visit", sa.Column("kelurahan_code", sqlmodel.sql.sqltypes.AutoString(length=13),
                                     nullable=False, server_default=""))
    op.execute("UPDATE visit SET kelurahan_code = (SELECT p.kelurahan_code FROM follow_up_plan p "
               "WHERE p.id = visit.plan_id)")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("visit", "kelurahan_code", server_default=None)
    op.create_index("ix_visit_area_scheduled", "visit", ["kelurahan_code", "due_on", "id"],
                    unique=False, postgresql_where=sa.text("status = 'scheduled'"),
                    sqlite_where=sa.text("status = 'scheduled'"))
    op.add_column("escalation_step", sa.Column(
        "set_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.add_column("escalation_step", sa.Column("set_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                               nullable=True))
    for column in ("visits_done", "visits_on_time"):
        op.add_column("follow_up_plan", sa.Column(column, sa.Integer(), nullable=False,
                                                  server_default="0"))
    op.execute("UPDATE follow_up_plan SET "
               "visits_done = (SELECT count(*) FROM visit v WHERE v.plan_id = follow_up_plan.id "
               "AND v.status = 'done'), "
               "visits_on_time = (SELECT count(*) FROM visit v WHERE v.plan_id = follow_up_plan.id "
               "AND v.status = 'done' AND v.visited_on <= v.due_on)")


def downgrade() -> None:
    op.drop_column("escalation_step", "set_at")
    op.drop_column("escalation_step", "set_by")
    op.drop_column("follow_up_plan", "visits_on_time")
    op.drop_column("follow_up_plan", "visits_done")
    op.drop_index("ix_visit_area_scheduled", table_name="visit")
    op.drop_column("visit", "kelurahan_code")
