"""The network the lists themselves describe, read from the current versions in the store.

Two kinds of edges, each with its evidence (dataset, entry reference, version, text):

- relationship entities the parsers emitted: OFAC/CSL "Linked To" and aircraft operators
  (UnknownLink), UN narrative citations (UnknownLink, classified by their clause: "member
  of", "brother of"...), OFSI "asset of" (Ownership), and Ownership, Directorship,
  Family, Associate... of followthemoney datasets;
- relations stated in the entries' text (see `text_relations`): labelled owners,
  operators, parents, subsidiaries and directors (kept as unlisted parties when they are
  not listed), listed names next to a relation word, and UN reference numbers cited in
  other lists' text. Entries of different lists that carry the same UN reference are
  joined by a `same_as` edge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from followthemoney import registry
from followthemoney.proxy import EntityProxy

from sanctionsnet.network.model import Edge, Evidence, Node, Share, party_id
from sanctionsnet.network.resolve import NameResolver, Resolution, name_key
from sanctionsnet.network.shares import ShareError, parse_share
from sanctionsnet.network.text_relations import (
    MentionIndex,
    Reading,
    labelled_relations,
    mention_relations,
    reading_in_clause,
    un_citations,
)
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store, Version
from sanctionsnet.store.stats import is_party

#: Relationship schemata and the relation they state (source property -> target property
#: as followthemoney defines them; Employment is turned round to employee -> employer).
SCHEMA_RELATIONS = {
    "Ownership": "ownership",
    "Directorship": "director",
    "Family": "family",
    "Associate": "associate",
    "Representation": "representative",
    "Membership": "member",
    "Employment": "employee",
    "UnknownLink": "linked",
}
_NAME_TYPE = registry.name
#: Minimum screening score for a name in a list's text to be taken as a listed entity.
TEXT_MATCH_THRESHOLD = 0.9


@dataclass
class _Dataset:
    version: Version
    parties: dict[str, tuple[EntityProxy, str | None]] = field(default_factory=dict)
    relationships: list[tuple[EntityProxy, str | None]] = field(default_factory=list)
    programs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    un_refs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


class EdgeSet:
    """Edges keyed by (source, target, relation); repeated statements add evidence."""

    def __init__(self) -> None:
        self.edges: dict[tuple[str, str, str], Edge] = {}

    def add(self, edge: Edge) -> None:
        if edge.source == edge.target:
            return
        existing = self.edges.get(edge.key)
        if existing is None:
            self.edges[edge.key] = edge
            return
        evidence = existing.evidence + tuple(e for e in edge.evidence if e not in existing.evidence)
        share = existing.share if existing.share is not None else edge.share
        role = existing.role or edge.role
        self.edges[edge.key] = Edge(
            existing.source, existing.target, existing.relation, share, role, evidence
        )

    def values(self) -> list[Edge]:
        return list(self.edges.values())


def _load(store: Store) -> dict[str, _Dataset]:
    loaded: dict[str, _Dataset] = {}
    for name in store.datasets():
        version = store.current(name)
        if version is None:
            continue
        data = _Dataset(version)
        for row in store.entities(version):
            entity = row.entity
            schema = entity.schema
            if schema.name == "Sanction":
                for pid in entity.get("entity"):
                    data.programs[pid].update(entity.get("program"))
                    data.un_refs[pid].update(r.strip() for r in entity.get("unscId"))
            elif schema.edge and schema.name in SCHEMA_RELATIONS:
                data.relationships.append((entity, row.ref))
            elif is_party(entity):
                data.parties[entity.id or ""] = (entity, row.ref)
        loaded[name] = data
    return loaded


def _is_listed(entity: EntityProxy, data: _Dataset) -> bool:
    return (entity.id or "") in data.programs or "sanction" in entity.get("topics", quiet=True)


def list_network(
    store: Store, screener: Screener | None = None
) -> tuple[dict[str, Node], list[Edge], dict[str, str]]:
    """Nodes, edges and the versions they were read from, for the current lists.

    `screener` resolves names in the lists' text that are not written exactly as a listed
    name; without it only identical names and aliases are recognised.
    """
    datasets = _load(store)
    nodes: dict[str, Node] = {}
    for name, data in datasets.items():
        for pid, (entity, ref) in data.parties.items():
            nodes[pid] = Node(
                id=pid,
                caption=entity.caption,
                schema=entity.schema.name,
                listed=_is_listed(entity, data),
                dataset=name,
                ref=ref,
                programs=tuple(sorted(data.programs.get(pid, ()))),
            )
    edges = EdgeSet()
    for name, data in datasets.items():
        for entity, ref in data.relationships:
            edge = _relationship_edge(entity, ref, name, data, nodes)
            if edge is not None:
                edges.add(edge)
    reader = _TextReader(datasets, nodes, screener)
    for name, data in datasets.items():
        for pid, (entity, ref) in data.parties.items():
            for edge in reader.edges(name, data, pid, entity, ref):
                edges.add(edge)
    for edge in _same_as_edges(datasets):
        edges.add(edge)
    versions = {name: data.version.id for name, data in datasets.items()}
    return nodes, edges.values(), versions


def _relationship_edge(
    entity: EntityProxy, ref: str | None, dataset: str, data: _Dataset, nodes: dict[str, Node]
) -> Edge | None:
    schema = entity.schema
    relation = SCHEMA_RELATIONS[schema.name]
    if schema.source_prop is None or schema.target_prop is None:
        return None
    sources = entity.get(schema.source_prop)
    targets = entity.get(schema.target_prop)
    if not sources or not targets or sources[0] not in nodes or targets[0] not in nodes:
        return None
    source, target = sources[0], targets[0]
    if relation == "employee":
        source, target = target, source  # Employment: employer -> employee in FtM
    role = "; ".join(entity.get("role", quiet=True) + entity.get("relationship", quiet=True))
    share: Share | None = None
    if relation == "ownership":
        for value in entity.get("percentage", quiet=True):
            try:
                share = parse_share(value)
            except ShareError:
                share = None
            if share is not None:
                break
    text = role or None
    if schema.name == "UnknownLink":
        if role.lower() == "aircraft operator":
            relation = "operator"
            source, target = target, source  # the operator operates the aircraft
        elif role.lower() == "linked to":
            text = _linked_to_text(data, source, target, nodes)
        else:
            reading = reading_in_clause(role)
            if reading is not None:
                relation = reading.relation
                if reading.incoming:
                    source, target = target, source
    evidence = Evidence(
        kind="list",
        dataset=dataset,
        source=data.version.source,
        ref=ref,
        version=data.version.id,
        entity_id=entity.id,
        text=text,
        date=next(iter(entity.get("startDate", quiet=True)), None),
    )
    return Edge(source, target, relation, share, role or None, (evidence,))


def _linked_to_text(data: _Dataset, source: str, target: str, nodes: dict[str, Node]) -> str:
    """The subject's own "Linked To: X" segment naming the target, as written in the list."""
    party = data.parties.get(source)
    target_node = nodes.get(target)
    caption = target_node.caption if target_node else target
    if party is None:
        return f"Linked To: {caption}"
    target_entity = data.parties.get(target)
    keys = {name_key(caption)}
    if target_entity is not None:
        keys.update(name_key(n) for n in target_entity[0].get_type_values(_NAME_TYPE))
    for note in party[0].get("notes", quiet=True):
        for segment in note.replace("(Linked To:", "; Linked To:").split(";"):
            segment = segment.strip().rstrip(").").strip()
            if segment.startswith("Linked To:") and name_key(segment[10:]) in keys:
                return segment
    return f"Linked To: {caption}"


