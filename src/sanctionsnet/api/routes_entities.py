"""`GET /entities/{id}`: one entity as the list publishes it, with its adjacent entities nested."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.deps import SnapshotDep
from sanctionsnet.api.engine import Snapshot
from sanctionsnet.api.errors import ApiRoute, json_response
from sanctionsnet.api.models import EntityResponse, ErrorResponse

router = APIRouter(route_class=ApiRoute, tags=["Data access"])


@router.get(
    "/entities/{entity_id}",
    summary="Fetch an entity",
    response_model=EntityResponse,
    responses={404: {"model": ErrorResponse, "description": "No such entity"}},
)
async def fetch_entity(
    snapshot: SnapshotDep,
    entity_id: str = PathParam(description="Entity id, as /match and /search return it"),
    nested: bool = Query(True, description="Nest adjacent entities (sanctions, passports, links)"),
) -> Response:
    """The followthemoney entity with this id from the loaded list versions.

    With `nested`, the entities that point at it (its Sanction with authority and
    program, passports, crypto wallets, links) appear under the reverse property
    (`sanctions`, `identification`...), and the entities it points at replace
    their ids, as in yente. Every entity carries its provenance: list, entry
    reference, version, file and file checksum.
    """
    data = await run_in_threadpool(entity_json, snapshot, entity_id, nested)
    if data is None:
        raise HTTPException(404, detail=f"No such entity: {entity_id!r}")
    return json_response(data)


def entity_json(snapshot: Snapshot, entity_id: str, nested: bool) -> dict[str, Any] | None:
    number = snapshot.index.by_id.get(entity_id)
    hint = snapshot.index.records[number].dataset if number is not None else None
    found = snapshot.entities.find(entity_id, hint)
    if found is None:
        return None
    table, row = found
    return table.entity(
        row, snapshot.published(table.dataset), nested=nested, target=number is not None
    )
