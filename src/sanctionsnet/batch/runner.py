"""A screening run from start to end: input, mapping, index, engine, output, resume.

`run_batch` is what `sanctionsnet screen` calls. It resolves everything that can fail
up front (the input's header, the column mapping, the options, the lists), so a bad
command fails before any output is written, then streams the book through an engine
and writes results in committed parts (see checkpoint.py) or straight to standard
output. Rows that cannot be screened are counted, reported with their line numbers
and listed in ``<output>.errors.csv``; they never stop the run.

The input is a local path or, for the Spark engine, a URI the cluster reads
(``hdfs://``, ``s3a://``...). The Spark engine commits its results part by part
(spark_checkpoint.py), so a stopped Spark run resumes too.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from sanctionsnet.batch.checkpoint import Checkpoint, errors_path, fingerprint
from sanctionsnet.batch.columns import ColumnMap, parse_map_options, resolve_mapping
from sanctionsnet.batch.layout import Layout
from sanctionsnet.batch.readers import (
    InputFile,
    InputRow,
    ParquetInput,
    file_uri_path,
    input_location,
    open_input,
    uri_scheme,
)
from sanctionsnet.batch.screening import Outcome, Pass, Plan, Settings
from sanctionsnet.batch.spark import PartResult, SparkInput  # no pyspark until a run needs it
from sanctionsnet.batch.spark_checkpoint import Partitioning, SparkCheckpoint
from sanctionsnet.batch.writers import Row, StreamWriter, output_format
from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.store import Store

ENGINES = ("local", "spark")
#: Rows per chunk handed to a worker: big enough to amortise the hand-over, small enough
#: to keep every core busy to the end and the progress bar moving.
CHUNK_ROWS = 256
#: A checkpoint is committed at least this often (seconds), so a kill loses little work.
COMMIT_SECONDS = 5.0
COMMIT_ROWS = 100_000


class Interrupted(SanctionsNetError):
    """The run was stopped (Ctrl-C); what was committed is kept for a resume."""


@dataclass
class BatchOptions:
    #: A local file, or (Spark engine) a URI as text: Path() would mangle its "//".
    input: Path | str
    #: A local file; a file:// URI is taken for its path.
    out: Path | str | None = None
    maps: Sequence[str] = ()
    default_schema: str = "LegalEntity"
    threshold: float | None = None
    limit: int = 10
    algorithm: str = "default"
    engine: str = "local"
    workers: int | None = None
    changes_since: str | None = None
    all_rows: bool = False
    input_format: str | None = None
    output_format: str | None = None
    delimiter: str | None = None
    restart: bool = False
    spark_master: str | None = None
    spark_partitions: int | None = None
    chunk_rows: int = CHUNK_ROWS
    commit_seconds: float = COMMIT_SECONDS


@dataclass
class Summary:
    """What a run did, for the closing report (and `--json`)."""

    input: str
    output: str | None
    errors_file: str | None
    engine: str
    workers: int
    rows: int = 0
    screened: int = 0
    errors: int = 0
    matched_rows: int = 0
    matches: int = 0
    resumed_at: int = 0
    seconds: float = 0.0
    versions: dict[str, Any] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        done = self.rows - self.resumed_at
        return done / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "output": self.output,
            "errors_file": self.errors_file,
            "engine": self.engine,
            "workers": self.workers,
            "rows": self.rows,
            "screened": self.screened,
            "errors": self.errors,
            "matched_rows": self.matched_rows,
            "matches": self.matches,
            "resumed_at": self.resumed_at,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "versions": self.versions,
            "changes": self.changes,
        }


class ProgressSink(Protocol):
    def start(self, total: int | None, done: int) -> None: ...

    def advance(self, rows: int) -> None: ...

    def stop(self) -> None: ...


class NoProgress:
    def start(self, total: int | None, done: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass

    def stop(self) -> None:
        pass


ErrorHook = Callable[[int, int | None, str], None]
InfoHook = Callable[[str], None]


def location(key: int, line: int | None) -> str:
    return f"line {line}" if line is not None else f"row {key}"


@dataclass
class Prepared:
    """A run resolved before any output is written."""

    source: InputFile | SparkInput
    mapping: ColumnMap
    settings: Settings
    plan: Plan
    layout: Layout
    fmt: str
    versions: dict[str, Any]
    changes: list[dict[str, Any]]


def locate(options: BatchOptions) -> BatchOptions:
    """`options` with the input a `Path` or a URI the engine can read, the output a `Path`."""
    if options.engine not in ENGINES:
        raise SanctionsNetError(f"unknown engine {options.engine!r} (use local or spark)")
    if options.spark_partitions is not None and options.spark_partitions < 1:
        raise SanctionsNetError(
            f"--spark-partitions must be at least 1, got {options.spark_partitions}"
        )
    out = options.out
    if isinstance(out, str):
        scheme = uri_scheme(out)
        if scheme is None:
            out = Path(out)
        elif scheme == "file":
            out = file_uri_path(out)
        else:
            raise SanctionsNetError(
                f"{out}: remote --out needs Spark to write the results as a folder of part "
                "files, which screen does not do: give a local --out FILE (the driver writes "
                f"it) and copy it to {scheme}:// afterwards"
            )
    return replace(options, input=input_location(options.input, options.engine == "spark"), out=out)


def prepare(options: BatchOptions, store: Store, info: InfoHook) -> Prepared:
    """Read the header, resolve the mapping and load the lists: every up-front failure.

    `options` come from `locate`."""
    if options.engine not in ENGINES:
        raise SanctionsNetError(f"unknown engine {options.engine!r} (use local or spark)")
    settings = Settings(options.threshold, options.limit, options.algorithm)
    source: InputFile | SparkInput
    if isinstance(options.input, str):
        # Everything cheap first: opening a URI starts Spark.
        local = file_uri_path(options.input) if uri_scheme(options.input) == "file" else None
        fmt = _check_output(options, local)
        source = _open_uri(options, store, options.input)
    else:
        source = open_input(options.input, options.input_format, options.delimiter)
        fmt = _check_output(options, options.input)
    mapping = resolve_mapping(
        source.columns, parse_map_options(options.maps), options.default_schema
    )
    if not store.datasets():
        raise SanctionsNetError(
            f"the store at {store.home} is empty: run `sanctionsnet update` (or `quickstart`)"
        )
    input_types = None
    if isinstance(source, ParquetInput) and fmt == "parquet":
        input_types = tuple(f.type for f in source.schema)
    elif isinstance(source, SparkInput) and fmt == "parquet" and source.schema is not None:
        input_types = tuple(f.type for f in source.schema)  # Parquet at a URI, as Spark reads it
    monitoring = options.changes_since is not None
    layout = Layout.build(source.columns, monitoring, input_types)
    changes: list[dict[str, Any]] = []
    if options.changes_since is not None:
        from sanctionsnet.batch.monitor import change_passes

        passes, moved = change_passes(store, options.changes_since)
        for change in moved:
            info(change.describe())
        if not moved:
            info(f"no list changed since {options.changes_since}")
        changes = [c.to_json() for c in moved]
        versions: dict[str, Any] = {c["dataset"]: [c["from"], c["to"]] for c in changes}
    else:
        from sanctionsnet.service import load_index

        index = load_index(store)
        passes = [Pass(index)]
        versions = dict(index.stats.datasets)
    identity = hashlib.sha256(
        orjson.dumps(
            {
                "versions": versions,
                "settings": settings.to_json(),
                "mapping": mapping.to_json(),
                "monitoring": monitoring,
            },
            option=orjson.OPT_SORT_KEYS,
        )
    ).hexdigest()
    plan = Plan(mapping, settings, passes, monitoring, identity)
    return Prepared(source, mapping, settings, plan, layout, fmt, versions, changes)


def _check_output(options: BatchOptions, local_input: Path | None) -> str:
    """The output format, once the output is known to be a file that can be written."""
    assert not isinstance(options.out, str), "locate() first"
    fmt = output_format(options.out, options.output_format)
    if options.out is not None:
        if local_input is not None and options.out.resolve() == local_input.resolve():
            raise SanctionsNetError(f"{options.out}: the output would overwrite the input")
        if options.out.is_dir():
            raise SanctionsNetError(f"{options.out}: is a folder, give a file name")
        if not options.out.parent.is_dir():
            raise SanctionsNetError(f"{options.out.parent}: no such folder for the output")
    return fmt


def _open_uri(options: BatchOptions, store: Store, uri: str) -> SparkInput:
    """The book at a URI, as Spark reads it (this starts Spark, so the store is checked first)."""
    from sanctionsnet.batch.spark import spark_session
    from sanctionsnet.batch.spark_input import open_spark_input

    if not store.datasets():
        raise SanctionsNetError(
            f"the store at {store.home} is empty: run `sanctionsnet update` (or `quickstart`)"
        )
    spark = spark_session(options.spark_master)
    return open_spark_input(spark, uri, options.input_format, options.delimiter)


def run_batch(
    options: BatchOptions,
    store: Store,
    progress: ProgressSink | None = None,
    on_error: ErrorHook | None = None,
    info: InfoHook | None = None,
    stdout: IO[str] | None = None,
) -> Summary:
    """Screen the book in `options.input`; see the module docstring."""
    progress = progress or NoProgress()
    say: InfoHook = info or (lambda _msg: None)
    options = locate(options)
    prepared = prepare(options, store, say)
    assert not isinstance(options.out, str)
    say(f"columns: {prepared.mapping.describe()}")
    from sanctionsnet.batch.local import default_workers

    workers = max(1, options.workers or default_workers())
    summary = Summary(
        input=str(options.input),
        output=str(options.out) if options.out else None,
        errors_file=None,
        engine=options.engine,
        workers=workers,
        versions=prepared.versions,
        changes=prepared.changes,
    )
    source = prepared.source
    identity = {
        "input": source.identity if isinstance(source, SparkInput) else fingerprint(source.path),
        "settings": {
            **prepared.settings.to_json(),
            "mapping": prepared.mapping.to_json(),
            "all_rows": options.all_rows,
            "input_format": prepared.source.format,
            "output_format": prepared.fmt,
            "changes_since": options.changes_since,
            "columns": prepared.layout.names,
        },
        "versions": prepared.versions,
    }
    if options.engine == "spark":
        _run_spark(options, prepared, summary, identity, progress, on_error, say, stdout)
        return summary
    checkpoint = (
        Checkpoint(options.out, prepared.fmt, identity, options.restart)
        if options.out is not None
        else None
    )
    stream = (
        None if checkpoint else StreamWriter(prepared.fmt, prepared.layout, stdout or sys.stdout)
    )
    try:
        results = _local_results(options, prepared, workers, checkpoint, progress)
        _consume(results, options, prepared, summary, checkpoint, stream, progress, on_error)
    except KeyboardInterrupt:
        if checkpoint is not None:
            checkpoint.close()
            raise Interrupted(
                f"interrupted after {checkpoint.rows_done:,} rows; rerun the same command to resume"
            ) from None
        raise Interrupted("interrupted; a rerun starts over") from None
    except BaseException:
        if checkpoint is not None:
            checkpoint.close()
        raise
    finally:
        progress.stop()
    if checkpoint is not None and options.out is not None:
        target = errors_path(options.out)
        where = "row" if prepared.source.format == "parquet" else "line"
        checkpoint.finish(prepared.layout, target, where)
        summary.errors_file = str(target) if summary.errors else None
    return summary


def _run_spark(
    options: BatchOptions,
    prepared: Prepared,
    summary: Summary,
    identity: dict[str, Any],
    progress: ProgressSink,
    on_error: ErrorHook | None,
    say: InfoHook,
    stdout: IO[str] | None,
) -> None:
    """Screen on Spark part by part; with --out each part is committed as it comes back,
    so a rerun of a stopped run screens only the parts not done (spark_checkpoint.py)."""
    from sanctionsnet.batch.spark import SparkEngine, SparkError

    assert not isinstance(options.out, str)
    started = time.perf_counter()
    engine = SparkEngine(prepared.plan, master=options.spark_master, all_rows=options.all_rows)
    checkpoint = (
        SparkCheckpoint(options.out, prepared.fmt, identity, options.restart)
        if options.out is not None
        else None
    )
    stream = (
        None if checkpoint else StreamWriter(prepared.fmt, prepared.layout, stdout or sys.stdout)
    )
    header = 1 if prepared.source.format == "csv" else 0
    totals = dict.fromkeys(("rows", "screened", "errors", "matched_rows", "matches"), 0)
    parts = 0
    try:
        say(f"screening on Spark ({options.spark_master or 'local[*]'})")
        lines = engine.count(prepared.source)
        wanted, default = options.spark_partitions, engine.default_parts(lines)
        partitioning = (
            checkpoint.partitioning(lines, wanted, default)
            if checkpoint is not None
            else Partitioning(lines, min(wanted or default, lines))
        )
        parts = partitioning.parts
        skip = checkpoint.resumed if checkpoint is not None else frozenset()
        if skip:
            say(f"resuming: {len(skip)} of {parts} parts were done")

        def rows_of(part: int) -> int:  # progress counts input rows, not the header line
            return partitioning.size(part) - (header if partitioning.start(part) == 0 else 0)

        progress.start(max(lines - header, 0), sum(rows_of(p) for p in skip))
        with contextlib.closing(engine.screen(partitioning, skip)) as screened:
            for part in screened:
                rows, errors = _part_output(part, options.all_rows, prepared.layout, on_error)
                counts = {
                    "rows": part.read,
                    "screened": part.screened,
                    "errors": len(errors),
                    "matched_rows": sum(1 for o in part.outcomes if o.matches),
                    "matches": sum(len(o.matches) for o in part.outcomes),
                }
                if checkpoint is not None:
                    checkpoint.commit(part.part, rows, errors, counts, prepared.layout)
                elif stream is not None and rows:
                    stream.write(rows)
                for name, value in counts.items():
                    totals[name] += value
                progress.advance(rows_of(part.part))
    except KeyboardInterrupt:
        if checkpoint is None:
            raise Interrupted("interrupted; a rerun starts over") from None
        checkpoint.close()
        done = (
            f"with {len(checkpoint.done)} of {parts} parts done "
            f"({checkpoint.counts['rows']:,} rows)"
            if parts
            else "before any part was screened"
        )
        raise Interrupted(f"interrupted {done}; rerun the same command to resume") from None
    except SparkError as exc:
        if checkpoint is None:
            raise
        checkpoint.close()
        if not checkpoint.done:
            raise
        raise SparkError(
            f"{exc}; the {len(checkpoint.done)} of {parts} parts done are kept: "
            "rerun the same command to go on"
        ) from exc
    except BaseException:
        if checkpoint is not None:
            checkpoint.close()
        raise
    finally:
        progress.stop()
    if checkpoint is not None and options.out is not None:
        target = errors_path(options.out)
        where = "row" if prepared.source.format == "parquet" else "line"
        checkpoint.finish(parts, prepared.layout, target, where)
        totals = checkpoint.counts
        summary.resumed_at = checkpoint.rows_before()
    for name, value in totals.items():
        setattr(summary, name, value)
    summary.errors_file = str(errors_path(options.out)) if options.out and summary.errors else None
    summary.seconds = time.perf_counter() - started


def _part_output(
    part: PartResult, all_rows: bool, layout: Layout, on_error: ErrorHook | None
) -> tuple[list[Row], list[tuple[int, int | None, str]]]:
    """A part's output rows (one per match) and its rows that could not be screened."""
    empty = (None,) * len(layout.match_columns)
    rows: list[Row] = []
    errors: list[tuple[int, int | None, str]] = []
    for row, outcome in zip(part.rows, part.outcomes, strict=True):
        if outcome.error is not None:
            errors.append((outcome.key, outcome.line, outcome.error))
            if on_error:
                on_error(outcome.key, outcome.line, outcome.error)
            continue
        values = row.values or ()
        if outcome.matches:
            rows.extend((*values, *m) for m in outcome.matches)
        elif all_rows:
            rows.append((*values, *empty))
    return rows, errors


