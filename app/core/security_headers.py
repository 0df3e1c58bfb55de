"""Security headers on every response, as a pure ASGI middleware.

Pure ASGI (not ``BaseHTTPMiddleware``) so it never buffers bodies or breaks
streaming, and it only *adds* headers a route has not set itself.

* ``Content-Security-Policy`` — only our own origin for scripts, styles,
  fonts and forms; no inline scripts or styles; ``frame-ancestors 'none'``
  (no clickjacking); ``base-uri``/``object-src`` closed.
* The interactive API docs (``/docs``, ``/redoc``) get the same policy:
  their assets are served by the app and started by script files
  (``app/core/api_docs.py``), so nothing needs a CDN or an inline script.
* ``Cache-Control: no-store`` unless the response chose its own caching:
  pages and API answers carry personal data that must not linger in shared
  or browser caches. Static files set their own long-lived header.
* ``Strict-Transport-Security`` only when ``settings.https``.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.asgi import HttpMiddleware

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def policy_for(path: str) -> str:
    """One policy for every path (kept as a function for callers that ask per path)."""
    return STRICT_CSP


class SecurityHeadersMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        super().__init__(app)
        self.common: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if https:
            self.common.append((b"strict-transport-security", b"max-age=63072000"))

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        csp = policy_for(scope.get("path", "")).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(b"content-security-policy", csp), *self.common]
                if b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                headers.extend((k, v) for k, v in extra if k not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
