"""`sanctionsnet serve`: the screening API (yente-compatible) over the store, under uvicorn."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

APP_FACTORY = "sanctionsnet.api.app:create_app"


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the CLI."""
    app.command()(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0: all)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=0, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes; one per core is a good start", min=1)
    ] = 1,
    api_key: Annotated[
        list[str] | None,
        typer.Option("--api-key", help="Require this API key (repeatable); off by default"),
    ] = None,
    api_keys_file: Annotated[
        Path | None,
        typer.Option(help="Require one of the keys in this file (one per line, # comments)"),
    ] = None,
    audit_log: Annotated[
        Path | None,
        typer.Option(help="Audit log, JSON lines (default: logs/audit.jsonl in the store home)"),
    ] = None,
    no_audit: Annotated[bool, typer.Option("--no-audit", help="Do not write an audit log")] = False,
    reload_interval: Annotated[
        float, typer.Option(help="Seconds between checks for new list versions (0: never)")
    ] = 5.0,
    max_body_bytes: Annotated[
        int, typer.Option(help="Largest request body accepted (larger: 413)", min=1)
    ] = 1_000_000,
    max_queries: Annotated[
        int, typer.Option(help="Most queries in one /match or /reconcile request", min=1)
    ] = 500,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log every request line to standard output")
    ] = False,
    log_level: Annotated[str, typer.Option(help="debug, info, warning, error")] = "info",
) -> None:
    """Serve the screening API: yente's /match, /search, /entities, /catalog, W3C /reconcile.

    New list versions imported while it runs are picked up without downtime.
    The OpenAPI page is at /docs.
    """
    import uvicorn

    from sanctionsnet.api.settings import ServiceSettings
    from sanctionsnet.cli import _fail, err
    from sanctionsnet.errors import SanctionsNetError
    from sanctionsnet.store import open_store

    store = open_store()
    settings = ServiceSettings(
        home=store.home,
        api_keys=tuple(k.strip() for k in (api_key or []) if k.strip()),
        audit_log=audit_log,
        audit=not no_audit,
        max_body_bytes=max_body_bytes,
        max_queries=max_queries,
        reload_interval=reload_interval,
    )
    try:
        if api_keys_file is not None:
            settings = settings.with_keys_file(api_keys_file)
        loaded = [d for d in store.datasets() if store.current(d) is not None]
    except SanctionsNetError as exc:  # unreadable keys file or store catalog
        raise _fail(exc) from None
    if not loaded:
        err.print(
            f"[yellow]warning:[/] the store at {store.home} holds no lists; "
            "run `sanctionsnet quickstart` or `sanctionsnet update` (the service picks them up)",
            highlight=False,
        )
    if settings.audit:
        try:
            settings.audit_path().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _fail(OSError(f"cannot create the audit log folder: {exc}")) from None
    os.environ.update(settings.to_env())
    err.print(
        f"serving {len(loaded)} lists from {store.home} on http://{host}:{port} "
        f"({workers} worker{'s' if workers > 1 else ''}; API keys "
        f"{'required' if settings.api_keys else 'off'}; audit log "
        f"{settings.audit_path() if settings.audit else 'off'})",
        highlight=False,
    )
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=10,
        # A worker busy loading a new index on a crowded machine is slow, not hung.
        timeout_worker_healthcheck=30,
    )
