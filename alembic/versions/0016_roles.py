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
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("role_id", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("role_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # The default only fills existing rows; the model sets the value on insert.
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column("role_only", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("role_only")
        batch.drop_column("role_id")
