"""Check: upload transactions, see each finding with its citation (resolution and paragraph)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sanctionsnet.api.errors import json_response
from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.regime.transactions import COMMON, TYPES, TransactionError
from sanctionsnet.web.checks import findings_by_measure
from sanctionsnet.web.jobs import JobError
from sanctionsnet.web.pages import (
    PageError,
    ViewerDep,
    checked_form,
    current_snapshot,
    field,
    render,
    secure,
)
from sanctionsnet.web.paths import PREFIX
from sanctionsnet.web.plots import OUTCOME_COLOURS, bar_chart
from sanctionsnet.web.state import web_state

router = APIRouter()
OUTCOME_ORDER = ("breach", "notify", "review", "exempt", "clear")


def _columns() -> list[tuple[str, list[tuple[str, bool]]]]:
    """Transaction types and their columns (required ones flagged), for the help table."""
    out = [("every row", [(c.name, c.required) for c in COMMON.values()])]
    for name, columns in TYPES.items():
        out.append((name, [(c.name, c.required) for c in columns.values()]))
    return out


@router.get(PREFIX + "/check", response_class=HTMLResponse)
async def check_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    state = web_state(request)
    runs = await run_in_threadpool(state.checks.list)
    return render(
        request,
        "check.html",
        active="check",
        runs=runs,
        errors=[],
        issues=[],
        columns=_columns(),
        max_upload=state.config.max_upload,
    )


@router.post(PREFIX + "/check", response_class=HTMLResponse)
async def run_check(request: Request, viewer: ViewerDep) -> Response:
    state = web_state(request)
    form = await checked_form(request)
    snapshot = current_snapshot(request)
    upload = form.get("file")
    errors: list[str] = []
    issues: list[dict[str, object]] = []
    try:
        if not isinstance(upload, UploadFile):
            raise JobError("file: choose a file of transactions")
        checker = await run_in_threadpool(state.checker, snapshot)
        run = await run_in_threadpool(
            state.checks.run,
            upload.file,
            upload.filename or "",
            checker,
            by=field(form, "by").strip()[:200],
            key=viewer.key,
            max_bytes=state.config.max_upload,
        )
    except TransactionError as exc:
        data = exc.to_json()
        errors.append(f"{data['source']}: {data['count']} invalid value(s); nothing was checked")
        issues = data["issues"]
    except SanctionsNetError as exc:
        errors.append(str(exc))
    else:
        return secure(RedirectResponse(f"{PREFIX}/check/{run.id}", status_code=303))
    runs = await run_in_threadpool(state.checks.list)
    return render(
        request,
        "check.html",
        status=422,
        active="check",
        runs=runs,
        errors=errors,
        issues=issues,
        columns=_columns(),
        max_upload=state.config.max_upload,
    )


@router.get(PREFIX + "/check/{run_id}", response_class=HTMLResponse)
async def check_report(request: Request, run_id: str, viewer: ViewerDep) -> HTMLResponse:
    state = web_state(request)
    run = state.checks.get(run_id)
    if run is None:
        raise PageError(404, "No such check", f"No check {run_id!r}.")
    report = await run_in_threadpool(lambda: run.report)
    show = request.query_params.get("show", "findings")
    results = report.get("results", [])
    if show != "all":
        show = "findings"
        results = [r for r in results if r.get("outcome") != "clear"]
    measures = findings_by_measure(report)
    return render(
        request,
        "check_report.html",
        active="check",
        run=run,
        report=report,
        results=results,
        show=show,
        plot=bar_chart(
            measures,
            title="Shipment findings by measure",
            x_label="findings",
            series=OUTCOME_ORDER,
            colours=OUTCOME_COLOURS,
        ),
        measures=measures,
        outcomes=OUTCOME_ORDER,
    )


@router.get(PREFIX + "/check/{run_id}/report.json")
async def check_report_json(request: Request, run_id: str, viewer: ViewerDep) -> Response:
    """The report as `sanctionsnet check --json` prints it."""
    state = web_state(request)
    run = state.checks.get(run_id)
    if run is None:
        return json_response({"detail": f"No check {run_id!r}"}, 404)
    response = json_response(run.report)
    response.headers["Content-Disposition"] = f'attachment; filename="check-{run.id}.json"'
    return response
