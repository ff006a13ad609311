"""How every page is made: templates (autoescaped), security headers, login, CSRF, errors.

Templates are Jinja2 with autoescaping on for everything, and `StrictUndefined`, so a
value is always escaped and a missing one is a bug found by the tests, not an empty
cell. Pages carry a Content-Security-Policy that allows scripts and styles from this
server only (no inline script, no CDN), and are not cached by browsers or proxies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import FormData
from starlette.responses import Response

from sanctionsnet.api.auth import key_id
from sanctionsnet.api.engine import Snapshot
from sanctionsnet.web.paths import LOGIN, PREFIX, STATIC
from sanctionsnet.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    CsrfError,
    check_key,
    new_nonce,
    presented_key,
    valid_nonce,
)
from sanctionsnet.web.state import web_state

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC_DIR = HERE / "static"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

NAV = (
    ("screen", "/", "Screening"),
    ("batch", f"{PREFIX}/batch", "Batch"),
    ("changes", f"{PREFIX}/changes", "Changes"),
    ("check", f"{PREFIX}/check", "Check"),
    ("plots", f"{PREFIX}/plots", "Plots"),
)


class PageError(Exception):
    """A page that cannot be shown as asked: rendered as an error page with this status."""

    def __init__(
        self, status: int, title: str, detail: str | list[str] = "", retry: int | None = None
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = [detail] if isinstance(detail, str) and detail else list(detail or [])
        self.retry = retry


class LoginRequired(Exception):
    """API keys are on and the request has no valid session or key."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the short id of their API key, or nobody in particular (keys off)."""

    key: str | None
    keys_on: bool


@cache
def _static_version(name: str) -> str:
    try:
        return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def static_url(name: str) -> str:
    """A static file's URL with its content hash, so browsers may cache it for good."""
    return f"{STATIC}/{quote(name)}?v={_static_version(name)}"


def _score(value: Any) -> str:
    return f"{float(value):.2f}"


def _number(value: Any) -> str:
    return f"{int(value):,}" if value is not None else "–"


def _when(value: Any) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM UTC'; a date as is."""
    if value is None or value == "":
        return "–"
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    if "T" in text:
        day, _, rest = text.partition("T")
        return f"{day} {rest[:5]} UTC"
    return text


def _query(base: str, params: Mapping[str, Any]) -> str:
    pairs = [(k, v) for k, v in params.items() if v not in (None, "", [])]
    return base + ("?" + urlencode(pairs, doseq=True) if pairs else "")


class _Undefined(StrictUndefined):
    """Missing values are falsy in `{% if %}` (optional JSON keys), but an error when shown."""

    def __bool__(self) -> bool:  # type: ignore[override]
        return False


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=_Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(static=static_url, nav=NAV, prefix=PREFIX, url=_query)
    env.filters.update(score=_score, number=_number, when=_when, zip=zip)
    return env


def secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _is_https(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip() == "https"


def csrf_nonce(request: Request) -> tuple[str, bool]:
    """The CSRF nonce of this browser, and whether it is new (to be set as a cookie)."""
    value = request.cookies.get(CSRF_COOKIE)
    if valid_nonce(value):
        return str(value), False
    fresh = getattr(request.state, "csrf_nonce", None)
    if fresh is None:
        fresh = new_nonce()
        request.state.csrf_nonce = fresh
    return str(fresh), True


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page from `template`, with what every page needs and the security headers."""
    nonce, new = csrf_nonce(request)
    state = web_state(request)
    engine = state.engine
    page = {
        "request": request,
        "csrf_field": CSRF_FIELD,
        "csrf_token": state.signer.csrf_token(nonce),
        "viewer": getattr(request.state, "viewer", None),
        "loaded": engine.snapshot is not None,
        "active": "",
        **context,
    }
    html = environment().get_template(template).render(page)
    response = HTMLResponse(html, status_code=status)
    secure(response)
    if new:
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=_is_https(request),
            path="/",
        )
    return response


# -- who is looking --------------------------------------------------------------------


def viewer_of(request: Request) -> Viewer:
    """The viewer, or LoginRequired when API keys are on and none was shown."""
    keys: tuple[str, ...] = request.app.state.settings.api_keys
    if not keys:
        return Viewer(None, False)
    signer = web_state(request).signer
    ident = signer.session_key_id(request.cookies.get(SESSION_COOKIE), (key_id(k) for k in keys))
    if ident is None:
        ident = check_key(presented_key(request.headers), keys)
    if ident is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return Viewer(ident, True)


async def require_viewer(request: Request) -> Viewer:
    viewer = viewer_of(request)
    request.state.viewer = viewer
    # What the audit log records as the key of this request, as the API middleware does.
    if viewer.key is not None:
        request.scope.setdefault("state", {})["api_key_id"] = viewer.key
    return viewer


ViewerDep = Annotated[Viewer, Depends(require_viewer)]


def login_session(request: Request, response: Response, key: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        web_state(request).signer.session(key),
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
        path="/",
        max_age=12 * 3600,
    )


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_url(target: str) -> str:
    return f"{LOGIN}?{urlencode({'next': target})}"


# -- forms that change state -------------------------------------------------------------


async def checked_form(request: Request) -> FormData:
    """The submitted form, after its CSRF token and origin were checked (403 if not)."""
    form = await request.form(max_files=2, max_fields=200)
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = request.headers.get(CSRF_HEADER)
    hosts = [h for h in (request.headers.get("host"), request.headers.get("x-forwarded-host")) if h]
    try:
        web_state(request).signer.check_csrf(
            request.cookies.get(CSRF_COOKIE), token, request.headers.get("origin"), hosts
        )
    except CsrfError as exc:
        raise PageError(403, "Request refused", str(exc)) from None
    return form


def field(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value if isinstance(value, str) else default


def current_snapshot(request: Request) -> Snapshot:
    """The lists being served, or a 503 page that reloads itself while they load."""
    snapshot = web_state(request).engine.snapshot
    if snapshot is None:
        raise PageError(
            503,
            "The lists are loading",
            "The server is loading the sanctions lists; this page reloads in a few seconds.",
            retry=5,
        )
    return snapshot
