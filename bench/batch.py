"""Batch screening throughput: rows per second of `sanctionsnet screen`, local and on Spark.

Usage:
    python bench/batch.py [--home DIR] [--data DIR] [--rows N] [--workers 1,2]
                          [--spark-rows N] [--spark-master local[2]] [--no-spark] [--keep DIR]

The book is synthetic: the 50k global negatives of ../shared/data/eval (people on no
list) and the UN treated positives (listed people, names perturbed), shuffled with a
fixed seed, as a customer book would hold them: an id, a schema column (Person), the
name, the birth date and the nationality; written once as CSV and as Parquet. It is
screened against the newest publication of every real list (bench/ingest.py LATEST,
kept in --home if given; SANCTIONSNET_HOME=/tmp/realhome works as --home /tmp/realhome).

It prints:

1. loading the index from its on-disk cache (what every run pays first);
2. the engine alone: `Query` + `Screener.match` in one process over the first 2,000
   rows, rows per second: what one core gives, the ceiling of any batch engine per core;
3. the local engine: `sanctionsnet screen` in a fresh process per run (cold caches, as
   a user runs it), for each --workers value, on CSV and Parquet input: rows per second
   (the fixed cost of a run -- start-up, index load, workers -- measured on a one-row
   book and left out), the time a million-row book would take at that rate, rows per
   CPU second (which other load on a shared machine does not distort), rows with a
   match, and how many UN positives found a match (a sanity check, not a quality
   figure: see bench/quality.py);
4. the Spark engine in local mode over the first --spark-rows rows: session start-up
   apart, rows per second, and whether its output equals the local engine's on the
   same rows, byte for byte.

Target (issue 4): at least 5,000 rows/s locally on 2 cores. The machine is small and
shared: figures vary by 10-30 % between runs and with other load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import evalsets  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from common import table  # noqa: E402

from sanctionsnet._kernel import describe_kernel  # noqa: E402
from sanctionsnet.batch import BatchOptions, run_batch  # noqa: E402
from sanctionsnet.batch.columns import resolve_mapping  # noqa: E402
from sanctionsnet.batch.readers import open_input  # noqa: E402
from sanctionsnet.screen import QueryError, Screener  # noqa: E402
from sanctionsnet.service import load_index  # noqa: E402
from sanctionsnet.store import Store  # noqa: E402

HEADER = ["customer_id", "schema", "full_name", "date_of_birth", "nationality"]
ENGINE_ROWS = 2000
MILLION = 1_000_000


def compose_negatives(
    rows: list[evalsets.PersonRow], count: int, seed: int = 0
) -> list[evalsets.PersonRow]:
    """`count` people on no list, composed from the 50k negatives' own name parts.

    Each is one negative (given names, birth date, nationality, name order and script)
    with the surname of another negative of the same nationality, so names repeat as in
    a real customer book (common given names and surnames, rare combinations) without
    repeating whole rows. A composition that happens to equal an existing row is kept:
    real books hold namesakes too.
    """
    rng = random.Random(seed)
    by_country: dict[str, list[evalsets.PersonRow]] = {}
    for r in rows:
        if r.last_name and r.last_name in r.full_name:
            by_country.setdefault(r.nationality, []).append(r)
    donors = [r for group in by_country.values() for r in group]
    out = []
    for n in range(count):
        base = rng.choice(donors)
        other = rng.choice(by_country[base.nationality])
        head, _, tail = base.full_name.rpartition(base.last_name)
        name = f"{head}{other.last_name}{tail}" if head or tail else other.last_name
        out.append(
            evalsets.PersonRow(
                line=n + 2,
                full_name=name,
                first_name=base.first_name,
                middle_name=base.middle_name,
                last_name=other.last_name,
                gender=base.gender,
                date_of_birth=base.date_of_birth,
                place_of_birth=base.place_of_birth,
                nationality=base.nationality,
            )
        )
    return out


def build_book(
    data: Path, rows: int | None, folder: Path, seed: int = 0, composed: int | None = None
) -> tuple[Path, Path]:
    """The synthetic book as CSV and Parquet; ids 'pos-N' mark the UN positives. With
    `composed`, the negatives are that many people composed from the 50k negatives' name
    parts (`compose_negatives`) instead of the 50k themselves."""
    negatives = evalsets.negatives_50k(data)
    if composed is not None:
        negatives = compose_negatives(negatives, composed, seed)
    book = [("neg", r) for r in negatives]
    book += [("pos", treated) for treated, _ in evalsets.un_positives(data)]
    random.Random(seed).shuffle(book)
    if rows is not None:
        book = book[:rows]
    records = [
        [f"{kind}-{n}", "Person", r.full_name, r.date_of_birth, r.nationality]
        for n, (kind, r) in enumerate(book)
    ]
    csv_path = folder / "book.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(records)
    parquet_path = folder / "book.parquet"
    columns = {
        name: pa.array([r[i] or None for r in records], pa.string())
        for i, name in enumerate(HEADER)
    }
    pq.write_table(pa.table(columns), parquet_path)
    return csv_path, parquet_path


def engine_alone(store: Store, book: Path, rows: int) -> tuple[float, float]:
    """Rows per second of Query + Screener.match in this process (one core), by the wall
    clock and by this process's CPU time."""
    source = open_input(book)
    mapping = resolve_mapping(source.columns, {})
    screener = Screener(load_index(store))
    queries = []
    for row in source.rows():
        if len(queries) >= rows:
            break
        try:
            queries.append(mapping.query(row.values or ()))
        except QueryError:
            continue
    for query in queries[:50]:  # reference data and caches loaded before timing
        screener.match(query)
    started, cpu = time.perf_counter(), time.process_time()
    for query in queries:
        screener.match(query)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(queries) / wall, len(queries) / cpu


