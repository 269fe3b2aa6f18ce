"""content of every kind: videos, readings, activities, projects (issue 4)

Revision ID: 0003_content
Revises: 0002_curriculum
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_content"
down_revision = "0002_curriculum"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("modality", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_es", sa.String(length=300), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("grade_low", sa.Integer(), nullable=False),
        sa.Column("grade_high", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("summary_es", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_es", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("video_file", sa.String(length=200), nullable=False),
        sa.Column("video_media_type", sa.String(length=50), nullable=False),
        sa.Column("video_size", sa.Integer(), nullable=True),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("rubric", sa.JSON(), nullable=True),
        sa.Column("author_difficulty", sa.Float(), nullable=False),
        sa.Column("difficulty", sa.Float(), nullable=False),
        sa.Column("difficulty_n", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_content_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_content_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content")),
    )
    with op.batch_alter_table("content", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_school_id"), ["school_id"], unique=False)
        batch_op.create_index("ix_content_school_code", ["school_id", "code"], unique=True)

    op.create_table(
        "content_skills",
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["content.id"],
            name=op.f("fk_content_skills_content_id_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_content_skills_skill_id_skills"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("content_id", "skill_id", name=op.f("pk_content_skills")),
    )
    with op.batch_alter_table("content_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_skills_skill_id"), ["skill_id"], unique=False)

    op.create_table(
        "item_calibrations",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("author_difficulty", sa.Float(), nullable=False),
        sa.Column("n_attempts", sa.Integer(), nullable=False),
        sa.Column("n_correct", sa.Integer(), nullable=False),
        sa.Column("refined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_calibrations_item_id_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_calibrations")),
    )


def downgrade() -> None:
    op.drop_table("item_calibrations")
    with op.batch_alter_table("content_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_skills_skill_id"))
    op.drop_table("content_skills")
    with op.batch_alter_table("content", schema=None) as batch_op:
        batch_op.drop_index("ix_content_school_code")
        batch_op.drop_index(batch_op.f("ix_content_school_id"))
    op.drop_table("content")
