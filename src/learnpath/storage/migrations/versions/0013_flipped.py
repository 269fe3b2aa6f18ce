"""flipped lessons and assignments to groups (issue 7)

``assignments`` gains a group as target (``group_id``), the kind of work (``work``: practice, flipped,
project), the content to watch, read or make (``content_id``) and the ids of a flipped lesson's check items
(``check_items``). New table ``content_progress``: per learner and content, opened / seconds played /
completed (the before-class view's "who watched").

Revision ID: 0013_flipped
Revises: 0012_rotations
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_flipped"
down_revision = "0012_rotations"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("work", sa.String(length=20), server_default="practice", nullable=False)
        )
        batch_op.add_column(sa.Column("content_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("check_items", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_assignments_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_content_id"), ["content_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_assignments_group_id_class_groups"),
            "class_groups",
            ["group_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assignments_content_id_content"),
            "content",
            ["content_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.create_table(
        "content_progress",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        _fk("content_progress", "learner_id", "users", "CASCADE"),
        _fk("content_progress", "content_id", "content", "CASCADE"),
        sa.PrimaryKeyConstraint("learner_id", "content_id", name=op.f("pk_content_progress")),
    )
    with op.batch_alter_table("content_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_progress_content_id"), ["content_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_progress_content_id"))
    op.drop_table("content_progress")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_assignments_content_id_content"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_assignments_group_id_class_groups"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_assignments_content_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_group_id"))
        batch_op.drop_column("check_items")
        batch_op.drop_column("content_id")
        batch_op.drop_column("work")
        batch_op.drop_column("group_id")
