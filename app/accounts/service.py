"""Accounts: people, roles, coach assignments, passwords and API tokens.

The rules live here; the statements they run live in
:mod:`app.accounts.repository`, which other domains never import (an
import-linter contract): ``coaches_of``, ``participants_of`` and
``users_by_ids`` are re-exported here as part of the domain's public surface.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlmodel import Session

from app.accounts import repository, signin_repository
from app.accounts.credentials import hash_secret, new_secret
from app.accounts.models import ApiToken, CoachAssignment, Invitation, Role, User
from app.accounts.passwords import ensure_acceptable_password, hash_password, verify_password
from app.accounts.repository import coachees_scope as coachees_scope
from app.accounts.repository import coaches_of as coaches_of
from app.accounts.repository import participants_of as participants_of
from app.accounts.repository import participants_page as participants_page
from app.accounts.repository import users_by_ids as users_by_ids
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error, invalid_field
from app.core.timeutils import utcnow


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return repository.user_by_email(session=session, email=normalize_email(email))


def get_user(*, session: Session, user_id: int) -> User:
    user = repository.user_by_id(session=session, user_id=user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def roles_value(roles: Iterable[Role]) -> str:
    """The stored form of a role set (see ``User.roles``); a located 422 when empty."""
    values = sorted({r.value for r in roles})
    if not values:
        raise invalid_field("roles", "A user needs a role", "At least one role")
    return ",".join(values)


def create_user(
    *,
    session: Session,
    email: str,
    display_name: str | None = None,
    roles: set[Role] | frozenset[Role],
    password: str | None,
    password_min_length: int,
) -> User:
    """Create a person. ``password=None`` leaves the account to be activated by invitation."""
    email = normalize_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise invalid_field("email", "Invalid email", "Not an email address")
    stored_roles = roles_value(roles)
    if get_user_by_email(session=session, email=email) is not None:
        raise Conflict(f"A user with email {email} already exists")
    if password is not None:
        ensure_acceptable_password(password, min_length=password_min_length)
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0]).strip()[:120],
        roles=stored_roles,
        password_hash=hash_password(password) if password is not None else None,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or ``None`` (same cost either way)."""
    user = get_user_by_email(session=session, email=email)
    ok = verify_password(password, user.password_hash if user else None)
    if user is None or not ok or not user.is_active:
        return None
    return user


def issue_api_token(*, session: Session, user: User, ttl: timedelta) -> tuple[str, ApiToken]:
    """A new bearer token; the plain secret is returned once and never stored."""
    secret = new_secret()
    assert user.id is not None
    token = ApiToken(user_id=user.id, token_hash=hash_secret(secret), expires_at=utcnow() + ttl)
    session.add(token)
    session.flush()
    return secret, token


def user_for_api_token(*, session: Session, secret: str) -> User | None:
    """The active owner of an unexpired, unrevoked token, or ``None``."""
    found = signin_repository.token_owner(session=session, token_hash=hash_secret(secret))
    if found is None:
        return None
    user, revoked_at, expires_at = found
    if revoked_at is not None or expires_at <= utcnow() or not user.is_active:
        return None
    return user


def revoke_api_token(*, session: Session, secret: str) -> bool:
    """Sign out one API client; ``False`` when the token was unknown or already revoked."""
    return signin_repository.revoke_token(
        session=session, token_hash=hash_secret(secret), at=utcnow()
    )


def end_all_sign_ins(*, session: Session, user_id: int) -> None:
    """Close every way in a person has: web sessions, API tokens and open invitation links.

    Deactivation calls it, so reactivating later opens nothing old: the
    person signs in (or is invited) afresh.
    """
    now = utcnow()
    signin_repository.delete_sessions_of(session=session, user_id=user_id)
    signin_repository.revoke_tokens_of(session=session, user_id=user_id, at=now)
    signin_repository.retire_open_links(session=session, table=Invitation, user_id=user_id, at=now)
    session.flush()


def assign_coach(*, session: Session, coach: User, participant: User) -> CoachAssignment:
    if not coach.has_role(Role.coach):
        raise InvalidInput(f"{coach.email} is not a coach")
    if not participant.has_role(Role.participant):
        raise InvalidInput(f"{participant.email} is not a participant")
    assert coach.id is not None and participant.id is not None
    existing = repository.assignment(
        session=session, coach_id=coach.id, participant_id=participant.id
    )
    if existing is not None:
        return existing
    assignment = CoachAssignment(coach_id=coach.id, participant_id=participant.id)
    session.add(assignment)
    session.flush()
    return assignment


def unassign_coach(*, session: Session, coach: User, participant: User) -> bool:
    """End an assignment; ``False`` when there was none (idempotent)."""
    assert coach.id is not None and participant.id is not None
    existing = repository.assignment(
        session=session, coach_id=coach.id, participant_id=participant.id
    )
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def list_users(*, session: Session) -> list[User]:
    return repository.all_users(session=session)


def parse_roles(values: Iterable[str], *, loc: list[str | int]) -> frozenset[Role]:
    """Role names from user input; an unknown name is a located 422, not a crash."""
    roles: set[Role] = set()
    for value in values:
        try:
            roles.add(Role(value.strip().lower()))
        except ValueError:
            choices = ", ".join(r.value for r in Role)
            raise InvalidInput(
                f"Unknown role {value!r} (choose {choices})",
                errors=[field_error(loc, f"Unknown role (choose {choices})")],
            ) from None
    return frozenset(roles)


def update_user(
    *,
    session: Session,
    user: User,
    roles: frozenset[Role] | None = None,
    is_active: bool | None = None,
    display_name: str | None = None,
) -> User:
    """Change roles, name or active flag.

    Deactivating ends every way in at once (:func:`end_all_sign_ins`), so
    reactivating does not bring an old token, session or link back to life.
    Role changes need no such step: every request reads the roles from the
    user row, so a removed role stops working on the person's next request.
    """
    # Validate everything before changing anything: a caller that catches the
    # 422 to re-render a form must not commit half an edit.
    stored_roles = roles_value(roles) if roles is not None else None
    if display_name is not None and not display_name.strip():
        raise invalid_field("display_name", "Name must not be empty", "Must not be empty")
    if stored_roles is not None:
        user.roles = stored_roles
    if display_name is not None:
        user.display_name = display_name.strip()[:120]
    if is_active is not None:
        user.is_active = is_active
    session.add(user)
    if is_active is False:
        assert user.id is not None
        end_all_sign_ins(session=session, user_id=user.id)
    session.flush()
    return user
