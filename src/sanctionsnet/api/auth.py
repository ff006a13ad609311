"""Optional API keys: off unless keys are configured; then a request without a valid key gets 401.

A key is accepted in any of the ways clients send one: `Authorization: Bearer KEY`,
`Authorization: ApiKey KEY` (as OpenSanctions' hosted API and yente clients do),
`X-API-Key: KEY`, or `?api_key=KEY` (OpenRefine can only pass keys in the URL).
Keys are compared by their SHA-256 digest, and only a short id derived from it
is ever logged, so the audit log never holds a usable key.

Implemented as plain ASGI middleware: it runs before routing and costs one
dictionary lookup per request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import parse_qsl

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from sanctionsnet.api.asgi import send_response

#: Paths that stay open with keys on: health checks for orchestrators, and the docs.
OPEN_PATHS = frozenset(
    {"/healthz", "/readyz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
)
STATE_KEY = "api_key_id"


def key_id(key: str) -> str:
    """A short, non-reversible id of a key, for logs."""
    return "key-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


class ApiKeyMiddleware:
    """Refuses requests without a valid API key (401), and records which key was used."""

    def __init__(self, app: ASGIApp, keys: Iterable[str]) -> None:
        self.app = app
        self.keys = {hashlib.sha256(k.encode("utf-8")).digest(): key_id(k) for k in keys}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.keys or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        presented = _presented_key(scope)
        found = None
        if presented is not None:
            found = self.keys.get(hashlib.sha256(presented.encode("utf-8", "replace")).digest())
        if found is None:
            detail = "missing API key" if presented is None else "invalid API key"
            await _reject(send, detail)
            return
        scope.setdefault("state", {})[STATE_KEY] = found
        await self.app(scope, receive, send)


def _presented_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            text = value.decode("latin-1").strip()
            scheme, _, rest = text.partition(" ")
            if scheme.lower() in ("bearer", "apikey") and rest.strip():
                return rest.strip()
        elif name == b"x-api-key" and value.strip():
            return value.decode("latin-1").strip()
    query = scope.get("query_string", b"")
    if b"api_key=" in query:
        for name, value in parse_qsl(query.decode("latin-1")):
            if name == "api_key" and value:
                return value
    return None


async def _reject(send: Send, detail: str) -> None:
    body = orjson.dumps(
        {"detail": f"{detail}: send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"}
    )
    await send_response(
        send,
        401,
        body,
        b"application/json",
        ((b"www-authenticate", b'Bearer realm="sanctionsnet"'),),
    )
