"""Exposure: the paths from a party to listed entities, and an entity's neighbourhood.

The functions over a `Graph` are pure; `entity_network` and `exposure` take a store,
load the cached network and screener, and return JSON-ready dicts (what the API's
`GET /entities/{id}/network` and `POST /exposure` return).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.network.graph import Graph
from sanctionsnet.network.model import Edge
from sanctionsnet.network.resolve import NameResolver, from_match, name_key
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store

MAX_HOPS = 6
DEFAULT_MATCH_THRESHOLD = 0.85


class NetworkQueryError(SanctionsNetError):
    """A network request that cannot be answered as asked (a 4xx, not a 500)."""


class UnknownEntityError(NetworkQueryError):
    """No entity with that id in the current lists (a 404)."""


def check_hops(hops: int) -> int:
    if not 1 <= hops <= MAX_HOPS:
        raise NetworkQueryError(f"hops must be between 1 and {MAX_HOPS}, got {hops}")
    return hops


def step_json(graph: Graph, edge: Edge, start: str, end: str) -> dict[str, Any]:
    """One link of a path, in the direction walked, with the edge's own direction kept."""
    return {
        "from": start,
        "from_caption": graph.node(start).caption,
        "to": end,
        "to_caption": graph.node(end).caption,
        "direction": "forward" if edge.source == start else "backward",
        "statement": (
            f"{graph.node(edge.source).caption} {edge.describe()} {graph.node(edge.target).caption}"
        ),
        **edge.to_json(),
    }


def network_of(graph: Graph, entity_id: str, hops: int = 1, max_nodes: int = 500) -> dict[str, Any]:
    """The entity, everything within `hops` links of it, and the links with their evidence."""
    check_hops(hops)
    if entity_id not in graph.nodes:
        raise UnknownEntityError(f"no entity {entity_id!r} in the current lists")
    sub, truncated = graph.subgraph([entity_id], hops, max_nodes)
    nodes = sorted(sub.nodes.values(), key=lambda n: (n.id != entity_id, not n.listed, n.caption))
    return {
        "entity": graph.nodes[entity_id].to_json(),
        "hops": hops,
        "nodes": [n.to_json() for n in nodes],
        "edges": [e.to_json() for e in sub.edges],
        "truncated": truncated,
        "versions": dict(graph.versions),
    }


def exposure_paths(
    graph: Graph,
    starts: Sequence[str],
    hops: int = 2,
    limit: int = 50,
    per_target: int = 3,
) -> tuple[list[dict[str, Any]], bool]:
    """Shortest paths from `starts` to listed entities (other than the starts), shortest
    first; True if more paths than `limit` were found. A path ends at the first listed
    entity it reaches; links that only say two entries are the same party are not
    exposure by themselves."""
    check_hops(hops)
    start_set = set(starts)

    def is_target(node_id: str) -> bool:
        node = graph.nodes.get(node_id)
        return node is not None and node.listed and node_id not in start_set

    paths = graph.shortest_paths(starts, is_target, hops, per_target=per_target)
    out = []
    for path in paths:
        if all(edge.relation == "same_as" for edge, _, _ in path):
            continue
        target = path[-1][2]
        out.append(
            {
                "from": path[0][1],
                "target": graph.node(target).to_json(),
                "length": len(path),
                "steps": [step_json(graph, edge, a, b) for edge, a, b in path],
            }
        )
    return out[:limit], len(out) > limit


#: Schemata a name is screened as when the caller does not say what the party is.
ANY_PARTY = ("LegalEntity", "Vessel", "Airplane")


