"""`POST /match/{dataset}`: yente's query-by-example matcher, scored by `Screener.match`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from sanctionsnet.api.audit import AuditLog
from sanctionsnet.api.deps import (
    audit_context,
    current_snapshot,
    request_id,
    scope_screener,
    write_audit,
)
from sanctionsnet.api.errors import ApiRoute, json_response
from sanctionsnet.api.models import EntityMatchQuery, EntityMatchResponse, ErrorResponse
from sanctionsnet.api.params import openapi_parameters, parse_query
from sanctionsnet.api.screening import (
    Filters,
    InputError,
    InputErrors,
    Parsed,
    batch_record,
    query_from_example,
    resolve_algorithm,
    screen_many,
)
from sanctionsnet.api.serialize import feature_docs, match_json
from sanctionsnet.api.settings import ServiceSettings

router = APIRouter(route_class=ApiRoute, tags=["Matching"])

#: yente's limits: results per query by default, and at most.
MATCH_PAGE = 5
MAX_MATCHES = 500
#: Results scoring below this are not returned at all (yente's SCORE_CUTOFF).
SCORE_CUTOFF = 0.5

PATH_DATASET = Path(
    description="`default` (every list) or one list, e.g. `ofac_sdn`; see /catalog",
    examples=["default"],
)


class MatchParams(BaseModel):
    """Query parameters of /match (yente's names and defaults)."""

    limit: int = Field(MATCH_PAGE, ge=1, le=MAX_MATCHES, description="Results per query")
    threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Score from which a result is a match (default: the algorithm's)",
    )
    cutoff: float = Field(SCORE_CUTOFF, ge=0, le=1, description="Lowest score returned at all")
    algorithm: str = Field("default", description="`default` or `ofac`; see /algorithms")
    include_dataset: list[str] = Field([], description="Only results from these datasets")
    exclude_dataset: list[str] = Field([], description="No results from these datasets")
    exclude_schema: list[str] = Field([], description="No results of these schemata")
    topics: list[str] = Field([], description="Only results with one of these topics")


@router.post(
    "/match/{dataset}",
    summary="Query by example matcher",
    response_model=EntityMatchResponse,
    responses={
        404: {"model": ErrorResponse, "description": "No such dataset"},
        413: {"model": ErrorResponse, "description": "Request body too large"},
        503: {"model": ErrorResponse, "description": "Lists still loading"},
    },
    openapi_extra={"parameters": openapi_parameters(MatchParams)},
)
async def match(request: Request, body: EntityMatchQuery, dataset: str = PATH_DATASET) -> Response:
    """Screen a batch of example entities (each a schema and properties, as in yente).

    ```json
    {"queries": {
        "q1": {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984"]}},
        "q2": {"schema": "Vessel", "properties": {"name": ["Wan Heng 11"], "imoNumber": ["9123456"]}}
    }}
    ```

    The response holds one entry per query name, with the results scoring at least
    `cutoff`, best first; `match` is true from `threshold` on. Every result carries
    the list, the list's own entry reference and version, `features` (contribution
    per feature, as yente gives them) and `explanations` (a sentence per feature).
    Scores are exactly those of `sanctionsnet match` and of batch screening.
    """
    snapshot = current_snapshot(request)
    settings: ServiceSettings = request.app.state.settings
    audit: AuditLog = request.app.state.audit
    params = parse_query(request, MatchParams)
    limit, cutoff = params.limit, params.cutoff
    screener = scope_screener(snapshot, dataset)
    algo = resolve_algorithm(params.algorithm)
    match_threshold = algo.default_threshold if params.threshold is None else params.threshold
    count = len(body.queries)
    if count > settings.max_queries:
        raise InputError(
            ("body", "queries"),
            f"too many queries in one request: {count:,} (at most {settings.max_queries:,}); "
            "split them into several requests",
        )
    if count == 0:
        raise InputError(("body", "queries"), "no queries given")
    batch = parse_examples(body, settings, limit)
    filters = Filters(
        include_dataset=frozenset(params.include_dataset),
        exclude_dataset=frozenset(params.exclude_dataset),
        exclude_schema=frozenset(params.exclude_schema),
        topics=frozenset(params.topics),
    )
    found = await screen_many(
        screener,
        batch,
        algorithm=algo.name,
        cutoff=cutoff,
        filters=filters,
        inline=settings.inline_queries,
    )
    responses: dict[str, Any] = {}
    for parsed, matches in zip(batch, found, strict=True):
        results = [match_json(m, match_threshold, snapshot) for m in matches]
        responses[parsed.name] = {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "eq"},
            "query": parsed.echo,
        }
    write_audit(
        audit,
        {
            **audit_context(request, dataset, snapshot),
            "algorithm": {"name": algo.name, "version": algo.version},
            "threshold": match_threshold,
            "cutoff": cutoff,
            "limit": limit,
            **batch_record(batch, found, match_threshold),
        },
    )
    return json_response(
        {
            "responses": responses,
            "matcher": feature_docs(algo),
            "limit": limit,
            "algorithm": algo.name,
            "threshold": match_threshold,
            "versions": snapshot.versions_for(dataset),
        },
        headers={"x-batch-size": str(len(responses)), "x-request-id": request_id(request)},
    )


def parse_examples(body: EntityMatchQuery, settings: ServiceSettings, limit: int) -> list[Parsed]:
    """Queries from yente example entities; every faulty one reported at once."""
    batch: list[Parsed] = []
    errors: list[InputError] = []
    for name, example in body.queries.items():
        try:
            query, props = query_from_example(
                example.schema_,
                example.properties,
                ("body", "queries", name),
                max_values=settings.max_values,
                max_chars=settings.max_value_chars,
            )
        except InputError as exc:
            errors.append(exc)
            continue
        echo = {"id": example.id, "schema": example.schema_, "properties": props}
        batch.append(Parsed(name, query, echo, limit))
    if errors:
        raise InputErrors(errors)
    return batch
