"""A subgraph for other tools: followthemoney JSON lines, or GraphML.

followthemoney: the parties as stored (with their Sanction entities) when a store is
given, else as minimal entities, plus one relationship entity per edge: Ownership,
Directorship, Representation, Employment, Membership, Family, Associate, or an
UnknownLink (role `control` for control, so `sanctionsnet ownership` reads it back).
GraphML: one node per party, one edge per relation, attributes for the share, role and
the evidence (as JSON), for Gephi, yEd, Cytoscape or networkx.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

import networkx as nx
import orjson
from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctionsnet.network.graph import Graph
from sanctionsnet.network.model import RELATIONS, Edge, Node
from sanctionsnet.store import Store

#: relation -> (schema, source property, target property)
FTM_SCHEMATA: dict[str, tuple[str, str, str]] = {
    "ownership": ("Ownership", "owner", "asset"),
    "director": ("Directorship", "director", "organization"),
    "representative": ("Representation", "agent", "client"),
    "employee": ("Employment", "employee", "employer"),
    "member": ("Membership", "member", "organization"),
    "family": ("Family", "person", "relative"),
    "associate": ("Associate", "person", "associate"),
}
_PERSON_ONLY = {"family": (True, True), "associate": (True, True), "employee": (True, False)}


def stored_entities(store: Store, nodes: dict[str, Node]) -> dict[str, list[EntityProxy]]:
    """The stored entities of the listed nodes, each with its Sanction entities."""
    wanted: dict[str, set[str]] = {}
    for node in nodes.values():
        if node.listed and node.dataset:
            wanted.setdefault(node.dataset, set()).add(node.id)
    out: dict[str, list[EntityProxy]] = {}
    for dataset, ids in wanted.items():
        version = store.current(dataset)
        if version is None:
            continue
        for row in store.entities(version):
            entity = row.entity
            if entity.id in ids:
                out.setdefault(entity.id, []).insert(0, entity)
            elif entity.schema.name == "Sanction":
                for pid in entity.get("entity"):
                    if pid in ids:
                        out.setdefault(pid, []).append(entity)
    return out


def _minimal(node: Node, schema: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = node.id
    proxy.add("name", node.caption)
    if node.possible_match is not None:
        proxy.add("notes", f"resembles listed {node.possible_match.get('entity_id')}")
    return proxy


def _edge_id(edge: Edge) -> str:
    list_ids = [e.entity_id for e in edge.evidence if e.kind == "list" and e.entity_id]
    if len(list_ids) == 1:
        return list_ids[0]
    digest = hashlib.sha1(f"{edge.source}|{edge.relation}|{edge.target}".encode()).hexdigest()
    return f"snet-{edge.relation}-{digest[:20]}"


def _relationship(edge: Edge, graph: Graph) -> EntityProxy:
    spec = FTM_SCHEMATA.get(edge.relation)
    if spec is not None and edge.relation in _PERSON_ONLY:
        need_source, need_target = _PERSON_ONLY[edge.relation]
        is_person = [graph.node(n).schema == "Person" for n in (edge.source, edge.target)]
        if (need_source and not is_person[0]) or (need_target and not is_person[1]):
            spec = None
    schema, source_prop, target_prop = spec or ("UnknownLink", "subject", "object")
    proxy = model.make_entity(schema)
    proxy.id = _edge_id(edge)
    proxy.add(source_prop, edge.source)
    proxy.add(target_prop, edge.target)
    role = edge.role or ("" if spec else RELATIONS.get(edge.relation, edge.relation))
    if edge.relation == "control":
        role = "control"
    if role:
        proxy.add("relationship" if schema in ("Family", "Associate") else "role", role)
    if edge.share is not None and schema == "Ownership":
        proxy.add("percentage", edge.share.text or edge.share.describe())
    texts = [e.text for e in edge.evidence if e.text]
    if texts:
        proxy.add("summary", " | ".join(dict.fromkeys(texts))[:4000])
    publishers = [e.dataset or e.source or e.file for e in edge.evidence]
    proxy.add("publisher", [p for p in dict.fromkeys(publishers) if p])
    dates = [e.date for e in edge.evidence if e.date]
    if dates and "startDate" in proxy.schema.properties:
        proxy.add("startDate", min(dates))
    return proxy


def _party_schema(node: Node, owned: set[str]) -> str:
    """Unlisted parties someone owns are companies (an Asset in followthemoney)."""
    if node.schema == "LegalEntity" and node.id in owned:
        return "Company"
    return node.schema


def to_ftm(graph: Graph, store: Store | None = None) -> Iterator[dict[str, Any]]:
    """Parties, then relationship entities, as followthemoney entity dicts."""
    stored = stored_entities(store, graph.nodes) if store is not None else {}
    owned = {e.target for e in graph.edges if e.relation == "ownership"}
    for node_id in sorted(graph.nodes):
        node = graph.nodes[node_id]
        entities = stored.get(node_id) or [_minimal(node, _party_schema(node, owned))]
        for entity in entities:
            yield entity.to_dict()
    for edge in graph.edges:
        yield _relationship(edge, graph).to_dict()


def to_ftm_lines(graph: Graph, store: Store | None = None) -> Iterator[str]:
    for data in to_ftm(graph, store):
        yield orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def to_graphml(graph: Graph) -> str:
    """The graph as GraphML (a directed multigraph: several relations may join two parties)."""
    g = nx.MultiDiGraph()
    for node in graph.nodes.values():
        attrs: dict[str, Any] = {
            "caption": node.caption,
            "schema": node.schema,
            "listed": node.listed,
        }
        if node.dataset:
            attrs["dataset"] = node.dataset
        if node.ref:
            attrs["ref"] = node.ref
        if node.programs:
            attrs["programs"] = ";".join(node.programs)
        if node.possible_match is not None:
            attrs["possible_match"] = str(node.possible_match.get("entity_id"))
        g.add_node(node.id, **attrs)
    for edge in graph.edges:
        attrs = {"relation": edge.relation, "label": edge.describe()}
        if edge.share is not None:
            attrs.update(share_low=edge.share.low, share_high=edge.share.high)
        if edge.role:
            attrs["role"] = edge.role
        attrs["evidence"] = orjson.dumps([e.to_json() for e in edge.evidence]).decode()
        g.add_edge(edge.source, edge.target, key=f"{edge.relation}", **attrs)
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
