"""Invitations: the single-use, expiring link where an invited person sets a password.

Inviting creates the account at once (without a password, so nobody can sign
in to it) and an invitation row holding only the SHA-256 of the link's secret.
The link is emailed (queued in the same transaction, :mod:`app.accounts.notifications`)
and the caller still shows it once to the admin (page, API) or prints it (CLI),
as a fallback.

Accepting claims the row with one conditional ``UPDATE … WHERE used_at IS
NULL``: if two requests race with the same link, exactly one wins, on any
number of workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from app.accounts import service, signin_repository
from app.accounts.credentials import hash_secret, new_secret
from app.accounts.links import find_open_link, use_link
from app.accounts.models import Invitation, Role, User
from app.core.exceptions import Conflict
from app.core.timeutils import utcnow

#: What every unusable link answers (unknown, used, expired): nothing to tell apart.
INVALID_LINK = "This invitation link is invalid, already used or expired."


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation; ``secret`` is the only copy of the link's secret."""

    secret: str
    invitation: Invitation
    user: User

    @property
    def path(self) -> str:
        return invitation_path(self.secret)


def invitation_path(secret: str) -> str:
    return f"/invitations/{secret}"


def invite_user(
    *,
    session: Session,
    email: str,
    roles: set[Role] | frozenset[Role],
    display_name: str | None = None,
    ttl: timedelta,
    invited_by: User | None = None,
) -> IssuedInvitation:
    """Invite a new person, or re-invite one who never set a password.

    Re-inviting adds the given roles and makes earlier unused links of that
    person stop working, so only the newest link is live. Someone who already
    has a password is refused (409): an invitation must not become a way to
    take over an account.
    """
    now = utcnow()
    user = service.get_user_by_email(session=session, email=email)
    if user is None:
        user = service.create_user(
            session=session,
            email=email,
            display_name=display_name,
            roles=roles,
            password=None,
            password_min_length=1,
        )
    else:
        if user.password_hash is not None or not user.is_active:
            raise Conflict(f"A user with email {user.email} already exists")
        service.roles_value(roles)  # a located 422 when empty
        user.roles = service.roles_value(user.role_set | set(roles))
        session.add(user)
        assert user.id is not None
        signin_repository.retire_open_links(
            session=session, table=Invitation, user_id=user.id, at=now
        )
    assert user.id is not None
    secret = new_secret()
    invitation = Invitation(
        user_id=user.id,
        secret_hash=hash_secret(secret),
        created_by_id=invited_by.id if invited_by is not None else None,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invitation)
    session.flush()
    issued = IssuedInvitation(secret=secret, invitation=invitation, user=user)
    from app.accounts.notifications import mail_invitation  # late: it imports this module

    mail_invitation(session=session, issued=issued, ttl=ttl, invited_by=invited_by)
    return issued


def add_person(
    *,
    session: Session,
    email: str,
    roles: frozenset[Role],
    display_name: str | None,
    password: str | None,
    password_min_length: int,
    invitation_ttl: timedelta,
    invited_by: User | None = None,
) -> tuple[User, IssuedInvitation | None]:
    """Create a person with ``password``, or (``None``) invite them; the invitation if any.

    The one way in for a new person, for the admin page and API (which check
    the actor first) and the operator's CLI alike.
    """
    if password is None:
        issued = invite_user(
            session=session,
            email=email,
            roles=roles,
            display_name=display_name,
            ttl=invitation_ttl,
            invited_by=invited_by,
        )
        return issued.user, issued
    user = service.create_user(
        session=session,
        email=email,
        display_name=display_name,
        roles=roles,
        password=password,
        password_min_length=password_min_length,
    )
    return user, None


def find_open_invitation(*, session: Session, secret: str) -> tuple[Invitation, User]:
    """The unused, unexpired invitation for a link and its person; 404 otherwise."""
    return find_open_link(session=session, table=Invitation, secret=secret, invalid=INVALID_LINK)


def accept_invitation(
    *,
    session: Session,
    secret: str,
    password: str,
    display_name: str | None = None,
    password_min_length: int,
) -> User:
    """Set the invited person's password and use the link up (:func:`links.use_link`)."""
    invitation, user = use_link(
        session=session,
        table=Invitation,
        secret=secret,
        password=password,
        password_min_length=password_min_length,
        invalid=INVALID_LINK,
    )
    session.refresh(invitation)
    if display_name and display_name.strip():
        user.display_name = display_name.strip()[:120]
    session.flush()
    return user
