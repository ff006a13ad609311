"""Plots: list sizes over versions, alerts by score band, shipment findings by measure."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sanctionsnet.web.checks import findings_by_measure
from sanctionsnet.web.jobs import DONE
from sanctionsnet.web.pages import ViewerDep, render
from sanctionsnet.web.paths import PREFIX
from sanctionsnet.web.plots import OUTCOME_COLOURS, STATUS_COLOURS, bar_chart
from sanctionsnet.web.results import STATUS_LABELS, STATUSES
from sanctionsnet.web.routes_batch import job_results
from sanctionsnet.web.routes_changes import list_sizes
from sanctionsnet.web.routes_check import OUTCOME_ORDER
from sanctionsnet.web.state import WebState, web_state

router = APIRouter()
#: Recent jobs and checks the plots add up.
RECENT = 20


def _alert_bands(state: WebState) -> tuple[list[tuple[str, dict[str, float]]], int]:
    totals: dict[str, Counter[str]] = {}
    jobs = [j for j in state.jobs.list(limit=RECENT) if j.state == DONE and j.output_path.is_file()]
    for job in jobs:
        for label, counts in job_results(state, job).by_band():
            totals.setdefault(label, Counter()).update(counts)
    return [(label, dict(c)) for label, c in totals.items()], len(jobs)


def _findings(state: WebState) -> tuple[list[tuple[str, dict[str, float]]], int]:
    totals: dict[str, Counter[str]] = {}
    runs = state.checks.list(limit=RECENT)
    for run in runs:
        for label, counts in findings_by_measure(run.report):
            totals.setdefault(label, Counter()).update(counts)
    ordered = sorted(totals.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return [(label, dict(c)) for label, c in ordered], len(runs)


@router.get(PREFIX + "/plots", response_class=HTMLResponse)
async def plots_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    state = web_state(request)

    def gather() -> dict[str, Any]:
        sizes_plot, sizes = list_sizes(state)
        bands, jobs = _alert_bands(state)
        findings, checks = _findings(state)
        return {
            "sizes_plot": sizes_plot,
            "sizes": sizes,
            "bands_plot": bar_chart(
                bands,
                title="Alerts by score band",
                x_label="alerts",
                series=STATUSES,
                labels=STATUS_LABELS,
                colours=STATUS_COLOURS,
            ),
            "bands": bands,
            "jobs": jobs,
            "findings_plot": bar_chart(
                findings,
                title="Shipment findings by measure",
                x_label="findings",
                series=OUTCOME_ORDER,
                colours=OUTCOME_COLOURS,
            ),
            "findings": findings,
            "checks": checks,
        }

    data = await run_in_threadpool(gather)
    return render(
        request,
        "plots.html",
        active="plots",
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        outcomes=OUTCOME_ORDER,
        **data,
    )
