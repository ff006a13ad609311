"""The `sanctionsnet` command: thin wrappers that parse arguments, call the core, render."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.ingest import import_files, update_source
from sanctionsnet.samples import SAMPLE_DATES, SAMPLES, sample_paths
from sanctionsnet.sources import REGISTRY, get_source
from sanctionsnet.store import ImportResult, Store, Version, diff_versions, open_store

app = typer.Typer(
    name="sanctionsnet",
    help="Sanctions screening and sanctions-evasion analysis on the official lists.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (scripts, CI logs) gets wide tables instead of rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def _fail(exc: Exception) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _report_import(result: ImportResult, as_json: bool) -> None:
    v = result.version
    if as_json:
        print(json.dumps({"created": result.created, "current": result.current, **v.to_json()}))
        return
    for warning in v.warnings if result.created else []:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    published = v.published.isoformat() if v.published else "unknown date"
    if not result.created:
        console.print(
            f"{v.dataset}: unchanged, these files are already stored as version {v.id} "
            f"(published {published})"
        )
        return
    state = (
        "now current"
        if result.current
        else f"kept as history; current is {result.previous_current}"
    )
    console.print(
        f"{v.dataset}: imported version [bold]{v.id}[/] (published {published}, "
        f"from {v.published_basis}): {v.entries:,} entries, {v.stats['entities']:,} entities; {state}"
    )


@app.command("import")
def import_cmd(
    source: Annotated[str, typer.Argument(help=f"Source id: {', '.join(REGISTRY)}")],
    paths: Annotated[list[Path], typer.Argument(help="Files of one publication")],
    dataset: Annotated[
        str | None, typer.Option(help="Store name for the ftm source (required there)")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) for formats without one inside"),
    ] = None,
    allow_shrink: Annotated[
        bool, typer.Option("--allow-shrink", help="Accept a list with >20% fewer entries")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Import local files of one publication as a new version."""
    try:
        result = import_files(
            open_store(),
            source,
            paths,
            dataset=dataset,
            published=_parse_date(published),
            allow_shrink=allow_shrink,
        )
    except SanctionsNetError as exc:
        raise _fail(exc) from None
    _report_import(result, as_json)


