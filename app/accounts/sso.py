"""Single sign-on with OpenID Connect: the authorization code flow with PKCE.

One sign-in is two requests to us with a trip to the provider between them:

1. :func:`start_login` reads the provider's discovery document, makes a
   ``state``, a ``nonce`` and a PKCE verifier, stores them (``state`` by its
   SHA-256) in ``sso_login_attempts`` and returns the provider's
   authorization URL (``code_challenge`` = S256 of the verifier). The state is
   also set in a short-lived cookie, so a callback only counts in the browser
   that started it (no login CSRF: nobody can sign a victim into their own
   account by sending them a callback link).
2. :func:`finish_login` takes the attempt back by the returned state and
   deletes it in the same statement, committed at once (single use, any
   worker, even when the rest is refused), then swaps the
   code for tokens with the verifier and the client secret, and verifies the
   ID token: signature against the provider's JWKS, ``iss``, ``aud``, ``exp``,
   ``iat`` and our ``nonce``. The person is then found by the (issuer,
   subject) link, else by a *verified* email (the link is then made), else
   created when ``STEPWISE_OIDC_CREATE_USERS`` allows it.

Every refusal is an :class:`SsoRefused` whose message says which step failed
and never repeats what the provider or the browser sent. Nothing is kept in
the process: discovery and keys are read per sign-in (two small requests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session

from app.accounts import repository, service, sessions, signin_repository
from app.accounts.credentials import hash_secret, secrets_equal
from app.accounts.models import Role, User
from app.accounts.sessions import StartedSession
from app.accounts.sso_models import SsoIdentity, SsoLoginAttempt
from app.core.config import Settings
from app.core.db import UnitOfWorkFactory
from app.core.exceptions import StepwiseError
from app.core.timeutils import utcnow

#: Where the provider sends the browser back (registered with the provider).
CALLBACK_PATH = "/login/sso/callback"
SCOPES = "openid email profile"
#: Clock skew allowed on ``exp`` and ``iat``, in seconds.
LEEWAY_SECONDS = 60
#: Asymmetric signatures only: "none" and HMAC (keyed with the client secret) are refused.
SIGNING_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]


class SsoRefused(StepwiseError):
    """A sign-in that cannot go on; the message names the step, never a value."""

    status_code = 400


class SsoUnavailable(SsoRefused):
    """The provider could not be reached or answered nonsense."""

    status_code = 502


@dataclass(frozen=True)
class ProviderMetadata:
    """What the discovery document says, as far as we use it."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None


@dataclass(frozen=True)
class StartedLogin:
    """Where to send the browser, and the state for its binding cookie."""

    url: str
    state: str


@dataclass(frozen=True)
class Callback:
    """What the browser brought back from the provider (and its state cookie)."""

    state: str | None
    bound_state: str | None
    code: str | None
    error: str | None
    user_agent: str | None = None


@dataclass(frozen=True)
class FinishedLogin:
    started: StartedSession
    next_path: str
    created: bool


def redirect_uri(settings: Settings) -> str:
    return settings.public_url + CALLBACK_PATH


def _get_json(settings: Settings, url: str, *, what: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=settings.oidc_http_timeout_seconds)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SsoUnavailable(f"The sign-in provider's {what} could not be read.") from exc
    if not isinstance(body, dict):
        raise SsoUnavailable(f"The sign-in provider's {what} is not a JSON object.")
    return body


def discover(*, settings: Settings) -> ProviderMetadata:
    """The provider's endpoints from ``<issuer>/.well-known/openid-configuration``.

    The document must name the configured issuer exactly (OpenID Connect
    Discovery §4.3): a document that claims another issuer is refused.
    """
    assert settings.oidc_issuer is not None
    body = _get_json(
        settings,
        settings.oidc_issuer + "/.well-known/openid-configuration",
        what="discovery document",
    )
    if body.get("issuer") != settings.oidc_issuer:
        raise SsoUnavailable("The sign-in provider's discovery document names another issuer.")
    try:
        return ProviderMetadata(
            issuer=str(body["issuer"]),
            authorization_endpoint=str(body["authorization_endpoint"]),
            token_endpoint=str(body["token_endpoint"]),
            jwks_uri=str(body["jwks_uri"]),
            end_session_endpoint=body.get("end_session_endpoint") or None,
        )
    except KeyError as exc:
        raise SsoUnavailable("The sign-in provider's discovery document is incomplete.") from exc


