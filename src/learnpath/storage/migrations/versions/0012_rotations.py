"""station rotations (issue 7)

Tables: ``rotation_stations`` (a class's reusable stations), ``rotation_plans`` (a planned rotation and how
the solver did) and ``rotation_plan_learners`` (each learner's need and station per slot).

Revision ID: 0012_rotations
Revises: 0010_portfolio
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_rotations"
down_revision = "0010_portfolio"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _when(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "rotation_stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("modality", sa.String(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        _fk("rotation_stations", "class_id", "classes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_stations")),
    )
    with op.batch_alter_table("rotation_stations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rotation_stations_class_id"), ["class_id"], unique=False)
    op.create_table(
        "rotation_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("period_minutes", sa.Integer(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("stations", sa.JSON(), nullable=False),
        sa.Column("skill_codes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("objective", sa.Integer(), nullable=False),
        sa.Column("bound", sa.Float(), nullable=False),
        sa.Column("solve_ms", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _fk("rotation_plans", "class_id", "classes", "CASCADE"),
        _fk("rotation_plans", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_plans")),
    )
    with op.batch_alter_table("rotation_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rotation_plans_class_id"), ["class_id"], unique=False)
    op.create_table(
        "rotation_plan_learners",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("need", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.JSON(), nullable=False),
        sa.Column("stations", sa.JSON(), nullable=False),
        sa.Column("fixed_slots", sa.JSON(), nullable=False),
        _fk("rotation_plan_learners", "plan_id", "rotation_plans", "CASCADE"),
        _fk("rotation_plan_learners", "learner_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", "learner_id", name=op.f("pk_rotation_plan_learners")),
    )
    with op.batch_alter_table("rotation_plan_learners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rotation_plan_learners_learner_id"), ["learner_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rotation_plan_learners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rotation_plan_learners_learner_id"))
    op.drop_table("rotation_plan_learners")
    with op.batch_alter_table("rotation_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rotation_plans_class_id"))
    op.drop_table("rotation_plans")
    with op.batch_alter_table("rotation_stations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rotation_stations_class_id"))
    op.drop_table("rotation_stations")
