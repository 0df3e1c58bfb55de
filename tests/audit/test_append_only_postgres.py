"""PostgreSQL: the migration's triggers refuse UPDATE, DELETE and TRUNCATE of the trail."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.postgres

INSERT = (
    "INSERT INTO audit_events (at, actor_id, action, subject_user_id)"
    " VALUES (now(), 1, 'review.viewed', 2)"
)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET subject_user_id = 3",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_the_trail_cannot_be_changed(pg_engine: Engine, statement: str) -> None:
    with pg_engine.begin() as conn:
        conn.execute(text(INSERT))
    with pytest.raises(DBAPIError, match="append-only"), pg_engine.begin() as conn:
        conn.execute(text(statement))
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT subject_user_id FROM audit_events")).scalars().all() == [2]
