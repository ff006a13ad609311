"""The entity page: every list's entry side by side, its list history, and its network."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.engine import Snapshot
from sanctionsnet.api.entity_tables import EntityTable
from sanctionsnet.api.errors import json_response
from sanctionsnet.api.routes_entities import entity_json
from sanctionsnet.network import NetworkQueryError, entity_network
from sanctionsnet.network.exposure import MAX_HOPS
from sanctionsnet.store import Version
from sanctionsnet.web.entity_view import columns_for, edge_rows, rows_of
from sanctionsnet.web.history import Event, entity_history, last_listed_in
from sanctionsnet.web.labels import schema_label, source_title
from sanctionsnet.web.pages import PageError, ViewerDep, current_snapshot, render
from sanctionsnet.web.paths import PREFIX
from sanctionsnet.web.state import WebState, web_state

router = APIRouter()
MAX_NODES = 300


def _hops(raw: str | None) -> int:
    try:
        hops = int(raw or 1)
    except ValueError:
        raise PageError(422, "Bad request", f"hops: not a whole number: {raw!r}") from None
    if not 1 <= hops <= MAX_HOPS:
        raise PageError(422, "Bad request", f"hops: between 1 and {MAX_HOPS}")
    return hops


def _dataset_of(snapshot: Snapshot, entity_id: str, hint: str | None) -> str | None:
    number = snapshot.index.by_id.get(entity_id)
    if number is not None:
        return snapshot.index.records[number].dataset
    if hint and hint in snapshot.versions:
        return hint
    found = snapshot.entities.find(entity_id)
    return found[0].dataset if found else hint


#: Versions holding at most this many entries in all are compared while the page waits
#: (a UN list update takes a quarter of a second); more are compared in the background.
INLINE_ENTRIES = 5_000


def _history(state: WebState, dataset: str | None, entity_id: str) -> list[Event] | None:
    """The entry's list history, or None while the versions are compared in the background."""
    if dataset is None:
        return []
    missing = state.diffs.missing(dataset)
    if sum(u.new.entries + (u.old.entries if u.old else 0) for u in missing) <= INLINE_ENTRIES:
        for update in missing:
            state.diffs.get(update)
    else:
        state.diffs.warm(missing)
    return entity_history(state.diffs, dataset, entity_id)


def _former(state: WebState, dataset: str, entity_id: str) -> tuple[dict[str, Any], Version] | None:
    """A delisted entity as the last version that held it gave it."""
    for update in state.diffs.missing(dataset):
        state.diffs.get(update)
    events = entity_history(state.diffs, dataset, entity_id) or []
    version = last_listed_in(events, state.engine.store.versions(dataset))
    if version is None:
        return None
    key = ("table", dataset, version.id)
    table = state.recall(key)
    if table is None:
        table = EntityTable.read(state.engine.store, version)
        state.remember(key, table, size=4)
    row = table.rows.get(entity_id)
    if row is None:
        return None
    return table.entity(row, None, nested=True, target=False), version


@router.get(PREFIX + "/entity/{entity_id}", response_class=HTMLResponse)
async def entity_page(request: Request, entity_id: str, viewer: ViewerDep) -> HTMLResponse:
    snapshot = current_snapshot(request)
    state = web_state(request)
    hops = _hops(request.query_params.get("hops"))
    hint = request.query_params.get("dataset")
    entity = await run_in_threadpool(entity_json, snapshot, entity_id, True)
    dataset = await run_in_threadpool(_dataset_of, snapshot, entity_id, hint)
    former_version = None
    if entity is None:
        if dataset is None or dataset not in state.engine.store.datasets():
            raise PageError(404, "No such entity", f"No entity {entity_id!r} in the lists.")
        former = await run_in_threadpool(_former, state, dataset, entity_id)
        if former is None:
            raise PageError(404, "No such entity", f"No entity {entity_id!r} in {dataset}.")
        entity, former_version = former
    graph = await run_in_threadpool(state.graph, snapshot)
    network: dict[str, Any] | None = None
    network_error = None
    if entity_id in graph.nodes:
        try:
            network = await run_in_threadpool(
                entity_network,
                state.engine.store,
                entity_id,
                hops,
                MAX_NODES,
                None,
                graph,
            )
        except NetworkQueryError as exc:
            network_error = str(exc)
    columns = await run_in_threadpool(columns_for, snapshot, graph, entity)
    rows = rows_of(columns, entity["schema"])
    history = await run_in_threadpool(_history, state, dataset, entity_id)
    return render(
        request,
        "entity.html",
        entity=entity,
        schema_label=schema_label(entity["schema"]),
        dataset=dataset,
        list_title=source_title(str(entity.get("source") or dataset)),
        former_version=former_version,
        columns=columns,
        rows=rows,
        history=history,
        network=network,
        network_error=network_error,
        edges=edge_rows(network) if network else [],
        hops=hops,
        max_hops=MAX_HOPS,
    )


@router.get(PREFIX + "/entity/{entity_id}/history", response_class=HTMLResponse)
async def entity_history_page(request: Request, entity_id: str, viewer: ViewerDep) -> HTMLResponse:
    """The list history, computing the diffs it needs (the entity page fetches it when new)."""
    snapshot = current_snapshot(request)
    state = web_state(request)
    dataset = await run_in_threadpool(
        _dataset_of, snapshot, entity_id, request.query_params.get("dataset")
    )
    if dataset is None or dataset not in state.engine.store.datasets():
        raise PageError(404, "No such entity", f"No entity {entity_id!r} in the lists.")

    def compute() -> list[Event] | None:
        for update in state.diffs.missing(dataset):
            state.diffs.get(update)
        return entity_history(state.diffs, dataset, entity_id)

    history = await run_in_threadpool(compute)
    template = "history_fragment.html" if request.query_params.get("fragment") else "history.html"
    return render(request, template, entity_id=entity_id, dataset=dataset, history=history or [])


@router.get(PREFIX + "/entity/{entity_id}/network.json")
async def entity_network_json(request: Request, entity_id: str, viewer: ViewerDep) -> Response:
    """The network the page draws: nodes, and links with their evidence (JSON)."""
    snapshot = current_snapshot(request)
    state = web_state(request)
    try:
        hops = _hops(request.query_params.get("hops"))
    except PageError as exc:
        return json_response({"detail": exc.detail[0]}, 422)
    graph = await run_in_threadpool(state.graph, snapshot)
    if entity_id not in graph.nodes:
        return json_response({"detail": f"No entity {entity_id!r} in the network"}, 404)
    data = await run_in_threadpool(
        entity_network, state.engine.store, entity_id, hops, MAX_NODES, None, graph
    )
    response = json_response(data)
    response.headers["Cache-Control"] = "no-store"
    return response
