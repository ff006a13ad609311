"""The Spark engine: the same scoring function on Apache Spark, the index broadcast.

Spark reads the book (CSV and JSON lines as text lines, Parquet as Parquet), so the
input may live wherever the cluster can read it (``hdfs://``, ``s3a://``...). Each row
is numbered by its line (or row) in the file from Spark's own split of it, the rows
are spread over the cluster, and every partition applies `RowScreener`, the function
the local engine runs, with the plan (mapping, settings, index) broadcast once per
executor. Only rows with a match or an error (every row with ``--all-rows``) come back
to the driver, in file order (each partition holds a contiguous block of the file), where
the local engine's writers write them: the output is the local engine's, row for row.

Partitions go through `DataFrame.mapInArrow`. pyspark 3.5 refuses that call when pandas
is missing (it only checks; Arrow does the work), so without pandas the same partition
function runs through `RDD.mapPartitions`, fed the same Arrow batches.

Differences from the local engine, both from reading text by lines: a quoted CSV value
that spans lines is reported as a bad row instead of being read, and bytes that are not
UTF-8 reach the row as U+FFFD, which both engines refuse.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import uuid
from collections.abc import Iterable, Iterator
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
from sanctionsnet.errors import SanctionsNetError

_ID = "_sn_id"
_KEY = "_sn_key"
_PAYLOAD = "_sn_payload"
_OUTPUT_SCHEMA = f"{_KEY} long, {_PAYLOAD} binary"
_ID_BITS = 33  # monotonically_increasing_id: partition id above, row within below
_ROW_MASK = (1 << _ID_BITS) - 1
_RDD_BATCH = 1024

# Per Python worker (workers are reused across tasks and jobs): the screener of the last plan.
_SCREENERS: dict[str, RowScreener] = {}
# On the driver: the broadcast of the last plan, for the next run of the same plan.
_BROADCASTS: dict[str, tuple[Any, Any]] = {}


class SparkError(SanctionsNetError):
    """Spark could not be started or could not read the input."""


@dataclass(frozen=True)
class InputSpec:
    """How a partition turns its slice of the file into rows."""

    format: str
    columns: tuple[str, ...]
    delimiter: str
    all_rows: bool
    plan: str  # names the broadcast plan: a reused worker that holds it does not load it again


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
        # Spark's stage progress bar, on a terminal only (the rows come back at the end).
        .config("spark.ui.showConsoleProgress", str(sys.stderr.isatty()).lower())
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing, master unreachable: Py4J and JVM errors alike
        raise SparkError(f"could not start Spark ({master or 'local[*]'}): {exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """Screens a whole input on Spark and yields the results in file order."""

    def __init__(
        self,
        plan: Plan,
        master: str | None = None,
        partitions: int | None = None,
        all_rows: bool = False,
        session: Any = None,
    ) -> None:
        self.plan = plan
        self.master = master
        self.partitions = partitions
        self.all_rows = all_rows
        self.session = session
        self.totals: dict[str, int] = {"rows": 0, "screened": 0}

    def run(
        self, source: InputFile, chunk_rows: int = 256
    ) -> Iterator[tuple[list[InputRow], list[Outcome]]]:
        """Chunks of rows worth writing (a match, an error, or all with all_rows), in order."""
        spark = self.session or spark_session(self.master)
        try:
            yield from self._run(spark, source, chunk_rows)
        except Exception as exc:
            if type(exc).__module__.startswith(("py4j", "pyspark")):
                raise SparkError(f"the Spark job failed: {_last_line(exc)}") from exc
            raise

    def _run(
        self, spark: Any, source: InputFile, chunk_rows: int
    ) -> Iterator[tuple[list[InputRow], list[Outcome]]]:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        # An explicit file:// URI: a bare path would mean HDFS on a cluster whose default
        # file system it is. With a cluster, the file must be at this path on every node.
        path = source.path.resolve().as_uri()
        if source.format == "parquet":
            frame = spark.read.parquet(path).select(*source.columns)
        else:
            frame = spark.read.text(path)
        frame = frame.withColumn(_ID, F.monotonically_increasing_id())
        # Rows per partition of the read, so each partition knows where its rows are.
        counts = dict(frame.groupBy(F.spark_partition_id()).count().collect())
        offsets, total = {}, 0
        for part in sorted(counts):
            offsets[part] = total
            total += counts[part]
        sc = spark.sparkContext
        spec = InputSpec(
            source.format,
            tuple(source.columns),
            source.delimiter if isinstance(source, CsvInput) else ",",
            self.all_rows,
            self.plan.identity or uuid.uuid4().hex,
        )
        plan_bc = _broadcast_plan(sc, self.plan, spec.plan)
        partitions = self.partitions or max(2 * sc.defaultParallelism, len(counts), 1)
        # Contiguous blocks of the file per partition, each in file order: the results come
        # back in file order without sorting them (a sort would screen everything twice, once
        # to sample the keys).
        frame = frame.repartitionByRange(partitions, _ID).sortWithinPartitions(_ID)

        def screen(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            return screen_partition(batches, plan_bc, offsets, spec)

        if has_pandas():
            results = frame.mapInArrow(screen, _OUTPUT_SCHEMA)
        else:
            arrow_schema = _arrow_schema(frame)
            rdd = frame.rdd.mapPartitions(
                lambda rows: _batches_to_tuples(screen(_rows_to_batches(rows, arrow_schema)))
            )
            results = spark.createDataFrame(rdd, _OUTPUT_SCHEMA)
        # Screen every partition at once (toLocalIterator alone would compute them one after
        # the other), keep what comes out, then hand it to the driver partition by partition.
        results = results.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            results.count()
            yield from self._collect(results.toLocalIterator(), chunk_rows)
        finally:
            results.unpersist()

    def _collect(
        self, rows: Iterable[Any], chunk_rows: int
    ) -> Iterator[tuple[list[InputRow], list[Outcome]]]:
        inputs: list[InputRow] = []
        outcomes: list[Outcome] = []
        for key, payload in rows:
            if key < 0:  # a partition's counts
                for name, value in pickle.loads(payload).items():
                    self.totals[name] = self.totals.get(name, 0) + value
                continue
            row, outcome = pickle.loads(payload)
            inputs.append(row)
            outcomes.append(outcome)
            if len(inputs) >= chunk_rows:
                yield inputs, outcomes
                inputs, outcomes = [], []
        if inputs:
            yield inputs, outcomes


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


def _last_line(exc: BaseException) -> str:
    """The Python error a failed task reports, not the JVM stack around it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    errors = [line for line in lines if "Error:" in line or "Exception:" in line]
    return (errors or lines or [type(exc).__name__])[-1][:500]


def screen_partition(
    batches: Iterable[pa.RecordBatch], plan_bc: Any, offsets: dict[int, int], spec: InputSpec
) -> Iterator[pa.RecordBatch]:
    """Runs on the executors: rows of a partition in, rows worth returning out."""
    screener = _SCREENERS.get(spec.plan)
    if screener is None:
        _SCREENERS.clear()  # another plan's index
        screener = _SCREENERS[spec.plan] = RowScreener(plan_bc.value)
    rows_seen = screened = 0
    for batch in batches:
        ids = batch.column(_ID).to_pylist()
        keys = [offsets.get(i >> _ID_BITS, 0) + (i & _ROW_MASK) + 1 for i in ids]
        rows = list(_rows(batch, keys, spec))
        rows_seen += len(rows)
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
    counts = {"rows": rows_seen, "screened": screened}
    yield _output_batch([-1], [pickle.dumps(counts)])


def _rows(batch: pa.RecordBatch, keys: list[int], spec: InputSpec) -> Iterator[InputRow]:
    if spec.format == "parquet":
        columns = [batch.column(name).to_pylist() for name in spec.columns]
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


def _arrow_schema(frame: Any) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(frame.schema)


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
