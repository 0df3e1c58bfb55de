"""The request's unit of work and settings, as ``Annotated`` dependency aliases.

``SessionDep`` is the single commit point of a request: it commits when the
route returns and rolls back when it raises. It is function-scoped, so the
commit happens *before* the response is sent: a failed commit is an error
response, never a success the client believes while the data is lost.

Who is signed in is the accounts domain's business: ``app.accounts.deps``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from app.core.config import Settings, get_settings
from app.core.db import end_session, open_session


async def get_session() -> AsyncIterator[Session]:
    """The request's unit of work (see the module docstring).

    Opening a ``Session`` does no I/O (it connects on its first query), so it
    is opened on the event loop, and only the end -- commit or roll back, then
    close -- pays a thread-pool hop, and only if a transaction was begun. A
    sync generator would pay two hops on every request (docs/benchmarks.md).
    The end is shielded: a client that disconnects mid-request still gets
    its transaction finished and its connection returned to the pool.
    """
    session = open_session()
    succeeded = False
    try:
        yield session
        succeeded = True
    finally:
        with anyio.CancelScope(shield=True):
            # add() and every query begin the session's transaction, so this
            # also catches work that was added but never flushed (tests/test_deps.py).
            if session.in_transaction():
                await run_in_threadpool(end_session, session, succeeded=succeeded)
            else:
                session.close()


async def current_settings() -> Settings:
    # Pure dependencies are ``async def``: a plain ``def`` costs a thread-pool
    # round trip per request, which is measurable on the hot scoring path
    # (see docs/benchmarks.md).
    return get_settings()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(current_settings)]
