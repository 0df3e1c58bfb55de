"""The sessions page: a person's signed-in browsers and API tokens, each with an end button.

Plain forms (no JavaScript); the CSRF token is checked by ``PageUser``. Ending
the session the page was opened with signs this browser out (to ``/login``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import cookies, signins
from app.accounts.deps import AuthDep, PageUser
from app.core.deps import SessionDep, SettingsDep
from app.core.i18n import N_, locale_of_request
from app.core.pages import done_flash, render_page, see_other
from app.core.types import Id

router = APIRouter(tags=["pages"], include_in_schema=False)

PAGE_PATH = "/account/sessions"
DONE = {
    "ended": N_("The session is ended: that browser is signed out."),
    "others": N_("Every other session is ended."),
    "revoked": N_("The token is revoked."),
}


def _current(auth: AuthDep) -> int | None:
    return auth.web_session.id if auth is not None and auth.web_session is not None else None


@router.get(PAGE_PATH, response_class=HTMLResponse)
def sessions_page(
    request: Request, session: SessionDep, user: PageUser, auth: AuthDep, done: str | None = None
) -> Response:
    return render_page(
        request,
        "accounts/sessions.html",
        sessions=signins.list_sessions(
            session=session,
            user=user,
            current_session_id=_current(auth),
            locale=locale_of_request(request),
        ),
        tokens=signins.list_tokens(session=session, user=user, bearer_secret=None),
        flash=done_flash(done, DONE),
    )


@router.post(PAGE_PATH + "/{session_id}/end", response_class=HTMLResponse)
def end_session(
    session_id: Id, session: SessionDep, user: PageUser, auth: AuthDep, settings: SettingsDep
) -> Response:
    signins.end_session(session=session, user=user, session_id=session_id)
    if session_id == _current(auth):
        response = see_other("/login")
        cookies.clear_session_cookie(response, settings=settings)
        return response
    return see_other(f"{PAGE_PATH}?done=ended")


@router.post(PAGE_PATH + "/end-others", response_class=HTMLResponse)
def end_other_sessions(session: SessionDep, user: PageUser, auth: AuthDep) -> Response:
    signins.end_other_sessions(session=session, user=user, current_session_id=_current(auth))
    return see_other(f"{PAGE_PATH}?done=others")


@router.post(PAGE_PATH + "/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(token_id: Id, session: SessionDep, user: PageUser) -> Response:
    signins.revoke_token(session=session, user=user, token_id=token_id)
    return see_other(f"{PAGE_PATH}?done=revoked")
