"""An evidence-bearing graph of parties: neighbourhoods, shortest paths, components.

Edges are directed (owner -> owned) but walked in both directions: a front company
"Linked To" a bank exposes the bank's customers as much as the bank exposes it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sanctionsnet.network.model import Edge, Node


@dataclass
class Graph:
    """Nodes by id and edges, with an undirected adjacency index."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    #: dataset -> version id the list edges were read from
    versions: dict[str, str] = field(default_factory=dict)
    _adjacency: dict[str, list[int]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def adjacency(self) -> dict[str, list[int]]:
        if self._adjacency is None:
            adjacency: dict[str, list[int]] = {}
            for number, edge in enumerate(self.edges):
                adjacency.setdefault(edge.source, []).append(number)
                adjacency.setdefault(edge.target, []).append(number)
            self._adjacency = adjacency
        return self._adjacency

    def __getstate__(self) -> dict[str, object]:
        return {"nodes": self.nodes, "edges": self.edges, "versions": self.versions}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._adjacency = None

    def node(self, node_id: str) -> Node:
        """The node, or a bare unlisted one for an id only an edge mentions."""
        return self.nodes.get(node_id) or Node(node_id, node_id)

    def neighbours(self, node_id: str) -> list[tuple[Edge, str]]:
        out = []
        for number in self.adjacency.get(node_id, ()):
            edge = self.edges[number]
            out.append((edge, edge.target if edge.source == node_id else edge.source))
        return out

    def extended(self, nodes: Mapping[str, Node], edges: Iterable[Edge]) -> Graph:
        """This graph with more nodes and edges (a user's data on top of the lists)."""
        merged = dict(self.nodes)
        for node_id, node in nodes.items():
            if node_id not in merged or not merged[node_id].listed:
                merged[node_id] = node
        return Graph(merged, [*self.edges, *edges], dict(self.versions))

    def subgraph(
        self, centre: Iterable[str], hops: int, max_nodes: int = 500
    ) -> tuple[Graph, bool]:
        """Everything within `hops` links of `centre`; True if cut at `max_nodes`."""
        depth: dict[str, int] = {}
        queue: deque[str] = deque()
        for node_id in centre:
            if node_id not in depth:
                depth[node_id] = 0
                queue.append(node_id)
        truncated = False
        while queue:
            current = queue.popleft()
            if depth[current] >= hops:
                continue
            for _, other in self.neighbours(current):
                if other in depth:
                    continue
                if len(depth) >= max_nodes:
                    truncated = True
                    break
                depth[other] = depth[current] + 1
                queue.append(other)
        edges = [e for e in self.edges if e.source in depth and e.target in depth]
        nodes = {n: self.node(n) for n in depth}
        return Graph(nodes, edges, dict(self.versions)), truncated

    def shortest_paths(
        self,
        start: Iterable[str],
        is_target: Callable[[str], bool],
        hops: int,
        per_target: int = 3,
        through: Callable[[str], bool] = lambda _node: True,
    ) -> list[list[tuple[Edge, str, str]]]:
        """Shortest paths (up to `hops` links) from `start` to nodes where `is_target` holds.

        Each path is a list of (edge, from node, to node) steps. Up to `per_target`
        paths of the shortest length are kept per target; the walk does not continue
        through a target, nor through nodes where `through` is False.
        Results are ordered by length, then target id.
        """
        starts = list(dict.fromkeys(start))
        dist: dict[str, int] = {s: 0 for s in starts}
        parents: dict[str, list[tuple[int, str]]] = {s: [] for s in starts}
        queue: deque[str] = deque(starts)
        targets: list[str] = []
        while queue:
            current = queue.popleft()
            if current not in starts and (is_target(current) or not through(current)):
                continue
            if dist[current] >= hops:
                continue
            for number in self.adjacency.get(current, ()):
                edge = self.edges[number]
                other = edge.target if edge.source == current else edge.source
                if other not in dist:
                    dist[other] = dist[current] + 1
                    parents[other] = [(number, current)]
                    queue.append(other)
                    if is_target(other):
                        targets.append(other)
                elif (
                    dist[other] == dist[current] + 1
                    and other not in starts
                    and (number, current) not in parents[other]
                ):
                    parents[other].append((number, current))
        paths: list[list[tuple[Edge, str, str]]] = []
        for target in sorted(targets, key=lambda t: (dist[t], t)):
            for path in self._unwind(target, parents, per_target):
                paths.append(path)
        return paths

    def _unwind(
        self, node: str, parents: dict[str, list[tuple[int, str]]], limit: int
    ) -> list[list[tuple[Edge, str, str]]]:
        if not parents.get(node):
            return [[]]
        out: list[list[tuple[Edge, str, str]]] = []
        for number, previous in parents[node]:
            for head in self._unwind(previous, parents, limit):
                out.append([*head, (self.edges[number], previous, node)])
                if len(out) >= limit:
                    return out
        return out

    def components(self, edges: Iterable[Edge] | None = None) -> list[set[str]]:
        """Connected components (ignoring direction) of `edges` (default: all), largest first."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for edge in self.edges if edges is None else edges:
            a, b = find(edge.source), find(edge.target)
            if a != b:
                parent[a] = b
        groups: dict[str, set[str]] = {}
        for x in list(parent):
            groups.setdefault(find(x), set()).add(x)
        return sorted(groups.values(), key=lambda g: (-len(g), min(g)))