def _same_as_edges(datasets: dict[str, _Dataset]) -> Iterable[Edge]:
    """Entries of different lists carrying the same UN reference number are one party."""
    by_ref: dict[str, list[tuple[str, str, _Dataset]]] = defaultdict(list)
    for name, data in datasets.items():
        for pid, refs in data.un_refs.items():
            if pid in data.parties:
                for ref in refs:
                    by_ref[ref].append((name, pid, data))
    for ref, holders in by_ref.items():
        if len(holders) < 2:
            continue
        holders.sort(key=lambda h: (h[0] != "un_sc", h[0], h[1]))
        anchor_name, anchor, _ = holders[0]
        for name, pid, data in holders[1:]:
            if name == anchor_name:
                continue
            yield Edge(
                pid,
                anchor,
                "same_as",
                role=f"UN reference {ref}",
                evidence=(
                    Evidence(
                        kind="list",
                        dataset=name,
                        source=data.version.source,
                        ref=data.parties[pid][1],
                        version=data.version.id,
                        text=f"listed under UN reference {ref}, as {anchor} in {anchor_name}",
                    ),
                ),
            )


class _TextReader:
    """Edges from the entries' own text, resolved against the listed names."""

    def __init__(
        self, datasets: dict[str, _Dataset], nodes: dict[str, Node], screener: Screener | None
    ) -> None:
        self.datasets = datasets
        self.nodes = nodes
        self.resolver = (
            NameResolver(screener, lambda eid: eid in nodes and nodes[eid].listed)
            if screener is not None
            else None
        )
        self.exact: dict[str, dict[str, str]] = defaultdict(dict)  # dataset -> key -> id
        self.exact_any: dict[str, str] = {}
        self.mentions: dict[str, MentionIndex] = {}
        self.un_refs: dict[str, list[tuple[str, str]]] = defaultdict(list)  # ref -> (ds, id)
        for name, data in datasets.items():
            index = MentionIndex()
            for pid, (entity, _) in data.parties.items():
                node = nodes[pid]
                if not node.listed:
                    continue
                for value in entity.get_type_values(_NAME_TYPE):
                    key = name_key(value)
                    self.exact[name].setdefault(key, pid)
                    self.exact_any.setdefault(key, pid)
                    if not entity.schema.is_a("Person"):
                        index.add(value, pid)
            self.mentions[name] = index
            for pid, refs in data.un_refs.items():
                for ref in refs:
                    self.un_refs[ref].append((name, pid))
        self._cache: dict[tuple[str, str, str], Resolution | None] = {}

    def resolve(self, name: str, dataset: str, schema: str) -> Resolution | None:
        key = (name_key(name), dataset, schema)
        if key in self._cache:
            return self._cache[key]
        found: Resolution | None = None
        pid = self.exact[dataset].get(key[0])
        if pid is not None:
            found = Resolution(pid, 1.0, "exact name", name, self.nodes[pid].caption, dataset)
        elif self.resolver is not None:
            found = self.resolver.resolve(name, schema, dataset, TEXT_MATCH_THRESHOLD)
        elif key[0] in self.exact_any:
            pid = self.exact_any[key[0]]
            found = Resolution(
                pid, 1.0, "exact name", name, self.nodes[pid].caption, self.nodes[pid].dataset
            )
        self._cache[key] = found
        return found

    def edges(
        self, dataset: str, data: _Dataset, pid: str, entity: EntityProxy, ref: str | None
    ) -> Iterable[Edge]:
        def evidence(text: str, match: Resolution | None = None) -> Evidence:
            return Evidence(
                kind="list-text",
                dataset=dataset,
                source=data.version.source,
                ref=ref,
                version=data.version.id,
                text=text,
                match=(match.to_json(),) if match is not None else (),
            )

        def edge(other: str, reading: Reading, ev: Evidence) -> Edge:
            src, dst = (other, pid) if reading.incoming else (pid, other)
            return Edge(src, dst, reading.relation, role=reading.role, evidence=(ev,))

        notes = entity.get("notes", quiet=True)
        positions = entity.get("position", quiet=True)
        own_refs = data.un_refs.get(pid, set())
        free_text = list(positions)
        for note in notes:
            labelled = labelled_relations(note)
            for item in labelled:
                found = self.resolve(item.name, dataset, "LegalEntity")
                if found is not None:
                    yield edge(found.entity_id, item.reading, evidence(item.text, found))
                else:
                    other = party_id(item.name)
                    if other not in self.nodes:
                        self.nodes[other] = Node(other, item.name, "LegalEntity")
                    yield edge(other, item.reading, evidence(item.text))
            if labelled and labelled[0].text == note.strip():
                continue  # the whole note is a labelled field
            for item in labelled:  # labelled segments of remarks are read once, above
                note = note.replace(item.text, "")
            free_text.append(note)
            if dataset != "un_sc":  # the UN parser already links its citations
                for target, reading, clause, match in self._citations(dataset, pid, note, own_refs):
                    yield edge(target, reading, evidence(clause, match))
        for text in free_text:
            for mention in mention_relations(text, self.mentions[dataset], {pid}):
                match = Resolution(
                    mention.entity_id,
                    1.0,
                    "exact name",
                    self.nodes[mention.entity_id].caption,
                    self.nodes[mention.entity_id].caption,
                    dataset,
                )
                yield edge(mention.entity_id, mention.reading, evidence(mention.text, match))

    def _citations(
        self, dataset: str, pid: str, note: str, own_refs: set[str]
    ) -> Iterable[tuple[str, Reading, str, Resolution]]:
        """Listed parties cited by UN reference number in `note` (same list preferred)."""
        for cited, reading, clause in un_citations(note):
            if cited in own_refs:
                continue
            holders = self.un_refs.get(cited, [])
            same = [h for h in holders if h[0] == dataset]
            ranked = same or [h for h in holders if h[0] == "un_sc"] or holders
            if not ranked or ranked[0][1] == pid:
                continue
            holder_dataset, target = ranked[0]
            match = Resolution(
                target, 1.0, "UN reference", cited, self.nodes[target].caption, holder_dataset
            )
            yield target, reading or Reading("linked", False, "cites"), clause, match
