"""Changes: what each list update added, removed and changed, and which screened rows it affects."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sanctionsnet.web.affected import changed_index, decisions_touched, job_impact, screened_before
from sanctionsnet.web.history import Update, find_update, updates
from sanctionsnet.web.labels import source_title
from sanctionsnet.web.pages import PageError, ViewerDep, render
from sanctionsnet.web.paths import PREFIX
from sanctionsnet.web.plots import line_chart
from sanctionsnet.web.state import WebState, web_state

router = APIRouter()
#: Entries listed per kind on an update's page (the counts are complete).
SHOWN = 500
#: Finished jobs looked at for affected rows, newest first.
JOBS = 20


def list_sizes(state: WebState) -> tuple[Any, list[dict[str, Any]]]:
    """The plot of entries per version, and its table."""
    store = state.engine.store
    series = {}
    table = []
    for dataset in store.datasets():
        points = []
        for version in store.versions(dataset):
            day = version.published or None
            if day is None:
                continue
            points.append((day, float(version.entries)))
            table.append({"dataset": dataset, "version": version, "entries": version.entries})
        if points:
            series[dataset] = points
    plot = line_chart(series, title="List sizes over versions", y_label="entries")
    return plot, table


@router.get(PREFIX + "/changes", response_class=HTMLResponse)
async def changes_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    state = web_state(request)
    store = state.engine.store

    def gather() -> list[dict[str, Any]]:
        lists = []
        for dataset in store.datasets():
            current = store.current(dataset)
            rows = [
                {"upd": u, "diff": state.diffs.cached(u), "current": current}
                for u in reversed(updates(store, dataset))
            ]
            lists.append(
                {
                    "dataset": dataset,
                    "title": source_title(current.source if current else dataset),
                    "updates": rows,
                }
            )
        return lists

    lists = await run_in_threadpool(gather)
    pending = [row["upd"] for entry in lists for row in entry["updates"] if row["diff"] is None]
    state.diffs.warm(pending)
    plot, table = await run_in_threadpool(list_sizes, state)
    return render(request, "changes.html", active="changes", lists=lists, plot=plot, sizes=table)


@router.get(PREFIX + "/changes/{dataset}/{version_id}", response_class=HTMLResponse)
async def update_page(
    request: Request, dataset: str, version_id: str, viewer: ViewerDep
) -> HTMLResponse:
    state = web_state(request)
    store = state.engine.store
    update = find_update(store, dataset, version_id) if dataset in store.datasets() else None
    if update is None:
        raise PageError(404, "No such update", f"No version {version_id!r} of {dataset!r}.")
    diff = await run_in_threadpool(state.diffs.get, update)
    impacts: list[dict[str, Any]] = []
    if update.old is not None:
        impacts = await run_in_threadpool(_impacts, state, update, diff)
    touched = decisions_touched(state.decisions.latest().values(), diff)
    return render(
        request,
        "change.html",
        active="changes",
        update=update,
        title=source_title(update.new.source),
        diff=diff,
        shown=SHOWN,
        impacts=impacts,
        touched=touched,
    )


def _impacts(state: WebState, update: Update, diff: dict[str, Any]) -> list[dict[str, Any]]:
    order = {v.id: i for i, v in enumerate(state.engine.store.versions(update.dataset))}
    jobs = [j for j in state.jobs.list(limit=200) if screened_before(j, update, order)][:JOBS]
    if not jobs:
        return []
    index = changed_index(state.engine.store, update, diff)
    return [job_impact(job, update, diff, index) for job in jobs]
