"""curriculum frameworks, CASE items and associations, imports; teacher scores of extended text (issue 4)

Revision ID: 0002_curriculum
Revises: 0001_create_core_tables
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_curriculum"
down_revision = "0001_create_core_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("frameworks", sa.Column("shape", sa.String(length=10), nullable=False, server_default=""))
    op.add_column("frameworks", sa.Column("document", sa.JSON(), nullable=True))
    op.add_column("frameworks", sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))

    op.add_column("skills", sa.Column("identifier", sa.String(length=300), nullable=True))
    op.add_column("skills", sa.Column("item_type", sa.String(length=100), nullable=False, server_default=""))
    op.add_column("skills", sa.Column("depth", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("skills", sa.Column("details", sa.JSON(), nullable=True))
    op.create_index("ix_skills_framework_identifier", "skills", ["framework_id", "identifier"], unique=True)

    op.create_table(
        "framework_associations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("identifier", sa.String(length=300), nullable=False),
        sa.Column("association_type", sa.String(length=100), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("sequence_number", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_framework_associations_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_associations")),
        sa.UniqueConstraint(
            "framework_id", "source", "identifier", name=op.f("uq_framework_associations_framework_id")
        ),
    )
    op.create_index(
        op.f("ix_framework_associations_framework_id"), "framework_associations", ["framework_id"]
    )
    op.create_table(
        "media_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_media_files_sha256")),
    )
    op.create_table(
        "item_media",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_media_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media_files.id"],
            name=op.f("fk_item_media_media_id_media_files"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("item_id", "path", name=op.f("pk_item_media")),
    )
    op.create_index(op.f("ix_item_media_media_id"), "item_media", ["media_id"])
    # teacher scores of QTI extended-text answers (issue 4)
    op.create_table(
        "teacher_scores",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_teacher_scores_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["users.id"], name=op.f("fk_teacher_scores_teacher_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_teacher_scores")),
    )
    op.create_index(op.f("ix_teacher_scores_teacher_id"), "teacher_scores", ["teacher_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_teacher_scores_teacher_id"), table_name="teacher_scores")
    op.drop_table("teacher_scores")
    op.drop_index(op.f("ix_item_media_media_id"), table_name="item_media")
    op.drop_table("item_media")
    op.drop_table("media_files")
    op.drop_index(op.f("ix_framework_associations_framework_id"), table_name="framework_associations")
    op.drop_table("framework_associations")
    op.drop_index("ix_skills_framework_identifier", table_name="skills")
    with op.batch_alter_table("skills") as batch:
        for name in ("details", "depth", "item_type", "identifier"):
            batch.drop_column(name)
    with op.batch_alter_table("frameworks") as batch:
        for name in ("imported_at", "document", "shape"):
            batch.drop_column(name)
