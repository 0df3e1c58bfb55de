"""upgrades: the rubric version an in-progress assessment was moved from

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("upgraded_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_assessments_upgraded_from_id_rubric_versions",
            "rubric_versions",
            ["upgraded_from_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_assessments_upgraded_from_id_rubric_versions", type_="foreignkey"
        )
        batch_op.drop_column("upgraded_from_id")
