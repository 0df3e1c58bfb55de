"""Request ids and the last line of defence against unexpected errors.

Pure ASGI middleware (no body buffering), outside every handler:

* **Request id.** Each request gets an id: the caller's ``X-Request-ID`` when
  it is well formed (1-64 of ``A-Z a-z 0-9 . _ -``, so a log line cannot be
  forged with spaces or newlines), else a fresh random one. It is on
  ``scope["state"]["request_id"]`` (``request.state.request_id``) and on
  every response as ``X-Request-ID``.
* **Unexpected errors.** An exception no handler claimed answers 500 --
  problem details for JSON callers, the styled error page for browsers --
  with the request id and no traceback, and is logged as **one line**
  (``request_id``, method, path, exception class, where it was raised), never
  the request's data. The exception is not re-raised, so the server keeps the
  connection open for the next request. If the response had already begun,
  nothing can be added to it; the line is still logged.
"""

from __future__ import annotations

import logging
import re
import secrets
import traceback

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from app.core.asgi import HttpMiddleware
from app.core.errors import error_response
from app.core.logs import REQUEST_ID

logger = logging.getLogger("stepwise.errors")

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER_KEY = REQUEST_ID_HEADER.lower().encode()
_WELL_FORMED = re.compile(rb"[A-Za-z0-9._-]{1,64}")
UNEXPECTED = "Something went wrong on our side. Quote the request id if you report it."


def request_id_for(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == _HEADER_KEY and _WELL_FORMED.fullmatch(value):
            return value.decode()
    return secrets.token_hex(16)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename}:{last.lineno} in {last.name}"


class FaultMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_for(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        header = (_HEADER_KEY, request_id.encode())
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        context = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            logger.error(
                "unexpected error request_id=%s method=%s path=%s error=%s at %s",
                request_id,
                scope.get("method"),
                scope.get("path"),
                type(exc).__name__,
                _where(exc),
            )
            if started:
                return
            request = Request(scope)
            response = error_response(request, 500, UNEXPECTED, extra={"request_id": request_id})
            await response(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(context)
