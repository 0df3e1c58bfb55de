"""The request's unit of work and settings, as ``Annotated`` dependency aliases.

``SessionDep`` is the single commit point of a request: it commits when the
route returns and rolls back when it raises. It is function-scoped, so the
commit happens *before* the response is sent: a failed commit is an error
response, never a success the client believes while the data is lost.

Who is signed in is the accounts domain's business: ``app.accounts.deps``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from app.core.config import Settings, get_settings
from app.core.db import (
    READ_ONLY_OPTION,
    UnitOfWorkFactory,
    end_session,
    has_rows_after_read,
    open_session,
    unit_of_work,
)

#: Methods that must not change anything (RFC 9110 "safe"): their unit of work is read-only.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_READ_ONLY_MARK = "__stepwise_read_only__"
_Endpoint = TypeVar("_Endpoint", bound=Callable[..., Any])


def reads_only(endpoint: _Endpoint) -> _Endpoint:
    """Mark a route that changes nothing although its method is unsafe (``POST /api/v1/score``).

    Its unit of work is read-only like a GET's: on SQLite no write lock, so
    eight clients scoring at once do not queue for it; a write inside it
    fails loudly (:class:`app.core.db.ReadOnlyViolation`).
    """
    setattr(endpoint, _READ_ONLY_MARK, True)
    return endpoint


def _reads_only(request: Request) -> bool:
    if request.method in SAFE_METHODS:
        return True
    route = request.scope.get("route")
    return getattr(getattr(route, "endpoint", None), _READ_ONLY_MARK, False) is True


def reads_locally(session: Session) -> bool:
    """True for a read-only unit of work on SQLite: its queries may run on the event loop.

    Such a unit begins DEFERRED in WAL mode, so its statements never wait for
    a lock (no busy handler, no backoff sleeps) and a short read costs less
    than the thread-pool hop that would carry it (docs/benchmarks.md). A
    write unit (its first statement waits for the write lock) and any
    database over a network keep the hop.
    """
    return (
        session.info.get(READ_ONLY_OPTION, False) is True
        and session.get_bind().dialect.name == "sqlite"
        # Rows left for the end (audit records) are a write: it may wait for the lock.
        and not has_rows_after_read(session)
    )


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work (see the module docstring).

    A safe request (GET, HEAD, OPTIONS) or a route marked :func:`reads_only`
    gets a read-only one: on SQLite it
    takes no write lock, so reads never queue behind writes, and any write
    attempt is a bug that fails loudly (:class:`app.core.db.ReadOnlyViolation`).

    Opening a ``Session`` does no I/O (it connects on its first query), so it
    is opened on the event loop, and only the end -- commit or roll back, then
    close -- pays a thread-pool hop, and only if a transaction was begun. A
    sync generator would pay two hops on every request (docs/benchmarks.md).
    The end is shielded: a client that disconnects mid-request still gets
    its transaction finished and its connection returned to the pool.
    """
    read_only = _reads_only(request)
    session = open_session(read_only=read_only)
    succeeded = False
    try:
        yield session
        succeeded = True
    finally:
        with anyio.CancelScope(shield=True):
            # add() and every query begin the session's transaction, so this
            # also catches work that was added but never flushed (tests/test_deps.py).
            if not session.in_transaction():
                session.close()
            elif reads_locally(session):
                # Ending a read transaction on SQLite never waits for a lock.
                end_session(session, succeeded=succeeded)
            else:
                await run_in_threadpool(end_session, session, succeeded=succeeded)


async def end_transaction(session: Session) -> None:
    """Commit what the request did so far and hand its connection back to the pool.

    For the rare request that must wait on something slow (a report render)
    after its reads: holding the transaction across the wait would hold a
    pooled connection and, on SQLite, the write lock. The session stays
    usable -- a later query begins a new transaction, which the dependency
    commits as usual -- and this is still the one place requests commit.
    """
    if session.in_transaction():
        await run_in_threadpool(session.commit)


async def current_settings() -> Settings:
    # Pure dependencies are ``async def``: a plain ``def`` costs a thread-pool
    # round trip per request, which is measurable on the hot scoring path
    # (see docs/benchmarks.md).
    return get_settings()


async def get_unit_of_work() -> UnitOfWorkFactory:
    """Opens short units of work beside the request's (see :func:`app.core.db.unit_of_work`)."""
    return unit_of_work


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
UnitOfWorkDep = Annotated[UnitOfWorkFactory, Depends(get_unit_of_work)]
SettingsDep = Annotated[Settings, Depends(current_settings)]
