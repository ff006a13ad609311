"""Batch screening jobs started from the browser: stored on disk, run in the background.

Each job is a folder `<home>/web/jobs/<id>/`: the uploaded book (`input.csv`...),
`job.json` (who started it, when, with which settings, its state), `status.json`
(rows done, updated as it runs) and, when done, `matches.csv` and `summary.json`
from `sanctionsnet.batch.run_batch`, the engine behind `sanctionsnet screen`, so a
score in the browser is the score of the CLI and the API. Everything is on disk, so
any worker of the server can show any job, and a job survives a restart: one whose
process died is shown as interrupted and can be resumed (the batch checkpoint skips
the rows already done).

Jobs run one at a time per server process, in a background thread, with one screening
worker: the web server stays responsive, and big books belong to `sanctionsnet screen`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from sanctionsnet.batch import BatchOptions, run_batch
from sanctionsnet.batch.checkpoint import ResumeError, errors_path
from sanctionsnet.batch.columns import parse_map_options, resolve_mapping
from sanctionsnet.batch.readers import open_input
from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.screen import get_algorithm
from sanctionsnet.store import Store

log = logging.getLogger("sanctionsnet.web")

JOB_FILE = "job.json"
STATUS_FILE = "status.json"
SUMMARY_FILE = "summary.json"
OUTPUT_FILE = "matches.csv"
#: File types a book may be uploaded as (what `sanctionsnet screen` reads).
SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".parquet")
SCHEMAS = ("LegalEntity", "Person", "Organization", "Company", "Vessel", "Airplane")
MAX_LIMIT = 50
#: A process-unique token: a running job records the process that runs it.
INSTANCE = secrets.token_hex(8)
_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$")

QUEUED, RUNNING, DONE, FAILED, INTERRUPTED = "queued", "running", "done", "failed", "interrupted"


class JobError(SanctionsNetError):
    """A job that cannot be started as asked (the message names the field or the file)."""


def upload_name(
    filename: str | None, suffixes: tuple[str, ...], wanted: str, kinds: str
) -> tuple[str, str]:
    """The uploaded file's own name (no folders) and suffix; JobError when it has none or
    the suffix is not one of `suffixes`."""
    name = Path(filename or "").name.strip()
    suffix = Path(name).suffix.lower()
    if not name:
        raise JobError(f"file: choose {wanted}")
    if suffix not in suffixes:
        raise JobError(f"file: {name!r} is not {kinds} ({', '.join(suffixes)})")
    return name, suffix


def save_upload(upload: IO[bytes], path: Path, filename: str, max_bytes: int | None) -> None:
    """Stream an upload to `path`; JobError when it is over `max_bytes` or empty."""
    size = 0
    with path.open("wb") as out:
        while chunk := upload.read(1 << 20):
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise JobError(f"file: larger than {max_bytes // 1_000_000} MB")
            out.write(chunk)
    if size == 0:
        raise JobError(f"file: {filename!r} is empty")


@dataclass(frozen=True)
class JobOptions:
    """How a book is screened; validated before anything is stored."""

    threshold: float | None = None
    algorithm: str = "default"
    limit: int = 5
    schema: str = "LegalEntity"
    maps: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls, threshold: str, algorithm: str, limit: str, schema: str, maps: str
    ) -> JobOptions:
        """From form fields; raises JobError naming the field."""
        try:
            get_algorithm(algorithm)
        except SanctionsNetError as exc:
            raise JobError(f"algorithm: {exc}") from None
        value: float | None = None
        if threshold.strip():
            try:
                value = float(threshold)
            except ValueError:
                raise JobError(f"threshold: not a number: {threshold!r}") from None
            if not 0.0 <= value <= 1.0:
                raise JobError("threshold: between 0 and 1")
        try:
            count = int(limit or "5")
        except ValueError:
            raise JobError(f"matches per row: not a whole number: {limit!r}") from None
        if not 1 <= count <= MAX_LIMIT:
            raise JobError(f"matches per row: between 1 and {MAX_LIMIT}")
        if schema not in SCHEMAS:
            raise JobError(f"schema: one of {', '.join(SCHEMAS)}")
        lines = tuple(line.strip() for line in maps.splitlines() if line.strip())
        try:
            parse_map_options(lines)
        except SanctionsNetError as exc:
            raise JobError(f"column mapping: {exc}") from None
        return cls(value, algorithm, count, schema, lines)


@dataclass
class Job:
    id: str
    dir: Path
    filename: str
    input_name: str
    created: str
    options: JobOptions
    by: str = ""
    key: str | None = None
    rerun_of: str | None = None
    state: str = QUEUED
    error: str | None = None
    pid: int | None = None
    instance: str | None = None
    started: str | None = None
    finished: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def input_path(self) -> Path:
        return self.dir / self.input_name

    @property
    def output_path(self) -> Path:
        return self.dir / OUTPUT_FILE

    @property
    def errors_path(self) -> Path:
        return errors_path(self.output_path)

    @property
    def versions(self) -> dict[str, str]:
        """Dataset -> the list version the book was screened against."""
        return {k: str(v) for k, v in self.summary.get("versions", {}).items()}

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("dir")
        data.pop("summary")
        data["options"] = asdict(self.options)
        data["options"]["maps"] = list(self.options.maps)
        return data

    @classmethod
    def from_json(cls, folder: Path, data: dict[str, Any]) -> Job:
        options = dict(data.pop("options", {}))
        options["maps"] = tuple(options.get("maps", ()))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(dir=folder, options=JobOptions(**options), **known)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _write_json(path: Path, data: Any) -> None:
    """Replace `path` atomically, so a reader in another worker never sees half a file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_bytes(orjson.dumps(data))
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (FileNotFoundError, orjson.JSONDecodeError):
        return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Progress:
    """`run_batch`'s progress sink: writes rows done to status.json a few times a second."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total: int | None = None
        self.done = 0
        self.started = time.time()
        self._last = 0.0

    def start(self, total: int | None, done: int) -> None:
        self.total, self.done = total, done
        self._write(force=True)

    def advance(self, rows: int) -> None:
        self.done += rows
        self._write()

    def stop(self) -> None:
        self._write(force=True)

    def _write(self, force: bool = False) -> None:
        now = time.time()
        if not force and now - self._last < 0.25:
            return
        self._last = now
        with contextlib.suppress(OSError):
            _write_json(
                self.path,
                {"total": self.total, "done": self.done, "started": self.started, "updated": now},
            )


class JobStore:
    """Jobs on disk, and the background thread that runs them."""

    def __init__(self, root: Path, store: Store) -> None:
        self.root = root
        self.store = store
        self._queue: queue.Queue[Job] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------

    def get(self, job_id: str) -> Job | None:
        if not _ID.match(job_id):
            return None
        folder = self.root / job_id
        data = _read_json(folder / JOB_FILE)
        if not isinstance(data, dict):
            return None
        job = Job.from_json(folder, data)
        if job.state in (QUEUED, RUNNING) and job.instance != INSTANCE and not _alive(job.pid):
            job.state = INTERRUPTED  # its process is gone (a restart, a crash)
        if job.state == DONE:
            job.summary = _read_json(folder / SUMMARY_FILE) or {}
        return job

    def list(self, limit: int = 100) -> list[Job]:
        """The newest jobs first."""
        try:
            names = sorted((p.name for p in self.root.iterdir() if _ID.match(p.name)), reverse=True)
        except FileNotFoundError:
            return []
        jobs = (self.get(name) for name in names[:limit])
        return [j for j in jobs if j is not None]

    def status(self, job: Job) -> dict[str, Any]:
        """What the progress bar shows: state, rows done of how many, speed."""
        progress = _read_json(job.dir / STATUS_FILE) or {}
        done = int(progress.get("done") or 0)
        total = progress.get("total")
        if job.state == DONE:
            done = int(job.summary.get("rows", done))
            total = done
        elapsed = max(float(progress.get("updated", 0)) - float(progress.get("started", 0)), 0.0)
        return {
            "id": job.id,
            "state": job.state,
            "done": done,
            "total": total,
            "percent": round(100.0 * done / total, 1) if total else None,
            "rows_per_second": round(done / elapsed, 1) if elapsed > 0 else None,
            "error": job.error,
            "summary": job.summary or None,
        }

    # -- creating and running ----------------------------------------------------------

    def create(
        self,
        upload: IO[bytes],
        filename: str,
        options: JobOptions,
        *,
        by: str = "",
        key: str | None = None,
        max_bytes: int | None = None,
    ) -> Job:
        """Store the upload and check it can be screened (header, mapping); JobError if not."""
        filename, suffix = upload_name(
            filename, SUFFIXES, "a CSV file to screen", "a CSV, JSON lines or Parquet file"
        )
        job = self._new_job(filename, "input" + suffix, options, by=by, key=key)
        try:
            save_upload(upload, job.input_path, filename, max_bytes)
            self._check_input(job)
            self._save(job)
        except BaseException:
            shutil.rmtree(job.dir, ignore_errors=True)
            raise
        self.start(job)
        return job

    def rerun(self, job: Job, *, by: str = "", key: str | None = None) -> Job:
        """The same book and settings against the lists as they are now, as a new job."""
        again = self._new_job(job.filename, job.input_name, job.options, by=by, key=key)
        again.rerun_of = job.id
        try:
            try:
                os.link(job.input_path, again.input_path)
            except OSError:
                shutil.copyfile(job.input_path, again.input_path)
            self._save(again)
        except BaseException:
            shutil.rmtree(again.dir, ignore_errors=True)
            raise
        self.start(again)
        return again

    def resume(self, job: Job) -> None:
        """Run an interrupted job again; the batch checkpoint skips the rows already done."""
        if job.state != INTERRUPTED:
            raise JobError(f"job {job.id} is {job.state}, not interrupted")
        job.state, job.error = QUEUED, None
        job.pid, job.instance = os.getpid(), INSTANCE
        self._save(job)
        self.start(job)

    def _new_job(
        self, filename: str, input_name: str, options: JobOptions, *, by: str, key: str | None
    ) -> Job:
        self.root.mkdir(parents=True, exist_ok=True)
        while True:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            job_id = f"{stamp}-{secrets.token_hex(3)}"
            folder = self.root / job_id
            try:
                folder.mkdir()
                break
            except FileExistsError:
                continue
        return Job(
            id=job_id,
            dir=folder,
            filename=filename,
            input_name=input_name,
            created=_now(),
            options=options,
            by=by,
            key=key,
            pid=os.getpid(),
            instance=INSTANCE,
        )

    def _check_input(self, job: Job) -> None:
        try:
            source = open_input(job.input_path)
            resolve_mapping(source.columns, parse_map_options(job.options.maps), job.options.schema)
        except SanctionsNetError as exc:
            raise JobError(self._public(job, str(exc))) from None

    def _public(self, job: Job, message: str) -> str:
        """A message with the server's paths replaced by the name the user uploaded."""
        for path in (job.output_path, job.input_path, job.dir):
            message = message.replace(str(path), job.filename)
        return message

    def _save(self, job: Job) -> None:
        _write_json(job.dir / JOB_FILE, job.to_json())

    def start(self, job: Job) -> None:
        """Queue the job for this process's runner thread (started on first use).

        The thread is a daemon: stopping the server does not wait for a long book; the
        job then shows as interrupted and resumes from its last checkpoint.
        """
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._worker, name="sanctionsnet-web-batch", daemon=True
                )
                self._thread.start()
        self._queue.put(job)

    def _worker(self) -> None:
        while True:
            job = self._queue.get()
            try:
                self._run(job)
            finally:
                self._queue.task_done()

    def wait(self) -> None:
        """Block until every queued job has run (for tests and benchmarks)."""
        self._queue.join()

    def _run(self, job: Job) -> None:
        job = replace(job, state=RUNNING, started=_now(), pid=os.getpid(), instance=INSTANCE)
        self._save(job)
        options = BatchOptions(
            input=job.input_path,
            out=job.output_path,
            maps=job.options.maps,
            default_schema=job.options.schema,
            threshold=job.options.threshold,
            limit=job.options.limit,
            algorithm=job.options.algorithm,
            workers=1,
        )
        progress = _Progress(job.dir / STATUS_FILE)
        try:
            try:
                summary = run_batch(options, self.store, progress=progress)
            except ResumeError:  # the lists changed since it was interrupted: start over
                options.restart = True
                summary = run_batch(options, self.store, progress=progress)
            data = summary.to_json()
            for name in ("input", "output", "errors_file"):
                if data.get(name):
                    data[name] = Path(data[name]).name
            _write_json(job.dir / SUMMARY_FILE, data)
            job = replace(job, state=DONE, finished=_now())
        except SanctionsNetError as exc:
            job = replace(job, state=FAILED, error=self._public(job, str(exc)), finished=_now())
        except Exception as exc:  # a bug: keep the server up, say so on the job's page
            log.exception("batch job %s failed", job.id)
            job = replace(job, state=FAILED, error=f"internal error: {exc}", finished=_now())
        self._save(job)
