"""Our signatures are the Standard Webhooks ones: the reference library agrees."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from standardwebhooks import Webhook

from app.webhooks import signing


def test_a_secret_is_whsec_and_32_random_bytes() -> None:
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert signing.new_secret() != secret


def test_the_signature_is_the_reference_librarys() -> None:
    secret = signing.new_secret()
    body = b'{"type":"assessment.submitted","data":{"assessment_id":1}}'
    message_id = signing.new_message_id()
    timestamp = 1_700_000_000
    ours = signing.signature(secret=secret, message_id=message_id, timestamp=timestamp, body=body)
    theirs = Webhook(secret).sign(
        message_id, datetime.fromtimestamp(timestamp, tz=UTC), body.decode()
    )
    assert ours == theirs
    other = signing.signature(
        secret=secret, message_id=message_id, timestamp=timestamp + 1, body=body
    )
    assert other != ours


def test_message_ids_are_unique_and_have_no_dot() -> None:
    ids = {signing.new_message_id() for _ in range(100)}
    assert len(ids) == 100 and not any("." in i for i in ids)
