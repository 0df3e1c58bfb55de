"""accounts: login_throttle_keys, the per-key lock that makes the login throttle atomic

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.core.columns

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('login_throttle_keys',
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('seen_at', app.core.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key')
    )
    with op.batch_alter_table('login_throttle_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_keys_seen_at'), ['seen_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_throttle_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_keys_seen_at'))

    op.drop_table('login_throttle_keys')
