"""Books given as URIs for the Spark engine: what Spark finds in them, and what identifies
them for a resume.

Spark reads the input itself, so the columns come from Spark too (the header line, the
Parquet schema, the keys the JSON objects use), and a resume tells the same input by
what the Hadoop FileSystem reports (size and modification time; per file for a folder),
without reading its bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import orjson
import pyarrow as pa

from sanctionsnet.batch.readers import (
    InputError,
    column_names,
    format_of,
    parse_header,
)
from sanctionsnet.errors import SanctionsNetError


class SparkError(SanctionsNetError):
    """Spark could not be started, could not read the input, or a job failed."""


@dataclass
class SparkInput:
    """A book given as a URI: Spark reads it, and found its columns."""

    uri: str
    format: str
    columns: list[str]
    delimiter: str = ","
    #: Parquet: the column types as Spark reads them (None when Arrow has no equivalent).
    schema: pa.Schema | None = None
    #: What the Hadoop FileSystem reports of it, for a resume to tell it is the same.
    identity: dict[str, Any] = field(default_factory=dict)

    def estimate_rows(self) -> int | None:
        return None  # the engine counts lines before it screens


def open_spark_input(
    spark: Any, uri: str, fmt: str | None = None, delimiter: str | None = None
) -> SparkInput:
    """The book at `uri` as Spark sees it; `InputError` naming the URI when it cannot be read."""
    try:
        # The name as Hadoop reads it: after the scheme and authority, no %-decoding.
        fmt = format_of(PurePosixPath("/" + uri.split("://", 1)[1].partition("/")[2]), fmt)
    except InputError as exc:
        if fmt:
            raise
        raise InputError(
            f"{uri}: cannot tell the format from the name; "
            "use .csv, .jsonl/.ndjson or .parquet, or give --input-format"
        ) from exc
    identity = file_identity(spark, uri)
    if identity.get("files") is not None and fmt != "parquet":
        raise InputError(
            f"{uri}: is a folder; a CSV or JSON lines book must be one file "
            "(a Parquet book may be a folder of part files)"
        )
    try:
        if fmt == "parquet":
            frame = spark.read.parquet(uri)
            columns = column_names(list(frame.columns), uri)
            return SparkInput(uri, fmt, columns, schema=_arrow_or_none(frame), identity=identity)
        lines = spark.read.text(uri)
        if fmt == "csv":
            first = lines.limit(1).collect()
            text = first[0][0].removeprefix("\ufeff") if first else ""
            found, columns = parse_header(text, uri, delimiter)
            return SparkInput(uri, fmt, columns, found, identity=identity)
        columns = _json_columns(lines)
    except InputError:
        raise
    except Exception as exc:
        if from_spark(exc):
            raise InputError(f"{uri}: Spark cannot read it as {fmt}: {last_line(exc)}") from exc
        raise
    if not columns:
        raise InputError(f"{uri}: no JSON object found (expected one object per line)")
    return SparkInput(uri, fmt, columns, identity=identity)


def file_identity(spark: Any, uri: str) -> dict[str, Any]:
    """The URI with the size and modification time the Hadoop FileSystem reports.

    A folder (a Parquet dataset) is identified by its files' names, sizes and times,
    files Spark skips (``_SUCCESS``, ``.crc``...) left out. Nothing is read from the file:
    on object stores an overwrite changes the time, and a byte hash would mean a read."""
    sc = spark.sparkContext
    try:
        path = sc._jvm.org.apache.hadoop.fs.Path(uri)
        fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
        status = fs.getFileStatus(path)
        if not status.isDirectory():
            return {
                "uri": uri,
                "size": status.getLen(),
                "modified_ms": status.getModificationTime(),
            }
        listing = []
        files = fs.listFiles(path, True)
        root = str(status.getPath().toString()).rstrip("/") + "/"
        while files.hasNext():
            st = files.next()
            name = str(st.getPath().toString()).removeprefix(root)
            if any(_hidden(p) for p in name.split("/")):
                continue
            listing.append((name, st.getLen(), st.getModificationTime()))
    except Exception as exc:
        if from_spark(exc):
            raise InputError(_unreadable(uri, exc)) from exc
        raise
    listing.sort()
    return {
        "uri": uri,
        "files": len(listing),
        "size": sum(size for _, size, _ in listing),
        "modified_ms": max((t for _, _, t in listing), default=0),
        "listing_sha256": hashlib.sha256(orjson.dumps(listing)).hexdigest(),
    }


def _hidden(name: str) -> bool:
    """Files and folders Spark does not read: ``_SUCCESS``, ``.part-0.crc``, uploads."""
    return (
        name.startswith(".")
        or (name.startswith("_") and "=" not in name)
        or name.endswith("._COPYING_")
    )


def _unreadable(uri: str, exc: BaseException) -> str:
    """Why the file system refused `uri`, in a user's words, with what to do."""
    java = getattr(exc, "java_exception", None)
    kind = str(java.getClass().getName()) if java is not None else ""
    message = str(java.getMessage() or "") if java is not None else str(exc)
    scheme = urlsplit(uri).scheme
    if kind.endswith("FileNotFoundException"):
        escaped = " (Hadoop reads a path as written: no %-escapes)" if "%" in uri else ""
        return f"{uri}: no such file{escaped}"
    if kind.endswith("UnsupportedFileSystemException") or "ClassNotFoundException" in message:
        return (
            f"{uri}: this Spark has no file system for {scheme}:// "
            "(add its connector, e.g. hadoop-aws for s3a://, to spark.jars.packages)"
        )
    first = message.strip().splitlines()[0] if message.strip() else kind or type(exc).__name__
    return f"{uri}: Spark cannot read it ({first[:300]})"


def _json_columns(lines: Any) -> list[str]:
    """The keys the objects of a JSON lines file use, first seen first (as JsonlInput).

    Each partition reports where it first saw each key; the driver keeps the earliest
    (partitions of a file's lines come in file order)."""

    def first_keys(index: int, rows: Iterable[Any]) -> Iterator[tuple[str, tuple[int, int, int]]]:
        seen: dict[str, tuple[int, int, int]] = {}
        for number, row in enumerate(rows):
            text = row[0]
            if not text or not text.strip() or "\ufffd" in text:
                continue  # blank, or not UTF-8: JsonlInput cannot parse those either
            try:
                obj = orjson.loads(text)
            except orjson.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                for position, key in enumerate(obj):
                    seen.setdefault(key, (index, number, position))
        yield from seen.items()

    first: dict[str, tuple[int, int, int]] = {}
    for key, where in lines.rdd.mapPartitionsWithIndex(first_keys).collect():
        if key not in first or where < first[key]:
            first[key] = where
    return sorted(first, key=first.__getitem__)


def _arrow_or_none(frame: Any) -> pa.Schema | None:
    try:
        return _arrow_schema(frame)
    except (TypeError, NotImplementedError):  # a Spark type Arrow has no match for
        return None


def _arrow_schema(frame: Any) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(frame.schema)


def from_spark(exc: BaseException) -> bool:
    """Whether an error came from Spark or its JVM (Py4J)."""
    return type(exc).__module__.startswith(("py4j", "pyspark"))


def last_line(exc: BaseException) -> str:
    """The Python error a failed task reports, not the JVM stack around it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    errors = [line for line in lines if "Error:" in line or "Exception:" in line]
    return (errors or lines or [type(exc).__name__])[-1][:500]