def start_login(*, new_unit: UnitOfWorkFactory, settings: Settings, next_path: str) -> StartedLogin:
    """Store a new attempt and build the authorization URL (code flow, PKCE S256).

    The attempt is committed in a unit of its own (the request is a GET, whose
    own unit is read-only), after discovery, so no lock waits on the network.
    """
    metadata = discover(settings=settings)
    now = utcnow()
    state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
    with new_unit() as session:
        signin_repository.prune_sso_attempts(session=session, before=now)
        session.add(
            SsoLoginAttempt(
                state_hash=hash_secret(state),
                nonce=nonce,
                code_verifier=verifier,
                next_path=next_path[:2000],
                expires_at=now + timedelta(seconds=settings.oidc_login_ttl_seconds),
            )
        )
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.oidc_client_id,
            "redirect_uri": redirect_uri(settings),
            "scope": SCOPES,
            "state": state,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in metadata.authorization_endpoint else "?"
    return StartedLogin(url=f"{metadata.authorization_endpoint}{separator}{query}", state=state)


def take_attempt(
    *, session: Session, state: str | None, bound_state: str | None
) -> SsoLoginAttempt:
    """The stored attempt for a returned ``state``, used up, or a refusal.

    ``bound_state`` is the state the browser's cookie holds: a callback opened in
    another browser than the one that started the sign-in is refused.
    """
    if not state:
        raise SsoRefused("The sign-in provider's answer has no state: start again.")
    attempt = signin_repository.take_sso_attempt(session=session, state_hash=hash_secret(state))
    session.flush()
    if attempt is None:
        raise SsoRefused(
            "This sign-in is unknown or was already used (state does not match): start again."
        )
    if attempt.expires_at <= utcnow():
        raise SsoRefused("This sign-in took too long and has expired: start again.")
    if bound_state is None or not secrets_equal(bound_state, state):
        raise SsoRefused("This sign-in was started in another browser (state cookie): start again.")
    return attempt


def _exchange_code(
    settings: Settings, metadata: ProviderMetadata, *, code: str, verifier: str
) -> str:
    """The ID token for an authorization code (client_secret_basic, with the PKCE verifier)."""
    assert settings.oidc_client_id is not None and settings.oidc_client_secret is not None
    try:
        response = httpx.post(
            metadata.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri(settings),
                "code_verifier": verifier,
            },
            auth=(settings.oidc_client_id, settings.oidc_client_secret.get_secret_value()),
            timeout=settings.oidc_http_timeout_seconds,
        )
    except httpx.HTTPError as exc:
        raise SsoUnavailable("The sign-in provider's token endpoint could not be reached.") from exc
    if response.status_code != 200:
        raise SsoRefused("The sign-in provider refused to exchange the code (token endpoint).")
    try:
        id_token = response.json().get("id_token")
    except (ValueError, AttributeError) as exc:
        raise SsoUnavailable("The sign-in provider's token answer is not JSON.") from exc
    if not isinstance(id_token, str) or not id_token:
        raise SsoRefused("The sign-in provider's token answer has no ID token.")
    return id_token


