"""`Screener`: a query in, ranked listed parties out, each with its score and features.

One scoring function per algorithm serves the library, the CLI, the API and the
batch engines, so a score never depends on how it was asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sanctionsnet.index.index import ScreeningIndex, analyse_query_names
from sanctionsnet.index.records import Record
from sanctionsnet.names.phonetic import remember_match_keys
from sanctionsnet.names.tokens import AnalyzedName
from sanctionsnet.screen import scoring
from sanctionsnet.screen.query import Query, QueryError
from sanctionsnet.screen.scoring import Feature, Scored
from sanctionsnet.store import Store

_SCHEMA_CACHE: dict[tuple[str, str], bool] = {}


@dataclass(frozen=True)
class Algorithm:
    name: str
    version: str
    description: str
    default_threshold: float
    #: Scores one listed party; with a cutoff above 0 it may return None for a party
    #: whose score provably stays below the cutoff, without scoring it in full.
    score: Callable[
        [Query, list[AnalyzedName], Record, list[tuple[AnalyzedName, str]], float], Scored | None
    ]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "default_threshold": self.default_threshold,
        }


def _default_score(
    query: Query,
    names: list[AnalyzedName],
    record: Record,
    cand: list[tuple[AnalyzedName, str]],
    cutoff: float = 0.0,
) -> Scored | None:
    return scoring.score_candidate(
        names,
        cand,
        query_dates=query.birth_dates,
        listed_dates=record.birth_dates,
        query_countries=query.countries,
        listed_countries=record.countries,
        query_ids=query.identifiers,
        listed_ids=record.identifiers,
        is_person=record.schema == "Person",
        name_policy=name_policy(query_schema(query, names), record.schema),
        floor=cutoff,
        kept=True,
    )


_PARTY_OR_PERSON = frozenset({"Person", "LegalEntity"})


def query_schema(query: Query, names: list[AnalyzedName]) -> str:
    """The query's schema, narrowed to Person when a name carries a personal title
    ("Dr Amin", "Mr John Smith"): a payment field says LegalEntity, the title says who."""
    if query.schema == "LegalEntity" and any(n.honorifics for n in names):
        return "Person"
    return query.schema


def name_policy(query_schema_: str, record_schema: str) -> str:
    """Which weak-name rule applies (see `scoring.score_candidate`)."""
    if query_schema_ not in _PARTY_OR_PERSON or record_schema not in _PARTY_OR_PERSON:
        return "none"
    if "Person" in (query_schema_, record_schema):
        return "person"
    return "common"


def _ofac_score(
    query: Query,
    names: list[AnalyzedName],
    record: Record,
    cand: list[tuple[AnalyzedName, str]],
    cutoff: float = 0.0,
) -> Scored:
    from sanctionsnet.screen.ofac_sls import ofac_explain, ofac_score

    best_score, best_query, best_name = -1.0, "", ""
    for qname in query.names:
        for entry in record.names:
            value = ofac_score(qname, entry.text)
            if value > best_score:
                best_score, best_query, best_name = value, qname, entry.text
    text = f"OFAC SLS name score against {best_name!r}: {ofac_explain(best_query, best_name).describe()}"
    return Scored(round(max(best_score, 0.0), 4), [Feature("name", best_score, text)], best_name)


ALGORITHMS: dict[str, Algorithm] = {
    "default": Algorithm(
        name="default",
        version=scoring.VERSION,
        description=(
            "sanctionsnet's own: token alignment of names across scripts and transliterations, "
            "strong identifiers decisive, birth date, country and schema as qualifiers."
        ),
        default_threshold=0.7,
        score=_default_score,
    ),
    "ofac": Algorithm(
        name="ofac",
        version="1",
        description=(
            "Reproduces OFAC's Sanctions List Search name score (FAQ 249: Jaro-Winkler over the "
            "whole name and per name part, first-letter rule). Names only."
        ),
        default_threshold=0.85,
        score=_ofac_score,
    ),
}


def get_algorithm(name: str) -> Algorithm:
    try:
        return ALGORITHMS[name]
    except KeyError:
        raise QueryError(f"unknown algorithm {name!r} (known: {', '.join(ALGORITHMS)})") from None


@dataclass(frozen=True)
class Match:
    """One listed party that matched a query."""

    record: Record
    score: float
    features: tuple[Feature, ...]
    matched_name: str | None
    algorithm: str

    @property
    def is_match(self) -> bool:
        return True

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "id": r.id,
            "caption": r.caption,
            "schema": r.schema,
            "dataset": r.dataset,
            "source": r.source,
            "ref": r.ref,
            "version": r.version,
            "score": self.score,
            "matched_name": self.matched_name,
            "programs": list(r.programs),
            "features": [f.to_json() for f in self.features],
        }


def schema_compatible(query_schema: str, record_schema: str) -> bool:
    key = (query_schema, record_schema)
    cached = _SCHEMA_CACHE.get(key)
    if cached is None:
        from followthemoney import model

        q = model.get(query_schema)
        r = model.get(record_schema)
        cached = bool(q and r and (q.can_match(r) or r.can_match(q)))
        _SCHEMA_CACHE[key] = cached
    return cached


class Screener:
    """Screens queries against an in-memory index of the current lists."""

    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index
        remember_match_keys(getattr(index, "pair_keys", {}))
        scoring.forget_listed_profiles()

    @classmethod
    def from_store(cls, store: Store) -> Screener:
        return cls(ScreeningIndex.from_store(store))

    def match(
        self,
        query: Query,
        threshold: float | None = None,
        limit: int = 10,
        algorithm: str = "default",
        candidates: int = 12,
    ) -> list[Match]:
        """Listed parties scoring at or above `threshold`, best first, at most `limit`.

        Parties whose score provably stays below the threshold are not scored in full
        (see `scoring.best_name`): the results are the same, only cheaper to find.
        """
        algo = get_algorithm(algorithm)
        cutoff = algo.default_threshold if threshold is None else threshold
        names = analyse_query_names(query.names, query.schema)
        results: list[Match] = []
        schema = query_schema(query, names)
        for number in self.index.candidates(names, query.identifiers, limit=max(candidates, limit)):
            record = self.index.records[number]
            if not schema_compatible(schema, record.schema):
                continue
            scored = algo.score(query, names, record, self.index.names[number], cutoff)
            if scored is not None and scored.score >= cutoff:
                results.append(
                    Match(
                        record, scored.score, tuple(scored.features), scored.matched_name, algo.name
                    )
                )
        results.sort(key=lambda m: (-m.score, m.record.id))
        return results[:limit]
