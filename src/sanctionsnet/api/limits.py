"""Request size limits, enforced before any parsing.

A body larger than the limit is refused with 413 as soon as its declared length
(or, for a chunked upload, the bytes received so far) exceeds it, so an
oversized request never reaches the JSON parser or the screener. The body is
buffered here once and handed on whole, which is what the routes read anyway.
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionsnet.api.asgi import content_length, send_response


class BodyLimitMiddleware:
    """413 for request bodies over `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large(send, declared)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send, size)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send, size: int) -> None:
        body = orjson.dumps(
            {
                "detail": f"request body too large: {size:,} bytes or more "
                f"(at most {self.max_bytes:,}); split the queries into several requests"
            }
        )
        await send_response(send, 413, body, b"application/json", ((b"connection", b"close"),))
