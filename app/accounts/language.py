"""A person's chosen language: kept on their profile, applied to every page, mail and report."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.core import i18n
from app.core.exceptions import InvalidInput, field_error

LOCALE_LOC: list[str | int] = ["body", "locale"]


def check_locale(code: str, *, loc: list[str | int] = LOCALE_LOC) -> str:
    """``code`` as an available locale, or a 422 at ``loc`` that lists the ones we have."""
    wanted = i18n.normalize(code) if code else ""
    if wanted not in i18n.available_locales():
        available = ", ".join(i18n.available_locales())
        message = f"This language is not available; choose one of: {available}."
        raise InvalidInput(message, errors=[field_error(loc, message, "unknown_locale")])
    return wanted


def set_locale(*, session: Session, user: User, locale: str | None) -> User:
    """Save (or with ``None`` clear) the person's language; their browser's applies when clear."""
    user.locale = check_locale(locale) if locale is not None else None
    session.add(user)
    session.flush()
    return user
