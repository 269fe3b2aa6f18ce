"""learner goals picked by teachers; extended by plans (issues 4, 6)

Revision ID: 0004_goals
Revises: 0003_content
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_goals"
down_revision = "0003_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("target_mastery", sa.Float(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["users.id"], name=op.f("fk_goals_learner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_goals_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index("ix_goals_learner_state", ["learner_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_goals_created_by"), ["created_by"], unique=False)

    op.create_table(
        "goal_skills",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_skills_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_goal_skills_skill_id_skills"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("goal_id", "skill_id", name=op.f("pk_goal_skills")),
    )
    with op.batch_alter_table("goal_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_skills_skill_id"), ["skill_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goal_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_skills_skill_id"))
    op.drop_table("goal_skills")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_created_by"))
        batch_op.drop_index("ix_goals_learner_state")
    op.drop_table("goals")
