"""The base of our pure ASGI middlewares: they act on HTTP requests only.

Lifespan and websocket scopes pass straight through to the wrapped app; every
middleware used to repeat that test, now :class:`HttpMiddleware` holds it once
and a subclass writes only :meth:`HttpMiddleware.handle`.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request, usually by calling ``self.app`` (with a wrapped ``send``)."""
        raise NotImplementedError
