"""Writing screening results as CSV, JSON lines or Parquet.

Results are written in parts (one per committed chunk of input, see checkpoint.py) and
assembled into the final file at the end, so the output format decides two things only:
how a part is written and how parts are joined (CSV: one header, then the parts' bodies;
JSON lines: the parts one after the other; Parquet: each part a row group).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from sanctionsnet.batch.columns import as_text
from sanctionsnet.batch.layout import Layout
from sanctionsnet.batch.readers import InputError, format_of

Row = Sequence[Any]
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}


def output_format(out: Path | None, explicit: str | None) -> str:
    """The output format: `explicit`, else from the file name, else CSV (standard output)."""
    if explicit:
        return format_of(Path("x"), explicit)
    if out is None:
        return "csv"
    try:
        return format_of(out)
    except InputError:
        raise InputError(
            f"{out}: cannot tell the output format from the name; "
            "use .csv, .jsonl or .parquet, or give --format"
        ) from None


def render(value: Any) -> str:
    """A value as CSV text: nulls empty, floats exact (repr), lists as JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple | dict):
        return orjson.dumps(value, default=as_text).decode()
    return as_text(value)


def _json_default(value: Any) -> Any:
    return as_text(value)


def csv_header(layout: Layout) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(layout.names)
    return buffer.getvalue()


def write_csv(fh: IO[str], rows: Iterable[Row]) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerows([render(v) for v in row] for row in rows)


def write_jsonl(fh: IO[bytes], layout: Layout, rows: Iterable[Row]) -> None:
    names = layout.names
    option = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
    for row in rows:
        fh.write(
            orjson.dumps(dict(zip(names, row, strict=True)), default=_json_default, option=option)
        )


def arrow_table(layout: Layout, rows: Sequence[Row]) -> pa.Table:
    """Rows as a table of the layout's schema; text-typed input columns get rendered text."""
    schema = layout.arrow_schema()
    columns: list[pa.Array] = []
    for i, field in enumerate(schema):
        values = [row[i] for row in rows]
        if pa.types.is_string(field.type):
            values = [None if v is None else render(v) for v in values]
        columns.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def write_part(path: Path, fmt: str, layout: Layout, rows: Sequence[Row]) -> None:
    """One part file, durable on disk before it is named (write, fsync, rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "parquet":
        pq.write_table(arrow_table(layout, rows), tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
    else:
        with tmp.open("wb") as fh:
            if fmt == "csv":
                text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
                write_csv(text, rows)
                text.flush()
                text.detach()
            else:
                write_jsonl(fh, layout, rows)
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)


def assemble(parts: Sequence[Path], fmt: str, layout: Layout, target: Path) -> None:
    """Join the parts into `target` atomically: a reader sees the old file or the whole new one."""
    tmp = target.with_name(f".{target.name}.assembling")
    if fmt == "parquet":
        with pq.ParquetWriter(tmp, layout.arrow_schema()) as writer:
            if not parts:
                writer.write_table(arrow_table(layout, []))
            for part in parts:
                writer.write_table(pq.read_table(part, schema=layout.arrow_schema()))
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
    else:
        with tmp.open("wb") as out:
            if fmt == "csv":
                out.write(csv_header(layout).encode())
            for part in parts:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
    os.replace(tmp, target)


class StreamWriter:
    """Results straight to standard output (CSV or JSON lines), as they come, in order."""

    def __init__(self, fmt: str, layout: Layout, stream: IO[str]) -> None:
        if fmt == "parquet":
            raise InputError("Parquet output needs a file: give --out FILE.parquet")
        self.fmt = fmt
        self.layout = layout
        self.stream = stream
        if fmt == "csv":
            stream.write(csv_header(layout))

    def write(self, rows: Sequence[Row]) -> None:
        if self.fmt == "csv":
            write_csv(self.stream, rows)
        else:
            buffer = io.BytesIO()
            write_jsonl(buffer, self.layout, rows)
            self.stream.write(buffer.getvalue().decode())
        self.stream.flush()
