"""class dashboard (issue 7)

Revision ID: 0014_dashboard
Revises: 0013_flipped
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0014_dashboard"
down_revision = "0013_flipped"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
