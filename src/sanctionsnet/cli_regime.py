"""`sanctionsnet check` and `sanctionsnet regime ...`: regime rules on the command line."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from sanctionsnet.errors import SanctionsNetError

regime_app = typer.Typer(
    help="Sanctions measures as data: list, show and validate regime files.",
    no_args_is_help=True,
)

HS_DIR_HELP = "HS nomenclature directory (default: $SANCTIONSNET_HS_DIR, else ../shared/data/hs)"
FAIL_LEVELS = ("breach", "notify", "review")


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.add_typer(regime_app, name="regime")


def _consoles() -> tuple[Any, Any, Any]:
    from sanctionsnet.cli import _fail, console, err

    return console, err, _fail


def check(
    file: Annotated[Path, typer.Argument(help="Transactions: CSV (with a header) or JSON lines")],
    regime: Annotated[
        str, typer.Option(help="Packaged regime id, or the path of a regime YAML file")
    ] = "un_dprk",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    tally: Annotated[
        bool, typer.Option("--tally", help="Sum your deliveries per cap period against the caps")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list transactions with no finding")
    ] = False,
    hs_dir: Annotated[Path | None, typer.Option("--hs-dir", help=HS_DIR_HELP)] = None,
    screen: Annotated[
        bool,
        typer.Option("--screen/--no-screen", help="Screen parties and vessels against the lists"),
    ] = True,
    threshold: Annotated[
        float | None, typer.Option(help="Screening threshold (default: the algorithm's)")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Exit with code 2 if any transaction is at least: breach, notify or review",
        ),
    ] = None,
) -> None:
    """Check transactions against a regime's measures: findings with citations, listed parties."""
    from sanctionsnet.regime.checker import RANK
    from sanctionsnet.regime.service import build_report, load_checker
    from sanctionsnet.regime.transactions import TransactionReader
    from sanctionsnet.store import open_store

    console, err, fail = _consoles()
    if fail_on is not None and fail_on not in FAIL_LEVELS:
        raise typer.BadParameter(
            f"--fail-on takes one of {', '.join(FAIL_LEVELS)}", param_hint="--fail-on"
        )
    try:
        checker = load_checker(
            regime,
            store=open_store() if screen else None,
            screen=screen,
            hs_dir=hs_dir,
            threshold=threshold,
        )
        # The index and the caches live to the end: keep them out of the cyclic collector.
        gc.freeze()
        reader = TransactionReader(file, checker.regime.columns)
        report = build_report(
            checker, checker.check_all(reader), tally=tally, include_clear=show_all
        )
        reader.raise_for_issues()
    except SanctionsNetError as exc:
        raise fail(exc) from None
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _render(report, console)
    if fail_on is not None:
        worst = max((RANK[r["outcome"]] for r in report["results"]), default=0)
        if worst >= RANK[fail_on]:
            raise typer.Exit(code=2)


_STYLE = {
    "breach": "bold red",
    "notify": "bold yellow",
    "review": "yellow",
    "exempt": "green",
    "clear": "green",
}


def _render(report: dict[str, Any], console: Any) -> None:
    reg = report["regime"]
    console.print(
        f"[bold]{reg['title']}[/] ({reg['id']}): {reg['measures']} measures, {reg['checkable']} checkable",
        highlight=False,
    )
    hs = report["hs"]
    if hs.get("available"):
        console.print(
            f"HS nomenclature: {', '.join(hs['editions'])} from {hs['directory']}", highlight=False
        )
    scr = report["screening"]
    if scr.get("available"):
        versions = ", ".join(f"{k} {v}" for k, v in sorted(scr["versions"].items()))
        console.print(f"Lists screened: {versions}", highlight=False)
    for note in report["notes"]:
        console.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)
    for result in report["results"]:
        style = _STYLE[result["outcome"]]
        line = f" line {result['line']}" if "line" in result else ""
        console.print()
        console.print(
            f"[bold]{result['id']}[/] {result['type']} {result['date']}{line}  [{style}]{result['outcome'].upper()}[/]",
            highlight=False,
        )
        for finding in result["findings"]:
            fstyle = _STYLE[finding["outcome"]]
            kind = " (misdescribed goods)" if finding["kind"] == "misdescribed" else ""
            console.print(
                f"  [{fstyle}]{finding['outcome']:<7}[/] {finding['measure']}{kind}  {finding['citation']['text']}  "
                f"{finding['title']}  [dim]\\[{finding['action']}, {finding['severity']}; verified: {finding['verification']['verified']}][/]",
                highlight=False,
                soft_wrap=True,
            )
            for why in finding["why"]:
                console.print(f"            - {why}", highlight=False, soft_wrap=True)
            for cap in finding.get("caps", ()):
                limits = " or ".join(f"{q['quantity']:,.0f} {q['unit']}" for q in cap["limits"])
                console.print(
                    f"            cap {cap['id']}: {limits}, {cap['period']['start']} to {cap['period']['end']} "
                    f"({cap['aggregation']})",
                    highlight=False,
                    soft_wrap=True,
                )
        for hit in result["listed"]:
            programs = ", ".join(hit["programs"]) or "no programme"
            console.print(
                f"  [bold red]listed[/]  {hit['field']} {hit['value']!r} ~ {hit['caption']!r} "
                f"({hit['dataset']} {hit['ref'] or ''}; {programs}; score {hit['score']:.2f})",
                highlight=False,
                soft_wrap=True,
            )
        for note in result.get("notes", ()):
            console.print(f"  [yellow]note:[/] {note}", highlight=False, soft_wrap=True)
    s = report["summary"]
    console.print()
    console.print(
        f"[bold]{s['transactions']:,} transactions checked:[/] {s['breach']:,} breach, {s['notify']:,} notify, "
        f"{s['review']:,} review, {s['exempt']:,} exempt, {s['clear']:,} clear; "
        f"{s['with_listed_party']:,} with a listed party",
        highlight=False,
    )
    if "tally" in report:
        _render_tally(report["tally"], console)


