"""Reading a book of parties to screen: CSV, JSON lines or Parquet, one row at a time.

Each reader knows its columns before the first row (JSON lines are scanned once for the
keys they use, in order of first appearance) and yields `InputRow`s: a key that orders
rows (the line where the row starts in CSV and JSON lines, the row number in Parquet),
and either the row's values or why the row cannot be read (a wrong number of fields,
invalid JSON, bytes that are not UTF-8). A bad row never stops the file. Keys are what
the Spark engine can compute too, from its own split of the file into lines.

An input may also be a URI (``hdfs://``, ``s3a://``, ``gs://``...): `input_location`
tells one from a path. Only Spark reads those (spark.py); a ``file://`` URI is a local path
to the local engine.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any, Protocol, cast

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from sanctionsnet.errors import SanctionsNetError

FORMATS = ("csv", "jsonl", "parquet")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_PARQUET_BATCH = 8192
#: A scheme of two letters or more, then "://": "C:/x" and "name:1" stay local paths.
_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)://")


class InputError(SanctionsNetError):
    """The input file as a whole cannot be read (missing, empty, no header, unknown format)."""


@dataclass(frozen=True, slots=True)
class InputRow:
    key: int  # orders rows: the line where the row starts, or the row number (Parquet)
    line: int | None  # that line, for formats that have lines
    values: tuple[Any, ...] | None  # one value per column, None when the row is unreadable
    error: str | None = None

    def __reduce__(self) -> tuple[type[InputRow], tuple[Any, ...]]:
        # Rows cross to batch workers by the million: pickled as a constructor call, a
        # row costs a quarter of what dataclasses' generic slot state costs.
        return (InputRow, (self.key, self.line, self.values, self.error))


class InputFile(Protocol):
    path: Path
    format: str
    columns: list[str]

    def estimate_rows(self) -> int | None: ...

    def rows(self) -> Iterator[InputRow]: ...


def uri_scheme(value: str | PurePath) -> str | None:
    """The scheme of a URI ('hdfs', 's3a', 'file'...), lower case; None for a path.

    A `Path` is never a URI: ``Path("hdfs://nn/x")`` has already lost a slash, so callers
    that accept URIs keep the text as a str."""
    if not isinstance(value, str):
        return None
    found = _URI.match(value)
    return found.group(1).lower() if found else None


def file_uri_path(uri: str) -> Path:
    """The local path of a ``file://`` URI, read as Hadoop (and so Spark) reads it: the
    path as written, with no %-decoding (``file:///data/my book.csv``), so that a URI
    names the same file on both engines."""
    rest = uri[uri.index("://") + 3 :]
    host, slash, path = rest.partition("/")
    if host not in ("", "localhost"):
        raise InputError(f"{uri}: a file:// URI names a file on this machine, not on {host}")
    return Path(slash + path)


def input_location(value: str | Path, remote_ok: bool) -> Path | str:
    """A local input as a `Path`, a URI as its text.

    With `remote_ok` (the Spark engine) every URI stays a URI, ``file://`` included, for
    Spark to read; otherwise a ``file://`` URI becomes its path and any other scheme is
    refused, with what to do instead."""
    scheme = uri_scheme(value)
    if scheme is None:
        return Path(value)
    assert isinstance(value, str)
    if remote_ok:
        return value
    if scheme == "file":
        return file_uri_path(value)
    raise InputError(
        f"{value}: the local engine reads local files only; screen it on Spark "
        f"(--engine spark, which reads {scheme}:// itself) or copy the file here first"
    )


def format_of(path: PurePath, explicit: str | None = None) -> str:
    """'csv', 'jsonl' or 'parquet', from `explicit` or the file name (a .gz suffix ignored)."""
    if explicit:
        fmt = {"ndjson": "jsonl", "json": "jsonl", "tsv": "csv"}.get(explicit, explicit)
        if fmt not in FORMATS:
            raise InputError(f"unknown format {explicit!r} (use csv, jsonl or parquet)")
        return fmt
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    found = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if found is None:
        raise InputError(
            f"{path}: cannot tell the format from the name; "
            "use .csv, .jsonl/.ndjson or .parquet, or give --input-format"
        )
    return found


def open_input(path: Path, fmt: str | None = None, delimiter: str | None = None) -> InputFile:
    """The reader for `path`; raises `InputError` naming the file when it cannot be read."""
    fmt = format_of(path, fmt)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if fmt == "csv":
        return CsvInput(path, delimiter)
    if fmt == "jsonl":
        return JsonlInput(path)
    return ParquetInput(path)


def _open_bytes(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _count_lines(path: Path) -> int | None:
    if path.suffix.lower() == ".gz":
        return None
    count, last = 0, b"\n"
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _valid_text(values: list[str]) -> bool:
    """False when a value holds bytes that were not UTF-8: decoded as surrogates here, as
    U+FFFD by Spark's text reader; both engines refuse both."""
    for v in values:
        if not v.isascii():
            if "\ufffd" in v:
                return False
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def csv_row(fields: list[str], line: int, width: int) -> InputRow:
    """Parsed CSV fields as a row (empty fields are nulls), or why they are not one."""
    if len(fields) != width:
        return InputRow(line, line, None, f"expected {width} fields, found {len(fields)}")
    if not _valid_text(fields):
        return InputRow(line, line, None, "not valid UTF-8")
    return InputRow(line, line, tuple(f if f != "" else None for f in fields))


def parse_header(
    first: str, where: str | PurePath, delimiter: str | None = None
) -> tuple[str, list[str]]:
    """The delimiter and column names of a CSV file's first line (`where` names the file).

    Without an explicit delimiter: a tab for .tsv files, else ',' or the ';' / tab / '|'
    the header uses."""
    if not first.strip():
        raise InputError(f"{where}: empty file, expected a header row of column names")
    if delimiter is None:
        name = str(where).lower().removesuffix(".gz")
        delimiter = "\t" if name.endswith(".tsv") else ","
        if delimiter == "," and "," not in first:
            delimiter = next((d for d in (";", "\t", "|") if d in first), ",")
    header = next(csv.reader([first], delimiter=delimiter))
    columns = column_names([h.strip() for h in header], where)
    if not _valid_text(columns):
        raise InputError(f"{where}: line 1: the header is not valid UTF-8")
    return delimiter, columns


class CsvInput:
    """RFC 4180 CSV with a header row; ',' or the ';' / tab the header uses; .gz read as is."""

    format = "csv"

    def __init__(self, path: Path, delimiter: str | None = None) -> None:
        self.path = path
        with self._text() as fh:
            first = fh.readline()
        self.delimiter, self.columns = parse_header(first, path, delimiter)

    def _text(self) -> IO[str]:
        return io.TextIOWrapper(
            _open_bytes(self.path), encoding="utf-8-sig", errors="surrogateescape", newline=""
        )

    def estimate_rows(self) -> int | None:
        lines = _count_lines(self.path)
        return None if lines is None else max(lines - 1, 0)

    def rows(self) -> Iterator[InputRow]:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        width = len(self.columns)
        with self._text() as fh:
            reader = csv.reader(fh, delimiter=self.delimiter, strict=False)
            next(reader, None)  # the header
            line = reader.line_num
            while True:
                start = line + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    line = reader.line_num
                    yield InputRow(start, start, None, f"not valid CSV ({exc})")
                    continue
                line = reader.line_num
                if fields and any(fields):
                    yield csv_row(fields, start, width)
                # else a blank line


class JsonlInput:
    """One JSON object per line; the columns are the keys the objects use, first seen first."""

    format = "jsonl"

    def __init__(self, path: Path) -> None:
        self.path = path
        seen: dict[str, None] = {}
        count = 0
        with _open_bytes(path) as fh:
            for raw in fh:
                if not raw.strip():
                    continue
                count += 1
                try:
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    continue  # reported with its line when the rows are read
                if isinstance(obj, dict):
                    for k in obj:
                        if k not in seen:
                            seen[k] = None
        if not seen:
            raise InputError(f"{path}: no JSON object found (expected one object per line)")
        self.columns = list(seen)
        self._count = count

    def estimate_rows(self) -> int | None:
        return self._count

    def rows(self) -> Iterator[InputRow]:
        columns = self.columns
        with _open_bytes(self.path) as fh:
            for number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                yield parse_json_line(raw, number, columns)


def parse_json_line(raw: bytes | str, number: int, columns: list[str]) -> InputRow:
    """One line of a JSON lines file as a row (shared by the local and Spark engines)."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return InputRow(number, number, None, f"not valid JSON ({exc})")
    if not isinstance(obj, dict):
        return InputRow(number, number, None, f"expected a JSON object, found {type(obj).__name__}")
    return InputRow(number, number, tuple(obj.get(c) for c in columns))


def parse_csv_line(text: str, number: int, delimiter: str, width: int) -> InputRow | None:
    """One line of a CSV file as a row, for engines that split files into lines (Spark).

    A quoted value that spans lines cannot be read this way; its lines are reported.
    """
    if not text.strip():
        return None
    if '"' in text and _ends_in_quotes(text, delimiter):
        return InputRow(
            number, number, None, "a quoted value spans lines (one record per line expected)"
        )
    try:
        fields = next(csv.reader([text], delimiter=delimiter, strict=False))
    except csv.Error as exc:
        return InputRow(number, number, None, f"not valid CSV ({exc})")
    return csv_row(fields, number, width) if any(fields) else None


def _ends_in_quotes(text: str, delimiter: str) -> bool:
    """Whether a line ends inside a quoted value (RFC 4180: quotes open only a value)."""
    quoted, at_start, i = False, True, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < len(text) and text[i + 1] == '"':
                    i += 1
                else:
                    quoted = False
        elif ch == '"' and at_start:
            quoted = True
        at_start = not quoted and ch == delimiter
        i += 1
    return quoted


class ParquetInput:
    """A Parquet file, read one batch at a time; values keep their types (dates stay dates)."""

    format = "parquet"

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
        self.schema: pa.Schema = self._file.schema_arrow
        self.columns = column_names(list(self.schema.names), path)

    def estimate_rows(self) -> int | None:
        return int(self._file.metadata.num_rows)

    def rows(self) -> Iterator[InputRow]:
        key = 0
        try:
            for batch in self._file.iter_batches(batch_size=_PARQUET_BATCH):
                columns = [col.to_pylist() for col in batch.columns]
                for values in zip(*columns, strict=True):
                    key += 1
                    yield InputRow(key, None, values)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{self.path}: unreadable after row {key} ({exc})") from exc


def column_names(names: list[str], path: str | PurePath) -> list[str]:
    """Column names as given, blanks named by position; a duplicate is an error."""
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        name = name or f"column_{i}"
        if name in out:
            raise InputError(f"{path}: duplicate column {name!r} in the header")
        out.append(name)
    return out
