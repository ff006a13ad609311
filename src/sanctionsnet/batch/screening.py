"""The one function both batch engines apply to rows: input row in, match columns out.

The local engine calls it in forked worker processes, the Spark engine inside each
partition; both score with `Screener.match`, the function behind `sanctionsnet match`
and the API, so a score never depends on how it was asked for. Identical queries (the
same names, schema, dates, countries and identifiers) are screened once per process
and their results reused: customer books repeat parties.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from sanctionsnet.batch.columns import ColumnMap
from sanctionsnet.batch.layout import MATCH_COLUMNS
from sanctionsnet.batch.readers import InputRow
from sanctionsnet.index import ScreeningIndex
from sanctionsnet.screen import Match, Query, QueryError, Screener, get_algorithm

MatchRow = tuple[Any, ...]
_SCORE = [name for name, _ in MATCH_COLUMNS].index("match_score")
#: Cached results per process; bounded so that a huge book of distinct names stays flat.
CACHE_SIZE = 200_000


@dataclass(frozen=True)
class Settings:
    """What a run screens with; part of a checkpoint's identity."""

    threshold: float | None = None
    limit: int = 10
    algorithm: str = "default"

    def __post_init__(self) -> None:
        get_algorithm(self.algorithm)  # fail early on an unknown algorithm
        if self.limit < 1:
            raise QueryError(f"--limit must be at least 1, got {self.limit}")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise QueryError(f"--threshold must be between 0 and 1, got {self.threshold}")

    def to_json(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "limit": self.limit, "algorithm": self.algorithm}


@dataclass
class Pass:
    """One index the rows are screened against.

    A full run has one, over the current lists. A monitoring run has two small ones:
    the entries added or changed since (scores now) and the removed or changed entries
    as they were (scores then); `changes` says which of the three each entry is.
    """

    index: ScreeningIndex
    changes: dict[str, str] = field(default_factory=dict)
    previous: bool = False


@dataclass
class Plan:
    """Everything a worker needs: how rows become queries, the settings, the indexes."""

    mapping: ColumnMap
    settings: Settings
    passes: list[Pass]
    monitoring: bool = False
    #: Names what the plan screens with (list versions, settings, mapping), so that a
    #: process that already holds it (a reused Spark worker) need not load it again.
    identity: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A row's result: its key and line, why it could not be screened, or its matches."""

    key: int
    line: int | None
    error: str | None
    matches: tuple[MatchRow, ...] = ()

    def __reduce__(self) -> tuple[type[Outcome], tuple[Any, ...]]:
        # One per row back from the workers; see `InputRow.__reduce__`.
        return (Outcome, (self.key, self.line, self.error, self.matches))


class RowScreener:
    """Applies a plan to rows, in one process, with a cache of repeated queries."""

    def __init__(self, plan: Plan, cache_size: int = CACHE_SIZE) -> None:
        self.plan = plan
        self.screeners = [Screener(p.index) for p in plan.passes]
        # First in, first out. An OrderedDict, not a dict: popping a dict's oldest entry
        # walks past every slot already popped, a cost that grew with the book (28 µs a
        # row once the cache was full).
        self.cache: OrderedDict[Query, tuple[MatchRow, ...]] = OrderedDict()
        self.cache_size = cache_size

    def screen(self, rows: Sequence[InputRow]) -> list[Outcome]:
        out: list[Outcome] = []
        mapping = self.plan.mapping
        for row in rows:
            if row.values is None:
                out.append(Outcome(row.key, row.line, row.error or "unreadable row"))
                continue
            try:
                query = mapping.query(row.values)
            except QueryError as exc:
                out.append(Outcome(row.key, row.line, str(exc)))
                continue
            matches = self.cache.get(query)
            if matches is None:
                matches = self._screen(query)
                if len(self.cache) >= self.cache_size:
                    self.cache.popitem(last=False)
                self.cache[query] = matches
            out.append(Outcome(row.key, row.line, None, matches))
        return out

    def _screen(self, query: Query) -> tuple[MatchRow, ...]:
        s = self.plan.settings
        if not self.plan.monitoring:
            found = self.screeners[0].match(
                query, threshold=s.threshold, limit=s.limit, algorithm=s.algorithm
            )
            return tuple(match_row(rank, m) for rank, m in enumerate(found, start=1))
        return self._screen_changes(query)

    def _screen_changes(self, query: Query) -> tuple[MatchRow, ...]:
        """Matches against what changed: each entry once, with its score now and then."""
        s = self.plan.settings
        now: dict[str, Match] = {}
        then: dict[str, Match] = {}
        changes: dict[str, str] = {}
        for p, screener in zip(self.plan.passes, self.screeners, strict=True):
            size = len(p.index.records)
            if not size:
                continue
            # Every entry that shares a name key or identifier with the query is scored:
            # the index holds only what changed, so no candidate cut-off applies.
            found = screener.match(
                query, threshold=s.threshold, limit=size, algorithm=s.algorithm, candidates=size
            )
            for m in found:
                (then if p.previous else now)[m.record.id] = m
                changes.setdefault(m.record.id, p.changes.get(m.record.id, "changed"))
        ranked = sorted(
            changes,
            key=lambda rid: (
                -max(
                    now[rid].score if rid in now else 0.0, then[rid].score if rid in then else 0.0
                ),
                rid,
            ),
        )
        rows: list[MatchRow] = []
        for rank, rid in enumerate(ranked[: s.limit], start=1):
            current, earlier = now.get(rid), then.get(rid)
            shown = current or earlier
            assert shown is not None
            values = list(match_row(rank, shown))
            values[_SCORE] = current.score if current else None  # below the threshold now
            rows.append((changes[rid], *values, earlier.score if earlier else None))
        return tuple(rows)


def match_row(rank: int, m: Match) -> MatchRow:
    """A match as the values of `layout.MATCH_COLUMNS`."""
    r = m.record
    features = orjson.dumps([f.to_json() for f in m.features]).decode()
    return (
        rank,
        r.id,
        r.schema,
        r.caption,
        r.dataset,
        r.source,
        r.ref,
        r.version,
        m.score,
        m.matched_name,
        "; ".join(r.programs),
        features,
    )
