"""Batch pages: upload a book, follow its progress, review and mark its alerts, download.

Marking an alert appends a decision (who, why, true or false positive) to the decision
log; a pair marked false is suppressed on later runs while its entry is unchanged
(see `decisions`). Every form that changes something carries a CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sanctionsnet.api.errors import json_response
from sanctionsnet.screen import ALGORITHMS
from sanctionsnet.web.decisions import VERDICTS, DecisionError, new_decision
from sanctionsnet.web.jobs import DONE, SCHEMAS, Job, JobError, JobOptions
from sanctionsnet.web.pages import (
    PageError,
    ViewerDep,
    checked_form,
    field,
    render,
    secure,
)
from sanctionsnet.web.paths import PREFIX
from sanctionsnet.web.plots import STATUS_COLOURS, bar_chart
from sanctionsnet.web.results import STATUS_LABELS, STATUSES, JobResults, read_results, results_csv
from sanctionsnet.web.state import WebState, web_state

router = APIRouter()
PAGE_SIZE = 100
FILTERS = ("alerts", "all", *STATUSES)


def _job(state: WebState, job_id: str) -> Job:
    job = state.jobs.get(job_id)
    if job is None:
        raise PageError(404, "No such job", f"No batch job {job_id!r}.")
    return job


def job_results(state: WebState, job: Job) -> JobResults:
    """A finished job's alerts under the decisions in force (cached until either changes)."""
    snapshot = state.engine.snapshot
    stat = job.output_path.stat()
    decisions = state.decisions.all()
    key = ("results", job.id, stat.st_mtime_ns, len(decisions), snapshot.key if snapshot else "")
    cached = state.recall(key)
    if cached is None:
        index = snapshot.index if snapshot is not None else None
        cached = read_results(job, state.decisions.latest(), index)
        state.remember(key, cached)
    results: JobResults = cached
    return results


def _options_context() -> dict[str, Any]:
    return {
        "algorithms": list(ALGORITHMS.values()),
        "schemas": SCHEMAS,
    }


@router.get(PREFIX + "/batch", response_class=HTMLResponse)
async def batch_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    state = web_state(request)
    jobs = await run_in_threadpool(state.jobs.list)
    return render(
        request,
        "batch.html",
        active="batch",
        jobs=[(j, state.jobs.status(j)) for j in jobs],
        errors=[],
        form={},
        max_upload=state.config.max_upload,
        **_options_context(),
    )


@router.post(PREFIX + "/batch", response_class=HTMLResponse)
async def start_batch(request: Request, viewer: ViewerDep) -> Response:
    state = web_state(request)
    form = await checked_form(request)
    upload = form.get("file")
    values = {
        k: field(form, k) for k in ("threshold", "algorithm", "limit", "schema", "maps", "by")
    }
    try:
        options = JobOptions.parse(
            values["threshold"],
            values["algorithm"] or "default",
            values["limit"],
            values["schema"] or "LegalEntity",
            values["maps"],
        )
        if not isinstance(upload, UploadFile):
            raise JobError("file: choose a CSV file to screen")
        job = await run_in_threadpool(
            state.jobs.create,
            upload.file,
            upload.filename or "",
            options,
            by=values["by"].strip()[:200],
            key=viewer.key,
            max_bytes=state.config.max_upload,
        )
    except JobError as exc:
        jobs = await run_in_threadpool(state.jobs.list)
        return render(
            request,
            "batch.html",
            status=422,
            active="batch",
            jobs=[(j, state.jobs.status(j)) for j in jobs],
            errors=[str(exc)],
            form=values,
            max_upload=state.config.max_upload,
            **_options_context(),
        )
    return secure(RedirectResponse(f"{PREFIX}/batch/{job.id}", status_code=303))


@router.get(PREFIX + "/batch/decisions", response_class=HTMLResponse)
async def decisions_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    """Every decision ever recorded, newest first: the audit trail of the alert reviews."""
    state = web_state(request)
    decisions = await run_in_threadpool(state.decisions.all)
    latest = state.decisions.latest()
    rows = [(d, latest.get((d.party, d.entity)) is d) for d in reversed(decisions)]
    return render(request, "decisions.html", active="batch", rows=rows, total=len(decisions))


