"""An entity's page, assembled: what every list says about the party, side by side.

The columns are the entry itself, the entries of other lists that are the same party
for certain (they carry the same UN reference number: a `same_as` link of the network),
and entries of other lists the screening engine matches to it with a score of 0.9 or
more, marked as probable with their score, so the analyst sees the evidence for each.
The rows are the properties any of them gives, nested facts (the Sanction's program and
authority, passports, addresses) flattened as "Sanction: program".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sanctionsnet.api.engine import Snapshot
from sanctionsnet.api.routes_entities import entity_json
from sanctionsnet.network import Graph
from sanctionsnet.screen import Query
from sanctionsnet.web.labels import property_label, schema_label, source_title

#: Screening score from which an entry of another list is shown as probably the same party.
PROBABLE = 0.9
PER_LIST = 2
#: Properties shown first, in this order; the rest follow alphabetically, notes last.
FIRST = (
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "firstName",
    "middleName",
    "fatherName",
    "lastName",
    "title",
    "birthDate",
    "birthPlace",
    "gender",
    "nationality",
    "citizenship",
    "country",
    "jurisdiction",
    "position",
    "idNumber",
    "passportNumber",
    "taxNumber",
    "registrationNumber",
    "imoNumber",
    "mmsi",
    "flag",
    "program",
    "topics",
)
LAST = ("notes", "summary", "description", "sourceUrl")
HIDDEN = ("id",)


@dataclass
class SourceColumn:
    entity: dict[str, Any]
    relation: str  # this | same | probable
    why: str
    score: float | None = None
    values: dict[str, list[str]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return source_title(str(self.entity.get("source") or self.entity["datasets"][0]))


@dataclass
class Row:
    label: str
    cells: list[list[str]]

    @property
    def differs(self) -> bool:
        given = [frozenset(v.casefold() for v in c) for c in self.cells if c]
        return len(set(given)) > 1


def flatten(entity: dict[str, Any]) -> dict[str, list[str]]:
    """Property label -> values, nested entities as "Schema: property"."""
    out: dict[str, list[str]] = {}
    schema = entity["schema"]
    for prop, values in entity.get("properties", {}).items():
        if prop in HIDDEN:
            continue
        for value in values:
            if isinstance(value, dict):
                nested_schema = value.get("schema", "")
                for sub, subvalues in value.get("properties", {}).items():
                    label = f"{schema_label(nested_schema)}: {property_label(nested_schema, sub)}"
                    for item in subvalues:
                        if isinstance(item, str) and item != entity["id"]:
                            out.setdefault(label, []).append(item)
            else:
                out.setdefault(property_label(schema, prop), []).append(str(value))
    return out


def _order(schema: str) -> dict[str, int]:
    return {property_label(schema, p): i for i, p in enumerate(FIRST)}


def rows_of(columns: list[SourceColumn], schema: str) -> list[Row]:
    labels: dict[str, None] = {}
    for column in columns:
        column.values = flatten(column.entity)
        labels.update(dict.fromkeys(column.values))
    first = _order(schema)
    last = {property_label(schema, p) for p in LAST}

    def key(label: str) -> tuple[int, int, str]:
        if label in first:
            return (0, first[label], label)
        if label in last:
            return (3, 0, label)
        return (2 if ":" in label else 1, 0, label)

    return [
        Row(label, [sorted(set(c.values.get(label, [])), key=str.casefold) for c in columns])
        for label in sorted(labels, key=key)
    ]


def same_party(graph: Graph | None, entity_id: str) -> list[tuple[str, str]]:
    """Entries of other lists linked as the same party (entity id, why)."""
    if graph is None:
        return []
    if entity_id not in graph.nodes:
        return []
    found: dict[str, str] = {}
    for edge, other in graph.neighbours(entity_id):
        if edge.relation == "same_as":
            found.setdefault(other, edge.role or "same UN reference")
    return sorted(found.items())


def probable_matches(snapshot: Snapshot, entity_id: str) -> list[tuple[str, float]]:
    """Entries of other lists the screening engine matches to this one at PROBABLE or more."""
    number = snapshot.index.by_id.get(entity_id)
    screener = snapshot.screener("default")
    if number is None or screener is None:
        return []
    record = snapshot.index.records[number]
    names = tuple(dict.fromkeys(n.text for n in record.names))[:25]
    if not names:
        return []
    query = Query(
        names=names,
        schema=record.schema,
        birth_dates=record.birth_dates,
        countries=record.countries,
        identifiers=record.identifiers,
    )
    per_list: dict[str, int] = {}
    out: list[tuple[str, float]] = []
    for match in screener.match(query, threshold=PROBABLE, limit=30, candidates=60):
        other = match.record
        if other.dataset == record.dataset or per_list.get(other.dataset, 0) >= PER_LIST:
            continue
        per_list[other.dataset] = per_list.get(other.dataset, 0) + 1
        out.append((other.id, match.score))
    return out


def columns_for(
    snapshot: Snapshot, graph: Graph | None, entity: dict[str, Any]
) -> list[SourceColumn]:
    """The entry, then the same party on other lists, then probable matches."""
    columns = [SourceColumn(entity, "this", "this entry")]
    seen = {entity["id"]}
    for other, why in same_party(graph, entity["id"]):
        data = entity_json(snapshot, other, True)
        if data is not None and other not in seen:
            seen.add(other)
            columns.append(SourceColumn(data, "same", why))
    for other, score in probable_matches(snapshot, entity["id"]):
        data = entity_json(snapshot, other, True)
        if data is not None and other not in seen:
            seen.add(other)
            columns.append(
                SourceColumn(data, "probable", f"screening score {score:.2f}", score=score)
            )
    return columns


def edge_rows(network: dict[str, Any]) -> list[dict[str, Any]]:
    """The network's links for the table under the graph: both ends named, evidence kept."""
    captions = {n["id"]: n["caption"] for n in network.get("nodes", ())}
    listed = {n["id"] for n in network.get("nodes", ()) if n.get("listed")}
    rows = []
    for number, edge in enumerate(network.get("edges", ())):
        rows.append(
            {
                "number": number,
                "source": edge["source"],
                "target": edge["target"],
                "source_caption": captions.get(edge["source"], edge["source"]),
                "target_caption": captions.get(edge["target"], edge["target"]),
                "source_listed": edge["source"] in listed,
                "target_listed": edge["target"] in listed,
                "relation": edge["relation"],
                "share": (edge.get("share") or {}).get("label"),
                "role": edge.get("role"),
                "evidence": edge.get("evidence", []),
            }
        )
    return rows
