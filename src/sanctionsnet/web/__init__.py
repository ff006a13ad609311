"""The analyst's web interface: screening, entities and networks, changes, batch, checks, plots.

`install(app)` adds it to the service's FastAPI app (`sanctionsnet serve` serves it at
`/`). Pages are rendered on the server from Jinja2 templates; the only JavaScript is a
small script of our own and cytoscape.js for network graphs, both shipped in the
package (`static/`, built from the npm registry by `web-src/`), so nothing is fetched
from elsewhere at run time. Everything users create (batch jobs, decisions on alerts,
checks) is kept on disk under `<home>/web/`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from sanctionsnet.web.middleware import UploadTooLarge, step_aside
from sanctionsnet.web.pages import (
    STATIC_DIR,
    LoginRequired,
    PageError,
    ViewerDep,
    login_url,
    render,
    secure,
)
from sanctionsnet.web.paths import PREFIX, STATIC
from sanctionsnet.web.state import WebConfig, WebState

__all__ = ["install"]


class _Static(StaticFiles):
    """Static files; URLs carry a content hash (`?v=`), so they may be cached for a year."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if b"v=" in scope.get("query_string", b"") and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    response = render(
        request,
        "error.html",
        status=exc.status,
        title=exc.title,
        detail=exc.detail,
        retry=exc.retry,
    )
    if exc.retry:
        response.headers["Retry-After"] = str(exc.retry)
    return response


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if request.method in ("GET", "HEAD") and not request.url.path.endswith(".json"):
        return secure(RedirectResponse(login_url(exc.target), status_code=303))
    return render(
        request,
        "error.html",
        status=401,
        title="Log in first",
        detail=["This server requires an API key. Log in and try again."],
        retry=None,
    )


async def _too_large(request: Request, exc: Exception) -> Response:
    limit = request.app.state.web.config.max_upload
    return render(
        request,
        "error.html",
        status=413,
        title="The upload is too large",
        detail=[
            f"At most {limit // 1_000_000} MB; screen bigger books with `sanctionsnet screen`."
        ],
        retry=None,
    )


def install(app: FastAPI, config: WebConfig | None = None) -> None:
    """Add the web interface to `app` (built by `sanctionsnet.api.create_app`)."""
    from sanctionsnet.web import (
        routes_auth,
        routes_batch,
        routes_changes,
        routes_check,
        routes_entity,
        routes_plots,
        routes_screen,
    )

    if getattr(app.state, "web", None) is not None:
        return  # already installed (create_app may do it; a second call changes nothing)
    config = config or WebConfig.from_env()
    state = WebState(app.state.engine, config)
    app.state.web = state
    for module in (
        routes_auth,
        routes_screen,
        routes_entity,
        routes_batch,
        routes_changes,
        routes_check,
        routes_plots,
    ):
        app.include_router(module.router, include_in_schema=False)
    app.mount(STATIC, _Static(directory=STATIC_DIR), name="web-static")

    @app.get(PREFIX + "/{rest:path}", include_in_schema=False, response_class=HTMLResponse)
    async def not_found(request: Request, rest: str, viewer: ViewerDep) -> Response:
        raise PageError(404, "Page not found", f"There is no page {request.url.path!r}.")

    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(UploadTooLarge, _too_large)
    step_aside(app, config.max_upload)
