"""portfolio of work (issue 6)

Tables: ``portfolio_items`` (files, links and texts with a reflection), ``portfolio_goals`` and
``portfolio_skills`` (what a piece shows), ``portfolio_feedback`` (teachers' comments and scores),
``portfolio_evidence`` (scores as facts for the learner model).

Revision ID: 0010_portfolio
Revises: 0009_checkins
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_portfolio"
down_revision = "0009_checkins"
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
        "portfolio_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when("created_at"),
        _fk("portfolio_items", "learner_id", "users", "CASCADE"),
        _fk("portfolio_items", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_items")),
    )
    with op.batch_alter_table("portfolio_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_portfolio_items_learner_created", ["learner_id", "created_at"], unique=False
        )
    op.create_table(
        "portfolio_goals",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        _fk("portfolio_goals", "item_id", "portfolio_items", "CASCADE"),
        _fk("portfolio_goals", "goal_id", "goals", "CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "goal_id", name=op.f("pk_portfolio_goals")),
    )
    with op.batch_alter_table("portfolio_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portfolio_goals_goal_id"), ["goal_id"], unique=False)
    op.create_table(
        "portfolio_skills",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        _fk("portfolio_skills", "item_id", "portfolio_items", "CASCADE"),
        _fk("portfolio_skills", "skill_id", "skills", "CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "skill_id", name=op.f("pk_portfolio_skills")),
    )
    with op.batch_alter_table("portfolio_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portfolio_skills_skill_id"), ["skill_id"], unique=False)
    op.create_table(
        "portfolio_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("rubric", sa.JSON(), nullable=True),
        sa.Column("judgements", sa.JSON(), nullable=True),
        _when("created_at"),
        _fk("portfolio_feedback", "item_id", "portfolio_items", "CASCADE"),
        _fk("portfolio_feedback", "author_id", "users", "SET NULL"),
        _fk("portfolio_feedback", "goal_id", "goals", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_feedback")),
    )
    with op.batch_alter_table("portfolio_feedback", schema=None) as batch_op:
        batch_op.create_index("ix_portfolio_feedback_item", ["item_id", "created_at"], unique=False)
    op.create_table(
        "portfolio_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        _when("at"),
        _fk("portfolio_evidence", "learner_id", "users", "CASCADE"),
        _fk("portfolio_evidence", "skill_id", "skills", "CASCADE"),
        _fk("portfolio_evidence", "item_id", "portfolio_items", "SET NULL"),
        _fk("portfolio_evidence", "feedback_id", "portfolio_feedback", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_evidence")),
    )
    with op.batch_alter_table("portfolio_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_portfolio_evidence_learner_at", ["learner_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("portfolio_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_portfolio_evidence_learner_at")
    op.drop_table("portfolio_evidence")
    with op.batch_alter_table("portfolio_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_portfolio_feedback_item")
    op.drop_table("portfolio_feedback")
    with op.batch_alter_table("portfolio_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_skills_skill_id"))
    op.drop_table("portfolio_skills")
    with op.batch_alter_table("portfolio_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_goals_goal_id"))
    op.drop_table("portfolio_goals")
    with op.batch_alter_table("portfolio_items", schema=None) as batch_op:
        batch_op.drop_index("ix_portfolio_items_learner_created")
    op.drop_table("portfolio_items")
