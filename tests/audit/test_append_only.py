"""The trail is append-only in the database itself: UPDATE and DELETE are refused.

``test_the_database_refuses_...`` runs on the test database of the run (SQLite,
and PostgreSQL when ``STEPWISE_TEST_DATABASE_URL`` is set); the PostgreSQL
module below proves TRUNCATE is refused as well, on a fresh migrated database.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from app.audit import service
from app.audit.models import AuditEvent
from tests.fixtures.audit import audit_rows, record_one


def _one_event(session: Session) -> AuditEvent:
    record_one(session)
    session.flush()
    [event] = audit_rows(session)
    return event


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(subject_user_id=99),
        update(AuditEvent).values(action="nothing.happened"),
        delete(AuditEvent),
    ],
    ids=["update subject", "update action", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_event(
    session: Session, statement: object
) -> None:
    event = _one_event(session)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(statement.where(col(AuditEvent.id) == event.id))  # type: ignore[attr-defined]
    session.expire_all()
    [kept] = audit_rows(session)
    assert (kept.action, kept.subject_user_id) == ("review.viewed", 8)


def test_raw_sql_is_refused_too(session: Session) -> None:
    event = _one_event(session)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": event.id})
    assert len(audit_rows(session)) == 1


def test_the_service_offers_no_way_to_change_the_trail() -> None:
    public = {name for name in dir(service) if not name.startswith("_")}
    assert not {n for n in public if any(w in n for w in ("update", "delete", "remove", "edit"))}
