"""JSON API: the caller's own web sessions and API tokens (``/api/v1/me/...``).

``GET`` lists what still works; ``DELETE`` of one ends it (404 when it is not
the caller's); ``DELETE /me/sessions`` ends all sessions but the one the
request came with. Rules in :mod:`app.accounts.signins`.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import BaseModel

from app.accounts import signins
from app.accounts.auth import bearer_secret
from app.accounts.deps import AuthDep, CurrentUser
from app.core.deps import SessionDep
from app.core.types import Id

router = APIRouter(prefix="/api/v1/me", tags=["auth"])


class SessionOut(BaseModel):
    id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    #: "Firefox on Linux": a summary of the browser, never the raw header.
    device: str
    #: The session this request came with.
    current: bool


class TokenEntryOut(BaseModel):
    id: int
    created_at: datetime
    expires_at: datetime
    #: The token this request was made with.
    current: bool


class EndedOut(BaseModel):
    ended: int


def _current_session_id(auth: AuthDep) -> int | None:
    return auth.web_session.id if auth is not None and auth.web_session is not None else None


@router.get("/sessions", response_model=list[SessionOut])
def list_my_sessions(user: CurrentUser, auth: AuthDep, session: SessionDep) -> list[SessionOut]:
    """The caller's signed-in browsers, most recently used first."""
    entries = signins.list_sessions(
        session=session, user=user, current_session_id=_current_session_id(auth)
    )
    return [SessionOut.model_validate(entry, from_attributes=True) for entry in entries]


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


@router.get("/tokens", response_model=list[TokenEntryOut])
def list_my_tokens(request: Request, user: CurrentUser, session: SessionDep) -> list[TokenEntryOut]:
    """The caller's API tokens that still work (the secrets are never shown again)."""
    entries = signins.list_tokens(session=session, user=user, bearer_secret=bearer_secret(request))
    return [TokenEntryOut.model_validate(entry, from_attributes=True) for entry in entries]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_my_token(token_id: Id, user: CurrentUser, session: SessionDep) -> None:
    signins.revoke_token(session=session, user=user, token_id=token_id)
