"""one head again: tracks/venues/sessions (0002) and trainers/mentors/kits (0003) were built
side by side from 0001

Nothing to change: the two branches touch different tables. Later migrations follow 0004.

Revision ID: 0004
Revises: 0002, 0003
"""

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
