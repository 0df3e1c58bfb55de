"""list indexes: a participant's assessments by (created_at, id) for their keyset pages

The people list pages on ``users.email`` (already a unique index), cohorts
on ``(name, id)`` and members and participations on ``(cohort_id|cycle_id,
id)`` (0012). This adds the one keyset the older assessment lists lacked.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 01:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_participant_created", ["participant_id", "created_at", "id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_participant_created")
