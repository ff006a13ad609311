"""From API input to `Screener.match` and back: the one path /match, /search and /reconcile share.

The score of every result is `Screener.match`'s, computed by the same function
the CLI and the batch engines call. This module only turns example entities into
`Query` objects (with errors that name the offending field), applies yente's
result filters, and screens schemata that are not matchable themselves (`Thing`,
`Asset`) as each matchable kind they cover.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from followthemoney import model
from starlette.concurrency import run_in_threadpool

from sanctionsnet.index.records import Record
from sanctionsnet.screen import Match, Query, QueryError, Screener, get_algorithm
from sanctionsnet.screen.screener import Algorithm

#: Kinds of listed party; a query of another schema is screened as each of these it covers.
PARTY_SCHEMATA = ("LegalEntity", "Vessel", "Airplane")
#: yente's algorithm names that mean "the best one" here.
ALGORITHM_ALIASES = {"best": "default"}


class InputError(ValueError):
    """Bad input with the location of the field at fault (FastAPI's `loc` convention)."""

    def __init__(self, loc: Sequence[str | int], message: str, kind: str = "value_error") -> None:
        super().__init__(message)
        self.loc = tuple(loc)
        self.message = message
        self.kind = kind

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind, "loc": list(self.loc), "msg": self.message}


class InputErrors(ValueError):
    """Several `InputError`s, reported together."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e.loc))}: {e.message}" for e in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Filters:
    """yente's result filters; empty means none."""

    include_dataset: frozenset[str] = frozenset()
    exclude_dataset: frozenset[str] = frozenset()
    exclude_schema: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()  # ISO codes
    schema: str | None = None  # results must be this schema or a descendant (search)

    def __bool__(self) -> bool:
        return bool(
            self.include_dataset
            or self.exclude_dataset
            or self.exclude_schema
            or self.topics
            or self.countries
            or self.schema
        )

    def accept(self, r: Record) -> bool:
        if self.include_dataset and r.dataset not in self.include_dataset:
            return False
        if r.dataset in self.exclude_dataset or r.schema in self.exclude_schema:
            return False
        if self.topics and not self.topics.intersection(r.topics):
            return False
        if self.countries and not self.countries.intersection(r.countries):
            return False
        return not self.schema or _is_a(r.schema, self.schema)


def resolve_algorithm(name: str, loc: Sequence[str | int] = ("query", "algorithm")) -> Algorithm:
    try:
        return get_algorithm(ALGORITHM_ALIASES.get(name, name))
    except QueryError as exc:
        raise InputError(loc, str(exc)) from None


def query_from_example(
    schema: str,
    properties: Mapping[str, str | Sequence[str]],
    loc: Sequence[str | int],
    *,
    max_values: int,
    max_chars: int,
) -> tuple[Query, dict[str, list[str]]]:
    """A `Query` from a yente example entity, and its properties as cleaned lists."""
    schema_obj = model.get(schema)
    if schema_obj is None:
        raise InputError((*loc, "schema"), f"unknown schema {schema!r}")
    for prop in properties:
        if prop not in schema_obj.properties:
            raise InputError(
                (*loc, "properties", prop), f"unknown property {prop!r} for schema {schema}"
            )
    cleaned: dict[str, list[str]] = {}
    count = 0
    for prop, raw in properties.items():
        values = [raw] if isinstance(raw, str) else list(raw)
        kept = []
        for i, value in enumerate(values):
            if len(value) > max_chars:
                raise InputError(
                    (*loc, "properties", prop, i),
                    f"value longer than {max_chars} characters ({len(value)})",
                )
            value = value.strip()
            if value:
                kept.append(value)
        count += len(kept)
        if count > max_values:
            raise InputError((*loc, "properties"), f"more than {max_values} property values")
        if kept:
            cleaned[prop] = kept
    try:
        query = Query.from_properties(schema, cleaned)
    except QueryError as exc:
        raise InputError((*loc, "properties", *_fault_field(str(exc))), str(exc)) from None
    return query, cleaned


def _fault_field(message: str) -> tuple[str, ...]:
    """The property a `QueryError` is about, when its message tells."""
    if "needs a name" in message:
        return ("name",)
    if "not a date" in message:
        return ("birthDate",)
    return ()


@dataclass(frozen=True)
class Parsed:
    """One query of a batch: its name in the request, the query, and what to echo and log."""

    name: str
    query: Query
    echo: dict[str, Any]
    limit: int


async def screen_many(
    screener: Screener,
    batch: Sequence[Parsed],
    *,
    algorithm: str,
    cutoff: float,
    filters: Filters | None = None,
    inline: int = 4,
) -> list[list[Match]]:
    """`screen` for each query of a batch.

    A few queries are screened on the event loop (a thread hand-off would cost
    more than it saves); a larger batch goes to a worker thread so that one big
    request does not hold up the others, health checks included.
    """

    def run() -> list[list[Match]]:
        return [
            screen(
                screener,
                p.query,
                algorithm=algorithm,
                cutoff=cutoff,
                limit=p.limit,
                filters=filters,
            )  # fmt: skip
            for p in batch
        ]

    return run() if len(batch) <= inline else await run_in_threadpool(run)


def batch_record(
    batch: Sequence[Parsed], found: Sequence[Sequence[Match]], threshold: float
) -> dict[str, Any]:
    """The audit log's view of a batch: each query as received and the results returned."""
    return {
        "queries": {p.name: p.echo for p in batch},
        "results": {
            p.name: [
                {"id": m.record.id, "score": m.score, "match": m.score >= threshold}
                for m in matches
            ]
            for p, matches in zip(batch, found, strict=True)
        },
    }


def screen(
    screener: Screener,
    query: Query,
    *,
    algorithm: str,
    cutoff: float,
    limit: int,
    filters: Filters | None = None,
) -> list[Match]:
    """Matches scoring at least `cutoff`, best first, at most `limit`, as `Screener.match` scores them.

    Without filters and for a matchable schema this is exactly one `Screener.match`
    call. Filters are applied to a wider candidate list, then cut to `limit`.
    """
    fetch = limit if not filters else min(limit * 4 + 20, 1000)
    schemata = screened_as(query.schema)
    if len(schemata) == 1 and schemata[0] == query.schema:
        results = screener.match(query, threshold=cutoff, limit=fetch, algorithm=algorithm)
    else:
        best: dict[str, Match] = {}
        for schema in schemata:
            for m in screener.match(
                replace(query, schema=schema), threshold=cutoff, limit=fetch, algorithm=algorithm
            ):
                if m.record.id not in best or best[m.record.id].score < m.score:
                    best[m.record.id] = m
        results = sorted(best.values(), key=lambda m: (-m.score, m.record.id))
    if filters:
        results = [m for m in results if filters.accept(m.record)]
    return results[:limit]


@lru_cache(maxsize=128)
def screened_as(schema: str) -> tuple[str, ...]:
    """The schemata a query of `schema` is screened as: itself if matchable, else the parties it covers."""
    obj = model.get(schema)
    if obj is None or obj.matchable:
        return (schema,)
    covered = tuple(p for p in PARTY_SCHEMATA if _is_a(p, schema))
    return covered or (schema,)


@lru_cache(maxsize=1024)
def _is_a(schema: str, ancestor: str) -> bool:
    obj = model.get(schema)
    return bool(obj and obj.is_a(ancestor))
