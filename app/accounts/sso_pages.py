"""Routes of single sign-on: start (to the provider) and the callback (back from it).

Both are public (they are how one signs in) and both answer 404 while SSO is
not configured. Both are GETs (links and the provider's redirect), whose
request unit is read-only: what they write goes through short units of work
(:func:`app.core.db.unit_of_work`), the used-up attempt in one of its own so
a refused callback cannot be replayed. Refusals are the styled error page.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import cookies, sso
from app.accounts.deps import OptionalUser
from app.accounts.pages import safe_next, signed_in
from app.core.config import Settings
from app.core.deps import SettingsDep, UnitOfWorkDep
from app.core.exceptions import NotFound
from app.core.pages import render_page

router = APIRouter(tags=["pages"], include_in_schema=False)


def _ensure_enabled(settings: Settings) -> None:
    if not settings.oidc_enabled:
        raise NotFound()


def refusal_page(request: Request, settings: Settings, refusal: sso.SsoRefused) -> HTMLResponse:
    response = render_page(
        request,
        "accounts/sso_error.html",
        refusal.status_code,
        detail=refusal.detail,
        provider=settings.oidc_display_name,
    )
    cookies.clear_sso_state_cookie(response, settings=settings)
    return response


@router.get("/login/sso")
def sso_start(
    request: Request,
    new_unit: UnitOfWorkDep,
    settings: SettingsDep,
    user: OptionalUser,
    next: str = "/",
) -> Response:
    """Send the browser to the provider, with a fresh state bound to it by a cookie."""
    _ensure_enabled(settings)
    target = safe_next(next)
    if user is not None:
        return RedirectResponse(target, status_code=303)
    try:
        started = sso.start_login(new_unit=new_unit, settings=settings, next_path=target)
    except sso.SsoRefused as refusal:
        return refusal_page(request, settings, refusal)
    response = RedirectResponse(started.url, status_code=303)
    cookies.set_sso_state_cookie(response, started.state, settings=settings)
    return response


@router.get(sso.CALLBACK_PATH)
def sso_callback(
    request: Request,
    new_unit: UnitOfWorkDep,
    settings: SettingsDep,
    state: str | None = None,
    code: str | None = None,
    error: str | None = None,
) -> Response:
    """Verify the provider's answer and the ID token, then sign the person in here."""
    _ensure_enabled(settings)
    callback = sso.Callback(
        state=state[:200] if state else None,
        bound_state=cookies.sso_state_cookie(request, settings=settings),
        code=code[:2000] if code else None,
        error=error[:200] if error else None,
        user_agent=request.headers.get("user-agent"),
    )
    try:
        finished = sso.finish_login(
            new_unit=new_unit,
            settings=settings,
            callback=callback,
            session_ttl=timedelta(hours=settings.session_ttl_hours),
            previous_secret=cookies.session_cookie(request, settings=settings),
        )
    except sso.SsoRefused as refusal:
        return refusal_page(request, settings, refusal)
    response = signed_in(safe_next(finished.next_path), finished.started, settings)
    cookies.clear_sso_state_cookie(response, settings=settings)
    return response
