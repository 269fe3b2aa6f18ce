"""portfolio of work (issue 6)

Revision ID: 0010_portfolio
Revises: 0009_checkins
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0010_portfolio"
down_revision = "0009_checkins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
