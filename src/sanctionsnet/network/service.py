"""The ownership analysis over a store: the user's files matched to the current lists.

Thin glue between the store (screener, list network) and the pure parts
(`ownership_input`, `fifty_percent`), shared by the CLI and the API.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from sanctionsnet.network.fifty_percent import OwnershipReport, apply_rule
from sanctionsnet.network.graph import Graph
from sanctionsnet.network.model import Node
from sanctionsnet.network.ownership_input import OwnershipData, read_many
from sanctionsnet.network.resolve import NameResolver, PartyMatcher
from sanctionsnet.network.rules import RuleSet
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store


def _node_from_index(screener: Screener, entity_id: str) -> Node | None:
    number = screener.index.by_id.get(entity_id)
    if number is None:
        return None
    r = screener.index.records[number]
    return Node(r.id, r.caption, r.schema, True, r.dataset, r.ref, tuple(r.programs))


def read_user_data(
    store: Store,
    paths: Sequence[Path],
    graph: Graph | None = None,
    screener: Screener | None = None,
    threshold: float = 0.7,
    certain: float = 0.9,
    datasets: Collection[str] | None = None,
) -> OwnershipData:
    """The files' parties matched to listed entities of `datasets` (default: all lists)."""
    if screener is None:
        from sanctionsnet.service import load_screener

        screener = load_screener(store)
    if graph is None:
        from sanctionsnet.network.load import load_network

        graph = load_network(store, screener)
    nodes = graph.nodes

    def is_listed(entity_id: str) -> bool:
        node = nodes.get(entity_id)
        return node is not None and node.listed

    def lookup(entity_id: str) -> Node | None:
        return nodes.get(entity_id) or _node_from_index(screener, entity_id)

    matcher = PartyMatcher(NameResolver(screener, is_listed, datasets), threshold, certain)
    return read_many(paths, matcher, lookup)


def ownership_report(
    store: Store,
    paths: Sequence[Path],
    rule: RuleSet,
    threshold: float = 0.7,
    certain: float = 0.9,
    datasets: Collection[str] | None = None,
) -> OwnershipReport:
    """`sanctionsnet ownership FILE`: the rule applied to the files, seeds from the lists."""
    if datasets is not None:
        unknown = sorted(set(datasets) - set(store.datasets()))
        if unknown:
            from sanctionsnet.errors import SanctionsNetError

            raise SanctionsNetError(
                f"no list {', '.join(unknown)} in the store (lists: {', '.join(store.datasets())})"
            )
    data = read_user_data(store, paths, threshold=threshold, certain=certain, datasets=datasets)
    warnings = list(data.warnings)
    listed = [n for n in data.nodes.values() if n.listed]
    if not store.datasets():
        warnings.append(
            f"the store at {store.home} holds no lists: run `sanctionsnet update` (or "
            "`sanctionsnet quickstart` for the samples) first"
        )
    elif not listed:
        warnings.append(
            "no party of the data matched a listed entity at or above the certainty score: "
            "nothing is blocked by ownership (see possible matches)"
        )
    report = apply_rule(data.nodes, data.edges, rule, warnings=warnings)
    report.party_matches = {
        node_id: list(found.evidence()) for node_id, found in data.matches.items()
    }
    return report
