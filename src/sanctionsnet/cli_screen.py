"""`sanctionsnet screen`: a whole book of customers, counterparties or vessels at once."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console

from sanctionsnet.errors import SanctionsNetError

#: Bad rows echoed on stderr as they come; all of them go to the errors file.
SHOWN_ERRORS = 10


def register(app: typer.Typer) -> None:
    app.command("screen")(screen)


def screen(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="CSV, JSON lines or Parquet file of parties; with --engine spark also a URI "
            "the cluster reads (hdfs://, s3a://, gs://, abfss://...)",
        ),
    ],
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            help="Output file, .csv/.jsonl/.parquet, written locally (default: CSV on stdout)",
        ),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=PROPERTY, e.g. 'Customer Name=name', 'DOB=birthDate', 'Type=schema'; "
            "COLUMN= ignores a column. Repeatable.",
        ),
    ] = None,
    schema: Annotated[
        str, typer.Option(help="Schema of rows without a schema column (Person, Company...)")
    ] = "LegalEntity",
    threshold: Annotated[
        float | None, typer.Option(help="Minimum score (default: the algorithm's)")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most matches reported per row")] = 10,
    algorithm: Annotated[str, typer.Option(help="default or ofac")] = "default",
    engine: Annotated[str, typer.Option(help="local (every core) or spark")] = "local",
    workers: Annotated[
        int | None, typer.Option(help="Worker processes of the local engine (default: cores)")
    ] = None,
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            help="Screen only against entries added, changed or removed since this date "
            "(YYYY-MM-DD) or list version",
        ),
    ] = None,
    all_rows: Annotated[
        bool, typer.Option("--all-rows", help="Also write rows without a match (match empty)")
    ] = False,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="csv, jsonl or parquet (default: name)")
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", help="Output csv, jsonl or parquet (default: name)")
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter (default: from the header line)")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume/--restart",
            help="Go on from where an interrupted run of the same job stopped, or start over",
        ),
    ] = True,
    spark_master: Annotated[
        str | None, typer.Option("--spark-master", help="Spark master URL (default: local[*])")
    ] = None,
    spark_partitions: Annotated[
        int | None,
        typer.Option(
            "--spark-partitions",
            help="Parts the book is cut into, each screened and committed on its own "
            "(default: 2 per core, at most 50,000 lines each); a resumed run keeps its own",
        ),
    ] = None,
    checkpoint_every: Annotated[
        float,
        typer.Option(
            "--checkpoint-every", help="Seconds between commits of results (what a kill can lose)"
        ),
    ] = 5.0,
    summary_path: Annotated[
        Path | None, typer.Option("--summary", help="Also write the run's summary as JSON here")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or messages, errors only")
    ] = False,
) -> None:
    """Screen every row of a file against the current lists: one output row per match."""
    from sanctionsnet.batch.progress import RichProgress
    from sanctionsnet.batch.runner import BatchOptions, Interrupted, location, run_batch
    from sanctionsnet.store import open_store

    err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    shown = 0

    def on_error(key: int, line: int | None, message: str) -> None:
        nonlocal shown
        shown += 1
        # With --out every bad row is listed in the errors file; on stdout, stderr is all.
        if shown <= SHOWN_ERRORS or out is None:
            err.print(f"[yellow]skipped[/] {location(key, line)}: {message}", highlight=False)

    def info(message: str) -> None:
        if not quiet:
            err.print(message, highlight=False, soft_wrap=True)

    # Text, not Path: Path("hdfs://nn/book.csv") would lose a slash; run_batch tells
    # URIs from paths.
    options = BatchOptions(
        input=input_path,
        out=out,
        maps=maps or (),
        default_schema=schema,
        threshold=threshold,
        limit=limit,
        algorithm=algorithm,
        engine=engine,
        workers=workers,
        changes_since=changes_since,
        all_rows=all_rows,
        input_format=input_format,
        output_format=output_format,
        delimiter=delimiter,
        restart=not resume,
        spark_master=spark_master,
        spark_partitions=spark_partitions,
        commit_seconds=checkpoint_every,
    )
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        summary = run_batch(
            options,
            open_store(),
            progress=RichProgress(err, enabled=err.is_terminal and not quiet),
            on_error=on_error,
            info=info,
        )
    except Interrupted as exc:
        err.print(f"[bold yellow]stopped:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=130) from None
    except BrokenPipeError:  # `sanctionsnet screen book.csv | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(code=0) from None
    except (SanctionsNetError, OSError) as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if shown > SHOWN_ERRORS and out is not None:
        err.print(f"... and {shown - SHOWN_ERRORS} more rows skipped", highlight=False)
    if summary_path is not None:
        import orjson

        summary_path.write_bytes(orjson.dumps(summary.to_json(), option=orjson.OPT_INDENT_2))
    if not quiet:
        resumed = ""
        if summary.resumed_at and summary.engine == "spark":  # parts finish in any order
            resumed = f", resumed with {summary.resumed_at:,} rows done before"
        elif summary.resumed_at:
            resumed = f", resumed at row {summary.resumed_at:,}"
        err.print(
            f"{summary.rows:,} rows, {summary.screened:,} screened, "
            f"{summary.matched_rows:,} with matches ({summary.matches:,} matches), "
            f"{summary.errors:,} skipped; {summary.seconds:.1f} s, "
            f"{summary.rows_per_second:,.0f} rows/s{resumed}",
            highlight=False,
        )
        if summary.output:
            err.print(f"results: {summary.output}", highlight=False)
    if summary.errors_file:
        err.print(f"rows not screened: {summary.errors_file}", highlight=False)


def _terminate(signum: int, frame: FrameType | None) -> None:
    """`kill` stops a run like Ctrl-C: the committed part is kept for a resume."""
    raise KeyboardInterrupt
