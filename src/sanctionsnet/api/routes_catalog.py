"""`GET /catalog`: which lists are loaded, in which versions, and whether they are current."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.deps import EngineDep, SnapshotDep
from sanctionsnet.api.engine import Engine, Snapshot
from sanctionsnet.api.errors import ApiRoute, json_response
from sanctionsnet.api.models import DataCatalogModel
from sanctionsnet.store import Version

router = APIRouter(route_class=ApiRoute, tags=["Data access"])


@router.get("/catalog", summary="Data catalog", response_model=DataCatalogModel)
async def catalog(engine: EngineDep, snapshot: SnapshotDep) -> Response:
    """The datasets that can be screened against: `default` (every list) and one per list.

    `version` is the store's current version of a list, `index_version` the one
    being served; they differ only for the few seconds a new version takes to load.
    """
    return json_response(await run_in_threadpool(catalog_json, engine, snapshot))


def catalog_json(engine: Engine, snapshot: Snapshot) -> dict[str, Any]:
    store = engine.store
    current: dict[str, Version] = {}
    for dataset in store.datasets():
        version = store.current(dataset)
        if version is not None:
            current[dataset] = version
    datasets: list[dict[str, Any]] = []
    names = sorted(set(current) | set(snapshot.versions))
    for name in names:
        loaded = snapshot.versions.get(name)
        version = current.get(name) or loaded
        assert version is not None
        title, summary, url = _describe(version.source)
        datasets.append(
            {
                "name": name,
                "title": title if name == version.source else f"{title} ({name})",
                "summary": summary,
                "url": url,
                "load": True,
                "entities_url": None,
                "version": version.id,
                "index_version": loaded.id if loaded else None,
                "index_current": loaded is not None and loaded.id == version.id,
                "children": [],
                "source": version.source,
                "published": version.published.isoformat() if version.published else None,
                "entries": version.entries,
            }
        )
    in_default = [d["name"] for d in datasets if d["index_version"]]
    default = {
        "name": "default",
        "title": "All lists",
        "summary": "Every list in the store, screened together.",
        "url": None,
        "load": True,
        "entities_url": None,
        "version": snapshot.key,
        "index_version": snapshot.key,
        "index_current": all(d["index_current"] for d in datasets),
        "children": in_default,
        "source": None,
        "published": None,
        "entries": sum(d["entries"] or 0 for d in datasets if d["index_version"]),
    }
    outdated = [d["name"] for d in datasets if d["index_version"] and not d["index_current"]]
    return {
        "datasets": [default, *datasets],
        "current": [d["name"] for d in [default, *datasets] if d["index_current"]],
        "outdated": outdated,
        "index_stale": bool(outdated) or len(in_default) < len(datasets),
    }


def _describe(source_id: str) -> tuple[str, str | None, str | None]:
    from sanctionsnet.sources import REGISTRY, get_source

    if source_id not in REGISTRY:
        return source_id, None, None
    try:
        source = get_source(source_id)
    except Exception:  # a parser module that fails to import must not break the catalog
        return source_id, None, None
    urls = list(getattr(source, "official_files", {}).values())
    return source.title, f"Published by {source.authority}", urls[0] if urls else None
