"""FastAPI dependencies as ``Annotated`` aliases, in one module.

``SessionDep`` is the single commit point of a request: it commits when the
route returns and rolls back when it raises. It is function-scoped, so the
commit happens *before* the response is sent: a failed commit is an error
response, never a success the client believes while the data is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.accounts.auth import require_user
from app.accounts.models import User
from app.core.config import Settings, get_settings
from app.core.db import session_scope


def get_session() -> Iterator[Session]:
    yield from session_scope()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_current_user(request: Request, session: SessionDep) -> User:
    return require_user(request=request, session=session)


CurrentUser = Annotated[User, Depends(get_current_user)]
