"""Erasing a person's account: everything that names them goes, a tombstone row stays.

The ``users`` row is kept (other people's records point at it: the coach of a
review, the actor of a plan change, an audit record's subject) but emptied:
the email becomes ``erased-<id>@erased.invalid`` (unique, undeliverable: the
``.invalid`` top-level domain is reserved), the name "Erased person", no
password, inactive. Every way in (sessions, tokens, invitation and reset
links, single sign-on links), coach assignments in either direction, the
notification choices, the login throttle's log of their address and the
reset requests counted under its hash go.
Called by :mod:`app.privacy.erasure`, which deletes the person's records in the
other domains first.
"""

from __future__ import annotations

from sqlalchemy import delete, or_
from sqlmodel import Session, col

from app.accounts import repository
from app.accounts.credentials import hash_secret
from app.accounts.models import (
    ApiToken,
    CoachAssignment,
    Invitation,
    LoginFailure,
    User,
    WebSession,
)
from app.accounts.password_reset_models import PasswordReset, PasswordResetRequest
from app.accounts.preferences import NotificationPreference
from app.accounts.sso_models import SsoIdentity
from app.core.exceptions import NotFound

ERASED_DOMAIN = "erased.invalid"
ERASED_NAME = "Erased person"


def tombstone_email(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


def erasable_user(*, session: Session, user_id: int) -> User:
    """The person to erase; 404 for nobody and for a tombstone (erasing twice finds nothing)."""
    user = repository.user_by_id(session=session, user_id=user_id)
    if user is None or is_erased(user):
        raise NotFound("User not found")
    return user


def anonymise_account(*, session: Session, user: User) -> None:
    """Empty the person's row and delete every credential and link that is theirs."""
    assert user.id is not None
    uid = user.id
    email = user.email
    tables = (WebSession, ApiToken, Invitation, PasswordReset, SsoIdentity, NotificationPreference)
    for table in tables:
        session.execute(delete(table).where(col(table.user_id) == uid))
    session.execute(
        delete(CoachAssignment).where(
            or_(col(CoachAssignment.coach_id) == uid, col(CoachAssignment.participant_id) == uid)
        )
    )
    session.execute(delete(LoginFailure).where(col(LoginFailure.account_key) == email))
    reset_key = hash_secret(email)  # reset requests are counted by the address's hash
    session.execute(
        delete(PasswordResetRequest).where(col(PasswordResetRequest.account_key) == reset_key)
    )
    user.email = tombstone_email(uid)
    user.display_name = ERASED_NAME
    user.password_hash = None
    user.locale = None
    user.roles = "participant"
    user.is_active = False
    session.add(user)
    session.flush()
