"""The OpenAPI document describes every error the API answers.

Every JSON error is one shape, RFC 9457 problem details
(:func:`app.core.exceptions.problem_body`), served as
``application/problem+json``. FastAPI documents only its own 422 body
(``HTTPValidationError``), which is not what we send; this module rewrites
the generated document once, for every operation:

* every declared error status (a route's ``responses=`` 404/409/428/429 …)
  gets the ``Problem`` schema, keeping the route's description;
* the statuses the shared layers can answer are added where they apply:
  400 and 413 (any body: unreadable, over the limit), 422 (any parameter or
  body), 401 and 403 (an operation with the bearer scheme: no credentials,
  a cookie request without its CSRF token), 404 (a path parameter), 500 (the
  unexpected-error page, :mod:`app.core.faults`);
* ``default`` covers any other status, so a client (or a schema check) finds
  every error body described;
* ``HTTPValidationError`` and ``ValidationError`` leave the components.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

from app.core.errors import PROBLEM_MEDIA_TYPE

PROBLEM_REF = "#/components/schemas/Problem"

PROBLEM_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "title": "Problem",
        "description": (
            "RFC 9457 problem details. Extension members: `errors` (validation), "
            "the current state on 409 conflicts, `retry_after` on 429, `request_id` on 500."
        ),
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "description": "`about:blank`: see `status`"},
            "title": {"type": "string", "description": "The status phrase"},
            "status": {"type": "integer"},
            "detail": {"type": "string", "description": "What went wrong (never your input)"},
            "errors": {
                "type": "array",
                "description": "Each offending field and the rule it breaks",
                "items": {"$ref": "#/components/schemas/ProblemError"},
            },
        },
        "additionalProperties": True,
    },
    "ProblemError": {
        "title": "ProblemError",
        "type": "object",
        "required": ["loc", "msg", "type"],
        "properties": {
            "loc": {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "description": 'Where: e.g. ["body", "ratings", "b1", "rationale"]',
            },
            "msg": {"type": "string"},
            "type": {"type": "string"},
        },
    },
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
    }


def _phrase(status: int) -> str:
    return HTTPStatus(status).phrase


def _layer_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    params = operation.get("parameters", [])
    statuses = {500}
    if params or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses |= {400, 413}
    if any(p.get("in") == "path" for p in params):
        statuses.add(404)
    if operation.get("security"):
        statuses.add(401)
        if method in ("post", "put", "patch", "delete"):
            statuses.add(403)
    return statuses


def describe_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a generated OpenAPI document in place (see the module docstring)."""
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses: dict[str, Any] = operation["responses"]
            declared = {int(code) for code in responses if code.isdigit() and int(code) >= 400}
            for status in sorted(declared | _layer_statuses(method, operation)):
                known = responses.get(str(status), {})
                description = known.get("description") or _phrase(status)
                if status == 422 and description == "Validation Error":
                    description = "Invalid input: `errors` locates each offending field"
                responses[str(status)] = _problem_response(description)
            responses["default"] = _problem_response("Any other error, as problem details")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    components.update(PROBLEM_SCHEMAS)
    return schema


def install_problem_openapi(app: FastAPI) -> None:
    """``app.openapi()`` returns the rewritten document (built once, then cached)."""
    generate: Callable[[], dict[str, Any]] = app.openapi
    described: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if not described:
            described.update(describe_errors(generate()))
        return described

    app.openapi = openapi  # type: ignore[method-assign]
