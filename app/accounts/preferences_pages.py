"""The notification preferences page: one checkbox per kind the person receives.

A plain form (works without JavaScript): a checked box is on, an unchecked
one is absent from the post and so off. The CSRF token is checked by the
``PageUser`` dependency, as on every signed-in form.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import preferences
from app.accounts.deps import PageUser
from app.accounts.preferences import KIND_LABELS, PAGE_PATH
from app.core.deps import SessionDep
from app.core.i18n import N_
from app.core.pages import FormFields, done_flash, render_page, see_other

router = APIRouter(tags=["pages"], include_in_schema=False)

DONE = {"saved": N_("Your notification choices are saved.")}


@router.get(PAGE_PATH, response_class=HTMLResponse)
def notifications_page(
    request: Request, session: SessionDep, user: PageUser, done: str | None = None
) -> Response:
    return render_page(
        request,
        "accounts/notifications.html",
        choices=preferences.preferences_of(session=session, user=user),
        labels=KIND_LABELS,
        flash=done_flash(done, DONE),
    )


@router.post(PAGE_PATH, response_class=HTMLResponse)
def save_notifications(session: SessionDep, user: PageUser, form: FormFields) -> Response:
    """Every kind shown on the page is set: checked on, unchecked off."""
    changes = {kind.value: kind.value in form for kind in preferences.kinds_for(user)}
    preferences.update_preferences(session=session, user=user, changes=changes)
    return see_other(f"{PAGE_PATH}?done=saved")
