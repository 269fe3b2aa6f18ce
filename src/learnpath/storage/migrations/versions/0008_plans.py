"""personal learning plans: goal history, approvals, comments, milestones (issue 6)

Revision ID: 0008_plans
Revises: 0007_groups_notifications
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0008_plans"
down_revision = "0007_groups_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