def _render_tally(tally: list[dict[str, Any]], console: Any) -> None:
    console.print()
    if not tally:
        console.print("Tally: no delivery under a capped measure.")
        return
    console.print(
        "[bold]Tally of your own deliveries[/] (caps are global: the Committee adds up every State's reports)"
    )
    for use in tally:
        parts = []
        for limit in use["limits"]:
            share = f" ({limit['share']:.2%})" if limit["share"] is not None else ""
            parts.append(
                f"{limit['delivered']:,.3f} of {limit['quantity']:,.0f} {limit['unit']}{share}"
            )
        console.print(
            f"  {use['cap']}  {use['period']['start']} to {use['period']['end']}: {'; '.join(parts)}; "
            f"{use['used']:.2%} of the cap used by {use['deliveries']} deliver{'y' if use['deliveries'] == 1 else 'ies'} "
            f"[dim](S/RES/{use['citation']['resolution']} para. {use['citation']['paragraph']})[/]",
            highlight=False,
            soft_wrap=True,
        )
        for note in use["notes"]:
            console.print(f"      [yellow]{note}[/]", highlight=False, soft_wrap=True)


# ----------------------------------------------------------------------------- regime


@regime_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="Regime YAML file")],
    hs_dir: Annotated[Path | None, typer.Option("--hs-dir", help=HS_DIR_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check a regime file: unknown keys, bad HS codes, missing citations, bad dates, by line."""
    from sanctionsnet.regime.hs import load_hs
    from sanctionsnet.regime.loader import read_regime
    from sanctionsnet.regime.schema import RegimeError

    console, err, fail = _consoles()
    try:
        hs = load_hs(hs_dir)
        rules = read_regime(file, hs)
    except RegimeError as exc:
        if as_json:
            print(json.dumps({"valid": False, **exc.to_json()}, indent=2))
            raise typer.Exit(code=1) from None
        err.print(
            f"[bold red]invalid:[/] {exc.file}: {len(exc.issues)} problem(s)", highlight=False
        )
        for issue in exc.issues:
            err.print(
                f"  {exc.file}:{issue.line or '?'}: {issue.path + ': ' if issue.path else ''}{issue.message}",
                highlight=False,
                soft_wrap=True,
            )
        raise typer.Exit(code=1) from None
    except SanctionsNetError as exc:
        raise fail(exc) from None
    summary = rules.summary()
    checked = (
        f"HS codes checked against {', '.join(sorted(hs.editions))}"
        if hs
        else "HS codes checked for form only (no HS nomenclature found)"
    )
    if as_json:
        print(json.dumps({"valid": True, **summary, "hs_checked": hs is not None}, indent=2))
        return
    console.print(
        f"{file}: valid: {summary['measures']} measures ({summary['checkable']} checkable), "
        f"{summary['caps']} caps, {len(summary['resolutions'])} resolutions; {checked}",
        highlight=False,
    )


@regime_app.command("list")
def list_regimes(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The regimes shipped with sanctionsnet."""
    from rich.table import Table

    from sanctionsnet.regime.loader import load_regime, packaged_regimes

    console, err, fail = _consoles()
    try:
        summaries = [load_regime(name).summary() for name in packaged_regimes()]
    except SanctionsNetError as exc:
        raise fail(exc) from None
    if as_json:
        print(json.dumps(summaries, indent=2))
        return
    table = Table()
    for col in ("id", "title", "measures", "checkable", "caps", "resolutions"):
        table.add_column(col)
    for s in summaries:
        table.add_row(
            s["id"],
            s["title"],
            str(s["measures"]),
            str(s["checkable"]),
            str(s["caps"]),
            ", ".join(s["resolutions"]),
        )
    console.print(table)


@regime_app.command("show")
def show(
    regime: Annotated[
        str, typer.Argument(help="Packaged regime id or path of a regime file")
    ] = "un_dprk",
    measure: Annotated[str | None, typer.Option(help="Show one measure in full")] = None,
    hs_dir: Annotated[Path | None, typer.Option("--hs-dir", help=HS_DIR_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The measures of a regime, or one measure with its HS scope, caps and exemptions."""
    from rich.table import Table

    from sanctionsnet.regime.describe import measure_json
    from sanctionsnet.regime.hs import load_hs
    from sanctionsnet.regime.loader import load_regime

    console, err, fail = _consoles()
    try:
        hs = load_hs(hs_dir)
        rules = load_regime(regime)
        measures = list(rules.measures)
        if measure is not None:
            try:
                measures = [rules.measure(measure)]
            except KeyError:
                raise SanctionsNetError(f"no measure {measure!r} in {rules.id}") from None
    except SanctionsNetError as exc:
        raise fail(exc) from None
    data = [measure_json(m, rules, hs) for m in measures]
    if as_json:
        print(json.dumps(data if measure is None else data[0], indent=2, ensure_ascii=False))
        return
    if measure is None:
        table = Table(title=rules.title)
        for col in ("id", "citation", "in force", "direction", "action", "verified", "title"):
            table.add_column(col)
        for m in measures:
            until = f" to {m.superseded.isoformat()}" if m.superseded else ""
            verified = m.verified + ("" if m.paragraph_seen else " (para. recalled)")
            table.add_row(
                m.id,
                m.citation,
                f"{m.in_force.isoformat()}{until}",
                m.direction,
                m.action,
                verified,
                m.title,
            )
        console.print(table)
        return
    console.print_json(json.dumps(data[0], ensure_ascii=False))
