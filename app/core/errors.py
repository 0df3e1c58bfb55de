"""Turning exceptions into responses, in one place.

API callers get RFC 9457 problem details (``application/problem+json``, built
by :func:`app.core.exceptions.problem_body`); browsers get the styled error
page. Validation errors are located (``errors: [{loc, msg, type}]``) but
never echo the submitted input: pydantic's ``input`` and ``ctx`` members are
dropped, and our own messages name the field and the rule, not the value.

Two backstops keep a value the database cannot hold from becoming a 500: a
``DataError`` (PostgreSQL: a NUL in text, an integer out of range) and an
``OverflowError`` (SQLite: an integer over 64 bits) answer 422. The request
layers (:mod:`app.core.limits`, :mod:`app.core.types`) refuse those values
with a located 422 first; the backstop is for a path they do not cover.
Anything else unexpected is :mod:`app.core.faults`' business.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DataError, NoInspectionAvailable, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core import i18n
from app.core.exceptions import StepwiseError, problem_body
from app.core.templating import get_templates

PROBLEM_MEDIA_TYPE = "application/problem+json"
UNSTORABLE = "A value is out of range or contains characters that cannot be stored"


class ProblemResponse(JSONResponse):
    """A JSON error: RFC 9457's media type."""

    media_type = PROBLEM_MEDIA_TYPE


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _forget_stale_user(request: Request) -> bool:
    """Drop a signed-in user the failed request's rollback has expired; were they signed in?

    The session dependency rolls back before the error page renders, which
    expires every row it loaded; the page's header must not touch the
    database again (a detached row cannot reload: the page would become a
    bare 500). The page then shows the header without the person's menu.
    """
    user = getattr(request.state, "user", None)
    if user is None:
        return False
    try:
        state = sa_inspect(user)
    except NoInspectionAvailable:
        return True
    if state.expired_attributes or (state.detached and state.expired):
        request.state.user = None
    return True


def _page(
    request: Request, status_code: int, detail: str, headers: dict[str, str] | None
) -> Response:
    signed_in = _forget_stale_user(request)
    with i18n.rendering_in(i18n.locale_of_request(request)):
        response: HTMLResponse = get_templates().TemplateResponse(
            request,
            "errors/error.html",
            {
                "status_code": status_code,
                "detail": detail,
                "request_id": request.scope.get("state", {}).get("request_id"),
                "signed_in": signed_in,
            },
            status_code=status_code,
            headers=headers,
        )
    return response


def error_response(
    request: Request,
    status_code: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    page_detail: str | None = None,
) -> Response:
    """The error page for a browser (``page_detail`` or ``detail``), problem details otherwise."""
    if wants_html(request):
        return _page(request, status_code, page_detail or detail, headers)
    body = problem_body(status_code, detail, errors=errors, extra=extra)
    return ProblemResponse(body, status_code=status_code, headers=headers)


def located_sentence(errors: list[dict[str, Any]]) -> str:
    """Validation errors as one sentence for the error page: ``field: rule; …``."""
    return "; ".join(f"{e['loc'][-1] if e.get('loc') else 'request'}: {e['msg']}" for e in errors)


def problem_response(exc: StepwiseError) -> ProblemResponse:
    """A domain error as problem details, for routes that return (not raise) their error."""
    return ProblemResponse(exc.to_json(), status_code=exc.status_code, headers=exc.headers)


async def _stepwise_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StepwiseError)
    return error_response(
        request,
        exc.status_code,
        exc.detail,
        errors=exc.errors,
        extra=exc.extra,
        headers=exc.headers,
    )


def located(errors: Any) -> list[dict[str, Any]]:
    """Pydantic's errors without ``input``/``ctx``/``url``: where and which rule, never what."""
    return [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in errors
    ]


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = located(exc.errors())
    return error_response(
        request, 422, "Invalid request", errors=errors, page_detail=located_sentence(errors)
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code < 400:  # a redirect (sign in first): no body to describe
        return Response(status_code=exc.status_code, headers=headers)
    return error_response(request, exc.status_code, str(exc.detail), headers=headers)


async def _unstorable(request: Request, exc: Exception) -> Response:
    unstorable = isinstance(exc, DataError | OverflowError) or (
        isinstance(exc, StatementError) and isinstance(exc.orig, OverflowError)
    )
    if not unstorable:
        raise exc  # not a value problem: the unexpected-error layer answers 500
    return error_response(request, 422, UNSTORABLE)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StepwiseError, _stepwise_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(OverflowError, _unstorable)
    app.add_exception_handler(StatementError, _unstorable)
