"""user locale: the language a person chose for pages, e-mails and reports

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=12), nullable=True))


def downgrade() -> None:
    # In place, not a batch rebuild: on SQLite a rebuild drops the old table, and with
    # foreign keys on that cascades to every row that refers to it (SQLite >= 3.35).
    op.execute("ALTER TABLE users DROP COLUMN locale")
