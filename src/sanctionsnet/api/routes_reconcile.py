"""The W3C Reconciliation Service API (0.2) at `/reconcile/{dataset}`, for OpenRefine.

OpenRefine reads the manifest, then posts batches of queries as a form field
(`queries=` holding JSON); each query is a name (`query`), a type (a
followthemoney schema) and property values (`properties: [{pid, v}]`), screened
exactly as a `/match` example entity would be. Type-ahead (`suggest`) and a
small HTML `preview` let a user check candidates by hand. Keys may be passed as
`?api_key=`, which the manifest hands on to the suggest and preview URLs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response
from followthemoney import model, registry
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.audit import AuditLog
from sanctionsnet.api.deps import (
    AuditDep,
    SettingsDep,
    SnapshotDep,
    audit_context,
    request_id,
    scope_screener,
    write_audit,
)
from sanctionsnet.api.engine import Snapshot
from sanctionsnet.api.errors import ApiRoute, json_response, parse_json
from sanctionsnet.api.models import (
    RECONCILE_QUERIES,
    ErrorResponse,
    FreebaseEntityResult,
    FreebaseEntitySuggestResponse,
    FreebaseManifest,
    FreebasePropertySuggestResponse,
    FreebaseTypeSuggestResponse,
    ReconcileEntityValue,
    ReconcileQuery,
    ReconcileValue,
    reconcile_request_body,
)
from sanctionsnet.api.routes_match import PATH_DATASET, SCORE_CUTOFF
from sanctionsnet.api.scopes import DatasetIndex
from sanctionsnet.api.screening import (
    InputError,
    InputErrors,
    Parsed,
    batch_record,
    query_from_example,
    resolve_algorithm,
    screen_many,
)
from sanctionsnet.api.settings import ServiceSettings
from sanctionsnet.index.records import Record
from sanctionsnet.screen import Match, Screener

router = APIRouter(route_class=ApiRoute, tags=["Reconciliation"])

DEFAULT_TYPE = "Thing"  # no type given: screen as every kind of listed party
SUGGEST_LIMIT = 10
PREVIEW_SIZE = (420, 300)
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")


# --- manifest and queries -----------------------------------------------------------------


@router.get(
    "/reconcile/{dataset}",
    summary="Reconciliation manifest",
    response_model=FreebaseManifest,
    responses={404: {"model": ErrorResponse, "description": "No such dataset"}},
)
async def manifest(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    audit: AuditDep,
    dataset: str = PATH_DATASET,
    queries: str | None = Query(None, include_in_schema=False),
    callback: str | None = Query(None, include_in_schema=False),
) -> Response:
    """The service manifest OpenRefine reads when the service is added
    (`http://HOST/reconcile/default`). Queries may also be sent here as `?queries=`."""
    screener = scope_screener(snapshot, dataset)
    if queries is not None:
        data = parse_json(queries, ("query", "queries"))
        results = await _reconcile(request, snapshot, settings, audit, dataset, screener, data)
        return _jsonp(results, callback)
    return _jsonp(manifest_json(request, snapshot, dataset, screener), callback)


@router.post(
    "/reconcile/{dataset}",
    summary="Reconciliation queries",
    response_model=dict[str, FreebaseEntityResult],
    responses={
        404: {"model": ErrorResponse, "description": "No such dataset"},
        413: {"model": ErrorResponse, "description": "Request body too large"},
    },
    openapi_extra={"requestBody": reconcile_request_body()},
)
async def reconcile(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    audit: AuditDep,
    dataset: str = PATH_DATASET,
) -> Response:
    """A batch of reconciliation queries, form-encoded (`queries=` with JSON, as OpenRefine
    sends them) or as a JSON body `{"queries": {...}}`."""
    screener = scope_screener(snapshot, dataset)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        body = parse_json(await request.body())
        if not isinstance(body, dict) or "queries" not in body:
            raise InputError(("body", "queries"), 'missing: send {"queries": {...}}')
        data = body["queries"]
        loc: tuple[str, ...] = ("body", "queries")
    else:
        form = await request.form()
        raw = form.get("queries")
        if raw is None:
            raise InputError(("body", "queries"), "missing form field 'queries' (JSON)")
        text = (
            raw if isinstance(raw, str) else (await raw.read()).decode("utf-8", "surrogateescape")
        )
        data = parse_json(text, ("body", "queries"))
        loc = ("body", "queries")
    results = await _reconcile(request, snapshot, settings, audit, dataset, screener, data, loc)
    return json_response(
        results, headers={"x-batch-size": str(len(results)), "x-request-id": request_id(request)}
    )


def manifest_json(
    request: Request, snapshot: Snapshot, dataset: str, screener: Screener
) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    key = request.query_params.get("api_key")
    suffix = "?" + urlencode({"api_key": key}) if key else ""
    also = "&" + urlencode({"api_key": key}) if key else ""
    service = f"{base}/reconcile/{dataset}"
    title = "all lists" if dataset == "default" else dataset
    return {
        "versions": ["0.2"],
        "name": f"sanctionsnet: {title}",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "view": {"url": f"{base}/entities/{{{{id}}}}{suffix}"},
        "preview": {
            "url": f"{service}/preview?id={{{{id}}}}{also}",
            "width": PREVIEW_SIZE[0],
            "height": PREVIEW_SIZE[1],
        },
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}{suffix}"}
            for kind in ("entity", "type", "property")
        },
        "defaultTypes": [_type_json(s) for s in _schemata(screener)],
    }


async def _reconcile(
    request: Request,
    snapshot: Snapshot,
    settings: ServiceSettings,
    audit: AuditLog,
    dataset: str,
    screener: Screener,
    data: Any,
    loc: tuple[str, ...] = ("query", "queries"),
) -> dict[str, Any]:
    algo = resolve_algorithm("default")
    batch = _parse_queries(data, loc, settings)
    found = await screen_many(
        screener, batch, algorithm=algo.name, cutoff=SCORE_CUTOFF, inline=settings.inline_queries
    )
    threshold = algo.default_threshold
    write_audit(
        audit,
        {
            **audit_context(request, dataset, snapshot),
            "algorithm": {"name": algo.name, "version": algo.version},
            "threshold": threshold,
            "cutoff": SCORE_CUTOFF,
            **batch_record(batch, found, threshold),
        },
    )
    return {
        p.name: {"result": [_candidate(m, threshold) for m in matches]}
        for p, matches in zip(batch, found, strict=True)
    }


def _parse_queries(data: Any, loc: tuple[str, ...], settings: ServiceSettings) -> list[Parsed]:
    if isinstance(data, Mapping) and len(data) > settings.max_queries:
        raise InputError(
            loc,
            f"too many queries in one request: {len(data):,} (at most {settings.max_queries:,})",
        )
    try:
        queries = RECONCILE_QUERIES.validate_python(data)
    except ValidationError as exc:
        raise InputErrors(
            [
                InputError(
                    (*loc, *(p if isinstance(p, int) else str(p) for p in e["loc"])),
                    e["msg"],
                    e["type"],
                )  # fmt: skip
                for e in exc.errors(include_url=False, include_input=False)
            ]
        ) from None
    parsed = []
    errors: list[InputError] = []
    for qid, query in queries.items():
        try:
            parsed.append(_parse_query(qid, query, (*loc, qid), settings))
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return parsed


def _parse_query(
    qid: str, raw: ReconcileQuery, loc: tuple[str, ...], settings: ServiceSettings
) -> Parsed:
    types = [raw.type] if isinstance(raw.type, str) else list(raw.type or [])
    schema = types[0] if types and types[0] else DEFAULT_TYPE  # the spec allows several
    if model.get(schema) is None:
        raise InputError(
            (*loc, "type"),
            f"unknown type {schema!r} (use a schema such as Person, Company, Vessel)",
        )
    props: dict[str, list[str]] = {"name": [raw.query]} if raw.query.strip() else {}
    for i, item in enumerate(raw.properties):
        where: tuple[str | int, ...] = (*loc, "properties", i)
        name = _property_name(item.pid, schema, (*where, "pid"))
        props.setdefault(name, []).extend(_values(item.v))
    query, cleaned = query_from_example(
        schema, props, loc, max_values=settings.max_values, max_chars=settings.max_value_chars
    )
    return Parsed(
        qid, query, {"query": raw.query, "type": schema, "properties": cleaned}, raw.limit
    )


def _property_name(pid: str, schema: str, loc: tuple[str | int, ...]) -> str:
    prop = model.get_qname(pid) if ":" in pid else None
    name = prop.name if prop is not None else pid
    schema_obj = model.get(schema)
    if schema_obj is None or name not in schema_obj.properties:
        raise InputError(loc, f"unknown property {pid!r} for type {schema}")
    return name


def _values(value: ReconcileValue | list[ReconcileValue]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, ReconcileEntityValue):
            out.append(item.id)
        elif isinstance(item, float) and item.is_integer():
            out.append(str(int(item)))
        else:
            out.append(str(item))
    return out


def _candidate(m: Match, threshold: float) -> dict[str, Any]:
    r = m.record
    return {
        "id": r.id,
        "name": r.caption,
        "description": _description(r),
        "type": [_type_json(r.schema)],
        "score": m.score,
        "match": m.score >= threshold,
    }


def _description(r: Record) -> str:
    schema = model.get(r.schema)
    parts = [schema.label if schema else r.schema, r.dataset]
    if r.ref:
        parts.append(r.ref)
    return " · ".join(parts)


# --- suggest --------------------------------------------------------------------------------


@router.get(
    "/reconcile/{dataset}/suggest/entity",
    summary="Suggest entity",
    response_model=FreebaseEntitySuggestResponse,
    responses={404: {"model": ErrorResponse, "description": "No such dataset"}},
)
async def suggest_entity(
    snapshot: SnapshotDep,
    dataset: str = PATH_DATASET,
    prefix: str = Query(..., min_length=1, max_length=200, description="What was typed so far"),
    cursor: int = Query(0, ge=0, le=10_000, description="Suggestions to skip"),
    limit: int = Query(SUGGEST_LIMIT, ge=1, le=100, description="Suggestions to return"),
    callback: str | None = Query(None, include_in_schema=False),
) -> Response:
    """Listed parties with a name, or a word of a name, starting with `prefix`."""
    screener = scope_screener(snapshot, dataset)
    accept = _scope_filter(screener)
    numbers = await run_in_threadpool(
        lambda: snapshot.prefix_index().search(prefix, accept, cursor + limit)
    )
    records = [snapshot.index.records[n] for n in numbers[cursor:]]
    result = [
        {
            "id": r.id,
            "name": r.caption,
            "description": _description(r),
            "type": [_type_json(r.schema)],
        }
        for r in records
    ]
    return _jsonp(_suggest(prefix, result), callback)


@router.get(
    "/reconcile/{dataset}/suggest/type",
    summary="Suggest type (schema)",
    response_model=FreebaseTypeSuggestResponse,
    responses={404: {"model": ErrorResponse, "description": "No such dataset"}},
)
async def suggest_type(
    snapshot: SnapshotDep,
    dataset: str = PATH_DATASET,
    prefix: str = Query(..., min_length=1, max_length=200),
    callback: str | None = Query(None, include_in_schema=False),
) -> Response:
    """The kinds of listed party (followthemoney schemata) whose name starts with `prefix`."""
    screener = scope_screener(snapshot, dataset)
    result = [_type_json(s) for s in _schemata(screener) if _prefixed(prefix, s, _label(s))]
    return _jsonp(_suggest(prefix, result), callback)


@router.get(
    "/reconcile/{dataset}/suggest/property",
    summary="Suggest property",
    response_model=FreebasePropertySuggestResponse,
    responses={404: {"model": ErrorResponse, "description": "No such dataset"}},
)
async def suggest_property(
    snapshot: SnapshotDep,
    dataset: str = PATH_DATASET,
    prefix: str = Query(..., min_length=1, max_length=200),
    callback: str | None = Query(None, include_in_schema=False),
) -> Response:
    """Properties of the listed kinds whose name or label starts with `prefix`
    (birth date, nationality, IMO number...), to add to queries as columns."""
    screener = scope_screener(snapshot, dataset)
    seen: set[str] = set()
    result = []
    for schema_name in _schemata(screener):
        schema = model.get(schema_name)
        if schema is None:
            continue
        for prop in schema.properties.values():
            if prop.hidden or prop.type == registry.entity or prop.qname in seen:
                continue
            if prop.stub:
                continue
            if _prefixed(prefix, prop.name, prop.label):
                seen.add(prop.qname)
                result.append(
                    {"id": prop.qname, "name": prop.label, "description": prop.description}
                )
    return _jsonp(_suggest(prefix, result[: SUGGEST_LIMIT * 5]), callback)


# --- preview -----------------------------------------------------------------------------------

PREVIEW_PROPS = (
    "alias", "birthDate", "birthPlace", "nationality", "citizenship", "country", "jurisdiction",
    "registrationNumber", "imoNumber", "flag", "passportNumber", "idNumber", "address",
)  # fmt: skip


@router.get(
    "/reconcile/{dataset}/preview",
    summary="Preview an entity (HTML)",
    response_class=Response,
    responses={
        200: {"content": {"text/html": {}}, "description": "HTML fragment"},
        404: {"model": ErrorResponse, "description": "No such dataset or entity"},
    },
)
async def preview(
    snapshot: SnapshotDep,
    dataset: str = PATH_DATASET,
    id: str = Query(..., min_length=1, description="Entity id"),  # noqa: A002 (the spec's name)
) -> Response:
    """A small HTML card of a listed party, shown by OpenRefine when hovering a candidate."""
    screener = scope_screener(snapshot, dataset)
    number = screener.index.by_id.get(id)
    if number is None:
        raise HTTPException(404, detail=f"No such entity in {dataset}: {id!r}")
    return Response(preview_html(snapshot.index.records[number]), media_type="text/html")


def preview_html(r: Record) -> str:
    schema = model.get(r.schema)
    esc = html.escape
    rows = []
    for prop in PREVIEW_PROPS:
        values = r.properties.get(prop)
        if not values or schema is None or prop not in schema.properties:
            continue
        label = schema.properties[prop].label
        rows.append(f"<tr><th>{esc(label)}</th><td>{esc('; '.join(values[:6]))}</td></tr>")
    if r.programs:
        rows.append(f"<tr><th>Programs</th><td>{esc('; '.join(r.programs))}</td></tr>")
    source = f"{r.dataset} {r.ref or ''}".strip()
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
        f"{esc(r.caption)}</title>"
        "<style>body{font:13px sans-serif;margin:6px}th{text-align:left;padding-right:8px;"
        "vertical-align:top;color:#555}h3{margin:0 0 4px}</style></head><body>"
        f"<h3>{esc(r.caption)}</h3>"
        f"<div>{esc(schema.label if schema else r.schema)} · {esc(source)} · "
        f"version {esc(r.version)}</div>"
        f"<table>{''.join(rows)}</table></body></html>"
    )


# --- helpers ---------------------------------------------------------------------------------


def _scope_filter(screener: Screener) -> Any:
    index = screener.index
    if isinstance(index, DatasetIndex):
        dataset = index.dataset
        records = index.records
        return lambda n: records[n].dataset == dataset
    return lambda n: True


def _schemata(screener: Screener) -> list[str]:
    """Kinds of listed party in the scope, most general first."""
    index = screener.index
    numbers = index.numbers if isinstance(index, DatasetIndex) else range(len(index.records))
    present = {index.records[int(n)].schema for n in numbers}
    return sorted(present, key=lambda s: (s != "LegalEntity", s))


def _label(schema_name: str) -> str:
    schema = model.get(schema_name)
    return schema.label if schema is not None else schema_name


def _type_json(schema_name: str) -> dict[str, Any]:
    schema = model.get(schema_name)
    if schema is None:
        return {"id": schema_name, "name": schema_name}
    return {
        "id": schema.name,
        "name": schema.plural,
        "description": schema.description or schema.label,
    }


def _prefixed(prefix: str, *texts: str) -> bool:
    wanted = prefix.strip().lower()
    if not wanted:
        return True
    return any(t.lower().startswith(wanted) or f" {wanted}" in t.lower() for t in texts if t)


def _suggest(prefix: str, result: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": "/api/status/ok", "status": "200 OK", "prefix": prefix, "result": result}


def _jsonp(data: Any, callback: str | None) -> Response:
    """JSON, or JSONP for the older clients that ask for it with `callback=`."""
    if callback is None:
        return json_response(data)
    if len(callback) > 100 or not _CALLBACK.match(callback):
        raise InputError(("query", "callback"), "not a JavaScript function name")
    body = json_response(data).body
    return Response(
        callback.encode() + b"(" + bytes(body) + b");", media_type="application/javascript"
    )
