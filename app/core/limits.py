"""What a request may carry, checked before and while the app reads it.

A pure ASGI middleware (it never buffers more than the limit, never breaks
streaming responses) that refuses, in this order:

1. **A NUL character in the path** (``%00``): 404, since no resource is named so.
2. **A NUL in the query string**: a located 422 (``loc: ["query", name]``).
3. **A body over the limit**: ``STEPWISE_MAX_JSON_BODY_BYTES`` for JSON and
   every other non-form body, ``STEPWISE_MAX_FORM_BODY_BYTES`` for forms
   (1 MiB each by default). A declared ``Content-Length`` over the limit is
   answered 413 before the app runs and before a byte of the body is read; a
   chunked body is counted as it streams and refused with 413 at the first
   chunk past the limit, without reading further.
4. **An anonymous body for a protected route**: ``refuse_before_body`` (wired
   in ``app.main``) answers 401 for an ``/api/`` route that needs a signed-in
   user when the request carries no credentials at all, before the body is
   read or parsed (FastAPI parses bodies before it runs dependencies).
   A request *with* credentials is authenticated by the route's dependency as
   usual, after the body (at most the limit) is parsed.
5. **A NUL in the body's text**: PostgreSQL cannot store it (a 500 before this
   layer), and no form or JSON field of ours means it. When the app has read
   the whole body, a JSON body holding ``\\u0000`` or a form holding ``%00``
   is answered with a located 422 (``loc: ["body", "ratings", "b1",
   "rationale"]``); the cheap byte check runs on every body, the parse only
   when it matches.

The few routes that take a file (``upload_limits``: path → bytes, wired in
``app.main`` from settings) get their own limit for a multipart body, and
its bytes are not searched for NUL: a spreadsheet is binary, and the route
reads the file itself and validates its other fields.

Refusals go through :func:`app.core.errors.error_response` (problem details
or the error page); once the middleware has answered, whatever the app tries
to send for the refused request is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from email.message import Message as EmailMessage
from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.requests import Request
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.asgi import HttpMiddleware
from app.core.errors import error_response, located_sentence
from app.core.exceptions import StepwiseError, Unauthorized, field_error
from app.core.types import parse_bounded_int

NUL_MESSAGE = "must not contain the NUL character (U+0000)"
NUL_TYPE = "string_nul"
INVALID_TEXT = "Text must not contain the NUL character"

#: Decides, from the request alone (no body, no database), to refuse it before
#: its body is read; ``None`` lets it through.
BodyGate = Callable[[Scope], StepwiseError | None]


class BodyRejected(HTTPException):
    """Raised into the app from ``receive`` once the middleware has answered.

    An ``HTTPException`` so FastAPI's body reader re-raises it unchanged; the
    response its handler produces is dropped (the middleware answered first).
    """

    def __init__(self) -> None:
        super().__init__(status_code=400, detail="Request body refused")


def _body_kind(content_type: str) -> str:
    message = EmailMessage()
    message["content-type"] = content_type
    kind = message.get_content_type()
    if kind == "application/x-www-form-urlencoded":
        return "form"
    if kind == "multipart/form-data":
        return "multipart"
    if kind == "application/json" or kind.endswith("+json"):
        return "json"
    return "other"


def _nul_in_pairs(text: str, where: str) -> list[dict[str, Any]] | None:
    for name, value in parse_qsl(text, keep_blank_values=True):
        if "\x00" in value:
            loc: list[str | int] = [where, name] if "\x00" not in name else [where]
            return [field_error(loc, NUL_MESSAGE, NUL_TYPE)]
        if "\x00" in name:
            return [field_error([where], NUL_MESSAGE, NUL_TYPE)]
    return None


def _nul_path(value: Any, loc: list[str | int]) -> list[str | int] | None:
    """Where the first NUL is in a decoded JSON document (depth-first), or ``None``."""
    stack: list[tuple[Any, list[str | int]]] = [(value, loc)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return where
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                if "\x00" in key:
                    return where
                stack.append((child, [*where, key]))
        elif isinstance(item, list):
            stack.extend((child, [*where, i]) for i, child in reversed(list(enumerate(item))))
    return None


def nul_errors(kind: str, body: bytes) -> list[dict[str, Any]] | None:
    """Located errors for a NUL in a body's text, ``None`` when it has none."""
    if kind == "json":
        if b"\\u0000" not in body:
            return None
        try:
            document = json.loads(body)
        except ValueError:
            return None  # not JSON: the route's own parser answers that
        where = _nul_path(document, ["body"])
        return None if where is None else [field_error(where, NUL_MESSAGE, NUL_TYPE)]
    if kind == "form":
        if b"%00" not in body and b"\x00" not in body:
            return None
        return _nul_in_pairs(body.decode("utf-8", "replace"), "body")
    if kind == "multipart" and b"\x00" in body:  # no route takes files
        return [field_error(["body"], NUL_MESSAGE, NUL_TYPE)]
    return None


