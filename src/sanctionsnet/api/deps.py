"""Dependencies every router uses: the engine, the current snapshot, settings, audit log.

A router added later (network, regime checks) gets the same state the same way::

    from sanctionsnet.api.deps import EngineDep, SnapshotDep

    @router.get("/entities/{entity_id}/network")
    async def network(entity_id: str, snapshot: SnapshotDep) -> Response:
        ...  # snapshot.index, snapshot.versions, snapshot.entities, engine.store

The dependencies are coroutines on purpose: FastAPI runs plain functions in its thread
pool, which would cost a thread hand-off per dependency per request.

`SnapshotDep` answers 503 while the lists are still loading, so a handler always
gets a complete, immutable snapshot and keeps it for the whole request.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from sanctionsnet.api.audit import AuditError, AuditLog
from sanctionsnet.api.auth import STATE_KEY
from sanctionsnet.api.engine import Engine, Snapshot
from sanctionsnet.api.settings import ServiceSettings
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_snapshot(request: Request) -> Snapshot:
    return current_snapshot(request)


def current_snapshot(request: Request) -> Snapshot:
    """The engine's current snapshot, or 503 while the lists load (also usable without Depends)."""
    engine: Engine = request.app.state.engine
    snapshot = engine.snapshot
    if snapshot is None:
        raise HTTPException(
            503, detail="the lists are still loading; retry shortly", headers={"Retry-After": "5"}
        )
    return snapshot


async def get_settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings


async def get_audit(request: Request) -> AuditLog:
    audit: AuditLog = request.app.state.audit
    return audit


async def get_store(request: Request) -> Store:
    engine: Engine = request.app.state.engine
    return engine.store


def api_key_id(request: Request) -> str | None:
    """Short id of the API key the request was made with (None when keys are off)."""
    value = request.scope.get("state", {}).get(STATE_KEY)
    return str(value) if value is not None else None


def scope_screener(snapshot: Snapshot, dataset: str) -> Screener:
    """The screener of `dataset`, or 404 naming the datasets there are."""
    screener = snapshot.screener(dataset)
    if screener is None:
        raise HTTPException(
            404,
            detail=f"No such dataset: {dataset!r}. Datasets: {', '.join(snapshot.datasets)}",
        )
    return screener


EngineDep = Annotated[Engine, Depends(get_engine)]
SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
SettingsDep = Annotated[ServiceSettings, Depends(get_settings)]
AuditDep = Annotated[AuditLog, Depends(get_audit)]
StoreDep = Annotated[Store, Depends(get_store)]


def audit_context(request: Request, dataset: str, snapshot: Snapshot) -> dict[str, object]:
    """What every audit line says about the request: who, where, against which versions."""
    client = request.client.host if request.client else None
    return {
        "request_id": request_id(request),
        "key": api_key_id(request),
        "client": client,
        "endpoint": f"{request.method} {request.url.path}",
        "dataset": dataset,
        "versions": snapshot.versions_for(dataset),
    }


def request_id(request: Request) -> str:
    """An id for the request, returned as X-Request-ID and written to the audit log."""
    state = request.scope.setdefault("state", {})
    if "request_id" not in state:
        state["request_id"] = uuid.uuid4().hex
    return str(state["request_id"])


def write_audit(audit: AuditLog, record: dict[str, object]) -> None:
    """Write the audit line; a request that cannot be recorded is refused (503)."""
    try:
        audit.write(record)
    except AuditError as exc:
        raise HTTPException(503, detail=f"audit log unavailable: {exc}") from exc