@app.command()
def update(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources to update (default: all)")
    ] = None,
    mirror: Annotated[
        Path | None,
        typer.Option(help="Read the official file names from this folder instead of the web"),
    ] = None,
    allow_shrink: Annotated[bool, typer.Option("--allow-shrink")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Download the official publications (or read them from a mirror) and import them."""
    store = open_store()
    chosen = sources or [s for s in REGISTRY if s != "ftm"]
    failures = 0
    for source_id in chosen:
        try:
            result = update_source(store, source_id, mirror=mirror, allow_shrink=allow_shrink)
        except SanctionsNetError as exc:
            failures += 1
            err.print(f"[bold red]error:[/] {source_id}: {exc}", highlight=False, soft_wrap=True)
            continue
        _report_import(result, as_json)
    if failures:
        raise typer.Exit(code=1)


def _versions_json(store: Store) -> list[dict[str, Any]]:
    out = []
    for name in store.datasets():
        current = store.current(name)
        out.append(
            {
                "dataset": name,
                "current": current.id if current else None,
                "versions": [v.to_json() for v in store.versions(name)],
            }
        )
    return out


@app.command("lists")
def lists_cmd(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    all_versions: Annotated[
        bool, typer.Option("--versions", help="Show every version, not only the current one")
    ] = False,
) -> None:
    """Sources in the store: versions, publication dates and what the entries carry."""
    try:
        store = open_store()
        if as_json:
            print(json.dumps(_versions_json(store), indent=2, ensure_ascii=False))
            return
        render_lists(store, all_versions=all_versions)
    except SanctionsNetError as exc:
        raise _fail(exc) from None


def render_lists(store: Store, all_versions: bool = False) -> None:
    datasets = store.datasets()
    if not datasets:
        console.print(f"The store at {store.home} is empty. Try `sanctionsnet quickstart`.")
        return
    table = Table(title=f"sanctionsnet store: {store.home}", title_justify="left")
    table.add_column("source")
    table.add_column("versions", justify="right")
    table.add_column("version")
    table.add_column("published")
    for col in ("entries", "people", "orgs", "vessels", "aircraft"):
        table.add_column(col, justify="right")
    for col in ("with DOB", "alias", "identifier", "address"):
        table.add_column(col, justify="right")
    for name in datasets:
        current = store.current(name)
        versions = store.versions(name)
        shown = versions if all_versions else [current] if current else []
        for v in reversed(shown):
            table.add_row(*_version_row(name, v, current, len(versions)))
    console.print(table)


def _version_row(name: str, v: Version, current: Version | None, count: int) -> list[str]:
    s = v.stats
    by_schema: dict[str, int] = s.get("by_schema", {})
    orgs = sum(
        n
        for k, n in by_schema.items()
        if k in ("Organization", "Company", "LegalEntity", "PublicBody")
    )
    marker = " *" if current and v.id == current.id else ""
    return [
        name,
        str(count),
        v.id + marker,
        v.published.isoformat() if v.published else "?",
        f"{v.entries:,}",
        f"{by_schema.get('Person', 0):,}",
        f"{orgs:,}",
        f"{by_schema.get('Vessel', 0):,}",
        f"{by_schema.get('Airplane', 0):,}",
        f"{s.get('with_birth_date', 0):,}",
        f"{s.get('with_alias', 0):,}",
        f"{s.get('with_identifier', 0):,}",
        f"{s.get('with_address', 0):,}",
    ]


@app.command()
def diff(
    source: Annotated[str, typer.Argument(help="Source id or dataset name")],
    from_version: Annotated[
        str | None, typer.Option("--from", help="Older version (id, prefix or date)")
    ] = None,
    to_version: Annotated[
        str | None, typer.Option("--to", help="Newer version (default: the latest)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    limit: Annotated[int, typer.Option(help="Entries shown per section (text output)")] = 50,
) -> None:
    """Entries added, removed and changed between two versions (default: the last two)."""
    try:
        store = open_store()
        versions = store.versions(source)
        if len(versions) < 2 and not (from_version and to_version):
            raise SanctionsNetError(
                f"{source}: need two versions to compare, the store has {len(versions)}"
            )
        new = store.version(source, to_version) if to_version else versions[-1]
        if from_version:
            old = store.version(source, from_version)
        else:
            older = [v for v in versions if v.sort_key() < new.sort_key()]
            if not older:
                raise SanctionsNetError(f"{source}: no version older than {new.id}")
            old = older[-1]
        result = diff_versions(store.entities(old), store.entities(new))
    except SanctionsNetError as exc:
        raise _fail(exc) from None
    if as_json:
        data = {"dataset": source, "from": old.to_json(), "to": new.to_json(), **result.to_json()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console.print(
        f"[bold]{source}[/]: {old.id} ({old.published}) -> {new.id} ({new.published}): "
        f"[green]{len(result.added)} added[/], [red]{len(result.removed)} removed[/], "
        f"[yellow]{len(result.changed)} changed[/], {result.unchanged:,} unchanged"
    )
    for label, states in (("added", result.added), ("removed", result.removed)):
        for s in states[:limit]:
            sign = "+" if label == "added" else "-"
            console.print(
                f"  {sign} {s.schema} {s.caption} [dim]({s.ref or s.id})[/]", highlight=False
            )
        if len(states) > limit:
            console.print(f"  ... {len(states) - limit} more {label}")
    for change in result.changed[:limit]:
        console.print(
            f"  ~ {change.new.schema} {change.new.caption} [dim]({change.new.ref or change.new.id})[/]",
            highlight=False,
        )
        for p in change.changes:
            if p.removed:
                console.print(f"      {p.name}: - {'; '.join(p.removed)}", highlight=False)
            if p.added:
                console.print(f"      {p.name}: + {'; '.join(p.added)}", highlight=False)
    if len(result.changed) > limit:
        console.print(f"  ... {len(result.changed) - limit} more changed")


@app.command()
def quickstart(
    mirror: Annotated[
        Path | None,
        typer.Option(help="Also import the official files found in this mirror folder"),
    ] = None,
) -> None:
    """Import the sample lists shipped with sanctionsnet (offline) and show what was loaded."""
    store = open_store()
    failures = 0
    for source_id in SAMPLES:
        try:
            result = import_files(
                store,
                source_id,
                sample_paths(source_id),
                published=_parse_date(SAMPLE_DATES.get(source_id)),
            )
        except SanctionsNetError as exc:
            failures += 1
            err.print(f"[bold red]error:[/] sample {source_id}: {exc}", highlight=False)
            continue
        _report_import(result, as_json=False)
    if mirror is not None:
        for source_id in (s for s in REGISTRY if s != "ftm"):
            try:
                result = update_source(store, source_id, mirror=mirror)
            except SanctionsNetError as exc:
                err.print(f"[yellow]skipped:[/] {source_id}: {exc}", highlight=False)
                continue
            _report_import(result, as_json=False)
    render_lists(store)
    if failures:
        raise typer.Exit(code=1)


@app.command()
def match(
    name: Annotated[str, typer.Argument(help="Name to screen, in any script")],
    schema: Annotated[
        str, typer.Option(help="Person, Organization, Company, Vessel, Airplane, LegalEntity")
    ] = "LegalEntity",
    birth_date: Annotated[
        list[str] | None, typer.Option("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    country: Annotated[list[str] | None, typer.Option(help="Country name or ISO code")] = None,
    ids: Annotated[
        list[str] | None,
        typer.Option("--id", help="TYPE:VALUE, e.g. imo:9123456, passport:AB123, bic:ABCDEFGH"),
    ] = None,
    algorithm: Annotated[str, typer.Option(help="default or ofac")] = "default",
    threshold: Annotated[
        float | None, typer.Option(help="Minimum score (default: the algorithm's)")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most results shown")] = 10,
    free_text: Annotated[
        bool,
        typer.Option(
            "--free-text",
            help="NAME is free text (a payment's remittance field): find the listed names in it",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Screen one party against the current lists: ranked matches with their features."""
    from sanctionsnet.screen import Query, QueryError
    from sanctionsnet.screen.text import match_text
    from sanctionsnet.service import load_screener

    try:
        query = Query.build(
            name, schema=schema, birth_date=birth_date, country=country, ids=ids or ()
        )
        if free_text and (query.birth_dates or query.countries or query.identifiers):
            raise QueryError("--free-text screens names only: drop --birth-date, --country, --id")
        screener = load_screener(open_store())
        if free_text:
            results = match_text(
                screener, name, threshold=threshold, limit=limit, algorithm=algorithm, schema=schema
            )
        else:
            results = screener.match(query, threshold=threshold, limit=limit, algorithm=algorithm)
    except SanctionsNetError as exc:
        raise _fail(exc) from None
    if as_json:
        data = {
            "query": {
                "names": list(query.names),
                "schema": query.schema,
                "birth_dates": list(query.birth_dates),
                "countries": list(query.countries),
                "identifiers": [f"{i.kind}:{i.value}" for i in query.identifiers],
            },
            "algorithm": algorithm,
            "versions": screener.index.stats.datasets,
            "results": [m.to_json() for m in results],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not results:
        console.print(f"No match for {name!r} at or above the threshold.")
        return
    for m in results:
        r = m.record
        console.print(
            f"[bold]{m.score:.2f}[/]  {r.caption}  [dim]{r.schema} · {r.dataset} {r.ref or ''} · {r.id}[/]",
            highlight=False,
        )
        for f in m.features:
            sign = "" if f.name == "name" else ("+" if f.contribution >= 0 else "")
            console.print(
                f"        {f.name} {sign}{f.contribution:.2f}: {f.explanation}", highlight=False
            )


@app.command()
def compare(
    pairs: Annotated[Path, typer.Option("--pairs", help="CSV with name1, name2 (and schema)")],
    out: Annotated[Path | None, typer.Option(help="Output CSV (default: standard output)")] = None,
    algorithm: Annotated[str, typer.Option(help="default or ofac")] = "default",
) -> None:
    """Score name pairs from a CSV, for threshold tuning and evaluation."""
    from sanctionsnet.screen.compare import compare_file

    try:
        compare_file(pairs, out, algorithm=algorithm)
    except SanctionsNetError as exc:
        raise _fail(exc) from None


@app.command()
def sources() -> None:
    """The sources sanctionsnet reads, with their official files."""
    table = Table()
    for col in ("id", "title", "authority", "official files"):
        table.add_column(col)
    for source_id in REGISTRY:
        try:
            src = get_source(source_id)
        except (ImportError, AttributeError) as exc:  # a parser module that failed to load
            table.add_row(source_id, f"(unavailable: {exc})", "", "")
            continue
        table.add_row(src.id, src.title, src.authority, "\n".join(src.official_files.values()))
    console.print(table)


def main() -> None:  # pragma: no cover
    sys.exit(app())


from sanctionsnet import cli_screen as _cli_screen  # noqa: E402

_cli_screen.register(app)

from sanctionsnet import cli_serve as _cli_serve  # noqa: E402

_cli_serve.register(app)

from sanctionsnet import cli_regime as _cli_regime  # noqa: E402

_cli_regime.register(app)

from sanctionsnet import cli_network as _cli_network  # noqa: E402

_cli_network.register(app)
