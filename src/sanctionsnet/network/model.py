"""The network's vocabulary: parties (nodes), relations (edges), stakes and evidence.

Plain frozen dataclasses, no followthemoney objects: a graph of the current lists is
pickled, cached and walked many times, and every answer must say where each link
came from. Edges point from the active party to the passive one: owner -> owned,
director -> organisation, subject -> object of a "Linked To".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from normality import slugify

#: Relations and how they are written; the keys are the `relation` values of the CSV
#: (`ownership`, `control`, `director`) and of every JSON answer.
RELATIONS: dict[str, str] = {
    "ownership": "owns",
    "control": "controls",
    "director": "is director/officer of",
    "operator": "owns or operates",
    "representative": "represents",
    "employee": "works for",
    "member": "is member of",
    "family": "is family of",
    "associate": "is associate of",
    "linked": "is linked to",
    "same_as": "is the same party as",
}
#: Relations that carry or confer control over the target (used by the 50 % rules).
OWNERSHIP_RELATIONS = frozenset({"ownership", "control", "director"})
#: What "majority" means as a lower bound: more than half (an infinitesimal above 50 %).
MAJORITY_LOW = 50.0 + 1e-6


@dataclass(frozen=True, slots=True)
class Share:
    """A stake as a closed interval of percentages; an exact figure has low == high."""

    low: float
    high: float
    text: str = ""

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def describe(self) -> str:
        if self.low == MAJORITY_LOW and self.high == 100.0:
            return "majority (>50 %)"
        if self.exact:
            return f"{self.low:g} %"
        return f"{self.low:g}-{self.high:g} %"

    def to_json(self) -> dict[str, Any]:
        return {
            "low": round(self.low, 6),
            "high": round(self.high, 6),
            "text": self.text or self.describe(),
            "label": self.describe(),
        }


#: A stake nobody stated: anything from nothing to all of it.
UNKNOWN_SHARE = Share(0.0, 100.0, "unknown")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where one statement of a relation comes from.

    `kind` is `list` (a relationship entity the list parser emitted), `list-text` (read
    from an entry's own text by sanctionsnet) or `user` (a row of the user's file).
    `match` records how a name was resolved to a listed entity (entity id, score and,
    from the screening engine, its features).
    """

    kind: str
    dataset: str | None = None
    source: str | None = None
    ref: str | None = None
    version: str | None = None
    entity_id: str | None = None
    text: str | None = None
    file: str | None = None
    line: int | None = None
    date: str | None = None
    match: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        for key in ("dataset", "source", "ref", "version", "entity_id", "text", "file"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.line is not None:
            data["line"] = self.line
        if self.date:
            data["date"] = self.date
        if self.match:
            data["match"] = list(self.match)
        return data


@dataclass(frozen=True, slots=True)
class Node:
    """A party: a listed entity (its id in the store) or an unlisted one named in data."""

    id: str
    caption: str
    schema: str = "LegalEntity"
    listed: bool = False
    dataset: str | None = None
    ref: str | None = None
    programs: tuple[str, ...] = ()
    #: For unlisted parties: a listed entity the name resembles, below the certainty score.
    possible_match: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "caption": self.caption,
            "schema": self.schema,
            "listed": self.listed,
        }
        if self.listed:
            data.update(dataset=self.dataset, ref=self.ref, programs=list(self.programs))
        if self.possible_match is not None:
            data["possible_match"] = self.possible_match
        return data


@dataclass(frozen=True, slots=True)
class Edge:
    """A relation between two parties, with every statement of it that was found."""

    source: str
    target: str
    relation: str
    share: Share | None = None
    role: str | None = None
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.relation)

    def describe(self) -> str:
        verb = RELATIONS.get(self.relation, self.relation)
        share = f" {self.share.describe()}" if self.share is not None else ""
        return f"{verb}{share}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "relation": self.relation,
        }
        if self.share is not None:
            data["share"] = self.share.to_json()
        if self.role:
            data["role"] = self.role
        data["evidence"] = [e.to_json() for e in self.evidence]
        return data


def party_id(name: str) -> str:
    """A stable id for an unlisted party named `name` (same name, same id, in any data).

    Valid as a followthemoney entity id, so exports keep it.
    """
    slug = slugify(name, sep="-") or ""
    digest = hashlib.sha1(name.casefold().encode()).hexdigest()[:10]
    if not slug:
        return f"party-{digest}"
    if len(slug) > 60:
        slug = slug[:60].rstrip("-") + "-" + digest
    return f"party-{slug}"
