"""check-ins and family digests (issue 6)

Revision ID: 0009_checkins
Revises: 0008_plans
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0009_checkins"
down_revision = "0008_plans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