class RequestLimitsMiddleware(HttpMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_json_bytes: int,
        max_form_bytes: int,
        refuse_before_body: BodyGate | None = None,
        upload_limits: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(app)
        self.max_json_bytes = max_json_bytes
        self.max_form_bytes = max_form_bytes
        self.refuse_before_body = refuse_before_body
        self.upload_limits = dict(upload_limits or {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def answer(
            status: int,
            detail: str,
            *,
            errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None,
        ) -> None:
            response = error_response(
                Request(scope),
                status,
                detail,
                errors=errors,
                headers=headers,
                page_detail=located_sentence(errors) if errors else None,
            )
            await response(scope, receive, send)

        if "\x00" in scope.get("path", ""):
            await answer(404, "Not found")
            return
        query: bytes = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            errors = _nul_in_pairs(query.decode("utf-8", "replace"), "query")
            if errors:
                await answer(422, INVALID_TEXT, errors=errors)
                return

        headers = {k: v for k, v in scope.get("headers", ()) if k in _WATCHED}
        kind = _body_kind(headers.get(b"content-type", b"").decode("latin-1"))
        limit = self.max_form_bytes if kind in ("form", "multipart") else self.max_json_bytes
        if kind == "multipart" and scope.get("path", "") in self.upload_limits:
            limit = self.upload_limits[scope["path"]]
            kind = "file"  # binary: no NUL search (the route reads the file itself)
        declared = parse_bounded_int(
            headers.get(b"content-length", b"").decode("latin-1").strip(), lo=0, hi=2**63
        )
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if declared is not None and declared > limit:
            await answer(413, _too_large(limit))
            return
        if not chunked and not declared:
            await self.app(scope, receive, send)  # no body: nothing to watch
            return
        if self.refuse_before_body is not None:
            refusal = self.refuse_before_body(scope)
            if refusal is not None:
                await answer(
                    refusal.status_code,
                    refusal.detail,
                    errors=refusal.errors,
                    headers=refusal.headers,
                )
                return

        received = 0
        chunks: list[bytes] = []
        refused = False
        started = False

        async def refuse(status: int, detail: str, errors: list[dict[str, Any]] | None) -> None:
            nonlocal refused
            refused = True
            if not started:
                await answer(status, detail, errors=errors)
            raise BodyRejected()

        async def guarded_receive() -> Message:
            nonlocal received
            if refused:
                raise BodyRejected()
            message = await receive()
            if message["type"] != "http.request":
                return message
            chunk: bytes = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                chunks.clear()
                await refuse(413, _too_large(limit), None)
            if kind not in ("other", "file"):
                chunks.append(chunk)
                if not message.get("more_body", False):
                    body = b"".join(chunks)
                    chunks.clear()
                    errors = nul_errors(kind, body)
                    if errors:
                        await refuse(422, INVALID_TEXT, errors)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the app's own answer to a body we already refused
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except BodyRejected:
            if not refused:
                raise


_WATCHED = frozenset({b"content-type", b"content-length", b"transfer-encoding"})


def _too_large(limit: int) -> str:
    return f"The request body is over the limit of {limit} bytes"


def depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    """True when ``call`` is among a route's dependencies, at any depth."""
    stack = [dependant]
    while stack:
        item = stack.pop()
        if item.call is call:
            return True
        stack.extend(item.dependencies)
    return False


def anonymous_body_gate(
    routes: Callable[[], Sequence[BaseRoute]],
    *,
    requires_user: Callable[[Dependant], bool],
    has_credentials: Callable[[Request], bool],
) -> BodyGate:
    """A :data:`BodyGate`: 401 for an ``/api/`` route that ``requires_user`` when the
    request carries no credentials at all (``has_credentials`` is false).

    Only requests with a body and no credentials pay the route lookup (a
    linear match, as the router does); the table is built on first use, when
    every router is mounted.
    """
    table: list[tuple[RouteContext, bool]] = []

    def gate(scope: Scope) -> StepwiseError | None:
        if not scope.get("path", "").startswith("/api/") or has_credentials(Request(scope)):
            return None
        if not table:
            for context in iter_route_contexts(routes()):
                dependant = getattr(context, "dependant", None)
                table.append((context, dependant is not None and requires_user(dependant)))
        for context, protected in table:
            match, _ = context.matches(scope)
            if match is Match.FULL:
                return Unauthorized("Not authenticated") if protected else None
        return None

    return gate
