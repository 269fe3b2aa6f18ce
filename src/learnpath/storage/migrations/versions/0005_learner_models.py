"""versioned learner-model fits (issue 3)

Revision ID: 0005_learner_models
Revises: 0004_goals
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0005_learner_models"
down_revision = "0004_goals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
