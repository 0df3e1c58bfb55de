"""Opaque secrets (API tokens, session ids, invitation and share links).

Secrets carry 256 random bits and only their SHA-256 is stored: a leaked
database does not leak usable credentials, and a fast hash is enough because
the input is high-entropy (no dictionary to attack).
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
