"""`GET /entities/{id}/network` and `POST /exposure`: links between parties, with evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from followthemoney import model
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.deps import EngineDep, SnapshotDep
from sanctionsnet.api.derived import PerSnapshot
from sanctionsnet.api.engine import Engine, Snapshot
from sanctionsnet.api.errors import ApiRoute, json_response, unprocessable
from sanctionsnet.api.models import ErrorResponse
from sanctionsnet.api.screening import InputError
from sanctionsnet.network.exposure import (
    MAX_HOPS,
    NetworkQueryError,
    UnknownEntityError,
    entity_network,
    exposure,
)
from sanctionsnet.network.graph import Graph
from sanctionsnet.screen import QueryError

router = APIRouter(route_class=ApiRoute, tags=["Networks"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No such entity"},
    413: {"model": ErrorResponse, "description": "Request body too large"},
}


def _graph_builder(engine: Engine) -> PerSnapshot[Graph]:
    def build(snapshot: Snapshot) -> Graph:
        from sanctionsnet.network.load import load_network

        return load_network(engine.store, snapshot.screener("default"))

    return PerSnapshot(build)


def network_graph(request: Request, engine: Engine, snapshot: Snapshot) -> Graph:
    """The graph of the lists the snapshot serves, built (or read from cache) once."""
    state = request.app.state
    builder = getattr(state, "network_graph", None)
    if builder is None:
        builder = state.network_graph = _graph_builder(engine)
    graph: Graph = builder.get(snapshot)
    return graph


@router.get(
    "/entities/{entity_id}/network",
    summary="An entity's network",
    responses=ERRORS,
)
async def get_network(
    request: Request,
    engine: EngineDep,
    snapshot: SnapshotDep,
    entity_id: str = PathParam(description="Entity id, as /match and /search return it"),
    hops: int = Query(1, ge=1, le=MAX_HOPS, description="How many links away to go"),
    max_nodes: int = Query(500, ge=1, le=5000, description="Stop growing the network here"),
) -> Response:
    """The parties linked to this one in the current lists, up to `hops` links away:
    nodes (listed or not, with their lists) and edges, each edge with its evidence
    (the list, the entry, and the words the link was read from)."""

    def run() -> dict[str, Any]:
        graph = network_graph(request, engine, snapshot)
        return entity_network(engine.store, entity_id, hops, max_nodes, graph=graph)

    try:
        data = await run_in_threadpool(run)
    except UnknownEntityError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    except (NetworkQueryError, QueryError) as exc:
        raise unprocessable([InputError(("body",), str(exc))]) from None
    return json_response(data)


class ExposureRequest(BaseModel):
    """A party to trace: a name (resolved with the screening engine) and/or entity ids."""

    name: str | None = Field(None, max_length=500, description="A name, in any script")
    ids: list[str] = Field([], max_length=100, description="List entity ids")
    schema_: str | None = Field(
        None, alias="schema", description="What the named party is (Person, Company, ...)"
    )
    hops: int = Field(2, ge=1, le=MAX_HOPS, description="Longest path, in links")
    threshold: float = Field(0.85, ge=0, le=1, description="Score for a name to be a listed party")
    limit: int = Field(50, ge=1, le=500, description="Most paths returned")


@router.post("/exposure", summary="Paths to listed parties", responses=ERRORS)
async def post_exposure(
    request: Request, engine: EngineDep, snapshot: SnapshotDep, body: ExposureRequest
) -> Response:
    """Shortest paths from a party to listed entities, shortest first, each link with
    its evidence; the party is named (and resolved with the screening engine) or given
    by entity ids."""
    if body.schema_ is not None and model.get(body.schema_) is None:
        raise unprocessable([InputError(("body", "schema"), f"unknown schema {body.schema_!r}")])

    def run() -> dict[str, Any]:
        graph = network_graph(request, engine, snapshot)
        return exposure(
            engine.store,
            query=body.name,
            ids=body.ids,
            hops=body.hops,
            schema=body.schema_,
            threshold=body.threshold,
            limit=body.limit,
            screener=snapshot.screener("default"),
            graph=graph,
        )

    try:
        data = await run_in_threadpool(run)
    except UnknownEntityError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    except (NetworkQueryError, QueryError) as exc:
        raise unprocessable([InputError(("body",), str(exc))]) from None
    return json_response(data)
