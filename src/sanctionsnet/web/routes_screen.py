"""The screening page, `/`: a form, and ranked results with every feature explained.

The form is a GET, so a screening is a URL an analyst can bookmark or send to a
colleague. The scores come from `Screener.match`, the function behind the API and the
CLI, and every screening is written to the audit log as the API's are.
"""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.deps import audit_context, write_audit
from sanctionsnet.screen import ALGORITHMS, Query, QueryError, get_algorithm
from sanctionsnet.web.labels import ID_TYPES, SCHEMAS, source_title
from sanctionsnet.web.pages import ViewerDep, current_snapshot, render

router = APIRouter()

FIELDS = ("name", "schema", "birth_date", "country", "ids", "algorithm", "threshold", "dataset")
MAX_NAME = 500
MAX_LIMIT = 50
_ID_SPLIT = re.compile(r"[\s,;]+")


def parse_form(params: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The form's values and what is wrong with them (each message names the field)."""
    form: dict[str, Any] = {f: params.get(f, "").strip() for f in FIELDS}
    form["schema"] = form["schema"] or "LegalEntity"
    form["algorithm"] = form["algorithm"] or "default"
    form["dataset"] = form["dataset"] or "default"
    errors: list[str] = []
    if len(form["name"]) > MAX_NAME:
        errors.append(f"Name: at most {MAX_NAME} characters")
    if form["schema"] not in dict(SCHEMAS):
        errors.append(f"Type of party: unknown {form['schema']!r}")
        form["schema"] = "LegalEntity"
    try:
        get_algorithm(form["algorithm"])
    except QueryError as exc:
        errors.append(f"Algorithm: {exc}")
        form["algorithm"] = "default"
    form["threshold_value"] = None
    if form["threshold"]:
        try:
            value = float(form["threshold"])
        except ValueError:
            errors.append(f"Threshold: not a number: {form['threshold']!r}")
        else:
            if not 0.0 <= value <= 1.0:
                errors.append("Threshold: between 0 and 1")
            else:
                form["threshold_value"] = value
    try:
        form["limit"] = max(1, min(MAX_LIMIT, int(params.get("limit") or 10)))
    except ValueError:
        errors.append("Results: not a whole number")
        form["limit"] = 10
    form["id_list"] = [i for i in _ID_SPLIT.split(form["ids"]) if i]
    return form, errors


@router.get("/", response_class=HTMLResponse)
async def screen_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    form, errors = parse_form(params)
    context: dict[str, Any] = {
        "active": "screen",
        "form": form,
        "errors": errors,
        "schemas": SCHEMAS,
        "algorithms": list(ALGORITHMS.values()),
        "id_types": ID_TYPES,
        "results": None,
        "datasets": [],
        "elapsed_ms": None,
        "cutoff": None,
        "versions": {},
    }
    snapshot = request.app.state.engine.snapshot
    if snapshot is not None:
        context["datasets"] = [(d, source_title(v.source)) for d, v in snapshot.versions.items()]
    searched = bool(form["name"])
    if not searched:
        if errors:
            return render(request, "screen.html", status=422, **context)
        return render(request, "screen.html", **context)
    snapshot = current_snapshot(request)
    screener = snapshot.screener(form["dataset"])
    if screener is None:
        errors.append(f"Lists: no list {form['dataset']!r} is loaded")
    query = None
    if not errors:
        try:
            query = Query.build(
                form["name"],
                schema=form["schema"],
                birth_date=form["birth_date"] or None,
                country=form["country"] or None,
                ids=form["id_list"],
            )
        except QueryError as exc:
            errors.append(_field_of(str(exc)))
    if errors or query is None or screener is None:
        return render(request, "screen.html", status=422, **context)
    algorithm = get_algorithm(form["algorithm"])
    cutoff = (
        algorithm.default_threshold if form["threshold_value"] is None else form["threshold_value"]
    )
    started = time.perf_counter()
    matches = await run_in_threadpool(screener.match, query, cutoff, form["limit"], algorithm.name)
    elapsed = (time.perf_counter() - started) * 1000
    write_audit(
        request.app.state.audit,
        {
            **audit_context(request, form["dataset"], snapshot),
            "algorithm": {"name": algorithm.name, "version": algorithm.version},
            "threshold": cutoff,
            "limit": form["limit"],
            "queries": {
                "web": {
                    "name": form["name"],
                    "schema": form["schema"],
                    "birth_date": form["birth_date"],
                    "country": form["country"],
                    "ids": form["id_list"],
                }
            },
            "results": {"web": [{"id": m.record.id, "score": m.score} for m in matches]},
        },
    )
    context.update(
        results=[{**m.to_json(), "source_title": source_title(m.record.source)} for m in matches],
        elapsed_ms=elapsed,
        cutoff=cutoff,
        versions=snapshot.versions_for(form["dataset"]),
    )
    return render(request, "screen.html", **context)


def _field_of(message: str) -> str:
    """A query error as the form names its fields."""
    lowered = message.lower()
    if "date" in lowered:
        return f"Birth date: {message}"
    if "country" in lowered:
        return f"Country: {message}"
    if "identifier" in lowered:
        return f"Identifiers: {message}"
    if "name" in lowered:
        return f"Name: {message}"
    return message
