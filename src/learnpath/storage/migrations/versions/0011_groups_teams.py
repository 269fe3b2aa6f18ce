"""suggested groups and teams (issue 7)

Revision ID: 0011_groups_teams
Revises: 0010_portfolio
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0011_groups_teams"
down_revision = "0010_portfolio"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
