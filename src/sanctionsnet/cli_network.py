"""`sanctionsnet ownership`, `exposure` and `network`: ownership rules, exposure paths, graphs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sanctionsnet.errors import SanctionsNetError

network_app = typer.Typer(
    help="The network of the current lists: an entity's links, statistics, export.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.command("ownership")(ownership)
    app.command("exposure")(exposure)
    app.add_typer(network_app, name="network")


def _ui() -> tuple[Any, Any, Any]:
    from sanctionsnet.cli import _fail, console, err

    return console, err, _fail


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _datasets(lists: str | None) -> list[str] | None:
    if not lists:
        return None
    return [d.strip() for d in lists.split(",") if d.strip()]


# -- ownership ---------------------------------------------------------------------------


def ownership(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="CSV (owner, owned, share[, relation, owner_schema, owned_schema, date, "
            "source]) or followthemoney JSON lines (Ownership, Directorship)",
        ),
    ],
    rule: Annotated[
        str, typer.Option(help="ofac (≥50 %, ownership only) or eu (>50 % or control)")
    ] = "ofac",
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON")] = False,
    lists: Annotated[
        str | None,
        typer.Option(
            help="Only parties of these lists count as listed, e.g. ofac_sdn (default: all)"
        ),
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Lowest screening score for a possible match to a listed party")
    ] = 0.7,
    certain: Annotated[
        float, typer.Option(help="Screening score from which a name is taken as the listed party")
    ] = 0.9,
) -> None:
    """Entities blocked by ownership or control under OFAC's 50 % rule or the EU's rules.

    The parties of FILE are matched to the current lists with the screening engine;
    those matched are the blocked seeds. Prints every entity blocked by aggregation,
    with the chains of stakes that make it so, and what is doubtful in the data.
    """
    console, err, fail = _ui()
    from sanctionsnet.network.rules import get_rule
    from sanctionsnet.network.service import ownership_report
    from sanctionsnet.store import open_store

    try:
        rule_set = get_rule(rule)
        if not 0.0 <= threshold <= certain <= 1.0:
            raise SanctionsNetError("need 0 <= --threshold <= --certain <= 1")
        report = ownership_report(
            open_store(), files, rule_set, threshold, certain, _datasets(lists)
        )
    except SanctionsNetError as exc:
        raise fail(exc) from None
    data = report.to_json()
    data["files"] = [str(f) for f in files]
    if as_json:
        _print_json(data)
        return
    _render_ownership(console, data)


def _who(node: dict[str, Any]) -> str:
    tag = (
        f"listed, {node.get('dataset')} {node.get('ref') or ''}".strip()
        if node.get("listed")
        else ""
    )
    return f"{node['caption']} [{node['id']}{'; ' + tag if tag else ''}]"


def _evidence_text(evidence: list[dict[str, Any]]) -> str:
    parts = []
    for ev in evidence:
        if ev.get("file"):
            where = f"{ev['file']} line {ev.get('line')}"
            if ev.get("source"):
                where += f" ({ev['source']})"
        else:
            where = f"{ev.get('dataset')} {ev.get('ref') or ''}: {ev.get('text') or ''}".strip()
        parts.append(where)
    return "; ".join(parts)


def _chain_text(chain: list[dict[str, Any]]) -> str:
    if not chain:
        return ""
    text = chain[0]["owner_caption"]
    for link in chain:
        share = f" {link['share']['label']}" if link.get("share") else ""
        text += f" -[{link['relation']}{share}]-> {link['owned_caption']}"
    return text


def _range(low: float, high: float) -> str:
    return f"{low:g} %" if low == high else f"{low:g}-{high:g} %"


def _render_ownership(console: Any, data: dict[str, Any]) -> None:
    rule, summary = data["rule"], data["summary"]
    threshold = ("≥ " if rule["inclusive"] else "> ") + f"{rule['threshold']:g} %"
    console.print(
        f"{rule['title']} ({threshold}) over {', '.join(data['files'])}: "
        f"{summary['parties']} parties, {summary['relations']} relations; "
        f"{summary['listed']} listed, {summary['blocked']} blocked, "
        f"{summary['possibly_blocked']} possibly blocked, {summary['caution']} to watch",
        highlight=False,
        markup=False,
        style="bold",
    )
    for node in data["listed"]:
        matched = node.get("matched_as", [])
        how = ""
        if matched:
            first = matched[0]
            how = f" <- {first['name']!r} by {first['method']}"
            if first["method"] == "screening":
                how += f" {first['score']:.2f}"
            if len(matched) > 1:
                how += f" (also {', '.join(m['entity_id'] for m in matched[1:])})"
        console.print(f"  listed: {_who(node)}{how}", highlight=False, markup=False)
    for node in data["possible_matches"]:
        match = node.get("possible_match") or {}
        console.print(
            f"  possible match: {node['caption']} ~ {match.get('matched_name')} "
            f"({match.get('entity_id')}, score {match.get('score', 0):.2f})",
            highlight=False,
            markup=False,
        )
    for finding in data["blocked"]:
        certain = finding["status"] == "blocked"
        stake = finding["blocked_stake"]
        held = _range(stake["low"], stake["high"])
        console.print(
            f"\n{'BLOCKED' if certain else 'POSSIBLY BLOCKED'} {_who(finding['entity'])} - by "
            f"{finding['basis']}; blocked owners hold {held} ({finding['threshold']})",
            highlight=False,
            markup=False,
            style="bold red" if certain else "bold yellow",
        )
        for chain in finding["chains"]:
            console.print(f"    chain: {_chain_text(chain)}", highlight=False, markup=False)
            for link in chain:
                console.print(
                    f"      {link['owner_caption']} -> {link['owned_caption']}: "
                    f"{_evidence_text(link['evidence'])}",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
        for reason in finding.get("reasons", []):
            console.print(f"    because {reason}", highlight=False, markup=False)
    if data["caution"]:
        console.print("\nCaution (not blocked, but linked to blocked parties):", style="bold")
        for item in data["caution"]:
            console.print(
                f"  {_who(item['entity'])}: {item['reason']}", highlight=False, markup=False
            )
    warnings = data["warnings"]
    if any(warnings.values()):
        console.print("\nData warnings:", style="bold")
    for cycle in warnings["cycles"]:
        names = " / ".join(m["caption"] for m in cycle["members"])
        more = " / ..." if cycle.get("truncated") else ""
        console.print(
            f"  cycle of {cycle['size']}: {names}{more} ({cycle['note']})",
            highlight=False,
            markup=False,
        )
    for conflict in warnings["conflicts"]:
        statements = "; ".join(
            f"{(s['share'] or {}).get('text', 'no stake')} ({_evidence_text(s['evidence'])})"
            for s in conflict["statements"]
        )
        console.print(
            f"  conflict: {conflict['owner']} -> {conflict['owned']}: {statements}; "
            f"used {conflict['used']['low']:g}-{conflict['used']['high']:g} %",
            highlight=False,
            markup=False,
        )
    for item in warnings["over_100"]:
        console.print(
            f"  over 100 %: {item['entity']['caption']} totals {item['total']:g} %",
            highlight=False,
            markup=False,
        )
    for text in warnings["input"]:
        console.print(f"  {text}", highlight=False, markup=False)


# -- exposure ----------------------------------------------------------------------------


def exposure(
    party: Annotated[
        str, typer.Argument(metavar="NAME-or-ID", help="A name (screened) or an entity id")
    ],
    hops: Annotated[int, typer.Option(help="Longest path, in links (1-6)")] = 2,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    schema: Annotated[
        str | None,
        typer.Option(help="What the party is (Person, Company, Vessel...; default: any)"),
    ] = None,
    threshold: Annotated[float, typer.Option(help="Lowest screening score for a name")] = 0.85,
    limit: Annotated[int, typer.Option(help="Most paths shown")] = 50,
    ownership_files: Annotated[
        list[Path] | None,
        typer.Option("--ownership", help="Also walk the links of this ownership file (CSV/FtM)"),
    ] = None,
) -> None:
    """Paths from a party to listed entities, shortest first, each link with its evidence."""
    console, err, fail = _ui()
    from sanctionsnet.network.exposure import exposure as run_exposure
    from sanctionsnet.store import open_store

    try:
        data = run_exposure(
            open_store(),
            query=party,
            hops=hops,
            schema=schema,
            threshold=threshold,
            limit=limit,
            ownership=ownership_files,
        )
    except SanctionsNetError as exc:
        raise fail(exc) from None
    if as_json:
        _print_json(data)
        return
    if not data["parties"]:
        console.print(f"No party {party!r} in the lists or their links.")
        return
    for item in data["parties"]:
        match = item["match"]
        score = f", score {match['score']:.2f}" if "score" in match else ""
        console.print(
            f"party: {_who(item['node'])} ({match['method']}{score})", highlight=False, markup=False
        )
    if not data["paths"]:
        console.print(f"No listed entity within {hops} link(s).")
    for path in data["paths"]:
        console.print(
            f"\n{path['length']} link(s) to {_who(path['target'])}",
            highlight=False,
            markup=False,
            style="bold",
        )
        for step in path["steps"]:
            console.print(f"    {step['statement']}", highlight=False, markup=False)
            console.print(
                f"      {_evidence_text(step['evidence'])}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    if data["truncated"]:
        console.print(f"\n(more paths than --limit {limit}; use --json or a larger limit)")


# -- network -----------------------------------------------------------------------------


@network_app.command("show")
def network_show(
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. ofac-sdn-15603")],
    hops: Annotated[int, typer.Option(help="Links from the entity (1-6)")] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    max_nodes: Annotated[int, typer.Option(help="Most parties shown")] = 500,
) -> None:
    """An entity's links in the current lists, with their evidence."""
    console, err, fail = _ui()
    from sanctionsnet.network.exposure import entity_network
    from sanctionsnet.store import open_store

    try:
        data = entity_network(open_store(), entity_id, hops, max_nodes)
    except SanctionsNetError as exc:
        raise fail(exc) from None
    if as_json:
        _print_json(data)
        return
    captions = {n["id"]: n["caption"] for n in data["nodes"]}
    console.print(
        f"{_who(data['entity'])}: {len(data['nodes']) - 1} parties, {len(data['edges'])} links "
        f"within {hops} hop(s){' (truncated)' if data['truncated'] else ''}",
        highlight=False,
        markup=False,
    )
    for edge in data["edges"]:
        share = f" {edge['share']['label']}" if edge.get("share") else ""
        console.print(
            f"  {captions.get(edge['source'], edge['source'])} -[{edge['relation']}{share}]-> "
            f"{captions.get(edge['target'], edge['target'])}",
            highlight=False,
            markup=False,
        )
        console.print(
            f"      {_evidence_text(edge['evidence'])}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@network_app.command("stats")
def network_stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Links of the current lists by list, kind and relation; largest components."""
    console, err, fail = _ui()
    from sanctionsnet.network.load import load_network
    from sanctionsnet.network.stats import network_stats as compute
    from sanctionsnet.store import open_store

    try:
        data = compute(load_network(open_store()))
    except SanctionsNetError as exc:
        raise fail(exc) from None
    if as_json:
        _print_json(data)
        return
    console.print(f"{data['nodes']:,} parties ({data['listed']:,} listed), {data['edges']:,} links")
    for row in data["by_dataset"]:
        console.print(
            f"  {row['dataset']:<10} {row['kind']:<10} {row['relation']:<15} {row['edges']:>7,}",
            highlight=False,
            markup=False,
        )
    console.print("largest components: " + ", ".join(str(c["size"]) for c in data["components"]))


@network_app.command("export")
def network_export(
    entity_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="Entity ids at the centre")
    ],
    hops: Annotated[int, typer.Option(help="Links from the entities (1-6)")] = 2,
    fmt: Annotated[str, typer.Option("--format", help="ftm (JSON lines) or graphml")] = "ftm",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: stdout)")
    ] = None,
    max_nodes: Annotated[int, typer.Option(help="Most parties exported")] = 5000,
    ownership_files: Annotated[
        list[Path] | None,
        typer.Option("--ownership", help="Include the links of this ownership file (CSV/FtM)"),
    ] = None,
) -> None:
    """A subgraph as followthemoney JSON lines or GraphML, for other tools."""
    console, err, fail = _ui()
    from sanctionsnet.network.export import to_ftm_lines, to_graphml
    from sanctionsnet.network.exposure import NetworkQueryError, UnknownEntityError, check_hops
    from sanctionsnet.network.load import load_network
    from sanctionsnet.store import open_store

    try:
        if fmt not in ("ftm", "graphml"):
            raise NetworkQueryError(f"--format must be ftm or graphml, not {fmt!r}")
        check_hops(hops)
        store = open_store()
        graph = load_network(store)
        if ownership_files:
            from sanctionsnet.network.service import read_user_data

            data = read_user_data(store, ownership_files, graph=graph)
            graph = graph.extended(data.nodes, data.edges)
        missing = [i for i in entity_ids if i not in graph.nodes]
        if missing:
            raise UnknownEntityError(f"no entity {', '.join(missing)} in the current lists")
        sub, truncated = graph.subgraph(entity_ids, hops, max_nodes)
        text = "\n".join(to_ftm_lines(sub, store)) + "\n" if fmt == "ftm" else to_graphml(sub)
    except SanctionsNetError as exc:
        raise fail(exc) from None
    if out is None:
        sys.stdout.write(text)
    else:
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
        err.print(
            f"wrote {len(sub.nodes)} parties and {len(sub.edges)} links to {out}"
            f"{' (truncated at --max-nodes)' if truncated else ''}",
            highlight=False,
            markup=False,
        )
