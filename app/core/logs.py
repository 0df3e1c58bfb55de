"""Logging: the ``stepwise.*`` loggers, and no secrets in uvicorn's access log.

uvicorn configures only its own loggers, so without this the mail log (the
development outbox, "mail goes to the log") and the job runner's warnings
would be dropped. Idempotent; an application that configures logging itself
(a handler already on ``stepwise``) is left alone.

Some paths are credentials (invitation, password reset and report share
links): the access log shows them with the secret replaced by ``…``.

``STEPWISE_LOG_FORMAT=json`` writes one JSON object per line (time, level,
logger, message, and the ``request_id`` of the request being served, the
same id the client gets in ``X-Request-ID``), for log pipelines; ``text``
(the default) is for people reading a terminal. uvicorn's own loggers get
the same format.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

#: The id of the request this code runs for (set by ``app.core.faults``), or None.
REQUEST_ID: ContextVar[str | None] = ContextVar("stepwise_request_id", default=None)

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


class JsonFormatter(logging.Formatter):
    """One JSON object per line; an exception becomes its class and message, not a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = f"{type(error).__name__}: {error}"
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(levelname)s:     %(name)s: %(message)s"


def _formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def configure_logging(level: int = logging.INFO, *, log_format: str = "text") -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecretPaths) for f in access.filters):
        access.addFilter(RedactSecretPaths())
    if log_format == "json":
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            for handler in logging.getLogger(name).handlers:
                handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("stepwise")
    if logger.handlers:
        for handler in logger.handlers:
            if getattr(handler, "stepwise_owned", False):
                handler.setFormatter(_formatter(log_format))
        return
    handler = logging.StreamHandler()
    handler.stepwise_owned = True  # type: ignore[attr-defined]
    handler.setFormatter(_formatter(log_format))
    logger.addHandler(handler)
    logger.setLevel(level)
