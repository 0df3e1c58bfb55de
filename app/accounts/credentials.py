"""Opaque secrets (API tokens, session ids, invitation and share links).

Secrets carry 256 random bits and only their SHA-256 is stored: a leaked
database does not leak usable credentials, and a fast hash is enough because
the input is high-entropy (no dictionary to attack).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secrets_equal(a: str, b: str) -> bool:
    """Constant-time comparison, so a guess's timing says nothing about how close it was."""
    return hmac.compare_digest(a.encode(), b.encode())


def sign(value: str, *, key: str, purpose: str) -> str:
    """An HMAC of ``value`` bound to ``purpose``, so a signature made for one use fits no other."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
