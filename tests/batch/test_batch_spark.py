"""The Spark engine (local mode) writes what the local engine writes, row for row.

One Spark session serves the whole module; each test screens the same FICTIONAL book
with both engines and compares the output files byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_book import BOOK, BOOK_HEADER, write_csv

from sanctionsnet.batch import BatchOptions, run_batch
from sanctionsnet.batch import spark as spark_engine
from sanctionsnet.store import Store


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_engine.spark_session("local[2]")
    yield session
    session.stop()


def both(store: Store, source: Path, tmp_path: Path, suffix: str, **options: Any) -> list[Path]:
    outs = []
    for engine in ("local", "spark"):
        out = tmp_path / f"{engine}{suffix}"
        summary = run_batch(
            BatchOptions(input=source, out=out, engine=engine, spark_partitions=3, **options),
            store,
        )
        assert summary.engine == engine
        outs.append(out)
    return outs


def test_csv_book_equal_row_for_row(spark: Any, store: Store, tmp_path: Path) -> None:
    rows = [[f"{r[0]}-{n}", *r[1:]] for n in range(3) for r in BOOK]
    source = write_csv(tmp_path / "book.csv", BOOK_HEADER, rows)
    local, remote = both(store, source, tmp_path, ".csv")
    assert local.read_bytes().count(b"\n") > 20
    assert remote.read_bytes() == local.read_bytes()
    errors = (tmp_path / "spark.errors.csv").read_text()
    assert errors == (tmp_path / "local.errors.csv").read_text()
    assert "6,unknown country 'Narnia'" in errors


def test_json_lines_book_with_all_rows(spark: Any, store: Store, tmp_path: Path) -> None:
    source = tmp_path / "book.jsonl"
    lines = [json.dumps(dict(zip(BOOK_HEADER, r, strict=True))) for r in BOOK]
    lines.insert(3, "")  # a blank line
    lines.insert(5, "{not json")
    lines.append(json.dumps({"id": 99, "full_name": ["Hana Testova", "Hana T."], "type": "Person"}))
    source.write_text("\n".join(lines) + "\n")
    local, remote = both(store, source, tmp_path, ".jsonl", all_rows=True)
    assert remote.read_bytes() == local.read_bytes()
    last = json.loads(local.read_text().splitlines()[-1])
    assert last["id"] == 99 and last["full_name"] == ["Hana Testova", "Hana T."]
    errors = (tmp_path / "spark.errors.csv").read_text()
    assert errors == (tmp_path / "local.errors.csv").read_text()
    assert '6,"not valid JSON' in errors


def test_parquet_book_through_the_rdd_path(
    spark: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandas, pyspark refuses mapInArrow; the same partition function runs on RDDs."""
    monkeypatch.setattr(spark_engine, "has_pandas", lambda: False)
    source = tmp_path / "book.parquet"
    pq.write_table(
        pa.table(
            {
                "id": pa.array(range(len(BOOK)), pa.int64()),
                "name": [r[1] or None for r in BOOK],
                "birthDate": pa.array(
                    [dt.date(1973, 2, 3) if r[0] == "c7" else None for r in BOOK], pa.date32()
                ),
                "schema": [r[4] or None for r in BOOK],
            }
        ),
        source,
        row_group_size=4,
    )
    local, remote = both(store, source, tmp_path, ".parquet")
    assert pq.read_table(remote).equals(pq.read_table(local))
    assert pq.read_table(local).num_rows > 10
