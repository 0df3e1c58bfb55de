"""Password hashing with Argon2id (argon2-cffi's maintained defaults)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.core.exceptions import invalid_field

_hasher = PasswordHasher()

#: Verified against when the account does not exist, so a wrong email costs
#: the same time as a wrong password (no account enumeration by timing).
_DUMMY_HASH = _hasher.hash("stepwise-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *, min_length: int) -> str | None:
    """Why a new password is unacceptable, or ``None``."""
    if len(password) < min_length:
        return f"Password must be at least {min_length} characters long."
    if len(password) > 1024:
        return "Password must be at most 1024 characters long."
    return None


def ensure_acceptable_password(password: str, *, min_length: int) -> None:
    """Refuse a new password with a 422 located at ``body.password`` (the one rule for
    accounts created with a password, accepted invitations and password resets)."""
    if problem := password_problem(password, min_length=min_length):
        raise invalid_field("password", problem)
