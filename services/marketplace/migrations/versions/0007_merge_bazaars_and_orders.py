"""one head again: bazaars (0005) and orders (0006) were built side by side from 0004

Nothing to change: the two branches touch different tables. Later migrations follow 0007.

Revision ID: 0007
Revises: 0005, 0006
"""

revision = "0007"
down_revision = ("0005", "0006")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
