"""Database engine and sessions.

One engine per database URL. SQLite is tuned for a web app with several
workers: WAL (readers don't block the writer), foreign keys enforced, and a
busy timeout so concurrent writers wait instead of failing at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine.url import make_url
from sqlmodel import Session

from app.core.config import get_settings


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, issue BEGIN: savepoints and
        # transactional DDL then behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 30000,
    begin_immediate: bool = True,
    pool_size: int = 20,
    max_overflow: int = 20,
) -> Engine:
    """Create an engine with the project's per-dialect settings.

    ``begin_immediate=False`` is for read-only observers (tests, tools) that
    must not hold SQLite's write lock while another process writes.
    """
    pool = {"pool_size": pool_size, "max_overflow": max_overflow}
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        else:
            pool = {}  # in-memory: SQLAlchemy's one-connection-per-thread pool
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **pool
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        # IMMEDIATE takes the write lock up front. A deferred transaction that
        # has read cannot upgrade once another connection committed, and fails
        # with "database is locked" at once (the busy timeout does not apply);
        # with IMMEDIATE concurrent writers queue on the busy timeout instead,
        # and the optimistic version check turns a lost race into a 409.
        #
        # A read-only unit of work (:func:`read_only_engine`: every GET, HEAD
        # and OPTIONS request) begins DEFERRED instead: in WAL mode it reads
        # a snapshot and takes no lock at all, so readers never queue behind
        # writers or each other. The read-only guard below keeps it from
        # writing, so it can never hit the "cannot upgrade" case.
        begin = "BEGIN IMMEDIATE" if begin_immediate else "BEGIN"

        def on_begin(conn: Connection) -> None:
            read_only = conn.get_execution_options().get(READ_ONLY_OPTION, False)
            conn.exec_driver_sql("BEGIN" if read_only else begin)

        event.listen(engine, "begin", on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )


#: Execution option (and ``Session.info`` key) of a read-only unit of work.
READ_ONLY_OPTION = "stepwise_read_only"


class ReadOnlyViolation(RuntimeError):
    """A read-only unit of work tried to write: a programming error, never input.

    A GET that must record something (a render lease, a cached PDF) does it
    in a short unit of work of its own (:func:`unit_of_work`), not in the
    request's read-only one.
    """


@lru_cache
def read_only_engine(engine: Engine) -> Engine:
    """``engine`` (same pool, same events) beginning its transactions as reads.

    On SQLite that is a DEFERRED ``BEGIN`` (no write lock, see
    :func:`make_engine`); on PostgreSQL nothing changes in the database, and
    the guard of :func:`mark_read_only` refuses writes on both.
    """
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def mark_read_only(session: Session, read_only: bool = True) -> None:
    """Make ``session`` refuse writes (flushes and INSERT/UPDATE/DELETE statements)."""
    session.info[READ_ONLY_OPTION] = read_only


@event.listens_for(Session, "before_flush")
def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY_OPTION) and (session.new or session.dirty or session.deleted):
        raise ReadOnlyViolation("a read-only unit of work tried to flush changes")


@event.listens_for(Session, "do_orm_execute")
def _refuse_write_statements(state: Any) -> None:
    if state.session.info.get(READ_ONLY_OPTION) and (
        state.is_insert or state.is_update or state.is_delete
    ):
        raise ReadOnlyViolation("a read-only unit of work tried to write")


#: ``Session.info`` key: rows a read-only unit of work leaves to be written when it ends well.
AFTER_READ = "stepwise_after_read"


def add_after_read(session: Session, row: Any) -> None:
    """Write ``row`` when the read-only unit of work ``session`` commits (an audit record).

    A safe request (a coach opening a review) may not write in its own unit
    of work: on SQLite that one began as a lock-free read and could not take
    the write lock without failing. So the row waits in ``session.info`` and
    is inserted by a short unit of work of its own right after the read
    commits -- still before the response is sent (the request dependency ends
    its unit first), and a failed insert fails the request. A read that rolls
    back writes nothing. A writable session just adds the row (same transaction).
    """
    if session.info.get(READ_ONLY_OPTION):
        session.info.setdefault(AFTER_READ, []).append(row)
    else:
        session.add(row)


def has_rows_after_read(session: Session) -> bool:
    return bool(session.info.get(AFTER_READ))


@event.listens_for(Session, "after_commit")
def _write_after_read(session: Session) -> None:
    rows = session.info.pop(AFTER_READ, None)
    if not rows:
        return
    bind = session.get_bind()
    if isinstance(bind, Connection):  # a test's session bound to its own connection
        writer = Session(bind=bind, join_transaction_mode="create_savepoint")
    else:
        writer = Session(bind.execution_options(**{READ_ONLY_OPTION: False}))
    with writer:
        writer.add_all(rows)
        writer.commit()


@event.listens_for(Session, "after_rollback")
def _drop_after_read(session: Session) -> None:
    session.info.pop(AFTER_READ, None)


def open_session(engine: Engine | None = None, *, read_only: bool = False) -> Session:
    """A session whose objects stay readable after commit (responses serialise after it).

    ``read_only`` opens the unit of work of a safe request (GET, HEAD,
    OPTIONS): it takes no write lock on SQLite and refuses to write.
    """
    bind = engine or get_engine()
    if read_only:
        session = Session(read_only_engine(bind), expire_on_commit=False)
        mark_read_only(session)
        return session
    return Session(bind, expire_on_commit=False)


def end_session(session: Session, *, succeeded: bool) -> None:
    """Finish a unit of work: commit if it succeeded, roll back if not, then close.

    Blocking (it talks to the database); the request dependency runs it in the
    thread pool. A failed commit rolls back and propagates.
    """
    try:
        if succeeded:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def session_scope() -> Iterator[Session]:
    """The unit of work of the CLI and start-up, as a generator (``for session in ...``).

    The same rule as the request dependency (:func:`app.core.deps.get_session`):
    commit when the body succeeds, roll back when it raises or leaves the loop
    early (the generator's close throws into :func:`unit_of_work`, whose
    ``with`` block then counts as failed). Services only ``flush``.
    """
    with unit_of_work() as session:
        yield session


#: Opens a short unit of work of its own: ``with new_unit() as session: ...``.
UnitOfWorkFactory = Callable[[], AbstractContextManager[Session]]


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """A short unit of work beside the request's, committed when the block succeeds.

    For coordination that other processes must see before the request ends
    (a render lease, a rendered PDF that waiters poll for). Requests get it
    through :data:`app.core.deps.UnitOfWorkDep`, so tests can bind it to their
    own connection; a background job passes its own engine. Same commit rule
    as :func:`session_scope`.
    """
    session = open_session(engine)
    succeeded = False
    try:
        yield session
        succeeded = True
    finally:
        end_session(session, succeeded=succeeded)
