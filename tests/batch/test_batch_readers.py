"""Reading books: CSV, JSON lines and Parquet, bad rows with their lines, never a stop."""

from __future__ import annotations

import datetime as dt
import gzip
import pickle
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sanctionsnet.batch.readers import (
    CsvInput,
    InputError,
    InputRow,
    format_of,
    open_input,
    parse_csv_line,
)


def test_csv_rows_carry_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_bytes(
        b"id,name,note\n"
        b"1,Alpha Fictional,\n"
        b"\n"  # blank line: skipped, still counted
        b'2,"Beta, Fictional","two\nlines"\n'
        b"3,Gamma\n"  # a field short
        b"4,Delta \xff Fictional,x\n"  # not UTF-8
        b"5,Epsilon Fictional,ok\n"
    )
    rows = list(open_input(path).rows())
    assert [(r.key, r.line) for r in rows] == [(2, 2), (4, 4), (6, 6), (7, 7), (8, 8)]
    assert rows[0].values == ("1", "Alpha Fictional", None)
    assert rows[1].values == ("2", "Beta, Fictional", "two\nlines")
    assert rows[2].values is None and rows[2].error == "expected 3 fields, found 2"
    assert rows[3].values is None and rows[3].error == "not valid UTF-8"
    assert rows[4].values == ("5", "Epsilon Fictional", "ok")


def test_csv_delimiter_from_the_header_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_bytes("\ufeffid;name\n1;Zeta Fictional\n".encode())
    source = open_input(path)
    assert isinstance(source, CsvInput) and source.delimiter == ";"
    assert source.columns == ["id", "name"]
    assert [r.values for r in source.rows()] == [("1", "Zeta Fictional")]
    assert source.estimate_rows() == 1


def test_gzip_csv(tmp_path: Path) -> None:
    path = tmp_path / "book.csv.gz"
    path.write_bytes(gzip.compress(b"name\nEta Fictional\n"))
    assert [r.values for r in open_input(path).rows()] == [("Eta Fictional",)]


def test_csv_line_parser_agrees_with_the_file_reader(tmp_path: Path) -> None:
    """The Spark engine parses CSV line by line; it must read the same rows."""
    lines = ['1,"Theta, Fictional",x', "2,Iota,", '3,"say ""hi""",y', "4,short", '5,"open']
    path = tmp_path / "book.csv"
    path.write_text("id,name,note\n" + "\n".join(lines[:4]) + "\n")
    from_file = list(open_input(path).rows())
    by_line = [parse_csv_line(text, n, ",", 3) for n, text in enumerate(lines, start=2)]
    assert by_line[:4] == from_file
    assert by_line[4] is not None and "spans lines" in (by_line[4].error or "")
    assert parse_csv_line("   ", 9, ",", 3) is None


def test_json_lines_columns_in_order_of_first_use(tmp_path: Path) -> None:
    path = tmp_path / "book.jsonl"
    path.write_text(
        '{"id": 1, "name": "Kappa Fictional"}\n'
        "\n"
        '{"id": 2, "name": ["Lambda", "Lamda"], "birthDate": "1970"}\n'
        "not json\n"
        "[1, 2]\n"
        '{"name": "Mu Fictional", "extra": {"a": 1}}\n'
    )
    source = open_input(path)
    assert source.columns == ["id", "name", "birthDate", "extra"]
    rows = list(source.rows())
    assert [r.key for r in rows] == [1, 3, 4, 5, 6]
    assert rows[0].values == (1, "Kappa Fictional", None, None)
    assert rows[1].values == (2, ["Lambda", "Lamda"], "1970", None)
    assert rows[2].error is not None and rows[2].error.startswith("not valid JSON")
    assert rows[3].error == "expected a JSON object, found list"
    assert rows[4].values == (None, "Mu Fictional", None, {"a": 1})


def test_parquet_values_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "book.parquet"
    table = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "name": ["Nu Fictional", None],
            "birthDate": pa.array([dt.date(1970, 1, 2), None], pa.date32()),
        }
    )
    pq.write_table(table, path, row_group_size=1)
    source = open_input(path)
    assert source.columns == ["id", "name", "birthDate"]
    assert source.estimate_rows() == 2
    rows = list(source.rows())
    assert [(r.key, r.line, r.values) for r in rows] == [
        (1, None, (1, "Nu Fictional", dt.date(1970, 1, 2))),
        (2, None, (2, None, None)),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("book.xlsx", b"", "cannot tell the format"),
        ("absent.csv", None, "no such file"),
        ("empty.csv", b"", "empty file"),
        ("dup.csv", b"name,name\n", "duplicate column 'name'"),
        ("none.jsonl", b"[1]\n", "no JSON object"),
        ("bad.parquet", b"not parquet", "not a readable Parquet file"),
    ],
)
def test_unreadable_inputs_name_the_file(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        open_input(path)
    assert name in str(info.value)


def test_explicit_formats() -> None:
    assert format_of(Path("book.txt"), "ndjson") == "jsonl"
    assert format_of(Path("book.data.gz"), "csv") == "csv"
    with pytest.raises(InputError, match="unknown format 'xml'"):
        format_of(Path("x"), "xml")


def test_rows_and_outcomes_cross_to_workers_intact() -> None:
    # Both are pickled by the million on their way to and from batch workers.
    from sanctionsnet.batch.screening import Outcome

    for row in (
        InputRow(7, 3, ("Ivar Korlov", dt.date(1970, 1, 2), None)),
        InputRow(9, None, None, "bad"),
    ):
        assert pickle.loads(pickle.dumps(row)) == row
    match = (
        1,
        "fictional-1",
        "Person",
        "Ivar Korlov",
        "test",
        "test",
        "1",
        "v1",
        0.9,
        "x",
        "",
        "[]",
    )
    for outcome in (Outcome(7, 3, None, (match,)), Outcome(9, None, "no name", ())):
        assert pickle.loads(pickle.dumps(outcome)) == outcome
