"""curriculum frameworks, CASE items and associations, imports (issue 4)

Revision ID: 0002_curriculum
Revises: 0001_create_core_tables
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002_curriculum"
down_revision = "0001_create_core_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
