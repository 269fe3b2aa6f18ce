"""next-step choices, spaced review, placement (issue 5)

Tables: ``skill_memory`` (FSRS memory per learner and skill), ``learner_interests`` and ``skill_interests``
(interest tags), ``assignments`` (a teacher's must-do work), ``next_step_picks`` (what a learner chose
among the offered next steps), ``placements`` (placement tests: running state and result); an index of
``class_learners`` by learner (a learner's classes, for class-wide must-do work).

Revision ID: 0006_adaptivity
Revises: 0005_learner_models
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_adaptivity"
down_revision = "0005_learner_models"
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
        "skill_memory",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=False),
        sa.Column("difficulty", sa.Float(), nullable=False),
        _when("last_review_at"),
        _when("due_at"),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("peak_mastery", sa.Float(), nullable=False),
        _fk("skill_memory", "learner_id", "users", "CASCADE"),
        _fk("skill_memory", "skill_id", "skills", "CASCADE"),
        sa.PrimaryKeyConstraint("learner_id", "skill_id", name=op.f("pk_skill_memory")),
    )
    op.create_table(
        "learner_interests",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        _fk("learner_interests", "learner_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("learner_id", "tag", name=op.f("pk_learner_interests")),
    )
    op.create_table(
        "skill_interests",
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        _fk("skill_interests", "skill_id", "skills", "CASCADE"),
        sa.PrimaryKeyConstraint("skill_id", "tag", name=op.f("pk_skill_interests")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("learner_id", sa.Integer(), nullable=True),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        _when("due_at", nullable=True),
        _when("created_at"),
        _fk("assignments", "school_id", "schools", "CASCADE"),
        _fk("assignments", "created_by", "users", "SET NULL"),
        _fk("assignments", "learner_id", "users", "CASCADE"),
        _fk("assignments", "class_id", "classes", "CASCADE"),
        _fk("assignments", "skill_id", "skills", "CASCADE"),
        _fk("assignments", "item_id", "items", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index("ix_assignments_learner_id", ["learner_id"], unique=False)
        batch_op.create_index("ix_assignments_class_id", ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_school_id"), ["school_id"], unique=False)
    op.create_table(
        "next_step_picks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("offered", sa.JSON(), nullable=False),
        _when("created_at"),
        _fk("next_step_picks", "learner_id", "users", "CASCADE"),
        _fk("next_step_picks", "skill_id", "skills", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_next_step_picks")),
    )
    with op.batch_alter_table("next_step_picks", schema=None) as batch_op:
        batch_op.create_index("ix_next_step_picks_learner_at", ["learner_id", "created_at"], unique=False)
    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("n_questions", sa.Integer(), nullable=False),
        _when("started_at"),
        _when("finished_at", nullable=True),
        _fk("placements", "learner_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index("ix_placements_learner_started", ["learner_id", "started_at"], unique=False)
    with op.batch_alter_table("class_learners", schema=None) as batch_op:
        batch_op.create_index("ix_class_learners_learner_id", ["learner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("class_learners", schema=None) as batch_op:
        batch_op.drop_index("ix_class_learners_learner_id")
    for table in (
        "placements",
        "next_step_picks",
        "assignments",
        "skill_interests",
        "learner_interests",
        "skill_memory",
    ):
        op.drop_table(table)
