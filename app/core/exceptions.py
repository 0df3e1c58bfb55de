"""Domain exceptions carry their HTTP status; one handler renders them.

Services raise these without knowing about HTTP responses; the API handler
(:mod:`app.core.errors`) turns them into RFC 9457 problem details
(``application/problem+json``: ``type``, ``title``, ``status``, ``detail``,
``errors`` for located problems, and every ``extra`` member as an extension)
and the page layer into an error page. ``NotFound`` is also what a resource
that exists but is not yours answers, so ids cannot be enumerated.

Messages name the field and the rule, never the submitted value: a password
typed into the wrong field must not come back in an error, and neither may a
100 MB string.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

#: The problem type of every error: RFC 9457's "no further semantics than the
#: status"; ``title`` is then the status phrase and ``detail`` says what happened.
PROBLEM_TYPE = "about:blank"
#: Members a problem body defines itself; an ``extra`` member never overrides them.
PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "errors"})


def problem_body(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One RFC 9457 problem object; the single shape of every JSON error."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    for name, value in (extra or {}).items():
        if name not in PROBLEM_MEMBERS:
            body[name] = value
    return body


class StepwiseError(Exception):
    status_code = 400
    headers: dict[str, str] | None = None

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        """The problem details body (``extra`` members as extensions)."""
        return problem_body(self.status_code, self.detail, errors=self.errors, extra=self.extra)


class NotFound(StepwiseError):
    status_code = 404

    def __init__(self, what: str = "Not found", **extra: Any):
        super().__init__(what, **extra)


class Unauthorized(StepwiseError):
    status_code = 401
    headers = {"WWW-Authenticate": "Bearer"}


class Forbidden(StepwiseError):
    status_code = 403


class Conflict(StepwiseError):
    """A stale write: the client saw an older version. ``extra`` carries the current state."""

    status_code = 409


class InvalidInput(StepwiseError):
    """Input that parses but breaks a rule; ``errors`` locate each offending field."""

    status_code = 422


class TooManyRequests(StepwiseError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail, retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


def field_error(loc: list[str | int], msg: str, type_: str = "value_error") -> dict[str, Any]:
    """One located error (``loc``/``msg``/``type``), the shape of every validation problem."""
    return {"loc": loc, "msg": msg, "type": type_}


def invalid_field(field: str, detail: str, msg: str | None = None) -> InvalidInput:
    """A 422 for one field of the request body, to ``raise``.

    ``detail`` is the summary a page or the CLI shows; ``msg`` (``detail`` when
    omitted) is the located message at ``body.<field>``.
    """
    return InvalidInput(detail, errors=[field_error(["body", field], msg or detail)])
