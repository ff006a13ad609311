"""Reading the CSV publications of the UK lists: text decoding and numbered rows.

Both UK formats are published as CSV in UTF-8 (sometimes with a byte-order mark)
or, in older files, Windows-1252. Every row comes with the line it starts on, so
that an error can name it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import InputFile


def decode_text(file: InputFile) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError("neither UTF-8 nor Windows-1252 text", file=file.name, line=line) from exc


def numbered_rows(file: InputFile, text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows of `text` with the 1-based line each starts on; malformed CSV is a SourceError."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(f"malformed CSV: {exc}", file=file.name, line=start) from exc
        yield start, row