def find_parties(
    graph: Graph,
    query: str,
    screener: Screener | None = None,
    schema: str | None = None,
    threshold: float = DEFAULT_MATCH_THRESHOLD,
    max_matches: int = 3,
) -> list[dict[str, Any]]:
    """Graph nodes for a name or id: the id itself, unlisted parties of that exact name,
    then listed entities the screening engine matches (best `max_matches`; as any kind of
    party unless `schema` says which)."""
    if query in graph.nodes:
        return [{"node": graph.nodes[query].to_json(), "match": {"method": "id", "score": 1.0}}]
    key = name_key(query)
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for node in graph.nodes.values():
        if not node.listed and name_key(node.caption) == key:
            found.append({"node": node.to_json(), "match": {"method": "exact name", "score": 1.0}})
            seen.add(node.id)
    if screener is not None:
        resolver = NameResolver(screener, lambda eid: eid in graph.nodes)
        matches = [
            m
            for s in ((schema,) if schema else ANY_PARTY)
            for m in resolver.matches(query, s, threshold)
        ]
        matches.sort(key=lambda m: (-m.score, m.record.id))
        for match in matches[:max_matches]:
            if match.record.id in seen or match.record.id not in graph.nodes:
                continue
            seen.add(match.record.id)
            found.append(
                {
                    "node": graph.nodes[match.record.id].to_json(),
                    "match": from_match(query, match).to_json(),
                }
            )
    return found


# -- store-level entry points (CLI and API) ---------------------------------------------


def _graph(
    store: Store, ownership: Iterable[Path] | None, screener: Screener, graph: Graph | None
) -> Graph:
    if graph is None:
        from sanctionsnet.network.load import load_network

        graph = load_network(store, screener)
    if ownership:
        from sanctionsnet.network.service import read_user_data

        data = read_user_data(store, list(ownership), graph=graph, screener=screener)
        graph = graph.extended(data.nodes, data.edges)
    return graph


def entity_network(
    store: Store,
    entity_id: str,
    hops: int = 1,
    max_nodes: int = 500,
    screener: Screener | None = None,
    graph: Graph | None = None,
) -> dict[str, Any]:
    """`GET /entities/{id}/network`: the entity's neighbourhood in the current lists.

    A server passes the `screener` (or the `graph`) it already holds for the current
    versions; otherwise both come from the store's caches.
    """
    check_hops(hops)
    if graph is None:
        from sanctionsnet.network.load import load_network

        graph = load_network(store, screener)
    return network_of(graph, entity_id, hops, max_nodes)


def exposure(
    store: Store,
    query: str | None = None,
    ids: Sequence[str] = (),
    hops: int = 2,
    schema: str | None = None,
    threshold: float = DEFAULT_MATCH_THRESHOLD,
    limit: int = 50,
    ownership: Iterable[Path] | None = None,
    screener: Screener | None = None,
    graph: Graph | None = None,
) -> dict[str, Any]:
    """`POST /exposure`: paths from a party (a name, or entity ids) to listed entities.

    A name is resolved to graph parties: unlisted parties of that name in the lists' text
    or the user's `ownership` files, and listed entities matched by the screening engine
    at or above `threshold`. Each path's links carry their evidence. A server passes the
    `screener` and `graph` it holds for the current versions.
    """
    check_hops(hops)
    if not query and not ids:
        raise NetworkQueryError("give a name or at least one entity id")
    if limit < 1:
        raise NetworkQueryError("limit must be at least 1")
    if screener is None:
        from sanctionsnet.service import load_screener

        screener = load_screener(store)
    graph = _graph(store, ownership, screener, graph)
    resolved: list[dict[str, Any]] = []
    for entity_id in ids:
        if entity_id not in graph.nodes:
            raise UnknownEntityError(f"no entity {entity_id!r} in the current lists")
        resolved.append({"node": graph.nodes[entity_id].to_json(), "match": {"method": "id"}})
    if query:
        resolved.extend(find_parties(graph, query, screener, schema, threshold))
    starts = list(dict.fromkeys(r["node"]["id"] for r in resolved))
    paths, truncated = exposure_paths(graph, starts, hops, limit) if starts else ([], False)
    return {
        "query": {"name": query, "ids": list(ids), "schema": schema, "hops": hops},
        "parties": resolved,
        "listed": [r["node"] for r in resolved if r["node"]["listed"]],
        "paths": paths,
        "truncated": truncated,
        "versions": dict(graph.versions),
    }
