"""assessments: the self level per (assessment, behavior), backfilled from the results

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _levels_of(assessment_id: int, result: Any) -> list[dict[str, Any]]:
    """The rows one stored ScoringResult JSON gives (skipping anything malformed)."""
    if isinstance(result, str):
        import json

        result = json.loads(result)
    rows: list[dict[str, Any]] = []
    for competency in (result or {}).get("competencies", ()):
        for behavior in competency.get("behaviors", ()):
            if isinstance(behavior.get("level"), int):
                rows.append(
                    {
                        "assessment_id": assessment_id,
                        "behavior_id": behavior["id"],
                        "competency_id": competency["id"],
                        "level": behavior["level"],
                    }
                )
    return rows


def upgrade() -> None:
    levels = op.create_table(
        "assessment_levels",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("behavior_id", sa.String(length=64), nullable=False),
        sa.Column("competency_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("assessment_id", "behavior_id"),
    )
    op.create_index(
        "ix_assessment_levels_covering",
        "assessment_levels",
        ["assessment_id", "behavior_id", "level"],
    )
    # Backfill: every submitted assessment's levels, read from its stored result.
    assessments = sa.table(
        "assessments",
        sa.column("id", sa.Integer),
        sa.column("status"),
        sa.column("result", sa.JSON),
    )
    bind = op.get_bind()
    query = sa.select(assessments.c.id, assessments.c.result).where(
        assessments.c.status == "submitted", assessments.c.result.is_not(None)
    )
    batch: list[dict[str, Any]] = []
    for assessment_id, result in bind.execute(query):
        batch.extend(_levels_of(assessment_id, result))
        if len(batch) >= 5000:
            op.bulk_insert(levels, batch)
            batch = []
    if batch:
        op.bulk_insert(levels, batch)


def downgrade() -> None:
    op.drop_index("ix_assessment_levels_covering", table_name="assessment_levels")
    op.drop_table("assessment_levels")
