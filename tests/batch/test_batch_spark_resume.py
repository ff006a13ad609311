"""A stopped or failed Spark run resumes: the parts done are kept, the rest are screened.

Runs are stopped with Ctrl-C's KeyboardInterrupt from the progress hook (the runner calls
it after each committed part) and fail on a Spark task that raises on the executors.
The rerun must write byte for byte what an uninterrupted run and the local engine write,
having screened every row exactly once over the runs. The book is the FICTIONAL batch
book, read by Spark in several splits (small split size) so that line numbers cross
splits. One Spark session serves the module.
"""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from batch_book import BOOK, BOOK_HEADER, write_csv
from typer.testing import CliRunner

from sanctionsnet.batch import BatchOptions, run_batch
from sanctionsnet.batch import spark as spark_engine
from sanctionsnet.batch.checkpoint import ResumeError
from sanctionsnet.batch.runner import Interrupted
from sanctionsnet.batch.spark import SparkError
from sanctionsnet.batch.spark_checkpoint import SparkCheckpoint, partial_dir
from sanctionsnet.cli import app
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store

PARTS = 6
COPIES = 8  # the book eight times over: 112 rows, 40 of them bad


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_engine.spark_session("local[2]")
    # Splits of 1 KiB: the 5 KiB book is read in several, as a big file is on a cluster.
    session.conf.set("spark.sql.files.maxPartitionBytes", "1024")
    yield session
    session.stop()


@pytest.fixture
def book(tmp_path: Path) -> Path:
    rows = [[f"{r[0]}-{n}", *r[1:]] for n in range(COPIES) for r in BOOK]
    return write_csv(tmp_path / "book.csv", BOOK_HEADER, rows)


