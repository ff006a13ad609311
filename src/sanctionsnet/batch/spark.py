"""The Spark engine: the same scoring function on Apache Spark, the index broadcast.

Spark reads the book itself (CSV and JSON lines as text lines, Parquet as Parquet), so
it may live wherever the cluster can read it: a local file (read as ``file://``, at the
same path on every node) or a URI, ``hdfs://``, ``s3a://``, ``gs://``, ``abfss://``...
For a URI, `spark_input.open_spark_input` finds the columns with Spark too (the header line, the
Parquet schema, the keys the JSON objects use) and identifies the input for a resume by
what the Hadoop FileSystem reports: size and modification time.

Each row is numbered by its line in the file (counted over Spark's own splits of it) or,
in Parquet, by its row in the file (files of a folder in name order), and the book is
cut into parts, contiguous ranges of those numbers (spark_checkpoint.py). Parts are
spread over the cluster, whole, and every partition applies `RowScreener`, the
function the local engine runs, with the plan (mapping, settings, index) broadcast once
per executor. Only rows with a match or an error (every row with ``--all-rows``) come
back to the driver, part by part, each part followed by its counts, so the driver can
commit a part as soon as it has it and skip it when a stopped run is resumed.

Partitions go through `DataFrame.mapInArrow`. pyspark 3.5 refuses that call when pandas
is missing (it only checks; Arrow does the work), so without pandas the same partition
function runs through `RDD.mapPartitions`, fed the same Arrow batches.

Differences from the local engine, both from reading text by lines: a quoted CSV value
that spans lines is reported as a bad row instead of being read, and bytes that are not
UTF-8 reach the row as U+FFFD, which both engines refuse.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import sys
import uuid
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from sanctionsnet.batch.readers import (
    CsvInput,
    InputFile,
    InputRow,
    parse_csv_line,
    parse_json_line,
)
from sanctionsnet.batch.screening import Outcome, Plan, RowScreener
from sanctionsnet.batch.spark_checkpoint import Partitioning
from sanctionsnet.batch.spark_input import (
    SparkError,
    SparkInput,
    _arrow_schema,
    from_spark,
    last_line,
)

_ID = "_sn_id"
_KEY = "_sn_key"
_PART = "_sn_part"
_PAYLOAD = "_sn_payload"
_OUTPUT_SCHEMA = f"{_KEY} long, {_PAYLOAD} binary"
_ID_BITS = 33  # monotonically_increasing_id: partition id above, row within below
_ROW_MASK = (1 << _ID_BITS) - 1
_RDD_BATCH = 1024
#: Default lines per part: small enough that a stopped run loses little (a part takes
#: about a minute on one core), big enough that the per-part work stays a small share.
PART_LINES = 50_000
#: Results fetched to the driver at once, at most (one partition's, if it holds more).
FETCH_BYTES = 64 << 20

# Per Python worker (workers are reused across tasks and jobs): the screener of the last plan.
_SCREENERS: dict[str, RowScreener] = {}
# On the driver: the broadcast of the last plan, for the next run of the same plan.
_BROADCASTS: dict[str, tuple[Any, Any]] = {}


def has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def spark_session(master: str | None = None) -> Any:
    """The active session, or a new one (`master` such as local[*] or spark://host:7077)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkError(
            "the Spark engine needs pyspark: pip install 'sanctionsnet[spark]'"
        ) from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = (
        SparkSession.builder.appName("sanctionsnet screen")
        .master(master or "local[*]")
        # The run draws its own progress bar, part by part; Spark's would garble it.
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing, master unreachable: Py4J and JVM errors alike
        raise SparkError(f"could not start Spark ({master or 'local[*]'}): {exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


# -- engine -----------------------------------------------------------------------


@dataclass(frozen=True)
class InputSpec:
    """How a partition turns its slice of the file into rows."""

    format: str
    columns: tuple[str, ...]
    delimiter: str
    all_rows: bool
    plan: str  # names the broadcast plan: a reused worker that holds it does not load it again


@dataclass
class PartResult:
    """One part screened: the rows worth writing with their outcomes, and its counts."""

    part: int
    rows: list[InputRow]
    outcomes: list[Outcome]
    lines: int  # lines (Parquet: rows) of the input in the part
    read: int  # input rows among them (not the header, not blank lines)
    screened: int


class SparkEngine:
    """Screens a book on Spark, part by part; `count` first, then `screen`."""

    def __init__(
        self, plan: Plan, master: str | None = None, all_rows: bool = False, session: Any = None
    ) -> None:
        self.plan = plan
        self.master = master
        self.all_rows = all_rows
        self.session = session
        self._source: InputFile | SparkInput | None = None
        self._keyed: Any = None  # the book, each row with its key (line or row number)
        self._lines = 0

    @property
    def spark(self) -> Any:
        if self.session is None:
            self.session = spark_session(self.master)
        return self.session

    def count(self, source: InputFile | SparkInput) -> int:
        """Lines of a text book (the header and blank lines included), rows of a Parquet one."""

        def job() -> int:
            frame = _read(self.spark, source)
            keyed, total = (_parquet_keys if source.format == "parquet" else _line_keys)(frame)
            self._source, self._keyed, self._lines = source, keyed, total
            return total

        return int(self._spark_call(job))

    def default_parts(self, lines: int) -> int:
        """Two parts per core at least, and parts of at most `PART_LINES` lines."""
        cores = max(1, int(self.spark.sparkContext.defaultParallelism))
        return max(1, 2 * cores, -(-lines // PART_LINES))

    def screen(
        self, partitioning: Partitioning, skip: frozenset[int] = frozenset()
    ) -> Generator[PartResult, None, None]:
        """Every part not in `skip`, in part order, each as soon as the driver has it."""
        if self._keyed is None or self._source is None:
            raise RuntimeError("SparkEngine.count() comes first")
        if partitioning.lines != self._lines:
            raise SparkError(f"the input has {self._lines} lines, not {partitioning.lines}")
        left = [p for p in range(partitioning.parts) if p not in skip]
        if not left:
            return
        results = self._spark_call(lambda: self._results(partitioning, skip, len(left)))
        try:
            yield from self._collect(results, partitioning, set(left))
        finally:
            with contextlib.suppress(Exception):  # the context may be stopped already
                results.unpersist()

    # -- driver side --------------------------------------------------------------

    def _results(self, partitioning: Partitioning, skip: frozenset[int], partitions: int) -> Any:
        """The screened book as a persisted RDD of (key, payload), whole parts per partition."""
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        source, spark = self._source, self.spark
        assert source is not None
        sc = spark.sparkContext
        frame = self._keyed.withColumn(
            _PART,
            F.expr(f"cast((({_KEY} - 1) * {partitioning.parts}) div {partitioning.lines} as int)"),
        )
        if skip:
            frame = frame.where(~F.col(_PART).isin(sorted(skip)))
        columns = ["value"] if source.format != "parquet" else list(source.columns)
        frame = frame.select(*[F.col(_quoted(c)) for c in columns], _KEY, _PART)
        # Whole parts per partition, partitions in part order, rows in file order within.
        frame = frame.repartitionByRange(partitions, _PART).sortWithinPartitions(_KEY)
        spec = InputSpec(
            source.format,
            tuple(source.columns),
            source.delimiter if isinstance(source, CsvInput | SparkInput) else ",",
            self.all_rows,
            self.plan.identity or uuid.uuid4().hex,
        )
        plan_bc = _broadcast_plan(sc, self.plan, spec.plan)

        def screen(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            return screen_partition(batches, plan_bc, spec)

        if has_pandas():
            rdd = frame.mapInArrow(screen, _OUTPUT_SCHEMA).rdd
        else:
            arrow_schema = _arrow_schema(frame)
            rdd = frame.rdd.mapPartitions(
                lambda rows: _batches_to_tuples(screen(_rows_to_batches(rows, arrow_schema)))
            )
        return rdd.persist(StorageLevel.MEMORY_AND_DISK)

    def _collect(
        self, results: Any, partitioning: Partitioning, expected: set[int]
    ) -> Iterator[PartResult]:
        """The parts, in order, screened a wave of partitions (one per core) at a time.

        A wave's results stay on the executors; each partition's come back with the wave
        when they are small (the usual case: few rows match), else on their own after it,
        so the driver holds about `FETCH_BYTES` (or one partition's results) per wave, two
        waves at most: the next one runs while the driver commits this one, so that no
        core waits for the slowest task of a wave."""
        sc = self.spark.sparkContext
        total = results.getNumPartitions()
        width = max(1, int(sc.defaultParallelism))
        waves = [list(range(i, min(total, i + width))) for i in range(0, total, width)]
        small = _small_results(FETCH_BYTES // width)
        group = f"sanctionsnet-{uuid.uuid4().hex}"

        def run(indexes: list[int]) -> list[Any]:
            sc.setJobGroup(group, "sanctionsnet screen", interruptOnCancel=True)
            return list(sc.runJob(results, small, indexes))

        pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sanctionsnet-wave")
        running: deque[tuple[list[int], Future[list[Any]]]] = deque()
        try:
            for indexes in waves[:2]:
                running.append((indexes, pool.submit(run, indexes)))
            queued = 2
            while running:
                indexes, future = running.popleft()
                answers = self._spark_call(future.result)
                if queued < len(waves):
                    running.append((waves[queued], pool.submit(run, waves[queued])))
                    queued += 1
                for index, held in zip(indexes, answers, strict=True):
                    rows = held
                    if rows is None:
                        rows = self._spark_call(lambda i=index: sc.runJob(results, _whole, [i]))
                    for part in _parts(rows):
                        self._check(part, partitioning, expected)
                        yield part
        finally:
            if running:
                with contextlib.suppress(Exception):
                    sc.cancelJobGroup(group)
            pool.shutdown(wait=True, cancel_futures=True)
        if expected:
            raise SparkError(f"parts {sorted(expected)[:10]} never came back from Spark")

    @staticmethod
    def _check(part: PartResult, partitioning: Partitioning, expected: set[int]) -> None:
        """A part comes back once, whole (every one of its lines seen)."""
        if part.part not in expected:
            raise SparkError(f"part {part.part} came back twice or was not asked for")
        if part.lines != partitioning.size(part.part):
            raise SparkError(
                f"part {part.part} came back with {part.lines} lines, not "
                f"{partitioning.size(part.part)}: Spark split the input differently"
            )
        expected.discard(part.part)

    def _spark_call(self, call: Any) -> Any:
        """`call()`, a failed Spark job reported as `SparkError` (the Python error a task
        raised, not the JVM stack around it)."""
        try:
            return call()
        except Exception as exc:
            if from_spark(exc):
                raise SparkError(f"the Spark job failed: {last_line(exc)}") from exc
            raise


def _line_keys(frame: Any) -> tuple[Any, int]:
    """Lines numbered in file order: Spark splits one text file in order, so a line's
    number is the lines of the splits before its own plus its place in its split."""
    from pyspark.sql import functions as F

    frame = frame.withColumn(_ID, F.monotonically_increasing_id())
    split = F.shiftright(F.col(_ID), _ID_BITS)
    counts = {int(p): int(n) for p, n in frame.groupBy(split.alias("split")).count().collect()}
    offsets, total = [], 0
    for split_id in range(max(counts, default=-1) + 1):
        offsets.append(total)
        total += counts.get(split_id, 0)
    if not offsets:
        return frame.withColumn(_KEY, F.lit(0).cast("long")), 0
    starts = F.array(*[F.lit(o).cast("long") for o in offsets])
    key = F.element_at(starts, split.cast("int") + 1) + F.col(_ID).bitwiseAND(_ROW_MASK) + 1
    return frame.withColumn(_KEY, key), total


def _parquet_keys(frame: Any) -> tuple[Any, int]:
    """Rows numbered in file order, files in name order (a Parquet folder's part files):
    Spark reads the biggest files first, so the number comes from each row's file and
    its index there, not from where Spark read it."""
    from pyspark.sql import functions as F

    path, index = F.col("_metadata.file_path"), F.col("_metadata.row_index")
    counts = sorted((str(p), int(n)) for p, n in frame.groupBy(path.alias("f")).count().collect())
    starts: list[Any] = []
    total = 0
    for file_path, rows in counts:
        starts += [F.lit(file_path), F.lit(total).cast("long")]
        total += rows
    if not starts:
        return frame.withColumn(_KEY, F.lit(0).cast("long")), 0
    key = F.element_at(F.create_map(*starts), path) + index + 1
    return frame.withColumn(_KEY, key), total


def _read(spark: Any, source: InputFile | SparkInput) -> Any:
    # An explicit file:// URI for a local path: a bare path would mean HDFS on a cluster
    # whose default file system it is. With a cluster, the file must be at this path on
    # every node. Written as Hadoop reads it, unescaped (as_uri() would turn a space into
    # %20, which Hadoop takes literally).
    uri = source.uri if isinstance(source, SparkInput) else f"file://{source.path.resolve()}"
    if source.format == "parquet":
        return spark.read.parquet(uri)
    return spark.read.text(uri)


def _quoted(column: str) -> str:
    """A column name Spark takes literally (dots, spaces, backticks and all)."""
    return "`" + column.replace("`", "``") + "`"


def _small_results(budget: int) -> Any:
    """A partition function: the partition's results if they take `budget` bytes at most,
    else None (they are fetched on their own). Either way the partition is computed whole,
    and so kept."""

    def results_or_none(rows: Iterable[Any]) -> list[list[tuple[int, bytes]] | None]:
        held: list[tuple[int, bytes]] = []
        size = 0
        for key, payload in rows:
            size += len(payload)
            if size <= budget:
                held.append((key, payload))
        return [held if size <= budget else None]

    return results_or_none


def _whole(rows: Iterable[Any]) -> Iterable[Any]:
    return rows


def _parts(rows: Sequence[Any]) -> Iterator[PartResult]:
    """A partition's (key, payload) pairs as parts: results, then the part's counts."""
    inputs: list[InputRow] = []
    outcomes: list[Outcome] = []
    for key, payload in rows:
        if key >= 0:
            row, outcome = pickle.loads(payload)
            inputs.append(row)
            outcomes.append(outcome)
            continue
        counts = pickle.loads(payload)
        yield PartResult(
            counts["part"], inputs, outcomes, counts["lines"], counts["rows"], counts["screened"]
        )
        inputs, outcomes = [], []


def _broadcast_plan(sc: Any, plan: Plan, key: str) -> Any:
    """The plan as a broadcast variable, shipped once per Spark application and plan."""
    cached = _BROADCASTS.get(key)
    if cached is not None and cached[0] is sc:
        return cached[1]
    for _, old in _BROADCASTS.values():
        with contextlib.suppress(Exception):  # its context may be gone
            old.destroy()
    _BROADCASTS.clear()
    broadcast = sc.broadcast(plan)
    _BROADCASTS[key] = (sc, broadcast)
    return broadcast


# -- executor side ----------------------------------------------------------------


def screen_partition(
    batches: Iterable[pa.RecordBatch], plan_bc: Any, spec: InputSpec
) -> Iterator[pa.RecordBatch]:
    """Runs on the executors: whole parts in, in file order; per part, the rows worth
    returning, then a row of counts (key -1) that says the part is complete."""
    screener = _SCREENERS.get(spec.plan)
    if screener is None:
        _SCREENERS.clear()  # another plan's index
        screener = _SCREENERS[spec.plan] = RowScreener(plan_bc.value)
    current: int | None = None
    lines = read = screened = 0
    for batch in batches:
        keys = batch.column(_KEY).to_pylist()
        parts = batch.column(_PART).to_pylist()
        start = 0
        for part, group in itertools.groupby(parts):
            size = sum(1 for _ in group)
            if part != current:
                if current is not None:
                    yield _counts_batch(current, lines, read, screened)
                current, lines, read, screened = part, 0, 0, 0
            piece = batch.slice(start, size)
            rows = list(_rows(piece, keys[start : start + size], spec))
            start += size
            lines += size
            read += len(rows)
            out_keys: list[int] = []
            payloads: list[bytes] = []
            for row, outcome in zip(rows, screener.screen(rows), strict=True):
                if outcome.error is None:
                    screened += 1
                if outcome.error is not None or outcome.matches or spec.all_rows:
                    out_keys.append(row.key)
                    payloads.append(pickle.dumps((row, outcome), protocol=pickle.HIGHEST_PROTOCOL))
            if out_keys:
                yield _output_batch(out_keys, payloads)
    if current is not None:
        yield _counts_batch(current, lines, read, screened)


def _counts_batch(part: int, lines: int, read: int, screened: int) -> pa.RecordBatch:
    counts = {"part": part, "lines": lines, "rows": read, "screened": screened}
    return _output_batch([-1], [pickle.dumps(counts)])


def _rows(batch: pa.RecordBatch, keys: list[int], spec: InputSpec) -> Iterator[InputRow]:
    if spec.format == "parquet":
        columns = [batch.column(i).to_pylist() for i in range(len(spec.columns))]
        for key, values in zip(keys, zip(*columns, strict=True), strict=True):
            yield InputRow(key, None, tuple(values))
        return
    lines = batch.column("value").to_pylist()
    columns = list(spec.columns)
    for key, text in zip(keys, lines, strict=True):
        if spec.format == "csv":
            if key == 1:
                continue  # the header
            row = parse_csv_line(text, key, spec.delimiter, len(columns))
            if row is not None:
                yield row
        elif text.strip():
            if "\ufffd" in text:
                yield InputRow(key, key, None, "not valid JSON (not valid UTF-8)")
            else:
                yield parse_json_line(text, key, columns)


def _output_batch(keys: list[int], payloads: list[bytes]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [pa.array(keys, pa.int64()), pa.array(payloads, pa.binary())], names=[_KEY, _PAYLOAD]
    )


def _rows_to_batches(rows: Iterable[Any], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """Spark rows as Arrow batches (the RDD path without pandas), so one function serves both."""
    buffer: list[dict[str, Any]] = []
    for row in rows:
        buffer.append(row.asDict())
        if len(buffer) >= _RDD_BATCH:
            yield pa.RecordBatch.from_pylist(buffer, schema=schema)
            buffer = []
    if buffer:
        yield pa.RecordBatch.from_pylist(buffer, schema=schema)


def _batches_to_tuples(batches: Iterable[pa.RecordBatch]) -> Iterator[tuple[int, bytes]]:
    for batch in batches:
        yield from zip(
            batch.column(_KEY).to_pylist(), batch.column(_PAYLOAD).to_pylist(), strict=True
        )
