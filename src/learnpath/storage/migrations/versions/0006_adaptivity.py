"""next-step choices, spaced review, placement (issue 5)

Revision ID: 0006_adaptivity
Revises: 0005_learner_models
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0006_adaptivity"
down_revision = "0005_learner_models"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
