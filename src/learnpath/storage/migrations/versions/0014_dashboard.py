"""class dashboard (issue 7)

Table: ``mastery_history`` (a learner's P(mastery) of a skill at the end of each day with evidence on it),
read by the dashboard's progress chart and falling-mastery alerts.

Revision ID: 0014_dashboard
Revises: 0013_flipped
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_dashboard"
down_revision = "0013_flipped"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mastery_history",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("p_mastery", sa.Float(), nullable=False),
        sa.Column("n_attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["users.id"],
            name=op.f("fk_mastery_history_learner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skills.id"],
            name=op.f("fk_mastery_history_skill_id_skills"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("learner_id", "skill_id", "day", name=op.f("pk_mastery_history")),
    )


def downgrade() -> None:
    op.drop_table("mastery_history")
