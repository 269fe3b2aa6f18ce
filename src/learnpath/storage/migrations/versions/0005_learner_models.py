"""versioned learner-model fits (issue 3)

A refit that does not validate (held-out AUC worse than the active version's) is stored as a rejected
version: ``accepted`` false and the ``reason``. Versions stored before this revision count as accepted.

Revision ID: 0005_learner_models
Revises: 0004_goals
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_learner_models"
down_revision = "0004_goals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("accepted")
