"""upgrades: the rubric version an in-progress assessment was moved from

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:00:00

A plain nullable column, added and dropped in place (no batch rebuild): on
SQLite a rebuild drops the old ``assessments`` table, which with foreign keys
on would cascade to every answer and level (see the model's comment).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("upgraded_from_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("assessments", "upgraded_from_id")
