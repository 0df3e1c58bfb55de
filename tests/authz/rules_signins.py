"""Authorization rules: one's own sessions and API tokens (page and ``/api/v1/me``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.accounts import service, sessions
from tests.authz.matrix import Rule, World, owner_only, signed_in


def prepare(world: World, session: Session) -> dict[str, Any]:
    """A second browser session and a second API token of the owner, to be ended."""
    started = sessions.start_session(session=session, user=world.owner, ttl=timedelta(hours=1))
    _, token = service.issue_api_token(session=session, user=world.owner, ttl=timedelta(hours=1))
    session.commit()
    return {"owner_session_id": started.row.id, "owner_token_id": token.id}


def _session(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"session_id": ctx["owner_session_id"]}


def _token(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"token_id": ctx["owner_token_id"]}


RULES: list[Rule] = [
    Rule("GET", "/api/v1/me/sessions", signed_in(200)),
    Rule("DELETE", "/api/v1/me/sessions", signed_in(200)),
    Rule("DELETE", "/api/v1/me/sessions/{session_id}", owner_only(204), params=_session),
    Rule("GET", "/api/v1/me/tokens", signed_in(200)),
    Rule("DELETE", "/api/v1/me/tokens/{token_id}", owner_only(204), params=_token),
    Rule("GET", "/account/sessions", signed_in(200, anonymous=303)),
    Rule(
        "POST",
        "/account/sessions/{session_id}/end",
        owner_only(303, anonymous=303),
        params=_session,
    ),
    Rule("POST", "/account/sessions/end-others", signed_in(303, anonymous=303)),
    Rule(
        "POST",
        "/account/sessions/tokens/{token_id}/revoke",
        owner_only(303, anonymous=303),
        params=_token,
    ),
]
