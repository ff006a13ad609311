"""`GET /search/{dataset}?q=`: find listed parties by name, ranked by how well the name matches.

yente answers this from a full-text index; here the screening index answers it:
the text is screened as a name (so "Putin Vladimir", "Путин" and "Poutine" all
find the same entry), results ranked by score. An empty `q` lists the dataset's
entries in list order, so the whole dataset can be paged through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from followthemoney import model, registry
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.deps import (
    AuditDep,
    SettingsDep,
    SnapshotDep,
    audit_context,
    request_id,
    scope_screener,
    write_audit,
)
from sanctionsnet.api.errors import ApiRoute, json_response
from sanctionsnet.api.models import ErrorResponse, SearchResponse
from sanctionsnet.api.routes_match import PATH_DATASET
from sanctionsnet.api.scopes import DatasetIndex
from sanctionsnet.api.screening import Filters, InputError, screen
from sanctionsnet.api.serialize import record_json
from sanctionsnet.index.records import Record
from sanctionsnet.screen import Query as ScreenQuery
from sanctionsnet.screen import QueryError, Screener

router = APIRouter(route_class=ApiRoute, tags=["Matching"])

MAX_PAGE = 500
MAX_OFFSET = 10_000
#: A name search ranks at most this many entities (deeper pages of a name search are empty).
SEARCH_WINDOW = 1_000
#: Search ranks by name score; below this a result shares too little with the text.
SEARCH_CUTOFF = 0.3
FACETS = ("countries", "topics", "datasets", "schema")
DEFAULT_FACETS = FACETS[:3]
FACETS_HELP = f"Facets to count: {', '.join(FACETS)} (default: {', '.join(DEFAULT_FACETS)})"


@router.get(
    "/search/{dataset}",
    summary="Simple entity search",
    response_model=SearchResponse,
    responses={404: {"model": ErrorResponse, "description": "No such dataset"}},
)
async def search(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    audit: AuditDep,
    dataset: str = PATH_DATASET,
    q: str = Query("", description="Name to look for, in any script"),
    schema: str = Query("Thing", description="Only entities of this schema (or a descendant)"),
    countries: Annotated[
        list[str] | None, Query(description="Only entities with one of these countries")
    ] = None,
    topics: Annotated[
        list[str] | None, Query(description="Only entities with one of these topics")
    ] = None,
    datasets: Annotated[
        list[str] | None, Query(description="Only entities from these datasets")
    ] = None,
    include_dataset: Annotated[
        list[str] | None, Query(description="Only entities from these datasets")
    ] = None,
    exclude_dataset: Annotated[
        list[str] | None, Query(description="No entities from these datasets")
    ] = None,
    exclude_schema: Annotated[
        list[str] | None, Query(description="No entities of these schemata")
    ] = None,
    facets: Annotated[list[str] | None, Query(description=FACETS_HELP)] = None,
    limit: int = Query(10, ge=0, le=MAX_PAGE, description="Results per page"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Results to skip"),
) -> Response:
    """Entities whose names match `q`, best first, with facet counts over all that matched."""
    screener = scope_screener(snapshot, dataset)
    if model.get(schema) is None:
        raise InputError(("query", "schema"), f"unknown schema {schema!r}")
    if len(q) > settings.max_value_chars:
        raise InputError(("query", "q"), f"longer than {settings.max_value_chars} characters")
    facets = list(DEFAULT_FACETS) if facets is None else facets
    for facet in facets:
        if facet not in FACETS:
            raise InputError(
                ("query", "facets"), f"unknown facet {facet!r} (known: {', '.join(FACETS)})"
            )
    country_codes = set()
    for value in countries or ():
        code = registry.country.clean(value)
        if code is None:
            raise InputError(("query", "countries"), f"unknown country {value!r}")
        country_codes.add(code)
    filters = Filters(
        include_dataset=frozenset(include_dataset or ()) | frozenset(datasets or ()),
        exclude_dataset=frozenset(exclude_dataset or ()),
        exclude_schema=frozenset(exclude_schema or ()),
        topics=frozenset(topics or ()),
        countries=frozenset(country_codes),
        schema=None if schema == "Thing" else schema,
    )
    text = q.strip()
    if text:
        found, scores, complete = await run_in_threadpool(
            _search, screener, text, schema, filters, offset + limit
        )
    else:
        found = [r for r in _records(screener) if filters.accept(r)]
        scores, complete = {}, True
    page = found[offset : offset + limit]
    results = []
    for record in page:
        item = record_json(record, snapshot)
        if record.id in scores:
            item["score"] = scores[record.id]
        results.append(item)
    if text:
        write_audit(
            audit,
            {
                **audit_context(request, dataset, snapshot),
                "algorithm": {"name": "default"},
                "threshold": SEARCH_CUTOFF,
                "limit": limit,
                "offset": offset,
                "queries": {"q": {"text": text, "schema": schema}},
                "results": {"q": [{"id": r.id, "score": scores.get(r.id)} for r in page]},
            },
        )
    return json_response(
        {
            "limit": limit,
            "offset": offset,
            "total": {"value": len(found), "relation": "eq" if complete else "gte"},
            "results": results,
            "facets": {f: _facet(f, found) for f in facets},
        },
        headers={"x-request-id": request_id(request)},
    )


def _search(
    screener: Screener, text: str, schema: str, filters: Filters, wanted: int
) -> tuple[list[Record], dict[str, float], bool]:
    """Records whose names match `text`, best first; and whether that is all of them."""
    try:
        query = ScreenQuery.build(text, schema=schema)
    except QueryError as exc:
        raise InputError(("query", "q"), str(exc)) from None
    fetch = min(max(wanted, 50), SEARCH_WINDOW)
    matches = screen(
        screener, query, algorithm="default", cutoff=SEARCH_CUTOFF, limit=fetch, filters=filters
    )
    scores = {m.record.id: m.score for m in matches}
    return [m.record for m in matches], scores, len(matches) < fetch


def _records(screener: Screener) -> Iterable[Record]:
    """The records a dataset's screener covers, in list order."""
    index = screener.index
    if isinstance(index, DatasetIndex):
        return (index.records[int(n)] for n in index.numbers)
    return index.records


FACET_LABELS = {
    "countries": "Countries",
    "topics": "Topics",
    "datasets": "Data sources",
    "schema": "Entity types",
}


def _facet(name: str, records: list[Record]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for r in records:
        if name == "countries":
            counts.update(set(r.countries))
        elif name == "topics":
            counts.update(set(r.topics))
        elif name == "datasets":
            counts[r.dataset] += 1
        else:
            counts[r.schema] += 1
    values = [
        {"name": value, "label": _label(name, value), "count": count}
        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {"label": FACET_LABELS[name], "values": values}


def _label(facet: str, value: str) -> str:
    if facet == "countries":
        return str(registry.country.names.get(value, value))
    if facet == "topics":
        return str(registry.topic.names.get(value, value))
    if facet == "schema":
        obj = model.get(value)
        return obj.label if obj else value
    return value
