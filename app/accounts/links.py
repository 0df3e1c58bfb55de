"""One-time links (invitations, password resets): which ones still open an account.

Both kinds are a stored row with the hash of the secret, an expiry, a
``used_at`` and the person they are for; the rule for honouring one is the
same, so it lives here once and each kind keeps only its lookup and message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar

from sqlmodel import Session

from app.accounts import repository
from app.accounts.models import User
from app.core.exceptions import NotFound
from app.core.timeutils import utcnow


class OneTimeLink(Protocol):
    """What :func:`open_link` reads of an invitation or a password reset."""

    @property
    def user_id(self) -> int: ...

    @property
    def expires_at(self) -> datetime: ...

    @property
    def used_at(self) -> datetime | None: ...


LinkT = TypeVar("LinkT", bound=OneTimeLink)


def open_link(*, session: Session, link: LinkT | None, invalid: str) -> tuple[LinkT, User]:
    """An unused, unexpired link and the active person it is for; 404 with ``invalid`` otherwise.

    Unknown, used, expired and deactivated all answer the same, so a link
    says nothing about the account behind it.
    """
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        raise NotFound(invalid)
    user = repository.user_by_id(session=session, user_id=link.user_id)
    if user is None or not user.is_active:
        raise NotFound(invalid)
    return link, user
