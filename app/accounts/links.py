"""One-time links (invitations, password resets): which ones still open an account.

Both kinds are a stored row with the hash of the secret, an expiry, a
``used_at`` and the person they are for; the rule for honouring one is the
same, so it lives here once and each kind keeps only its lookup and message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar

from sqlmodel import Session

from app.accounts import repository, signin_repository
from app.accounts.credentials import hash_secret
from app.accounts.models import User
from app.accounts.passwords import ensure_acceptable_password, hash_password
from app.accounts.signin_repository import LinkRow
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


def find_open_link(
    *, session: Session, table: type[LinkRow], secret: str, invalid: str
) -> tuple[LinkRow, User]:
    """The open link of kind ``table`` whose secret is ``secret``, and its person; else 404."""
    link = signin_repository.link_by_hash(
        session=session, table=table, secret_hash=hash_secret(secret)
    )
    return open_link(session=session, link=link, invalid=invalid)


def use_link(
    *,
    session: Session,
    table: type[LinkRow],
    secret: str,
    password: str,
    password_min_length: int,
    invalid: str,
) -> tuple[LinkRow, User]:
    """Set the person's password with a link and use the link up (and their other open ones).

    The password is checked before anything is written, so a rejected one
    leaves the link usable for another try; the claim is one conditional
    ``UPDATE``, so of two requests racing with the same link exactly one wins.
    """
    link, user = find_open_link(session=session, table=table, secret=secret, invalid=invalid)
    ensure_acceptable_password(password, min_length=password_min_length)
    now = utcnow()
    assert link.id is not None and user.id is not None
    if not signin_repository.claim_link(session=session, table=table, link_id=link.id, at=now):
        raise NotFound(invalid)
    user.password_hash = hash_password(password)
    session.add(user)
    signin_repository.retire_open_links(session=session, table=table, user_id=user.id, at=now)
    return link, user
