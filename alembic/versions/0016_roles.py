"""assessments: the role profile picked, and whether the questionnaire is limited to it

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("role_id", sa.String(length=64), nullable=True))
    op.add_column(
        "assessments",
        sa.Column("role_only", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # The server default stays: removing it would rebuild the table on SQLite, and a
    # rebuild with foreign keys on cascades to every answer and level. The model sets
    # the value on insert anyway.


def downgrade() -> None:
    # In place, not a batch rebuild: on SQLite a rebuild drops the old table, and with
    # foreign keys on that cascades to every row that refers to it (SQLite >= 3.35).
    op.execute("ALTER TABLE assessments DROP COLUMN role_only")
    op.execute("ALTER TABLE assessments DROP COLUMN role_id")
