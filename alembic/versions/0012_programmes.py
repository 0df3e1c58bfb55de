"""programmes: cohorts, members, cycles, participations; assessments.closes_at

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.core.columns

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = app.core.columns.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_cohorts_version"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cohorts_name_id", "cohorts", ["name", "id"], unique=False)

    op.create_table(
        "cohort_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("added_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_cohort_user"),
    )
    op.create_index(
        "ix_cohort_members_cohort_id_id", "cohort_members", ["cohort_id", "id"], unique=False
    )
    op.create_index("ix_cohort_members_user_id", "cohort_members", ["user_id"], unique=False)
    op.create_index("ix_cohort_members_coach_id", "cohort_members", ["coach_id"], unique=False)

    op.create_table(
        "cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("opens_at", _UTC, nullable=False),
        sa.Column("closes_at", _UTC, nullable=False),
        sa.Column("accept_late", sa.Boolean(), nullable=False),
        sa.Column("review_deadline", _UTC, nullable=True),
        sa.Column("feedback_phase", sa.Boolean(), nullable=False),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.Column("opened_at", _UTC, nullable=True),
        sa.Column("closed_at", _UTC, nullable=True),
        sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name="ck_cycles_status"),
        sa.CheckConstraint("version >= 1", name="ck_cycles_version"),
        sa.CheckConstraint("closes_at > opens_at", name="ck_cycles_dates"),
        sa.CheckConstraint(
            "reminder_days >= 0 AND reminder_days <= 60", name="ck_cycles_reminder_days"
        ),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rubric_version_id"], ["rubric_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cycles_rubric_version_id", "cycles", ["rubric_version_id"], unique=False)
    op.create_index("ix_cycles_status_opens_at", "cycles", ["status", "opens_at"], unique=False)
    op.create_index("ix_cycles_status_closes_at", "cycles", ["status", "closes_at"], unique=False)
    op.create_index(
        "ix_cycles_cohort_id_opens_at_id", "cycles", ["cohort_id", "opens_at", "id"], unique=False
    )
    op.create_index("ix_cycles_opens_at_id", "cycles", ["opens_at", "id"], unique=False)

    op.create_table(
        "cycle_participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("invited_at", _UTC, nullable=True),
        sa.Column("reminded_at", _UTC, nullable=True),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cycle_id", "user_id", name="uq_cycle_participations_cycle_user"),
    )
    op.create_index(
        "ix_cycle_participations_cycle_id_id",
        "cycle_participations",
        ["cycle_id", "id"],
        unique=False,
    )
    op.create_index(
        "ix_cycle_participations_user_id", "cycle_participations", ["user_id"], unique=False
    )
    op.create_index(
        "ix_cycle_participations_assessment_id",
        "cycle_participations",
        ["assessment_id"],
        unique=False,
    )

    # A nullable column: no table rebuild on SQLite, existing rows have no deadline.
    op.add_column("assessments", sa.Column("closes_at", _UTC, nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops a plain column in place (no rebuild of a referenced table).
    op.drop_column("assessments", "closes_at")
    op.drop_table("cycle_participations")
    op.drop_table("cycles")
    op.drop_table("cohort_members")
    op.drop_table("cohorts")
