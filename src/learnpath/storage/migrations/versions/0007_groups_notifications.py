"""class groups and teams, pair rules, in-app notifications (issues 6, 7)

Tables: ``class_groups`` and ``class_group_members`` (small groups and teams of a class),
``learner_pair_rules`` (keep apart / keep together), ``notifications`` (in-app notices to one user).

Revision ID: 0007_groups_notifications
Revises: 0006_adaptivity
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_groups_notifications"
down_revision = "0006_adaptivity"
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
        "class_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _fk("class_groups", "class_id", "classes", "CASCADE"),
        _fk("class_groups", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_groups")),
    )
    with op.batch_alter_table("class_groups", schema=None) as batch_op:
        batch_op.create_index("ix_class_groups_class_kind", ["class_id", "kind"], unique=False)
    op.create_table(
        "class_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        _fk("class_group_members", "group_id", "class_groups", "CASCADE"),
        _fk("class_group_members", "learner_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "learner_id", name=op.f("pk_class_group_members")),
    )
    with op.batch_alter_table("class_group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_group_members_learner_id"), ["learner_id"], unique=False)
    op.create_table(
        "learner_pair_rules",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("learner_a", sa.Integer(), nullable=False),
        sa.Column("learner_b", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=10), nullable=False),
        _when("created_at"),
        _fk("learner_pair_rules", "class_id", "classes", "CASCADE"),
        _fk("learner_pair_rules", "learner_a", "users", "CASCADE"),
        _fk("learner_pair_rules", "learner_b", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("class_id", "learner_a", "learner_b", name=op.f("pk_learner_pair_rules")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("read_at", nullable=True),
        _fk("notifications", "user_id", "users", "CASCADE"),
        _fk("notifications", "actor_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_user_read", ["user_id", "read_at"], unique=False)


def downgrade() -> None:
    op.drop_table("notifications")
    op.drop_table("learner_pair_rules")
    with op.batch_alter_table("class_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_group_members_learner_id"))
    op.drop_table("class_group_members")
    with op.batch_alter_table("class_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_class_groups_class_kind")
    op.drop_table("class_groups")
