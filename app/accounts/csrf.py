"""Cross-site request forgery protection, for every state-changing request.

Two kinds of token:

* **Session token** (synchronizer pattern). Each web session row carries a
  random ``csrf_token``. Any unsafe request (POST/PUT/PATCH/DELETE)
  authenticated by the session *cookie* must send it back, as the form field
  ``csrf_token`` or the ``X-CSRF-Token`` header; otherwise 403. The check runs
  inside the authentication dependency (``app.accounts.deps``), so every route that
  uses ``CurrentUser``/``PageUser``/``OptionalUser`` is covered without doing
  anything. Bearer-token requests need no token: a browser never attaches
  an ``Authorization`` header on its own.
* **Pre-session token** (signed double-submit), for forms shown before
  anyone is signed in (login, accepting an invitation). A random value signed
  with ``settings.secret_key`` and a timestamp is put in a cookie and in the
  form; the post must carry both, equal and correctly signed.
"""

from __future__ import annotations

import time
from email.message import Message

from fastapi import Request

from app.accounts.credentials import new_secret, secrets_equal, sign

# The names live in the core (its page helpers need them too); re-exported here.
from app.core.csrf_names import FORM_FIELD as FORM_FIELD
from app.core.csrf_names import HEADER as HEADER
from app.core.exceptions import Forbidden

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PRESESSION = "presession-csrf"
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

MISSING_OR_WRONG = "The form's security token is missing or wrong. Reload the page and try again."


async def submitted_token(request: Request) -> str | None:
    """The token a request carries: the header, else (for a form post) the form field.

    Reading the form here is safe: Starlette caches the parsed form on the
    request, so a route's own ``Form()`` parameters still see it.
    """
    header = request.headers.get(HEADER)
    if header:
        return header
    if request.method not in UNSAFE_METHODS:
        return None
    message = Message()
    message["content-type"] = request.headers.get("content-type", "")
    if message.get_content_type() not in _FORM_TYPES:
        return None
    value = (await request.form()).get(FORM_FIELD)
    return value if isinstance(value, str) else None


def ensure_session_token(*, method: str, expected: str, submitted: str | None) -> None:
    """403 for an unsafe request whose token is missing or not the session's."""
    if method in UNSAFE_METHODS and (submitted is None or not secrets_equal(submitted, expected)):
        raise Forbidden(MISSING_OR_WRONG)


def new_presession_token(*, key: str) -> str:
    value = f"{new_secret()}.{int(time.time())}"
    return f"{value}.{sign(value, key=key, purpose=_PRESESSION)}"


def presession_token_valid(token: str | None, *, key: str, max_age_seconds: int) -> bool:
    """Signed by us, and not older than ``max_age_seconds``."""
    if not token:
        return False
    value, _, signature = token.rpartition(".")
    _, _, issued = value.rpartition(".")
    if not value or not issued.isdigit():
        return False
    if not secrets_equal(signature, sign(value, key=key, purpose=_PRESESSION)):
        return False
    return 0 <= time.time() - int(issued) <= max_age_seconds


def ensure_presession_token(
    *, cookie: str | None, submitted: str | None, key: str, max_age_seconds: int
) -> None:
    """403 unless the form echoes the (valid) token of its own cookie."""
    if (
        cookie is None
        or submitted is None
        or not secrets_equal(cookie, submitted)
        or not presession_token_valid(cookie, key=key, max_age_seconds=max_age_seconds)
    ):
        raise Forbidden(MISSING_OR_WRONG)
