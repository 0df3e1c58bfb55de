"""rubric uploads: pending uploads between preview and confirm; where a rubric version came from

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.core.columns

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rubric_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("rubric_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("created_at", app.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", app.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("rubric_uploads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rubric_uploads_uploaded_by"), ["uploaded_by"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rubric_uploads_expires_at"), ["expires_at"], unique=False
        )
    with op.batch_alter_table("rubric_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="directory",
            )
        )


def downgrade() -> None:
    # In place, not a batch rebuild: on SQLite a rebuild drops the old table, and with
    # foreign keys on that cascades to every row that refers to it (SQLite >= 3.35).
    op.execute("ALTER TABLE rubric_versions DROP COLUMN source")
    with op.batch_alter_table("rubric_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_uploads_expires_at"))
        batch_op.drop_index(batch_op.f("ix_rubric_uploads_uploaded_by"))
    op.drop_table("rubric_uploads")
