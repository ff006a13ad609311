"""What the network of the lists holds: links by list, kind and relation; components."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sanctionsnet.network.graph import Graph


def network_stats(graph: Graph, components: int = 10) -> dict[str, Any]:
    """Counts of parties and links, and the sizes of the largest connected components."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for edge in graph.edges:
        first = edge.evidence[0] if edge.evidence else None
        dataset = (first.dataset or first.file or "?") if first else "?"
        kind = first.kind if first else "?"
        counts[(dataset, kind, edge.relation)] += 1
    groups = graph.components()
    return {
        "nodes": len(graph.nodes),
        "listed": sum(1 for n in graph.nodes.values() if n.listed),
        "edges": len(graph.edges),
        "by_dataset": [
            {"dataset": d, "kind": k, "relation": r, "edges": n}
            for (d, k, r), n in sorted(counts.items())
        ],
        "components": [
            {
                "size": len(group),
                "listed": sum(1 for n in group if graph.node(n).listed),
                "example": graph.node(max(group, key=lambda n: len(graph.neighbours(n)))).caption,
            }
            for group in groups[:components]
        ],
        "versions": dict(graph.versions),
    }
