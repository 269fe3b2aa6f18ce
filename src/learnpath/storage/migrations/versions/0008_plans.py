"""personal learning plans: goal history, approvals, comments, milestones (issue 6)

Tables: ``learner_plans`` (per-learner plan settings: who drafts the goals), ``goal_events`` (each goal's
whole history: drafts, proposals, approvals, change requests, comments, adjustments; approvals and comments
are events), ``goal_parts`` (milestones, rubric criteria and checklist entries of interest/project goals).

Revision ID: 0008_plans
Revises: 0007_groups_notifications
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_plans"
down_revision = "0007_groups_notifications"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "learner_plans",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("teacher_drafts", sa.Boolean(), nullable=True),
        _when("updated_at"),
        _fk("learner_plans", "learner_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("learner_id", name=op.f("pk_learner_plans")),
    )
    op.create_table(
        "goal_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        _when("created_at"),
        _fk("goal_events", "goal_id", "goals", "CASCADE"),
        _fk("goal_events", "actor_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_events")),
    )
    with op.batch_alter_table("goal_events", schema=None) as batch_op:
        batch_op.create_index("ix_goal_events_goal_at", ["goal_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_events_actor_id"), ["actor_id"], unique=False)
    op.create_table(
        "goal_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        _when("done_at", nullable=True),
        _fk("goal_parts", "goal_id", "goals", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_parts")),
    )
    with op.batch_alter_table("goal_parts", schema=None) as batch_op:
        batch_op.create_index("ix_goal_parts_goal_kind", ["goal_id", "kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goal_parts", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_parts_goal_kind")
    op.drop_table("goal_parts")
    with op.batch_alter_table("goal_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_events_actor_id"))
        batch_op.drop_index("ix_goal_events_goal_at")
    op.drop_table("goal_events")
    op.drop_table("learner_plans")
