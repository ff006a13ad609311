"""Books given as URIs: Spark reads them itself, the local engine refuses them cleanly.

`file://` URIs stand in for hdfs://, s3a://...: they take the same path (Spark reads the
book, finds its columns, the Hadoop FileSystem identifies it), and the results must
equal the local engine's on the same book. A scheme no file system serves must end in
a clear error naming the URI, never a traceback. One Spark session serves the module;
the books are the FICTIONAL batch book.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_book import BOOK, BOOK_HEADER, write_csv
from typer.testing import CliRunner

from sanctionsnet.batch import BatchOptions, run_batch, spark_input
from sanctionsnet.batch import spark as spark_engine
from sanctionsnet.batch.readers import InputError
from sanctionsnet.batch.runner import Interrupted
from sanctionsnet.cli import app
from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_engine.spark_session("local[2]")
    yield session
    session.stop()


def test_csv_uri_equals_the_local_engine(spark: Any, store: Store, tmp_path: Path) -> None:
    rows = [[f"{r[0]}-{n}", *r[1:]] for n in range(3) for r in BOOK]
    folder = tmp_path / "my books"  # a space: Hadoop takes paths as written, unescaped
    folder.mkdir()
    book = write_csv(folder / "book.csv", BOOK_HEADER, rows)
    local = tmp_path / "local.csv"
    run_batch(BatchOptions(input=book, out=local, workers=1), store)
    for name, given in (("uri", f"file://{book}"), ("path", book)):
        out = tmp_path / f"{name}.csv"
        summary = run_batch(
            BatchOptions(input=given, out=out, engine="spark", spark_partitions=3), store
        )
        assert summary.input == str(given)
        assert (summary.rows, summary.errors) == (42, 15)
        assert out.read_bytes() == local.read_bytes()
        errors = tmp_path / f"{name}.errors.csv"
        assert errors.read_bytes() == (tmp_path / "local.errors.csv").read_bytes()


class CtrlCAfter:
    """A progress sink that presses Ctrl-C once `parts` parts are committed."""

    def __init__(self, parts: int) -> None:
        self.left = parts

    def start(self, total: int | None, done: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        self.left -= 1
        if not self.left:
            raise KeyboardInterrupt

    def stop(self) -> None:
        pass


def test_a_stopped_uri_run_resumes(spark: Any, store: Store, tmp_path: Path) -> None:
    """The identity the file system gives is the same on the rerun: the run goes on."""
    rows = [[f"{r[0]}-{n}", *r[1:]] for n in range(4) for r in BOOK]
    book = write_csv(tmp_path / "book.csv", BOOK_HEADER, rows)
    out = tmp_path / "out.csv"
    options = BatchOptions(input=book.as_uri(), out=out, engine="spark", spark_partitions=4)
    with pytest.raises(Interrupted, match="2 of 4 parts done"):
        run_batch(options, store, CtrlCAfter(2))
    summary = run_batch(options, store)
    assert 0 < summary.resumed_at < summary.rows == len(rows)
    local = tmp_path / "local.csv"
    run_batch(BatchOptions(input=book, out=local, workers=1), store)
    assert out.read_bytes() == local.read_bytes()


def test_json_lines_uri_columns_in_first_seen_order(
    spark: Any, store: Store, tmp_path: Path
) -> None:
    """Columns come from Spark's scan of the objects: the same order the local reader finds."""
    lines = [json.dumps(dict(zip(BOOK_HEADER, r, strict=True))) for r in BOOK]
    lines.insert(2, "{not json")
    # A key first seen late, and keys in another order: columns follow first appearance.
    lines.append(json.dumps({"type": "Person", "full_name": "Hana Testova", "note": "late key"}))
    book = tmp_path / "book.jsonl"
    book.write_text("\n".join(lines) + "\n")
    source = spark_input.open_spark_input(spark, book.as_uri())
    assert source.columns == [*BOOK_HEADER, "note"]
    local, remote = tmp_path / "local.jsonl", tmp_path / "remote.jsonl"
    run_batch(BatchOptions(input=book, out=local, workers=1, all_rows=True), store)
    run_batch(BatchOptions(input=book.as_uri(), out=remote, engine="spark", all_rows=True), store)
    assert remote.read_bytes() == local.read_bytes()
    assert json.loads(remote.read_text().splitlines()[-1])["note"] == "late key"