def children_cpu() -> float:
    """CPU seconds of the finished child processes (a run and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def screen_cli(
    book: Path, out: Path, workers: int, home: Path, engine: str = "local"
) -> tuple[dict[str, Any], float]:
    """`sanctionsnet screen` in a fresh process (cold caches, as a user runs it): its
    summary, and the CPU seconds it and its workers used."""
    summary_path = out.with_name(out.name + ".summary.json")
    before = children_cpu()
    command = [sys.executable, "-m", "sanctionsnet", "screen", str(book), "--out", str(out)]
    command += ["--workers", str(workers), "--engine", engine, "--restart", "-q"]
    command += ["--summary", str(summary_path)]
    done = subprocess.run(
        command, env={**os.environ, "SANCTIONSNET_HOME": str(home)}, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    summary: dict[str, Any] = json.loads(summary_path.read_text())
    return summary, children_cpu() - before


def found_positives(out: Path) -> int:
    with out.open(newline="", encoding="utf-8") as fh:
        return len(
            {r["customer_id"] for r in csv.DictReader(fh) if r["customer_id"].startswith("pos-")}
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="store with the real lists (kept)")
    parser.add_argument("--data", type=Path, help="shared data folder")
    parser.add_argument("--rows", type=int, help="rows of the book (default: all, ~50.7k)")
    parser.add_argument(
        "--composed",
        type=int,
        metavar="N",
        help="a book of N people composed from the negatives' name parts (a million-row "
        "book: --composed 1000000) instead of the 50k negatives themselves",
    )
    parser.add_argument("--workers", default="1,2", help="worker counts to time, e.g. 1,2")
    parser.add_argument("--spark-rows", type=int, default=5000)
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--formats", default="csv,parquet", help="input formats to time")
    parser.add_argument("--keep", type=Path, help="keep the book and outputs in this folder")
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]

    data = common.data_dir(args.data)
    store = common.open_store(args.home, data)
    os.environ["SANCTIONSNET_HOME"] = str(store.home)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sanctionsnet-batch-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_book, parquet_book = build_book(data, args.rows, folder, composed=args.composed)
    total = sum(1 for _ in open_input(csv_book).rows())
    positives = sum(1 for r in open_input(csv_book).rows() if str(r.values[0]).startswith("pos-"))
    print(f"book: {total:,} rows ({positives:,} UN positives), {csv_book}")
    print(f"cores available: {len(os.sched_getaffinity(0))}, load average {os.getloadavg()[0]:.1f}")
    print(describe_kernel())

    started, cpu = time.perf_counter(), time.process_time()
    index = load_index(store)
    print(
        f"index: {index.stats.records:,} records, loaded from cache in "
        f"{time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} CPU s)"
    )
    alone, alone_cpu = engine_alone(store, csv_book, ENGINE_ROWS)
    print(
        f"engine alone (Query + Screener.match, 1 process, first {ENGINE_ROWS:,} rows, cold): "
        f"{alone:,.0f} rows/s, {alone_cpu:,.0f} rows per CPU s"
    )

    # What every run pays once (imports, index load, workers started): a one-row book.
    tiny = folder / "tiny.csv"
    tiny.write_text(csv_book.read_text(encoding="utf-8").split("\n", 2)[0] + "\nx,Person,A B,,\n")
    fixed = {w: screen_cli(tiny, folder / f"tiny-{w}.csv", w, store.home)[1] for w in workers}
    print(
        "fixed cost per run (start-up, index load, workers): "
        + ", ".join(f"{w} worker(s) {cpu:.1f} CPU s" for w, cpu in fixed.items())
        + "\n"
    )

    results = []
    local_outputs: dict[int, Path] = {}
    for count in workers:
        for label, book in (("csv", csv_book), ("parquet", parquet_book)):
            if label not in args.formats.split(","):
                continue
            out = folder / f"out-{count}-{label}.csv"
            summary, cpu = screen_cli(book, out, count, store.home)
            per_cpu = summary["rows"] / max(cpu - fixed[count], 1e-9)
            rate = summary["rows_per_second"]
            results.append(
                [
                    f"local, {count} worker(s), {label}",
                    f"{summary['rows']:,}",
                    f"{summary['seconds']:.1f}",
                    f"{rate:,.0f}",
                    f"{MILLION / rate / 60:.1f}" if rate else "-",
                    f"{per_cpu:,.0f}",
                    f"{summary['matched_rows']:,}",
                    f"{found_positives(out):,}/{positives:,}",
                    f"{summary['errors']:,}",
                ]
            )
            if label == "csv":
                local_outputs[count] = out
            print(f"  {results[-1][0]}: {rate:,.0f} rows/s", flush=True)
    outputs = list(local_outputs.values())
    same = all(o.read_bytes() == outputs[0].read_bytes() for o in outputs)

    if not args.no_spark:
        results.append(spark_row(store, csv_book, folder, args.spark_rows, args.spark_master))

    print()
    print(
        table(
            [
                "engine",
                "rows",
                "seconds",
                "rows/s",
                "min per 1M rows",
                "rows per CPU s",
                "rows matched",
                "UN positives matched",
                "bad rows",
            ],
            results,
            title="Batch screening against every real list (default algorithm, threshold 0.7)",
        )
    )
    print(f"\nlocal outputs identical across worker counts: {same}")
    print(
        "Each local run is a fresh `sanctionsnet screen` process (cold caches). rows/s leaves "
        "out the\nfixed cost above; rows per CPU s: rows over the CPU time the run used "
        "(process and workers,\nless the fixed cost), what each core gives when no other work "
        "takes it."
    )
    print(f"target: 5,000 rows/s on 2 cores (a million rows in {MILLION / 5000 / 60:.1f} min)")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


def spark_row(store: Store, book: Path, folder: Path, rows: int, master: str) -> list[str]:
    """Spark local mode over the first `rows` rows, compared with the local engine."""
    from sanctionsnet.batch.spark import spark_session

    subset = folder / "spark-book.csv"
    with book.open(encoding="utf-8") as src, subset.open("w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n > rows:
                break
            dst.write(line)
    started = time.perf_counter()
    session = spark_session(master)
    print(f"  spark session ({master}) started in {time.perf_counter() - started:.1f} s")
    local = folder / "spark-local.csv"
    screen_cli(subset, local, 2, store.home)
    out = folder / "spark-out.csv"
    # A first tiny run starts the Python workers and ships the index, as a long job would
    # once; the timed run is the steady state.
    warm = folder / "spark-warm.csv"
    head = folder / "spark-head.csv"
    with subset.open(encoding="utf-8") as src, head.open("w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n > 10:
                break
            dst.write(line)
    run_batch(BatchOptions(input=head, out=warm, engine="spark"), store)
    summary = run_batch(BatchOptions(input=subset, out=out, engine="spark"), store)
    session.stop()
    equal = out.read_bytes() == local.read_bytes()
    rate = summary.rows_per_second
    print(f"  spark {master}: {rate:,.0f} rows/s, output equals local: {equal}", flush=True)
    return [
        f"spark {master} (equal to local: {'yes' if equal else 'NO'})",
        f"{summary.rows:,}",
        f"{summary.seconds:.1f}",
        f"{rate:,.0f}",
        f"{MILLION / rate / 60:.1f}" if rate else "-",
        "-",
        f"{summary.matched_rows:,}",
        f"{found_positives(out):,}",
        f"{summary.errors:,}",
    ]


if __name__ == "__main__":
    main()