@router.get(PREFIX + "/batch/decisions.jsonl")
async def decisions_download(request: Request, viewer: ViewerDep) -> Response:
    """The decision log as it is on disk (JSON lines, append-only)."""
    path = web_state(request).decisions.path

    def chunks() -> Any:
        if path.is_file():
            with path.open("rb") as fh:
                yield from fh

    response = StreamingResponse(chunks(), media_type="application/x-ndjson")
    response.headers["Content-Disposition"] = 'attachment; filename="decisions.jsonl"'
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(PREFIX + "/batch/{job_id}", response_class=HTMLResponse)
async def job_page(request: Request, job_id: str, viewer: ViewerDep) -> HTMLResponse:
    state = web_state(request)
    job = _job(state, job_id)
    progress = state.jobs.status(job)
    show = request.query_params.get("show", "alerts")
    if show not in FILTERS:
        show = "alerts"
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    context: dict[str, Any] = {
        "active": "batch",
        "job": job,
        "progress": progress,
        "results": None,
        "groups": [],
        "show": show,
        "page": page,
        "pages": 1,
        "plot": None,
        "filters": FILTERS,
        "status_labels": STATUS_LABELS,
        "verdicts": VERDICTS,
        "message": request.query_params.get("marked"),
        "has_errors": job.errors_path.is_file(),
    }
    if job.state == DONE and job.output_path.is_file():
        results = await run_in_threadpool(job_results, state, job)
        if show == "alerts":
            chosen = [a for a in results.alerts if a.alerted]
        elif show == "all":
            chosen = list(results.alerts)
        else:
            chosen = [a for a in results.alerts if a.status == show]
        groups: dict[int, list[Any]] = {}
        for alert in chosen:
            groups.setdefault(alert.group, []).append(alert)
        ordered = list(groups.items())
        pages = max(1, -(-len(ordered) // PAGE_SIZE))
        page = min(page, pages)
        context.update(
            results=results,
            groups=ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            page=page,
            pages=pages,
            plot=bar_chart(
                results.by_band(),
                title="Alerts by score band",
                x_label="alerts",
                series=STATUSES,
                labels=STATUS_LABELS,
                colours=STATUS_COLOURS,
            ),
            bands=results.by_band(),
        )
    return render(request, "job.html", **context)


@router.get(PREFIX + "/batch/{job_id}/status")
async def job_status(request: Request, job_id: str, viewer: ViewerDep) -> Response:
    """Progress for the page's polling (JSON)."""
    state = web_state(request)
    job = state.jobs.get(job_id)
    if job is None:
        return json_response({"detail": f"No batch job {job_id!r}"}, 404)
    response = json_response(state.jobs.status(job))
    response.headers["Cache-Control"] = "no-store"
    return response


def _download(job: Job, name: str, chunks: Any, media: str = "text/csv") -> Response:
    stem = job.filename.rsplit(".", 1)[0] or "book"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)[:80]
    response = StreamingResponse(chunks, media_type=f"{media}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}-{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _finished(job: Job) -> None:
    if job.state != DONE or not job.output_path.is_file():
        raise PageError(409, "Not finished", f"Job {job.id} is {job.state}; no results yet.")


@router.get(PREFIX + "/batch/{job_id}/results.csv")
async def download_results(request: Request, job_id: str, viewer: ViewerDep) -> Response:
    """Every match of the run, with the decision in force on each alert."""
    state = web_state(request)
    job = _job(state, job_id)
    _finished(job)
    results = await run_in_threadpool(job_results, state, job)
    return _download(job, "results.csv", results_csv(job, results))


@router.get(PREFIX + "/batch/{job_id}/errors.csv")
async def download_errors(request: Request, job_id: str, viewer: ViewerDep) -> Response:
    """The rows that could not be screened: line and reason."""
    state = web_state(request)
    job = _job(state, job_id)
    if not job.errors_path.is_file():
        raise PageError(404, "No errors", "Every row of this job could be screened.")

    def chunks() -> Any:
        yield "line,error\n"
        with job.errors_path.open(encoding="utf-8") as fh:
            yield from fh

    return _download(job, "errors.csv", chunks())


@router.post(PREFIX + "/batch/{job_id}/decisions")
async def mark_alert(request: Request, job_id: str, viewer: ViewerDep) -> Response:
    """Record a decision on one alert of the job (its row in the results)."""
    state = web_state(request)
    form = await checked_form(request)
    job = _job(state, job_id)
    _finished(job)
    results = await run_in_threadpool(job_results, state, job)
    try:
        row = int(field(form, "row"))
    except ValueError:
        raise PageError(422, "Bad request", "row: not a whole number") from None
    alert = results.alert(row)
    if alert is None:
        raise PageError(404, "No such alert", f"Job {job.id} has no alert on row {row}.")
    try:
        decision = new_decision(
            party=alert.party,
            entity=alert.entity,
            verdict=field(form, "verdict"),
            reviewer=field(form, "reviewer"),
            reason=field(form, "reason"),
            dataset=alert.dataset,
            version=alert.version,
            entry=alert.entry,
            key=viewer.key,
            job=job.id,
            score=alert.score,
            party_name=alert.party_name,
            caption=alert.caption,
        )
    except DecisionError as exc:
        raise PageError(422, "The decision was not recorded", str(exc)) from None
    await run_in_threadpool(state.decisions.append, decision)
    back = field(form, "back") or f"{PREFIX}/batch/{job.id}"
    if not back.startswith(f"{PREFIX}/batch/{job.id}"):
        back = f"{PREFIX}/batch/{job.id}"
    separator = "&" if "?" in back else "?"
    target = f"{back}{separator}marked={alert.group}#row-{alert.group}"
    return secure(RedirectResponse(target, status_code=303))


@router.post(PREFIX + "/batch/{job_id}/rerun")
async def rerun_job(request: Request, job_id: str, viewer: ViewerDep) -> Response:
    """The same book and settings against the current lists, as a new job."""
    state = web_state(request)
    form = await checked_form(request)
    job = _job(state, job_id)
    again = await run_in_threadpool(
        state.jobs.rerun, job, by=field(form, "by").strip()[:200] or job.by, key=viewer.key
    )
    return secure(RedirectResponse(f"{PREFIX}/batch/{again.id}", status_code=303))


@router.post(PREFIX + "/batch/{job_id}/resume")
async def resume_job(request: Request, job_id: str, viewer: ViewerDep) -> Response:
    state = web_state(request)
    await checked_form(request)
    job = _job(state, job_id)
    try:
        await run_in_threadpool(state.jobs.resume, job)
    except JobError as exc:
        raise PageError(409, "Cannot resume", str(exc)) from None
    return secure(RedirectResponse(f"{PREFIX}/batch/{job.id}", status_code=303))
