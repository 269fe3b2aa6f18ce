"""check-ins and family digests (issue 6)

Tables: ``class_checkin_rhythms`` and ``learner_checkin_rhythms`` (how often a teacher meets a learner),
``checkins`` (held check-ins with their summary, plan snapshot, notes and decisions), ``family_digests``
(one weekly digest per family member and week). Column: ``users.email`` (nullable; where digests are
emailed when SMTP is configured).

Revision ID: 0009_checkins
Revises: 0008_plans
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_checkins"
down_revision = "0008_plans"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "class_checkin_rhythms",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        _when("set_at"),
        _fk("class_checkin_rhythms", "class_id", "classes", "CASCADE"),
        _fk("class_checkin_rhythms", "set_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("class_id", name=op.f("pk_class_checkin_rhythms")),
    )
    op.create_table(
        "learner_checkin_rhythms",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        _when("set_at"),
        _fk("learner_checkin_rhythms", "learner_id", "users", "CASCADE"),
        _fk("learner_checkin_rhythms", "set_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("learner_id", name=op.f("pk_learner_checkin_rhythms")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        _when("held_at"),
        _when("since"),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("private_notes", sa.Text(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        _fk("checkins", "learner_id", "users", "CASCADE"),
        _fk("checkins", "teacher_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index("ix_checkins_learner_held", ["learner_id", "held_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkins_teacher_id"), ["teacher_id"], unique=False)
    op.create_table(
        "family_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.Column("email_to", sa.String(length=254), nullable=True),
        _when("emailed_at", nullable=True),
        _fk("family_digests", "family_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_digests")),
        sa.UniqueConstraint("family_id", "week_start", name=op.f("uq_family_digests_family_id")),
    )


def downgrade() -> None:
    op.drop_table("family_digests")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_teacher_id"))
        batch_op.drop_index("ix_checkins_learner_held")
    op.drop_table("checkins")
    op.drop_table("learner_checkin_rhythms")
    op.drop_table("class_checkin_rhythms")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email")
