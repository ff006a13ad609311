"""Names to listed entities: an exact name first, then the screening engine.

The same resolver serves the names in the lists' own text ("Parent company: X") and
the names in a user's ownership file, so that a link always says how its party was
recognised: by id, by an identical name or alias, or by a screening match with its
score and features.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sanctionsnet.screen import Query, Screener
from sanctionsnet.screen.query import QueryError
from sanctionsnet.screen.screener import Match

_KEY_SPLIT = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """Case, punctuation and spacing folded: how two spellings of one name compare exactly."""
    return _KEY_SPLIT.sub(" ", name.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Resolution:
    """A name recognised as a listed entity, and how."""

    entity_id: str
    score: float
    method: str  # "id", "exact name", "screening"
    name: str  # the name that was resolved
    matched_name: str | None = None
    dataset: str | None = None
    features: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "entity_id": self.entity_id,
            "method": self.method,
            "score": self.score,
        }
        if self.matched_name:
            data["matched_name"] = self.matched_name
        if self.dataset:
            data["dataset"] = self.dataset
        if self.features:
            data["features"] = list(self.features)
        return data


class NameResolver:
    """Resolves names to records of a screening index, restricted to listed entities."""

    def __init__(
        self,
        screener: Screener,
        is_listed: Callable[[str], bool] = lambda _id: True,
        datasets: Collection[str] | None = None,
    ) -> None:
        self.screener = screener
        self.is_listed = is_listed
        self.datasets = set(datasets) if datasets is not None else None
        self._exact_names: dict[str, list[int]] | None = None

    @property
    def _exact(self) -> dict[str, list[int]]:
        """Folded listed names -> record numbers, built on first use."""
        if self._exact_names is None:
            names: dict[str, list[int]] = {}
            for number, record in enumerate(self.screener.index.records):
                if not self.allowed(record.id, record.dataset):
                    continue
                for entry in record.names:
                    bucket = names.setdefault(name_key(entry.text), [])
                    if number not in bucket:
                        bucket.append(number)
            self._exact_names = names
        return self._exact_names

    def allowed(self, entity_id: str, dataset: str) -> bool:
        if self.datasets is not None and dataset not in self.datasets:
            return False
        return self.is_listed(entity_id)

    def by_id(self, entity_id: str) -> Resolution | None:
        number = self.screener.index.by_id.get(entity_id)
        if number is None:
            return None
        record = self.screener.index.records[number]
        if not self.allowed(record.id, record.dataset):
            return None
        return Resolution(record.id, 1.0, "id", entity_id, record.caption, record.dataset)

    def exact(
        self, name: str, prefer_dataset: str | None = None, schema: str = "LegalEntity"
    ) -> Resolution | None:
        """A listed entity with exactly this name or alias (same dataset preferred)."""
        from sanctionsnet.screen.screener import schema_compatible

        numbers = self._exact.get(name_key(name), [])
        records = [self.screener.index.records[n] for n in numbers]
        records = [r for r in records if schema_compatible(schema, r.schema)]
        if not records:
            return None
        records.sort(key=lambda r: (r.dataset != prefer_dataset, r.id))
        record = records[0]
        return Resolution(record.id, 1.0, "exact name", name, record.caption, record.dataset)

    def matches(
        self, name: str, schema: str = "LegalEntity", threshold: float = 0.7
    ) -> list[Match]:
        """Screening matches among allowed listed entities, best first."""
        try:
            query = Query.build(name, schema=schema)
        except QueryError:
            return []
        found = self.screener.match(query, threshold=threshold, limit=10)
        return [m for m in found if self.allowed(m.record.id, m.record.dataset)]

    def resolve(
        self,
        name: str,
        schema: str = "LegalEntity",
        prefer_dataset: str | None = None,
        threshold: float = 0.9,
    ) -> Resolution | None:
        """The listed entity `name` designates: by exact name, else by screening score.

        An identical name in `prefer_dataset` wins, then a screening match there, then an
        identical name elsewhere, then the best screening match elsewhere.
        """
        exact = self.exact(name, prefer_dataset, schema)
        if exact is not None and exact.dataset == prefer_dataset:
            return exact
        found = self.matches(name, schema, threshold)
        same = [m for m in found if m.record.dataset == prefer_dataset]
        if same:
            return from_match(name, same[0])
        if exact is not None:
            return exact
        return from_match(name, found[0]) if found else None


def from_match(name: str, match: Match) -> Resolution:
    return Resolution(
        entity_id=match.record.id,
        score=match.score,
        method="screening",
        name=name,
        matched_name=match.matched_name,
        dataset=match.record.dataset,
        features=tuple(f.to_json() for f in match.features),
    )


@dataclass(frozen=True, slots=True)
class PartyMatch:
    """What a name or id in a user's data was found to be.

    `node_id` is the listed entity's id for an id or a match at or above the certainty
    score; otherwise the unlisted party's own id, with `possible` holding a match
    between the threshold and the certainty score (used for "possibly blocked").
    """

    node_id: str
    listed: bool
    resolution: Resolution | None = None
    possible: Resolution | None = None
    also: tuple[Resolution, ...] = ()

    def evidence(self) -> tuple[dict[str, Any], ...]:
        found = [r for r in (self.resolution, self.possible) if r is not None]
        out = [r.to_json() for r in found]
        for other in self.also:
            out.append({**other.to_json(), "note": "also matched above the certainty score"})
        return tuple(out)


class PartyMatcher:
    """Matches the parties of a user's data to listed entities, once per distinct name.

    A match at or above `certain` makes the party that listed entity; a match between
    `threshold` and `certain` leaves it unlisted but records the possible match, which
    the 50 % rules use for their upper bound only.
    """

    def __init__(
        self, resolver: NameResolver, threshold: float = 0.7, certain: float = 0.9
    ) -> None:
        if not 0.0 <= threshold <= certain <= 1.0:
            raise ValueError("need 0 <= threshold <= certain <= 1")
        self.resolver = resolver
        self.threshold = threshold
        self.certain = certain
        self._cache: dict[tuple[str, str], PartyMatch] = {}

    def match(
        self, value: str, schema: str = "LegalEntity", query: Query | None = None
    ) -> PartyMatch:
        from sanctionsnet.network.model import party_id

        key = (value, schema)
        if query is None and key in self._cache:
            return self._cache[key]
        by_id = self.resolver.by_id(value)
        if by_id is not None:
            found = PartyMatch(by_id.entity_id, True, by_id)
        else:
            if query is not None:
                try:
                    matches = self.resolver.screener.match(
                        query, threshold=self.threshold, limit=10
                    )
                except QueryError:
                    matches = []
                matches = [
                    m for m in matches if self.resolver.allowed(m.record.id, m.record.dataset)
                ]
            else:
                matches = self.resolver.matches(value, schema, self.threshold)
            sure = [m for m in matches if m.score >= self.certain]
            if sure:
                also = tuple(
                    from_match(value, m) for m in sure[1:] if m.record.id != sure[0].record.id
                )
                found = PartyMatch(sure[0].record.id, True, from_match(value, sure[0]), also=also)
            elif matches:
                found = PartyMatch(party_id(value), False, possible=from_match(value, matches[0]))
            else:
                found = PartyMatch(party_id(value), False)
        if query is None:
            self._cache[key] = found
        return found
