"""The API's key and body-size middlewares, made to step aside for the browser interface.

A browser cannot send an `Authorization` header when it follows a link, and an analyst's
book is bigger than an API request. So for the interface's paths (`/` and `/ui/...`)
the API-key check is left to the interface (its login cookie, see `pages.viewer_of`)
and the body limit is the interface's upload limit; every other path is unchanged.
`install` wraps the two middlewares when the app builds its middleware stack, so it
works whichever order `create_app` adds them in.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionsnet.api.asgi import content_length, send_response
from sanctionsnet.api.auth import ApiKeyMiddleware
from sanctionsnet.api.limits import BodyLimitMiddleware
from sanctionsnet.web.paths import is_ui_path

_PAGE_413 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Too large · sanctionsnet</title>"
    "<main><h1>The upload is too large</h1><p>At most {mb} MB. Screen bigger books with "
    "<code>sanctionsnet screen</code>.</p><p><a href='javascript:history.back()'>Back</a>"
    "</p></main></html>"
)


class UploadTooLarge(Exception):
    """A UI request body went over the upload limit while it was being read."""


class UiAware:
    """Runs `wrapped` for API paths; UI paths bypass it (with `ui_limit` on their bodies)."""

    def __init__(
        self, app: ASGIApp, wrapped: type, ui_limit: int | None, *args: Any, **kwargs: Any
    ) -> None:
        self.app = app
        self.inner = wrapped(app, *args, **kwargs)
        self.ui_limit = ui_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_ui_path(scope["path"]):
            await self.inner(scope, receive, send)
            return
        if self.ui_limit is None or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.ui_limit
        declared = content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise UploadTooLarge(f"larger than {limit // 1_000_000} MB")
            return message

        await self.app(scope, limited, send)


async def _too_large(send: Send, limit: int) -> None:
    body = _PAGE_413.format(mb=limit // 1_000_000).encode()
    await send_response(send, 413, body, b"text/html; charset=utf-8", ((b"connection", b"close"),))


def step_aside(app: FastAPI, ui_limit: int) -> None:
    """Make the API middlewares skip UI paths when the app builds its stack."""
    build = app.build_middleware_stack

    def build_with_ui() -> ASGIApp:
        app.user_middleware[:] = [_wrap(m, ui_limit) for m in app.user_middleware]
        return build()

    app.build_middleware_stack = build_with_ui  # type: ignore[method-assign]


def _wrap(middleware: Middleware, ui_limit: int) -> Middleware:
    if middleware.cls is ApiKeyMiddleware:
        return Middleware(UiAware, ApiKeyMiddleware, None, *middleware.args, **middleware.kwargs)
    if middleware.cls is BodyLimitMiddleware:
        return Middleware(
            UiAware, BodyLimitMiddleware, ui_limit, *middleware.args, **middleware.kwargs
        )
    return middleware