class StopAfter:
    """A progress sink that raises `error` once `parts` parts are committed."""

    def __init__(self, parts: int, error: BaseException) -> None:
        self.left = parts
        self.error = error

    def start(self, total: int | None, done: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        self.left -= 1
        if self.left == 0:
            raise self.error

    def stop(self) -> None:
        pass


def spark_options(book: Path, out: Path, **more: Any) -> BatchOptions:
    return BatchOptions(
        **{"input": book, "out": out, "engine": "spark", "spark_partitions": PARTS, **more}
    )


def done_parts(out: Path) -> list[str]:
    return sorted(p.name for p in partial_dir(out).glob("part-*.done.json"))


def test_stopped_then_failed_run_resumes_to_the_uninterrupted_output(
    spark: Any, store: Store, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert spark.read.text(book.as_uri()).rdd.getNumPartitions() >= 3
    local = tmp_path / "local.csv"
    run_batch(BatchOptions(input=book, out=local, workers=1), store)
    whole = tmp_path / "whole.csv"
    run_batch(spark_options(book, whole), store)
    assert whole.read_bytes() == local.read_bytes()

    out = tmp_path / "out.csv"
    reported: list[int] = []

    def on_error(key: int, line: int | None, message: str) -> None:
        reported.append(key)

    with pytest.raises(Interrupted, match="2 of 6 parts done.*rerun the same command"):
        run_batch(spark_options(book, out), store, StopAfter(2, KeyboardInterrupt()), on_error)
    assert not out.exists() and len(done_parts(out)) == 2

    # Then a task fails on the executors when it reaches the last part.
    real = spark_engine._small_results

    def failing(budget: int) -> Any:
        inner = real(budget)

        def run(rows: Any) -> Any:
            rows = list(rows)
            for key, payload in rows:
                if key < 0 and pickle.loads(payload)["part"] == PARTS - 1:
                    raise ValueError("the executor lost its disk")
            return inner(iter(rows))

        return run

    with monkeypatch.context() as patch:
        patch.setattr(spark_engine, "_small_results", failing)
        with pytest.raises(SparkError, match="lost its disk; the . of 6 parts done are kept"):
            run_batch(spark_options(book, out), store, on_error=on_error)
    assert not out.exists() and 2 < len(done_parts(out)) < PARTS
    # What a kill between a part's files and its marker leaves: files no marker names.
    partial = partial_dir(out)
    (partial / "part-000099.csv").write_text("not a result\n")
    (partial / ".part-000098.done.json.tmp").write_text("{")

    summary = run_batch(spark_options(book, out), store, on_error=on_error)
    assert 0 < summary.resumed_at < summary.rows == len(BOOK) * COPIES
    assert out.read_bytes() == whole.read_bytes()
    assert (tmp_path / "out.errors.csv").read_bytes() == (
        tmp_path / "local.errors.csv"
    ).read_bytes()
    # Every bad row was met exactly once over the three runs: no part screened twice.
    assert len(reported) == len(set(reported)) == summary.errors == 5 * COPIES
    assert not partial.exists() and not (tmp_path / "out.csv.lock").exists()


def test_a_changed_job_does_not_resume(
    spark: Any, store: Store, sample_home: Path, book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(Interrupted):
        run_batch(spark_options(book, out), store, StopAfter(1, KeyboardInterrupt()))
    kept = done_parts(out)
    assert len(kept) == 1

    with pytest.raises(ResumeError, match="the options differ.*--restart"):
        run_batch(spark_options(book, out, threshold=0.95), store)
    with pytest.raises(ResumeError, match="in 6 parts, not 4.*--spark-partitions 6"):
        run_batch(spark_options(book, out, spark_partitions=4), store)

    # The lists moved on: a store with one more (FICTIONAL) list than the run used.
    home = tmp_path / "home"
    shutil.copytree(sample_home, home)
    newer = Store(home)
    extra = tmp_path / "extra.json"
    entity = {"id": "FIC-X", "schema": "Person", "properties": {"name": ["Xeno Fittizio"]}}
    extra.write_text(json.dumps(entity) + "\n")
    import_files(newer, "ftm", [extra], dataset="fictional_extra")
    with pytest.raises(ResumeError, match=r"the lists changed \(fictional_extra: None -> "):
        run_batch(spark_options(book, out), newer)

    with book.open("a") as fh:
        fh.write("c99,Another Fictional Party,,,Person,\n")
    with pytest.raises(ResumeError, match="the input changed"):
        run_batch(spark_options(book, out), store)
    assert done_parts(out) == kept  # a refusal leaves the unfinished run as it was

    summary = run_batch(spark_options(book, out, restart=True), store)
    assert summary.resumed_at == 0 and summary.rows == len(BOOK) * COPIES + 1
    local = tmp_path / "local.csv"
    run_batch(BatchOptions(input=book, out=local, workers=1), store)
    assert out.read_bytes() == local.read_bytes()


def test_results_on_standard_output_come_in_file_order(
    spark: Any, store: Store, book: Path, tmp_path: Path
) -> None:
    expected, streamed = StringIO(), StringIO()
    run_batch(BatchOptions(input=book, workers=1, all_rows=True), store, stdout=expected)
    summary = run_batch(
        BatchOptions(input=book, engine="spark", spark_partitions=PARTS, all_rows=True),
        store,
        stdout=streamed,
    )
    assert summary.rows == len(BOOK) * COPIES
    assert streamed.getvalue() == expected.getvalue()
    assert expected.getvalue().count("\n") > len(BOOK) * COPIES - 5 * COPIES


def test_screen_command_stops_on_ctrl_c_and_resumes(
    spark: Any, store: Store, sample_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More parts asked for than the book has lines: the rerun, same command, still resumes."""
    book = write_csv(tmp_path / "book.csv", BOOK_HEADER, [BOOK[0], BOOK[4], BOOK[6]])
    out = tmp_path / "out.csv"
    command = ["screen", str(book), "--engine", "spark", "--spark-partitions", "6", "-o", str(out)]
    env = {"SANCTIONSNET_HOME": str(sample_home)}
    commit = SparkCheckpoint.commit
    commits: list[int] = []

    def commit_then_ctrl_c(self: SparkCheckpoint, part: int, *args: Any) -> None:
        commit(self, part, *args)
        commits.append(part)
        if len(commits) == 2:  # the header's part and the first row's
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(SparkCheckpoint, "commit", commit_then_ctrl_c)
        stopped = CliRunner().invoke(app, command, env=env)
    assert stopped.exit_code == 130, stopped.output
    assert "interrupted with 2 of 4 parts done (1 rows)" in stopped.output
    assert "rerun the same command to resume" in stopped.output
    assert "Traceback" not in stopped.output and not out.exists()

    resumed = CliRunner().invoke(app, command, env=env)
    assert resumed.exit_code == 0, resumed.output
    assert "resuming: 2 of 4 parts were done" in resumed.output
    assert "resumed with 1 rows done before" in resumed.output
    local = tmp_path / "local.csv"
    run_batch(BatchOptions(input=book, out=local, workers=1), store)
    assert out.read_bytes() == local.read_bytes()
    assert out.read_text().count("\n") >= 3  # two hits, one bad row in the errors file
