"""Liveness, readiness and the scoring algorithms on offer."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from sanctionsnet.api.deps import EngineDep
from sanctionsnet.api.errors import ApiRoute, json_response
from sanctionsnet.api.models import AlgorithmResponse, ErrorResponse, StatusResponse
from sanctionsnet.api.serialize import algorithm_json
from sanctionsnet.screen import ALGORITHMS

router = APIRouter(route_class=ApiRoute, tags=["System information"])


@router.get("/healthz", summary="Health check", response_model=StatusResponse)
async def healthz() -> Response:
    """The process answers. Used by orchestrators to restart a hung service."""
    return json_response({"status": "ok"})


@router.get(
    "/readyz",
    summary="Readiness check",
    response_model=StatusResponse,
    responses={503: {"model": ErrorResponse, "description": "The lists are not loaded yet"}},
)
async def readyz(engine: EngineDep) -> Response:
    """200 once the lists are loaded and screening can start; 503 until then."""
    if not engine.ready:
        detail = "the lists are still loading"
        if engine.last_error:
            detail += f" (last attempt failed: {engine.last_error})"
        raise HTTPException(503, detail=detail, headers={"Retry-After": "5"})
    return json_response({"status": "ok"})


@router.get("/algorithms", summary="Scoring algorithms", response_model=AlgorithmResponse)
async def algorithms() -> Response:
    """The algorithms `/match` accepts (`algorithm=`), with what each feature means."""
    return json_response(
        {
            "algorithms": [algorithm_json(a) for a in ALGORITHMS.values()],
            "default": "default",
            "best": "default",
        }
    )
