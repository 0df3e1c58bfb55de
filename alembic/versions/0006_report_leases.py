"""reports: render leases (report_render_leases)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.core.columns

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report_render_leases',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('acquired_at', app.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('report_render_leases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_render_leases_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_render_leases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_render_leases_user_id'))
    op.drop_table('report_render_leases')