def verify_id_token(
    *, settings: Settings, metadata: ProviderMetadata, id_token: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims once signature, iss, aud, exp, iat and nonce check out."""
    jwks = _get_json(settings, metadata.jwks_uri, what="signing keys (JWKS)")
    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        token = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
    except (JoseError, ValueError, TypeError) as exc:
        raise SsoRefused("The ID token's signature does not verify.") from exc
    claims = CodeIDToken(
        token.claims,
        token.header,
        options={
            "iss": {"essential": True, "value": metadata.issuer},
            "aud": {"essential": True, "value": settings.oidc_client_id},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "sub": {"essential": True},
        },
        params={"nonce": nonce, "client_id": settings.oidc_client_id},
    )
    try:
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as exc:
        claim = getattr(exc, "claim", None) or "a claim"
        raise SsoRefused(f"The ID token is not valid for this sign-in ({claim}).") from exc
    token_nonce = claims.get("nonce")
    if not isinstance(token_nonce, str) or not secrets_equal(token_nonce, nonce):
        raise SsoRefused("The ID token is not valid for this sign-in (nonce).")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= 255:
        raise SsoRefused("The ID token is not valid for this sign-in (sub).")
    return dict(claims)


def match_user(
    *, session: Session, settings: Settings, issuer: str, claims: dict[str, Any]
) -> tuple[User, bool]:
    """The person for verified claims, and whether they were just created.

    Link first; then an email the provider marks verified (``email_verified``
    true: an unverified address could be anybody's); then just-in-time
    creation. The link is made on the first match so a later change of email
    at the provider keeps the same account.
    """
    subject = claims["sub"]
    identity = signin_repository.sso_identity(session=session, issuer=issuer, subject=subject)
    if identity is not None:
        user = repository.user_by_id(session=session, user_id=identity.user_id)
        if user is None or not user.is_active:
            raise SsoRefused("This account is deactivated.")
        identity.last_login_at = utcnow()
        return user, False
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise SsoRefused("The sign-in provider gave no email address for this account.")
    if claims.get("email_verified") is not True:
        raise SsoRefused("The sign-in provider has not verified this account's email address.")
    created = False
    user_or_none = service.get_user_by_email(session=session, email=email)
    if user_or_none is None:
        if not settings.oidc_create_users:
            raise SsoRefused(
                "There is no Stepwise account for this email address; ask your administrator."
            )
        name = claims.get("name")
        user_or_none = service.create_user(
            session=session,
            email=email,
            display_name=name if isinstance(name, str) and name.strip() else None,
            roles={Role(settings.oidc_default_role)},
            password=None,
            password_min_length=settings.password_min_length,
        )
        created = True
    user = user_or_none
    if not user.is_active:
        raise SsoRefused("This account is deactivated.")
    assert user.id is not None
    session.add(SsoIdentity(user_id=user.id, issuer=issuer, subject=subject))
    session.flush()
    return user, created


def finish_login(
    *,
    new_unit: UnitOfWorkFactory,
    settings: Settings,
    callback: Callback,
    session_ttl: timedelta,
    previous_secret: str | None,
) -> FinishedLogin:
    """The provider sent the browser back: check everything, then sign the person in.

    Three steps: the attempt is taken (and its deletion committed, so even a
    refused callback cannot be replayed); the code is exchanged and the ID token
    verified, with no transaction open during those requests; the person is
    matched (or created) and a new web session started, committed together.
    """
    with new_unit() as session:
        attempt = take_attempt(
            session=session, state=callback.state, bound_state=callback.bound_state
        )
    if callback.error:
        raise SsoRefused("The sign-in provider did not sign you in (it answered with an error).")
    if not callback.code:
        raise SsoRefused("The sign-in provider's answer has no authorization code.")
    metadata = discover(settings=settings)
    id_token = _exchange_code(
        settings, metadata, code=callback.code, verifier=attempt.code_verifier
    )
    claims = verify_id_token(
        settings=settings, metadata=metadata, id_token=id_token, nonce=attempt.nonce
    )
    with new_unit() as session:
        user, created = match_user(
            session=session, settings=settings, issuer=metadata.issuer, claims=claims
        )
        started = sessions.start_session(
            session=session,
            user=user,
            ttl=session_ttl,
            previous_secret=previous_secret,
            user_agent=callback.user_agent,
        )
    return FinishedLogin(started=started, next_path=attempt.next_path, created=created)


def logout_url(*, session: Session, settings: Settings, user: User | None) -> str | None:
    """The provider's ``end_session_endpoint`` for a person linked to SSO, else ``None``.

    Our session is ended before; this only ends theirs at the provider, who
    sends the browser back to our sign-in page. An unreachable provider is no
    reason to keep anybody signed in: the answer is then ``None``.
    """
    if not settings.oidc_enabled or user is None or user.id is None:
        return None
    if not signin_repository.has_sso_identity(session=session, user_id=user.id):
        return None
    try:
        metadata = discover(settings=settings)
    except SsoRefused:
        return None
    if metadata.end_session_endpoint is None:
        return None
    query = urlencode(
        {
            "client_id": settings.oidc_client_id,
            "post_logout_redirect_uri": f"{settings.public_url}/login",
        }
    )
    separator = "&" if "?" in metadata.end_session_endpoint else "?"
    return f"{metadata.end_session_endpoint}{separator}{query}"
