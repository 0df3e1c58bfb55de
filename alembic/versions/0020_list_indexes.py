"""list indexes: assessments by (participant, created_at, id); people by (display_name, id)

The people list pages on ``users.email`` (already a unique index), cohorts
on ``(name, id)`` and members and participations on ``(cohort_id|cycle_id,
id)`` (0012). This adds the keysets the older lists lacked: a participant's
assessments oldest first, and a coach's participants by name.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 01:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_participant_created", ["participant_id", "created_at", "id"]
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_display_name_id", ["display_name", "id"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_display_name_id")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_participant_created")
