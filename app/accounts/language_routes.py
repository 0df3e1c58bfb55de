"""JSON API: the caller's language (``GET``/``PUT /api/v1/me/locale``).

``locale`` is the saved preference (``null``: none, the ``Accept-Language``
header decides); ``effective`` is the locale this very request was answered
in; ``available`` lists the locales that have a catalog.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.accounts.deps import CurrentUser
from app.accounts.language import set_locale
from app.core import i18n
from app.core.deps import SessionDep

router = APIRouter(prefix="/api/v1/me", tags=["auth"])


class LocaleOut(BaseModel):
    locale: str | None
    effective: str
    available: list[str]


class LocaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: A locale code such as ``de``; ``null`` clears the preference.
    locale: str | None = Field(max_length=12)


def _answer(request: Request, locale: str | None) -> LocaleOut:
    request.state.locale = None  # negotiate again: the preference may just have changed
    return LocaleOut(
        locale=locale,
        effective=i18n.locale_of_request(request),
        available=list(i18n.available_locales()),
    )


@router.get("/locale", response_model=LocaleOut)
def get_locale(request: Request, user: CurrentUser) -> LocaleOut:
    return _answer(request, user.locale)


@router.put("/locale", response_model=LocaleOut)
def put_locale(
    request: Request, body: LocaleIn, session: SessionDep, user: CurrentUser
) -> LocaleOut:
    set_locale(session=session, user=user, locale=body.locale)
    return _answer(request, user.locale)
