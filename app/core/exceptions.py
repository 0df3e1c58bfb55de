"""Domain exceptions carry their HTTP status; one handler renders them.

Services raise these without knowing about HTTP responses; the API handler
turns them into JSON ``{"detail": ..., "errors": [...]}`` and the page layer
into an error page. ``NotFound`` is also what a resource that exists but is
not yours answers, so ids cannot be enumerated.
"""

from __future__ import annotations

from typing import Any


class StepwiseError(Exception):
    status_code = 400
    headers: dict[str, str] | None = None

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.detail}
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


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
    """One located error in FastAPI's own 422 shape, so clients parse a single format."""
    return {"loc": loc, "msg": msg, "type": type_}
