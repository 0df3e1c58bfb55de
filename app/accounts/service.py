"""Accounts: people, roles, coach assignments, passwords and API tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from app.accounts.credentials import hash_secret, new_secret
from app.accounts.models import ApiToken, CoachAssignment, Role, User
from app.accounts.passwords import hash_password, password_problem, verify_password
from app.accounts.sessions import end_all_sessions
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.timeutils import utcnow


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(
        select(User).where(func.lower(User.email) == normalize_email(email))
    ).first()


def get_user(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


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
        raise InvalidInput(
            "Invalid email", errors=[field_error(["body", "email"], "Not an email address")]
        )
    if not roles:
        raise InvalidInput(
            "A user needs a role", errors=[field_error(["body", "roles"], "At least one role")]
        )
    if get_user_by_email(session=session, email=email) is not None:
        raise Conflict(f"A user with email {email} already exists")
    if password is not None and (
        problem := password_problem(password, min_length=password_min_length)
    ):
        raise InvalidInput(problem, errors=[field_error(["body", "password"], problem)])
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0]).strip()[:120],
        roles=",".join(sorted(r.value for r in roles)),
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


#: The owner of a token, with the token's two dates as plain columns. This runs
#: on every API request, so it is one joined query that loads one ORM object,
#: built once: constructing and cache-keying a statement per call cost more
#: than running it (docs/benchmarks.md).
_TOKEN_OWNER = (
    select(User, ApiToken.revoked_at, ApiToken.expires_at)
    .join(ApiToken, User.id == ApiToken.user_id)  # type: ignore[arg-type]
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def user_for_api_token(*, session: Session, secret: str) -> User | None:
    """The active owner of an unexpired, unrevoked token, or ``None``."""
    row = session.exec(_TOKEN_OWNER, params={"token_hash": hash_secret(secret)}).first()
    if row is None:
        return None
    user, revoked_at, expires_at = row
    if revoked_at is not None or expires_at <= utcnow() or not user.is_active:
        return None
    return user


def revoke_api_token(*, session: Session, secret: str) -> bool:
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))).first()
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.add(token)
    session.flush()
    return True


def assign_coach(*, session: Session, coach: User, participant: User) -> CoachAssignment:
    if not coach.has_role(Role.coach):
        raise InvalidInput(f"{coach.email} is not a coach")
    if not participant.has_role(Role.participant):
        raise InvalidInput(f"{participant.email} is not a participant")
    assert coach.id is not None and participant.id is not None
    existing = session.get(CoachAssignment, (coach.id, participant.id))
    if existing is not None:
        return existing
    assignment = CoachAssignment(coach_id=coach.id, participant_id=participant.id)
    session.add(assignment)
    session.flush()
    return assignment


def coaches_of(*, session: Session, participant_id: int) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(CoachAssignment, CoachAssignment.coach_id == User.id)  # type: ignore[arg-type]
            .where(CoachAssignment.participant_id == participant_id)
            .order_by(User.display_name)
        )
    )


def participants_of(*, session: Session, coach_id: int) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(CoachAssignment, CoachAssignment.participant_id == User.id)  # type: ignore[arg-type]
            .where(CoachAssignment.coach_id == coach_id)
            .order_by(User.display_name)
        )
    )


def unassign_coach(*, session: Session, coach: User, participant: User) -> bool:
    """End an assignment; ``False`` when there was none (idempotent)."""
    existing = session.get(CoachAssignment, (coach.id, participant.id))
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.email)))


def list_assignments(*, session: Session) -> list[CoachAssignment]:
    return list(
        session.exec(
            select(CoachAssignment).order_by(
                CoachAssignment.coach_id,  # type: ignore[arg-type]
                CoachAssignment.participant_id,  # type: ignore[arg-type]
            )
        )
    )


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
    """Change roles, name or active flag. A deactivated user's sessions end at once."""
    if roles is not None:
        if not roles:
            raise InvalidInput(
                "A user needs a role", errors=[field_error(["body", "roles"], "At least one role")]
            )
        user.roles = ",".join(sorted(r.value for r in roles))
    if display_name is not None:
        if not display_name.strip():
            raise InvalidInput(
                "Name must not be empty",
                errors=[field_error(["body", "display_name"], "Must not be empty")],
            )
        user.display_name = display_name.strip()[:120]
    if is_active is not None:
        user.is_active = is_active
    session.add(user)
    if is_active is False:
        assert user.id is not None
        end_all_sessions(session=session, user_id=user.id)
    session.flush()
    return user


def get_users(*, session: Session, user_ids: Iterable[int]) -> dict[int, User]:
    """Several users by id in one statement (for lists that name people); unknown ids are absent."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(wanted)))
    return {row.id: row for row in rows if row.id is not None}
