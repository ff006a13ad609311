"""Resuming an interrupted run: committed parts and a progress file beside the output.

While ``results.csv`` is being made, ``results.csv.partial/`` holds the results of the
input rows done so far as numbered part files, and ``progress.json`` says how many input
rows they cover. A part is durable (written, fsync'ed, renamed) before the progress file
that names it is replaced, so a run killed at any moment (Ctrl-C, kill -9, power loss)
leaves a consistent prefix: rerunning the same command skips the rows done and goes on,
with no row missing and none twice. The progress file also records what the results
depend on (the input file's fingerprint, the settings, the list versions); a rerun that
differs in any of them refuses to mix results and says why (``--restart`` starts over).
When every row is done the parts are joined into the output in one atomic rename.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import io
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from sanctionsnet.batch.layout import Layout
from sanctionsnet.batch.writers import EXTENSIONS, Row, assemble, write_part
from sanctionsnet.errors import SanctionsNetError

PROGRESS_FILE = "progress.json"
PROGRESS_FORMAT = 1
_SAMPLE = 1 << 20


class ResumeError(SanctionsNetError):
    """An unfinished run of a different job is in the way, or another run is writing."""


def fingerprint(path: Path) -> dict[str, Any]:
    """Cheap identity of an input file: size, modification time, hash of its ends."""
    stat = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        digest.update(fh.read(_SAMPLE))
        if stat.st_size > 2 * _SAMPLE:
            fh.seek(-_SAMPLE, os.SEEK_END)
            digest.update(fh.read(_SAMPLE))
    return {
        "path": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256_ends": digest.hexdigest(),
    }


def errors_path(out: Path) -> Path:
    """Where the rows that could not be screened are listed: results.csv -> results.errors.csv."""
    name = out.name
    for ext in (".csv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
            break
    return out.with_name(f"{name}.errors.csv")


def error_lines(errors: Sequence[tuple[int, int | None, str]]) -> str:
    """Rows of the errors file: where (the line, or the row number in Parquet) and why."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows((key if line is None else line, message) for key, line, message in errors)
    return buffer.getvalue()


class Checkpoint:
    """The partial output of one run, locked against a second run writing the same file."""

    def __init__(self, out: Path, fmt: str, identity: dict[str, Any], restart: bool) -> None:
        self.out = out
        self.fmt = fmt
        self.identity = identity
        self.dir = out.with_name(out.name + ".partial")
        self._lock = self._acquire()
        self.state: dict[str, Any] = {}
        saved = self._load()
        if saved is not None and (restart or saved.get("identity") != identity):
            if not restart:
                self._release()
                raise ResumeError(self._refusal(saved.get("identity") or {}))
            saved = None
        if saved is None:
            self._wipe()
            self.state = {
                "format": PROGRESS_FORMAT,
                "identity": identity,
                "rows_done": 0,
                "parts": [],
                "error_parts": [],
                "counts": {},
                "seconds": 0.0,
            }
            self._save()
        else:
            self.state = saved
            self._drop_uncommitted()

    # -- state ------------------------------------------------------------------

    @property
    def rows_done(self) -> int:
        return int(self.state["rows_done"])

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.state["counts"])

    @property
    def seconds(self) -> float:
        return float(self.state["seconds"])

    def commit(
        self,
        rows: Sequence[Row],
        errors: Sequence[tuple[int, int | None, str]],
        rows_done: int,
        counts: dict[str, int],
        seconds: float,
        layout: Layout,
    ) -> None:
        """Make the results of the first `rows_done` input rows durable."""
        number = int(self.state.get("commits", 0))
        parts = list(self.state["parts"])
        error_parts = list(self.state["error_parts"])
        if rows:
            name = f"part-{number:06d}{EXTENSIONS[self.fmt]}"
            write_part(self.dir / name, self.fmt, layout, rows)
            parts.append(name)
        if errors:
            name = f"errors-{number:06d}.csv"
            _write_durable(self.dir / name, error_lines(errors).encode())
            error_parts.append(name)
        self.state.update(
            rows_done=rows_done,
            parts=parts,
            error_parts=error_parts,
            counts=dict(counts),
            seconds=seconds,
            commits=number + 1,
        )
        self._save()

    def finish(self, layout: Layout, errors_target: Path, where: str = "line") -> None:
        """Join the parts into the output and the error lists into `errors_target` (columns
        `where` and `error`); clean up."""
        assemble([self.dir / p for p in self.state["parts"]], self.fmt, layout, self.out)
        if self.state["error_parts"]:
            header = f"{where},error\n"
            tmp = errors_target.with_name(f".{errors_target.name}.assembling")
            with tmp.open("wb") as out:
                out.write(header.encode())
                for name in self.state["error_parts"]:
                    with (self.dir / name).open("rb") as fh:
                        shutil.copyfileobj(fh, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, errors_target)
        else:
            errors_target.unlink(missing_ok=True)  # from an earlier run of the same output
        shutil.rmtree(self.dir, ignore_errors=True)
        self._release()

    def close(self) -> None:
        """Leave the partial output for a later resume (interrupted or failed run)."""
        self._release()

    # -- files --------------------------------------------------------------------

    def _acquire(self) -> IO[str]:
        lock_path = self.out.with_name(self.out.name + ".lock")
        fh = lock_path.open("a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise ResumeError(f"{self.out}: another screening run is writing this output") from None
        return fh

    def _release(self) -> None:
        if self._lock.closed:
            return
        lock_path = Path(self._lock.name)
        with contextlib.suppress(OSError):
            if not self.dir.exists():
                lock_path.unlink(missing_ok=True)
        fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
        self._lock.close()

    def _load(self) -> dict[str, Any] | None:
        path = self.dir / PROGRESS_FILE
        try:
            data: dict[str, Any] = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except orjson.JSONDecodeError:
            return None  # cannot be: it is replaced atomically; start over rather than guess
        if data.get("format") != PROGRESS_FORMAT:
            return None
        return data

    def _save(self) -> None:
        _write_durable(
            self.dir / PROGRESS_FILE,
            orjson.dumps(self.state, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS),
        )

    def _wipe(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)

    def _drop_uncommitted(self) -> None:
        """Parts written after the last progress update (a kill in between) are not results."""
        keep = {PROGRESS_FILE, *self.state["parts"], *self.state["error_parts"]}
        for path in self.dir.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def _refusal(self, saved: dict[str, Any]) -> str:
        why = why_not_resumed(saved, self.identity, "the input file changed")
        return f"{self.dir} holds an unfinished run, but {why}; rerun with --restart to start over"


def why_not_resumed(saved: dict[str, Any], identity: dict[str, Any], input_changed: str) -> str:
    """What differs between a stopped run's identity and this one's, in words."""
    reasons = []
    if saved.get("input") != identity.get("input"):
        reasons.append(input_changed)
    if saved.get("versions") != identity.get("versions"):
        old, new = saved.get("versions") or {}, identity.get("versions") or {}
        moved = [
            f"{d}: {old.get(d)} -> {new.get(d)}"
            for d in sorted(old.keys() | new.keys())
            if old.get(d) != new.get(d)
        ]
        reasons.append("the lists changed (" + "; ".join(moved) + ")")
    if saved.get("settings") != identity.get("settings"):
        reasons.append("the options differ")
    return ", ".join(reasons) or "it was made by a different job"


def _write_durable(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
