"""Logging: the ``stepwise.*`` loggers, and no secrets in uvicorn's access log.

uvicorn configures only its own loggers, so without this the mail log (the
development outbox, "mail goes to the log") and the job runner's warnings
would be dropped. Idempotent; an application that configures logging itself
(a handler already on ``stepwise``) is left alone.

Some paths are credentials (invitation, password reset and report share
links): the access log shows them with the secret replaced by ``…``.
"""

from __future__ import annotations

import logging
import re

#: Paths whose last segment is a secret.
SECRET_PATHS = re.compile(r"^(/invitations/|/reset-password/|/shared/)[^/?.\s]+")


def redact_path(path: str) -> str:
    return SECRET_PATHS.sub(r"\1…", path)


class RedactSecretPaths(logging.Filter):
    """uvicorn's access records carry the path as their third argument: redact it."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True


def configure_logging(level: int = logging.INFO) -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecretPaths) for f in access.filters):
        access.addFilter(RedactSecretPaths())
    logger = logging.getLogger("stepwise")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
