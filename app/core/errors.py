"""Turning exceptions into responses, in one place.

API callers get JSON; browsers get a page. Validation errors keep FastAPI's
located shape (``loc``/``msg``/``type``) but never echo the submitted input
back, so a password typed into the wrong field is not reflected.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.exceptions import StepwiseError
from app.core.templating import get_templates


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _page(
    request: Request, status_code: int, detail: str, headers: dict[str, str] | None
) -> Response:
    response: HTMLResponse = get_templates().TemplateResponse(
        request,
        "errors/error.html",
        {"status_code": status_code, "detail": detail},
        status_code=status_code,
        headers=headers,
    )
    return response


async def _stepwise_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StepwiseError)
    if wants_html(request):
        return _page(request, exc.status_code, exc.detail, exc.headers)
    return JSONResponse(exc.to_json(), status_code=exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
    if wants_html(request):
        return _page(request, 422, "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors), None)
    return JSONResponse({"detail": "Invalid request", "errors": errors}, status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if wants_html(request):
        return _page(request, exc.status_code, str(exc.detail), headers)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StepwiseError, _stepwise_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
