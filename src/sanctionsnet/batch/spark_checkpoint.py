"""Resuming an interrupted Spark run: the book in parts, each part committed on its own.

A Spark run cuts the book into parts, contiguous ranges of its lines (of its rows, for
Parquet) fixed by two numbers only, the input's line count and the number of parts, so
a rerun cuts the same book the same way however the cluster splits the file. Parts are
screened in parallel and finish in any order. Each finished part's results are written
beside the output, in ``results.csv.spark-partial/``, and then marked done by a small
``part-NNNNNN.done.json`` (each file written, fsync'ed and renamed into place): a part is
either done with all its files durable or is screened again. ``run.json`` records what
the parts depend on: the input's identity, the settings, the list versions and the
partitioning. A rerun of the same command skips the parts done; one that differs in any
of them refuses to mix results and says why (``--restart`` starts over). When every part
is done they are joined in part order, which is file order, into the output: byte for
byte what an uninterrupted run, or the local engine, writes.

The local engine's checkpoint (checkpoint.py) commits a growing prefix of the book
instead; both share the output's lock file, so no two runs of either engine write the
same output at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from sanctionsnet.batch.checkpoint import ResumeError, error_lines, why_not_resumed
from sanctionsnet.batch.layout import Layout
from sanctionsnet.batch.writers import EXTENSIONS, Row, assemble, write_part

RUN_FILE = "run.json"
RUN_FORMAT = "sanctionsnet-spark-run/1"
_DONE = re.compile(r"^part-(\d{6,})\.done\.json$")
COUNTS = ("rows", "screened", "errors", "matched_rows", "matches")


def partial_dir(out: Path) -> Path:
    """Where the parts of an unfinished Spark run for `out` are kept."""
    return out.with_name(out.name + ".spark-partial")


@dataclass(frozen=True)
class Partitioning:
    """The book cut into `parts` ranges of its `lines` (rows in Parquet), as even as can be.

    Line ``i`` (0-based) belongs to part ``i * parts // lines``; part ``k`` starts at
    line ``ceil(k * lines / parts)``. Spark computes the first, the driver checks the
    second (every part comes back with the number of lines it holds)."""

    lines: int
    parts: int

    def start(self, part: int) -> int:
        return -(-part * self.lines // self.parts)

    def size(self, part: int) -> int:
        """Lines of `part`: at least one, since there are never more parts than lines."""
        return self.start(part + 1) - self.start(part)

    def to_json(self) -> dict[str, int]:
        return {"lines": self.lines, "parts": self.parts}


@dataclass(frozen=True)
class PartDone:
    """A committed part: its result files (None when it had nothing to write) and counts."""

    part: int
    results: str | None
    errors: str | None
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "results": self.results,
            "errors": self.errors,
            "counts": self.counts,
        }


class SparkCheckpoint:
    """The committed parts of one Spark run, locked against a second run writing `out`."""

    def __init__(self, out: Path, fmt: str, identity: dict[str, Any], restart: bool) -> None:
        self.out = out
        self.fmt = fmt
        self.identity = identity
        self.dir = partial_dir(out)
        self._lock = _acquire(out)
        self.done: dict[int, PartDone] = {}
        saved = self._load()
        if saved is not None and not restart and saved.get("identity") != identity:
            self._release()
            raise ResumeError(self._refusal(saved.get("identity") or {}))
        if saved is None or restart:
            self._wipe()
            self.state: dict[str, Any] = {
                "format": RUN_FORMAT,
                "identity": identity,
                "partitioning": None,
            }
            self._save()
        else:
            self.state = saved
            self.done = self._load_done()
        #: The parts done before this run: a resume skips them.
        self.resumed = frozenset(self.done)

    # -- partitioning -------------------------------------------------------------

    def partitioning(self, lines: int, wanted: int | None, default: int) -> Partitioning:
        """The partitioning of an unfinished run, else `wanted` or `default` parts, saved."""
        saved = self.state.get("partitioning")
        if saved is not None:
            found = Partitioning(int(saved["lines"]), int(saved["parts"]))
            if found.lines != lines:
                self._release()
                raise ResumeError(
                    f"{self.dir} holds an unfinished run over {found.lines:,} lines, but the "
                    f"input now has {lines:,}: the input changed; rerun with --restart"
                )
            if wanted is not None and min(wanted, lines) != found.parts:
                self._release()
                raise ResumeError(
                    f"{self.dir} holds an unfinished run in {found.parts} parts, not "
                    f"{wanted}: rerun with --spark-partitions {found.parts} (or without it) "
                    "to resume, or with --restart to start over"
                )
            return found
        chosen = Partitioning(lines, min(wanted or default, lines))
        self.state["partitioning"] = chosen.to_json()
        self._save()
        return chosen

    # -- parts --------------------------------------------------------------------

    @property
    def counts(self) -> dict[str, int]:
        """Counts summed over the parts done."""
        total = dict.fromkeys(COUNTS, 0)
        for done in self.done.values():
            for name in COUNTS:
                total[name] += int(done.counts.get(name, 0))
        return total

    def rows_before(self) -> int:
        """Input rows of the parts done before this run (what a resume did not redo)."""
        return sum(int(self.done[p].counts.get("rows", 0)) for p in self.resumed)

    def commit(
        self,
        part: int,
        rows: Sequence[Row],
        errors: Sequence[tuple[int, int | None, str]],
        counts: dict[str, int],
        layout: Layout,
    ) -> None:
        """Make `part` durable: its result files first, then the marker that names them."""
        results = errors_file = None
        if rows:
            results = f"part-{part:06d}{EXTENSIONS[self.fmt]}"
            write_part(self.dir / results, self.fmt, layout, rows)
        if errors:
            errors_file = f"errors-{part:06d}.csv"
            _write_durable(self.dir / errors_file, error_lines(errors).encode())
        done = PartDone(part, results, errors_file, dict(counts))
        _write_durable(self.dir / f"part-{part:06d}.done.json", orjson.dumps(done.to_json()))
        self.done[part] = done

    def finish(self, parts: int, layout: Layout, errors_target: Path, where: str) -> None:
        """Join the parts in order into the output and the errors file; clean up."""
        missing = [p for p in range(parts) if p not in self.done]
        if missing:  # never so after a run that ended without an error
            raise ResumeError(f"{self.dir}: parts {missing[:10]} are not done")
        ordered = [self.done[p] for p in range(parts)]
        assemble([self.dir / d.results for d in ordered if d.results], self.fmt, layout, self.out)
        error_parts = [self.dir / d.errors for d in ordered if d.errors]
        if error_parts:
            tmp = errors_target.with_name(f".{errors_target.name}.assembling")
            with tmp.open("wb") as out:
                out.write(f"{where},error\n".encode())
                for path in error_parts:
                    with path.open("rb") as fh:
                        shutil.copyfileobj(fh, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, errors_target)
        else:
            errors_target.unlink(missing_ok=True)  # from an earlier run of the same output
        shutil.rmtree(self.dir, ignore_errors=True)
        self._release()

    def close(self) -> None:
        """Keep the parts done for a later resume (an interrupted or failed run)."""
        self._release()

    # -- files --------------------------------------------------------------------

    def _load(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = orjson.loads((self.dir / RUN_FILE).read_bytes())
        except (FileNotFoundError, NotADirectoryError, orjson.JSONDecodeError):
            return None
        return data if data.get("format") == RUN_FORMAT else None

    def _load_done(self) -> dict[int, PartDone]:
        """The parts marked done; files no marker names (a kill mid-part) are dropped."""
        done: dict[int, PartDone] = {}
        for path in self.dir.iterdir():
            if _DONE.match(path.name):
                data = orjson.loads(path.read_bytes())
                done[int(data["part"])] = PartDone(
                    int(data["part"]), data["results"], data["errors"], dict(data["counts"])
                )
        keep = {RUN_FILE}
        for d in done.values():
            keep.update((f"part-{d.part:06d}.done.json", d.results or "", d.errors or ""))
        for path in self.dir.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)
        return done

    def _save(self) -> None:
        _write_durable(
            self.dir / RUN_FILE,
            orjson.dumps(self.state, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS),
        )

    def _wipe(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)

    def _release(self) -> None:
        if self._lock.closed:
            return
        with contextlib.suppress(OSError):
            if not self.dir.exists():
                Path(self._lock.name).unlink(missing_ok=True)
        fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
        self._lock.close()

    def _refusal(self, saved: dict[str, Any]) -> str:
        why = why_not_resumed(saved, self.identity, "the input changed")
        return (
            f"{self.dir} holds an unfinished Spark run, but {why}; "
            "rerun with --restart to start over"
        )


def _acquire(out: Path) -> IO[str]:
    """The output's lock, the one the local engine's checkpoint takes too."""
    fh = out.with_name(out.name + ".lock").open("a+")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise ResumeError(f"{out}: another screening run is writing this output") from None
    return fh


def _write_durable(path: Path, data: bytes) -> None:
    """Write, fsync, rename, fsync the folder: the file is whole or absent after a crash."""
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