def test_parquet_folder_read_in_file_order(spark: Any, store: Store, tmp_path: Path) -> None:
    """A folder of part files (as Spark writes datasets) is read in name order, row by row,
    although Spark itself reads the biggest file first."""
    table = pa.table(
        {
            "id": pa.array(range(len(BOOK) * 3), pa.int64()),
            "name": [r[1] or None for r in BOOK] * 3,
            "schema": [r[4] or None for r in BOOK] * 3,
        }
    )
    folder = tmp_path / "book.parquet"
    folder.mkdir()
    pq.write_table(table.slice(0, 5), folder / "part-00000.parquet")
    pq.write_table(table.slice(5), folder / "part-00001.parquet", row_group_size=7)
    (folder / "_SUCCESS").write_text("")
    whole = tmp_path / "whole.parquet"
    pq.write_table(table, whole)

    local, remote = tmp_path / "local.parquet", tmp_path / "remote.parquet"
    run_batch(BatchOptions(input=whole, out=local, workers=1), store)
    summary = run_batch(
        BatchOptions(input=folder.as_uri(), out=remote, engine="spark", spark_partitions=4), store
    )
    assert summary.rows == len(BOOK) * 3
    expected = pq.read_table(local)
    assert expected.num_rows > 10
    assert pq.read_table(remote).equals(expected)  # same values, same types, same order
    errors = (tmp_path / "remote.errors.csv").read_text()
    assert errors == (tmp_path / "local.errors.csv").read_text()
    assert errors.startswith("row,error\n6,no name to screen")


def test_empty_parquet_uri_gives_an_empty_result(spark: Any, store: Store, tmp_path: Path) -> None:
    book = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"name": pa.array([], pa.string())}), book)
    out = tmp_path / "out.parquet"
    summary = run_batch(BatchOptions(input=book.as_uri(), out=out, engine="spark"), store)
    assert (summary.rows, summary.matches) == (0, 0)
    result = pq.read_table(out)
    assert result.num_rows == 0 and result.column_names[:2] == ["name", "match_rank"]


def test_the_file_system_identifies_the_input(spark: Any, tmp_path: Path) -> None:
    book = write_csv(tmp_path / "book.csv", BOOK_HEADER, BOOK)
    found = spark_input.file_identity(spark, book.as_uri())
    stat = book.stat()
    assert found == {
        "uri": book.as_uri(),
        "size": stat.st_size,
        "modified_ms": stat.st_mtime_ns // 1_000_000,
    }
    folder = tmp_path / "ds"
    folder.mkdir()
    pq.write_table(pa.table({"name": ["Fictional One"]}), folder / "part-0.parquet")
    (folder / "_SUCCESS").write_text("")
    before = spark_input.file_identity(spark, folder.as_uri())
    assert (before["files"], before["size"]) == (1, (folder / "part-0.parquet").stat().st_size)
    pq.write_table(pa.table({"name": ["Fictional Two"]}), folder / "part-1.parquet")
    assert (
        spark_input.file_identity(spark, folder.as_uri())["listing_sha256"]
        != (before["listing_sha256"])
    )


def test_unreadable_uris_are_clear_errors(
    spark: Any, store: Store, sample_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    env = {"SANCTIONSNET_HOME": str(sample_home)}
    for uri, says in (
        ("fakefs://nowhere/books/book.csv", "no file system for fakefs://"),
        ((tmp_path / "missing.csv").as_uri(), "no such file"),
        ("fakefs://nowhere/books/book", "cannot tell the format"),
    ):
        result = runner.invoke(
            app, ["screen", uri, "--engine", "spark", "--out", str(out)], env=env
        )
        assert result.exit_code == 1, result.output
        assert f"{uri}: " in result.output and says in result.output
        assert "Traceback" not in result.output
        assert not out.exists() and not (tmp_path / "out.csv.spark-partial").exists()
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder; a CSV or JSON lines book must be one"):
        run_batch(BatchOptions(input=folder.as_uri(), out=out, engine="spark"), store)


def test_local_engine_reads_file_uris_and_refuses_remote_ones(
    store: Store, sample_home: Path, tmp_path: Path
) -> None:
    """No Spark here: the local engine takes file:// as a path and refuses other schemes."""
    book = write_csv(tmp_path / "my book.csv", BOOK_HEADER, BOOK)
    out = tmp_path / "out.csv"
    # As Hadoop writes them: the path as is, no %-escapes.
    summary = run_batch(BatchOptions(input=f"file://{book}", out=out, workers=1), store)
    assert summary.rows == len(BOOK) and out.exists()

    env = {"SANCTIONSNET_HOME": str(sample_home)}
    result = runner.invoke(app, ["screen", "hdfs://nn/books/customers.parquet"], env=env)
    assert result.exit_code == 1
    assert "hdfs://nn/books/customers.parquet: the local engine reads local files only" in (
        result.output
    )
    assert "--engine spark" in result.output and "Traceback" not in result.output

    remote_out = "s3a://bucket/results.csv"
    result = runner.invoke(
        app, ["screen", str(book), "--engine", "spark", "--out", remote_out], env=env
    )
    assert result.exit_code == 1
    assert f"{remote_out}: remote --out needs Spark to write" in result.output
    with pytest.raises(SanctionsNetError, match="the output would overwrite the input"):
        run_batch(BatchOptions(input=f"file://{book}", out=book, engine="spark"), store)
    assert os.path.getsize(book) > 0
