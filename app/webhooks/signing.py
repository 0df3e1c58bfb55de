"""Standard Webhooks signing: the secret format and the ``webhook-*`` headers.

The secret is ``whsec_`` + base64 of 32 random bytes; the key is those bytes.
The signature of a message is ``v1,`` + base64 of HMAC-SHA256 over
``"{webhook-id}.{webhook-timestamp}.{body}"``, exactly as the Standard
Webhooks libraries (``standardwebhooks`` on PyPI, Svix) verify it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def new_message_id() -> str:
    """A delivery's ``webhook-id``: unique, with no ``.`` (the signed content's separator)."""
    return f"msg_{uuid.uuid4().hex}"


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(*, secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers of one attempt."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=secret, message_id=message_id, timestamp=timestamp, body=body
        ),
    }
