"""rubric translations: one locale's texts per stored rubric version, with their own hash

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 05:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.columns import UTCDateTime

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rubric_translations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "rubric_version_id", sa.Integer(), sa.ForeignKey("rubric_versions.id"), nullable=False
        ),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("source_version", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "rubric_version_id", "locale", "content_hash", name="uq_rubric_translations_hash"
        ),
    )
    op.create_index(
        "ix_rubric_translations_rubric_version_id", "rubric_translations", ["rubric_version_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_rubric_translations_rubric_version_id", table_name="rubric_translations")
    op.drop_table("rubric_translations")
