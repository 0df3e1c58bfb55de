"""The language switcher: a link per language before signing in, a form after.

Before signing in, ``GET /language/{code}`` only sets the ``stepwise_locale``
cookie (a display choice, no personal data) and goes back. Signed in, the
footer's form posts to ``/account/language``, which saves the choice on the
profile, so it follows the person to every device, their e-mails and reports.
``next`` is only ever a path on this site (no open redirect).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.accounts.deps import PageUser
from app.accounts.language import check_locale, set_locale
from app.core import i18n
from app.core.config import get_settings
from app.core.deps import SessionDep
from app.core.exceptions import NotFound
from app.core.pages import FormFields, see_other

router = APIRouter(tags=["pages"], include_in_schema=False)

#: A year: the choice of language is remembered like any site preference.
COOKIE_SECONDS = 365 * 24 * 3600


def local_path(target: str | None) -> str:
    """``target`` when it is a path on this site, else the home page."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target[:2000]


def _remember(response: Response, locale: str | None) -> Response:
    if locale is None:
        response.delete_cookie(i18n.LOCALE_COOKIE, path="/")
    else:
        response.set_cookie(
            i18n.LOCALE_COOKIE,
            locale,
            max_age=COOKIE_SECONDS,
            path="/",
            samesite="lax",
            secure=get_settings().https,
            httponly=True,
        )
    return response


@router.get("/language/{code}")
def choose_language(code: str, next: str | None = None) -> Response:
    if i18n.normalize(code) not in i18n.available_locales():
        raise NotFound("There is no such language here.")
    return _remember(see_other(local_path(next)), i18n.normalize(code))


@router.post("/account/language")
def save_language(session: SessionDep, user: PageUser, form: FormFields) -> Response:
    chosen = form.get("locale") or None
    locale = check_locale(chosen, loc=["form", "locale"]) if chosen else None
    set_locale(session=session, user=user, locale=locale)
    return _remember(see_other(local_path(form.get("next"))), locale)
