"""flipped lessons and assignments to groups (issue 7)

Revision ID: 0013_flipped
Revises: 0012_rotations
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0013_flipped"
down_revision = "0012_rotations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
