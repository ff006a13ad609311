"""`sanctionsnet screen` with the local engine: same scores as `match`, every format, bad rows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_book import BAD_LINES, BOOK, BOOK_HEADER, read_csv, write_csv
from typer.testing import CliRunner

from sanctionsnet.batch import BatchOptions, run_batch
from sanctionsnet.batch.columns import parse_map_options, resolve_mapping
from sanctionsnet.batch.layout import MATCH_COLUMNS
from sanctionsnet.cli import app
from sanctionsnet.screen import QueryError, Screener
from sanctionsnet.service import load_index
from sanctionsnet.store import Store

runner = CliRunner()
MATCH_NAMES = [name for name, _ in MATCH_COLUMNS]


def screen(store: Store, source: Path, out: Path | None, **kwargs: object):
    return run_batch(BatchOptions(input=source, out=out, **kwargs), store)  # type: ignore[arg-type]


def test_scores_are_those_of_screener_match(store: Store, book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    summary = screen(store, book, out, workers=2, chunk_rows=3)
    rows = read_csv(out)
    assert list(rows[0]) == BOOK_HEADER + MATCH_NAMES

    screener = Screener(load_index(store))
    mapping = resolve_mapping(BOOK_HEADER, parse_map_options([]))
    expected = []
    for values in BOOK:
        try:
            query = mapping.query([v or None for v in values])
        except QueryError:
            continue
        for rank, m in enumerate(screener.match(query), start=1):
            data = m.to_json()
            expected.append(
                (values[0], rank, data["id"], data["ref"], data["score"], data["features"])
            )
    got = [
        (
            r["id"],
            int(r["match_rank"]),
            r["match_id"],
            r["match_ref"],
            float(r["match_score"]),
            json.loads(r["match_features"]),
        )
        for r in rows
    ]
    assert got == expected
    # The book's hits, as the fictional samples list them.
    by_id = {(r["id"], r["match_rank"]): r for r in rows}
    assert by_id[("c1", "1")]["match_ref"] == "TST0001"
    assert by_id[("c4", "1")]["match_schema"] == "Vessel"  # by IMO number
    assert by_id[("c10", "1")]["match_id"] == "un-sc-kpi.901"  # 'person' read as Person
    assert {r["id"] for r in rows} == {"c1", "c3", "c4", "c7", "c9", "c10", "c12"}
    # Input columns come first, unchanged, so results join back on the book's id.
    assert by_id[("c1", "1")]["full_name"] == "Ivan Testovich Fictionalov"
    assert by_id[("c4", "1")]["imo"] == "9876543"

    assert (summary.rows, summary.screened, summary.errors) == (14, 9, 5)
    assert summary.matched_rows == 7 and summary.matches == len(rows)
    errors = read_csv(tmp_path / "out.errors.csv")
    assert [int(e["line"]) for e in errors] == sorted(BAD_LINES)
    for error in errors:
        assert BAD_LINES[int(error["line"])] in error["error"]
    assert not (tmp_path / "out.csv.partial").exists()


def test_formats_hold_the_same_rows(store: Store, book: Path, tmp_path: Path) -> None:
    screen(store, book, tmp_path / "out.csv")
    screen(store, book, tmp_path / "out.jsonl")
    screen(store, book, tmp_path / "out.parquet")
    as_csv = read_csv(tmp_path / "out.csv")
    as_jsonl = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    as_parquet = pq.read_table(tmp_path / "out.parquet").to_pylist()

    def text(row: dict) -> dict:
        return {k: "" if v is None else str(v) for k, v in row.items()}

    assert [text(r) for r in as_jsonl] == as_csv
    assert [text(r) for r in as_parquet] == as_csv
    schema = pq.read_schema(tmp_path / "out.parquet")
    assert schema.field("match_score").type == pa.float64()
    assert schema.field("match_rank").type == pa.int32()


def test_parquet_book_keeps_its_types(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "book.parquet"
    pq.write_table(
        pa.table(
            {
                "id": pa.array([7, 8], pa.int64()),
                "name": ["Hana Testova", "Nobody Fictional Atall"],
                "birthDate": pa.array([dt.date(1973, 2, 3), None], pa.date32()),
                "schema": ["Person", "Person"],
                "match_score": [0.5, 0.1],  # clashes with a match column
            }
        ),
        source,
    )
    out = tmp_path / "out.parquet"
    screen(store, source, out, all_rows=True)
    table = pq.read_table(out)
    assert table.schema.field("id").type == pa.int64()
    assert table.schema.field("birthDate").type == pa.date32()
    assert table.schema.field("input_match_score").type == pa.float64()
    rows = table.to_pylist()
    assert rows[0]["id"] == 7 and rows[0]["match_ref"] == "EU.9999.02"
    assert rows[0]["birthDate"] == dt.date(1973, 2, 3) and rows[0]["input_match_score"] == 0.5
    assert rows[-1]["id"] == 8 and rows[-1]["match_id"] is None


def test_all_rows_keeps_every_screened_row_in_order(
    store: Store, book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    screen(store, book, out, all_rows=True, workers=2, chunk_rows=2)
    rows = read_csv(out)
    ids = list(dict.fromkeys(r["id"] for r in rows))
    assert ids == [b[0] for b in BOOK if int(b[0][1:]) + 1 not in BAD_LINES]
    misses = [r for r in rows if r["id"] in ("c2", "c11")]
    assert misses and all(r["match_id"] == "" and r["match_score"] == "" for r in misses)


def test_workers_chunks_and_repeated_rows_do_not_change_results(
    store: Store, tmp_path: Path
) -> None:
    repeated = [row for _ in range(4) for row in BOOK]
    source = write_csv(tmp_path / "book.csv", BOOK_HEADER, repeated)
    screen(store, source, tmp_path / "one.csv", workers=1)
    screen(store, source, tmp_path / "two.csv", workers=2, chunk_rows=5)
    one = (tmp_path / "one.csv").read_bytes()
    assert one == (tmp_path / "two.csv").read_bytes()
    rows = read_csv(tmp_path / "one.csv")
    per_copy = len(rows) // 4
    strip = [{k: v for k, v in r.items()} for r in rows]
    assert strip[:per_copy] == strip[per_copy : 2 * per_copy]


def test_cli_writes_csv_to_stdout_and_reports_bad_rows(store: Store, book: Path) -> None:
    result = runner.invoke(app, ["screen", str(book), "--threshold", "0.95", "--limit", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split(",")[:7] == [*BOOK_HEADER, "match_rank"]
    assert all(",1," in line for line in lines[1:])  # one match per row at most
    assert "skipped line 6: unknown country 'Narnia'" in result.stderr
    assert "skipped line 7: no name to screen" in result.stderr
    assert "14 rows, 9 screened" in result.stderr


def test_cli_mapping_option(store: Store, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "book.csv", ["Ref", "Customer Name", "Kind"], [["r1", "Hana Testova", "P"]]
    )
    out = tmp_path / "out.jsonl"
    args = ["screen", str(source), "-o", str(out), "--map", "Customer Name=name"]
    result = runner.invoke(app, [*args, "--map", "Kind=", "--schema", "Person", "-q"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["Ref"] == "r1" and row["match_ref"] == "EU.9999.02"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["absent.csv"], "no such file"),
        (["{book}", "--map", "Nope=name"], "'Nope'"),
        (["{book}", "--algorithm", "fancy"], "unknown algorithm 'fancy'"),
        (["{book}", "--format", "parquet"], "Parquet output needs a file"),
        (["{book}", "--engine", "gpu"], "unknown engine 'gpu'"),
        (["{book}", "-o", "{book}"], "would overwrite the input"),
        (["{book}", "-o", "{dir}/out.xlsx"], "cannot tell the output format"),
        (["{book}", "--threshold", "7"], "between 0 and 1"),
        (["{book}", "--changes-since", "someday"], "not a date (YYYY-MM-DD) nor a version"),
    ],
)
def test_cli_refuses_bad_commands_before_writing(
    store: Store, book: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    before = set(tmp_path.iterdir())
    args = [a.format(book=book, dir=tmp_path) for a in args]
    result = runner.invoke(app, ["screen", *args])
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert set(tmp_path.iterdir()) == before


def test_empty_store_is_explained(home: Path, book: Path) -> None:
    result = runner.invoke(app, ["screen", str(book)])
    assert result.exit_code == 1 and "store" in result.stderr and "empty" in result.stderr


def test_cli_json_lines_on_stdout_and_summary_file(
    store: Store, book: Path, tmp_path: Path
) -> None:
    summary_path = tmp_path / "summary.json"
    result = runner.invoke(
        app, ["screen", str(book), "--format", "jsonl", "--summary", str(summary_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["match_score"] >= 0.7 for r in rows)
    assert rows[0]["id"] == "c1" and rows[0]["imo"] is None
    # Without an errors file every bad row is on stderr, quiet or not.
    assert result.stderr.count("skipped line") == len(BAD_LINES)
    summary = json.loads(summary_path.read_text())
    assert summary["rows"] == 14 and summary["errors"] == len(BAD_LINES)
    assert summary["matches"] == len(rows) and summary["engine"] == "local"
    assert set(summary["versions"]) == set(Store(store.home).datasets())


def test_output_folder_must_exist(store: Store, book: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["screen", str(book), "-o", str(tmp_path / "no" / "out.csv")])
    assert result.exit_code == 1 and "no such folder" in result.stderr


def test_repeated_query_cache_keeps_the_newest_and_stays_bounded(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sanctionsnet.batch.readers import InputRow
    from sanctionsnet.batch.screening import Pass, Plan, RowScreener, Settings

    mapping = resolve_mapping(BOOK_HEADER, {"type": "schema"}, default_schema="Person")
    plan = Plan(mapping=mapping, settings=Settings(), passes=[Pass(index=load_index(store))])
    screener = RowScreener(plan, cache_size=2)
    screened: list[str] = []
    original = RowScreener._screen

    def counting(self: RowScreener, query: object) -> object:
        screened.append(query.names[0])  # type: ignore[attr-defined]
        return original(self, query)  # type: ignore[arg-type]

    monkeypatch.setattr(RowScreener, "_screen", counting)
    by_id = {row[0]: tuple(row) for row in BOOK}
    order = ["c1", "c2", "c1", "c7", "c1", "c2", "c7"]
    rows = [InputRow(n, n, by_id[c]) for n, c in enumerate(order)]
    first = screener.screen(rows)
    # c1 is cached (hit), c7 pushes out c1 (the oldest), c1 pushes out c2, and so on.
    assert screened == [by_id[c][1] for c in ["c1", "c2", "c7", "c1", "c2", "c7"]]
    assert len(screener.cache) == 2
    again = RowScreener(plan, cache_size=1_000).screen(rows)
    assert [o.matches for o in first] == [o.matches for o in again]
