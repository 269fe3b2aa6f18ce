"""content of every kind: videos, readings, activities, projects (issue 4)

Revision ID: 0003_content
Revises: 0002_curriculum
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003_content"
down_revision = "0002_curriculum"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
