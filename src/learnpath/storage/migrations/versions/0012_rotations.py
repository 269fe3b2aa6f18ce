"""station rotations (issue 7)

Revision ID: 0012_rotations
Revises: 0011_groups_teams
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0012_rotations"
down_revision = "0011_groups_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