Results = Iterator[tuple[list[InputRow], list[Outcome]]]


def _local_results(
    options: BatchOptions,
    prepared: Prepared,
    workers: int,
    checkpoint: Checkpoint | None,
    progress: ProgressSink,
) -> Results:
    """Chunks of input rows with their outcomes, in input order, from worker processes."""
    from sanctionsnet.batch.local import LocalEngine

    assert not isinstance(prepared.source, SparkInput)
    skip = checkpoint.rows_done if checkpoint else 0
    rows: Iterable[InputRow] = prepared.source.rows()
    if skip:
        rows = itertools.islice(rows, skip, None)
    progress.start(prepared.source.estimate_rows(), skip)
    with LocalEngine(prepared.plan, workers) as engine:
        yield from engine.map(_chunks(rows, options.chunk_rows))


def _chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _consume(
    results: Results,
    options: BatchOptions,
    prepared: Prepared,
    summary: Summary,
    checkpoint: Checkpoint | None,
    stream: StreamWriter | None,
    progress: ProgressSink,
    on_error: ErrorHook | None,
) -> None:
    started = time.perf_counter()
    counts = {"rows": 0, "screened": 0, "errors": 0, "matched_rows": 0, "matches": 0}
    earlier = 0.0
    if checkpoint is not None:
        counts.update(checkpoint.counts)
        earlier = checkpoint.seconds
        summary.resumed_at = checkpoint.rows_done
    empty = (None,) * len(prepared.layout.match_columns)
    pending: list[Row] = []
    errors: list[tuple[int, int | None, str]] = []
    last_commit = time.perf_counter()
    for chunk, outcomes in results:
        for row, outcome in zip(chunk, outcomes, strict=True):
            counts["rows"] += 1
            if outcome.error is not None:
                counts["errors"] += 1
                errors.append((outcome.key, outcome.line, outcome.error))
                if on_error:
                    on_error(outcome.key, outcome.line, outcome.error)
                continue
            counts["screened"] += 1
            values = row.values or ()
            if outcome.matches:
                counts["matched_rows"] += 1
                counts["matches"] += len(outcome.matches)
                pending.extend((*values, *m) for m in outcome.matches)
            elif options.all_rows:
                pending.append((*values, *empty))
        now = time.perf_counter()
        if stream is not None:
            if pending:
                stream.write(pending)
            pending, errors = [], []
        elif checkpoint is not None and (
            now - last_commit >= options.commit_seconds or len(pending) >= COMMIT_ROWS
        ):
            checkpoint.commit(
                pending, errors, counts["rows"], counts, earlier + now - started, prepared.layout
            )
            pending, errors, last_commit = [], [], now
        progress.advance(len(chunk))
    if checkpoint is not None:
        checkpoint.commit(
            pending,
            errors,
            counts["rows"],
            counts,
            earlier + time.perf_counter() - started,
            prepared.layout,
        )
    summary.rows = counts["rows"]
    summary.screened = counts["screened"]
    summary.errors = counts["errors"]
    summary.matched_rows = counts["matched_rows"]
    summary.matches = counts["matches"]
    summary.seconds = time.perf_counter() - started
