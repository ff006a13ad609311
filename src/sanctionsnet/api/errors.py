"""Bad input becomes a 4xx that says what is wrong and where; nothing becomes a 500.

Request bodies are parsed with orjson, which refuses invalid UTF-8 and lone
surrogates outright. When it refuses, the body is parsed again leniently only to
find *where* the problem is, so the error names the field (for example
`body.queries.q1.properties.name.0: malformed Unicode`) rather than a byte
offset. Every route uses `ApiRoute` so that this parser is the one FastAPI calls.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import orjson
from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from sanctionsnet.api.screening import InputError, InputErrors

log = logging.getLogger("sanctionsnet.api")

JSON = "application/json"


def json_response(
    data: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Serialise with orjson once; no response-model round trip on the hot path."""
    return Response(orjson.dumps(data), status_code=status_code, media_type=JSON, headers=headers)


def parse_json(body: bytes | str, loc: Sequence[str | int] = ("body",)) -> Any:
    """Parse JSON strictly; on failure raise an `InputError` that names the faulty field."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise _diagnose(body, loc, exc) from None


def _diagnose(
    body: bytes | str, loc: Sequence[str | int], exc: orjson.JSONDecodeError
) -> InputError:
    text = body.decode("utf-8", "surrogateescape") if isinstance(body, bytes) else body
    try:
        lenient = json.loads(text)
    except json.JSONDecodeError as syntax:
        return InputError(
            loc,
            f"invalid JSON: {syntax.msg} at line {syntax.lineno} column {syntax.colno}",
            "json_invalid",
        )
    except (RecursionError, ValueError):
        return InputError(loc, f"invalid JSON: {exc.msg}", "json_invalid")
    path = _surrogate_path(lenient)
    if path is not None:
        return InputError(
            (*loc, *path),
            "malformed Unicode: invalid UTF-8 bytes or a lone surrogate escape",
            "unicode_invalid",
        )
    return InputError(loc, f"invalid JSON: {exc.msg}", "json_invalid")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _surrogate_path(data: Any) -> list[str | int] | None:
    """Path to the first key or string holding a surrogate (iterative: input may nest deeply)."""
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                return path
        elif isinstance(value, dict):
            for key, item in value.items():
                if _has_surrogate(key):
                    return [*path, key.encode("utf-8", "replace").decode("utf-8")]
                stack.append(([*path, key], item))
        elif isinstance(value, list):
            stack.extend(([*path, i], item) for i, item in enumerate(value))
    return None


def unprocessable(errors: Sequence[InputError]) -> HTTPException:
    """A 422 in FastAPI's own validation-error shape."""
    return HTTPException(422, detail=[e.to_json() for e in errors])


class ApiRequest(Request):
    """A request whose JSON body is parsed by `parse_json`."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = parse_json(await self.body())
            except InputError as exc:
                raise unprocessable([exc]) from None
        return self._json


class ApiRoute(APIRoute):
    """Route class of every sanctionsnet router: strict JSON, input errors as 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(ApiRequest(request.scope, request.receive))
            except InputError as exc:
                raise unprocessable([exc]) from None
            except InputErrors as exc:
                raise unprocessable(exc.errors) from None

        return handler


# --- exception handlers ---------------------------------------------------------------------


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 without echoing the input (which may be bytes that are not UTF-8)."""
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        item = {
            "type": str(error.get("type", "value_error")),
            "loc": [_safe(part) for part in error.get("loc", ())],
            "msg": _safe(error.get("msg", "invalid value")),
        }
        ctx = error.get("ctx") or {}
        if "error" in ctx:
            item["msg"] = f"{item['msg']}: {_safe(ctx['error'])}"
        if item["loc"] == ["body"] and "json" not in request.headers.get("content-type", "json"):
            item["msg"] = f"{item['msg']} (send JSON with Content-Type: application/json)"
        errors.append(item)
    return json_response({"detail": errors}, 422)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if exc.detail is not None else "error"
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        # Starlette names only the first route of the path; GET and POST /reconcile are two.
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return json_response({"detail": detail}, exc.status_code, headers=headers or None)


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    scope = {**request.scope, "method": "GET"}
    for route in request.app.routes:
        if isinstance(route, APIRoute) and route.matches(scope)[0] != Match.NONE:
            methods.update(route.methods or ())
    return sorted(methods)


async def server_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return json_response({"detail": "internal server error"}, 500)


def _safe(value: Any) -> Any:
    if isinstance(value, int):
        return value
    text = str(value)
    return text.encode("utf-8", "replace").decode("utf-8")


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Coroutine[Any, Any, Response]]] = {
    RequestValidationError: validation_error_handler,
    StarletteHTTPException: http_error_handler,
    Exception: server_error_handler,
}
