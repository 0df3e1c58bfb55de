"""A look recorded in a read-only unit of work (every GET) is written when the read ends well.

Run on a real engine, as production opens its units (not the test's shared
connection): the read begins lock-free, the event is inserted by a short
write unit right after the read commits, and a read that fails writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.core.db import end_session, make_engine, open_session
from app.core.deps import reads_locally
from tests.fixtures.audit import record_one
from tests.fixtures.database import migrated_sqlite_file


@pytest.fixture(scope="module")
def file_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(migrated_sqlite_file(tmp_path_factory, "audit"))
    yield engine
    engine.dispose()


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def _look(session: Session) -> None:
    session.exec(select(func.count()).select_from(AuditEvent)).one()  # the read
    record_one(session)


def test_the_event_is_written_after_the_read_commits(file_engine: Engine) -> None:
    before = _count(file_engine)
    session = open_session(file_engine, read_only=True)
    _look(session)
    # Pending: the read-only unit itself never wrote, and it now ends in the thread pool.
    assert not session.new and not reads_locally(session)
    end_session(session, succeeded=True)
    assert _count(file_engine) == before + 1


def test_a_read_that_fails_records_nothing(file_engine: Engine) -> None:
    before = _count(file_engine)
    session = open_session(file_engine, read_only=True)
    _look(session)
    end_session(session, succeeded=False)
    assert _count(file_engine) == before


def test_a_writing_unit_records_in_its_own_transaction(file_engine: Engine) -> None:
    before = _count(file_engine)
    session = open_session(file_engine)
    _look(session)
    assert session.new  # part of this transaction: it commits with the change or not at all
    end_session(session, succeeded=False)
    assert _count(file_engine) == before
