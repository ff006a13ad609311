"""The application factory: one FastAPI app over one store, with its engine, auth, limits, audit.

`sanctionsnet serve` runs `create_app` in each uvicorn worker (factory mode), so
every worker builds its own app from the settings in its environment and loads
the index from the shared on-disk cache.

Adding a group of endpoints is one line in `ROUTERS`; routers reach the engine,
the current snapshot, the settings and the audit log through the dependencies
in `sanctionsnet.api.deps`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.middleware.cors import CORSMiddleware

from sanctionsnet import __version__
from sanctionsnet.api import (
    routes_catalog,
    routes_check,
    routes_entities,
    routes_match,
    routes_network,
    routes_reconcile,
    routes_search,
    routes_system,
)
from sanctionsnet.api.audit import AuditLog, NoAudit
from sanctionsnet.api.auth import ApiKeyMiddleware
from sanctionsnet.api.engine import Engine
from sanctionsnet.api.errors import EXCEPTION_HANDLERS
from sanctionsnet.api.limits import BodyLimitMiddleware
from sanctionsnet.api.settings import ServiceSettings
from sanctionsnet.store import Store

if TYPE_CHECKING:
    from sanctionsnet.web.state import WebConfig

#: Every router of the service, in the order the OpenAPI page lists them.
ROUTERS: tuple[APIRouter, ...] = (
    routes_match.router,
    routes_search.router,
    routes_entities.router,
    routes_network.router,
    routes_check.router,
    routes_reconcile.router,
    routes_catalog.router,
    routes_system.router,
)

DESCRIPTION = """
Sanctions screening against the official lists (UN, OFAC, EU, UK, US CSL), speaking
the [yente](https://github.com/opensanctions/yente) API so that its clients work
unchanged, and the W3C Reconciliation Service API for OpenRefine.

Datasets: `default` screens every list at once; each list also has its own
(`un_sc`, `ofac_sdn`, ...; see `/catalog`). New list versions are picked up
while the service runs, without dropping a request.

With API keys configured, send one as `Authorization: Bearer KEY`
(or `ApiKey KEY`, `X-API-Key: KEY`, `?api_key=KEY`). Every screening request is
written to the audit log.
"""


def create_app(
    settings: ServiceSettings | None = None,
    engine: Engine | None = None,
    web: WebConfig | None = None,
) -> FastAPI:
    """The service for `settings` (default: from the environment, as `serve` sets it),
    with the web interface configured by `web` (default: from the environment)."""
    settings = settings or ServiceSettings.from_env()
    if engine is None:
        engine = Engine(Store(settings.store_home()), reload_interval=settings.reload_interval)
    audit: AuditLog = AuditLog(settings.audit_path()) if settings.audit else NoAudit()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine.start()
        try:
            yield
        finally:
            engine.stop()
            audit.close()

    app = FastAPI(
        title=settings.title,
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.audit = audit
    for router in ROUTERS:
        app.include_router(router)
    # Starlette runs the last added middleware first: CORS, then keys, then size limits.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(ApiKeyMiddleware, keys=settings.api_keys)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-API-Key"],
        expose_headers=["X-Request-ID", "X-Batch-Size"],
    )
    if settings.api_keys:
        _document_keys(app)
    # The analysts' web interface at `/` (imported here: the web builds on the API).
    from sanctionsnet.web import install

    install(app, web)
    return app


def _document_keys(app: FastAPI) -> None:
    """Declare the key schemes in the OpenAPI page, so /docs can send a key."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schema.setdefault("components", {})["securitySchemes"] = {
                "Bearer": {"type": "http", "scheme": "bearer"},
                "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "ApiKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
            }
            schema["security"] = [{"Bearer": []}, {"ApiKeyHeader": []}, {"ApiKeyQuery": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
