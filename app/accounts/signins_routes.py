"""JSON API: the caller's own web sessions and API tokens (``/api/v1/me/...``).

``GET`` lists what still works; ``DELETE`` of one ends it (404 when it is not
the caller's); ``DELETE /me/sessions`` ends all sessions but the one the
request came with. Rules in :mod:`app.accounts.signins`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from pydantic import BaseModel

from app.accounts import signins
from app.accounts.auth import bearer_secret
from app.accounts.deps import AuthDep, CurrentUser
from app.accounts.signins import SessionEntry, TokenEntry
from app.core.deps import SessionDep
from app.core.types import Id

router = APIRouter(prefix="/api/v1/me", tags=["auth"])


class EndedOut(BaseModel):
    ended: int


def _current_session_id(auth: AuthDep) -> int | None:
    return auth.web_session.id if auth is not None and auth.web_session is not None else None


@router.get("/sessions", response_model=list[SessionEntry])
def list_my_sessions(user: CurrentUser, auth: AuthDep, session: SessionDep) -> list[SessionEntry]:
    """The caller's signed-in browsers, most recently used first; ``current``: this one."""
    return signins.list_sessions(
        session=session, user=user, current_session_id=_current_session_id(auth)
    )


@router.delete("/sessions", response_model=EndedOut)
def end_my_other_sessions(user: CurrentUser, auth: AuthDep, session: SessionDep) -> EndedOut:
    """Sign out everywhere else (with a bearer token: every browser)."""
    ended = signins.end_other_sessions(
        session=session, user=user, current_session_id=_current_session_id(auth)
    )
    return EndedOut(ended=ended)


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_my_session(session_id: Id, user: CurrentUser, session: SessionDep) -> None:
    signins.end_session(session=session, user=user, session_id=session_id)


@router.get("/tokens", response_model=list[TokenEntry])
def list_my_tokens(request: Request, user: CurrentUser, session: SessionDep) -> list[TokenEntry]:
    """The caller's API tokens that still work (never their secrets); ``current``: this one."""
    return signins.list_tokens(session=session, user=user, bearer_secret=bearer_secret(request))


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_my_token(token_id: Id, user: CurrentUser, session: SessionDep) -> None:
    signins.revoke_token(session=session, user=user, token_id=token_id)
