"""Tables of single sign-on (kept apart from ``models.py``, as the password-reset ones).

``sso_identities`` links a person to the (issuer, subject) pair their provider
vouches for: the subject never changes, an email address may, so a link once
made is what later sign-ins match first.

``sso_login_attempts`` is the server side of one trip to the provider: the
``state`` (its SHA-256, the lookup key), the ``nonce`` the ID token must echo,
and the PKCE verifier. In the database, not in a process, so the browser may
come back to any worker; each row is used once (deleted on return) and expires
after ``STEPWISE_OIDC_LOGIN_TTL_SECONDS``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from app.core.columns import IdRow, id_reference, timestamp, timestamp_now


class SsoIdentity(IdRow, table=True):
    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer"),)

    user_id: int = id_reference("users.id", index=True)
    issuer: str = Field(max_length=500)
    #: The provider's ``sub`` claim (at most 255 characters by OpenID Connect Core).
    subject: str = Field(max_length=255)
    created_at: datetime = timestamp_now()
    last_login_at: datetime = timestamp_now()


class SsoLoginAttempt(IdRow, table=True):
    __tablename__ = "sso_login_attempts"

    state_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=64)
    #: The PKCE code verifier, sent to the token endpoint on return (only its
    #: S256 challenge went through the browser).
    code_verifier: str = Field(max_length=128)
    #: Where to go after signing in (a local path, checked when the login started).
    next_path: str = Field(max_length=2000, default="/")
    created_at: datetime = timestamp_now()
    expires_at: datetime = timestamp(index=True)
