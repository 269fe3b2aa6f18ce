"""learner goals picked by teachers; extended by plans (issues 4, 6)

Revision ID: 0004_goals
Revises: 0003_content
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004_goals"
down_revision = "0003_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
