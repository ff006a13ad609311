"""Screening the parties and vessels of transactions, once per distinct party.

A file of a million transactions names the same shippers, banks and vessels again and
again; a screening query costs about a millisecond and a half. Results are therefore
kept per distinct (schema, name, IMO number), so the cost follows the number of
distinct parties, not of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanctionsnet.regime.model import Target
from sanctionsnet.regime.transactions import Transaction
from sanctionsnet.screen import Query, QueryError, Screener

#: Columns screened as organisations or persons, and as vessels.
PARTY_COLUMNS = ("shipper", "consignee", "notify_party", "payer", "payee", "employer")
LIST_COLUMN = "parties"
#: Hits on the row's vessel (vessel_name and vessel_imo screened together).
VESSEL = "vessel"
#: Which hit group a rule column reads.
HIT_GROUP = {"vessel_name": VESSEL, "vessel_imo": VESSEL}


@dataclass(frozen=True, slots=True)
class PartyHit:
    """A party of the row that matched a listed entry."""

    column: str
    value: str
    id: str
    caption: str
    schema: str
    dataset: str
    ref: str | None
    score: float
    programs: tuple[str, ...]
    regime: bool

    def describe(self) -> str:
        programs = ", ".join(self.programs) or "no programme"
        ref = f" {self.ref}" if self.ref else ""
        return (
            f"{self.column} {self.value!r} matches {self.caption!r} "
            f"({self.dataset}{ref}; {programs}; score {self.score:.2f})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.column,
            "value": self.value,
            "id": self.id,
            "caption": self.caption,
            "schema": self.schema,
            "dataset": self.dataset,
            "ref": self.ref,
            "score": self.score,
            "programs": list(self.programs),
            "regime_programme": self.regime,
        }


@dataclass(frozen=True, slots=True)
class _Listed:
    id: str
    caption: str
    schema: str
    dataset: str
    ref: str | None
    score: float
    programs: tuple[str, ...]
    regime: bool


class PartyScreener:
    """Screens row parties against the current lists, caching per distinct party."""

    def __init__(
        self,
        screener: Screener,
        target: Target,
        threshold: float | None = None,
        algorithm: str = "default",
        limit: int = 5,
        max_cache: int = 1_000_000,
    ) -> None:
        self.screener = screener
        #: A long-running service sees ever new parties: past this many the cache restarts.
        self.max_cache = max_cache
        self.target = target
        self.threshold = threshold
        self.algorithm = algorithm
        self.limit = limit
        #: Results per distinct query (schema, name without case, IMO number).
        self.cache: dict[tuple[str, str, str], tuple[_Listed, ...]] = {}
        # The same, keyed by the text as written: no normalisation on the hot path.
        self._names: dict[str, tuple[_Listed, ...]] = {}
        self._vessels: dict[tuple[str | None, str], tuple[_Listed, ...]] = {}
        self.queries = 0

    @property
    def distinct(self) -> int:
        return len(self.cache)

    def _screen(self, schema: str, name: str, imo: str) -> tuple[_Listed, ...]:
        key = (schema, name.casefold(), imo)
        found = self.cache.get(key)
        if found is not None:
            return found
        if len(self.cache) >= self.max_cache:
            self.cache.clear()
            self._names.clear()
            self._vessels.clear()
        self.queries += 1
        try:
            query = Query.build(name, schema=schema, ids=[f"imo:{imo}"] if imo else ())
        except QueryError:
            found = ()
        else:
            matches = self.screener.match(
                query, threshold=self.threshold, limit=self.limit, algorithm=self.algorithm
            )
            found = tuple(
                _Listed(
                    m.record.id,
                    m.record.caption,
                    m.record.schema,
                    m.record.dataset,
                    m.record.ref,
                    m.score,
                    tuple(m.record.programs),
                    self.target.program_matches(m.record.programs),
                )
                for m in matches
            )
        self.cache[key] = found
        return found

    def _entity(self, name: str) -> tuple[_Listed, ...]:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = self._screen("LegalEntity", name, "")
        return found

    def _vessel(self, name: str | None, imo: str) -> tuple[_Listed, ...]:
        key = (name, imo)
        found = self._vessels.get(key)
        if found is None:
            found = self._vessels[key] = self._screen("Vessel", name or f"IMO {imo}", imo)
        return found

    def screen(self, tx: Transaction) -> dict[str, list[PartyHit]]:
        """Hits of the row by column; columns without hits are left out."""
        values = tx.values
        hits: dict[str, list[PartyHit]] = {}
        for column in PARTY_COLUMNS:
            name = values.get(column)
            if name:
                found = self._entity(name)
                if found:
                    self._add(hits, column, name, found)
        for name in values.get(LIST_COLUMN, ()):
            found = self._entity(name)
            if found:
                self._add(hits, LIST_COLUMN, name, found)
        vessel = values.get("vessel_name")
        imo = values.get("vessel_imo") or ""
        if vessel or imo:
            found = self._vessel(vessel, imo)
            if found:
                shown = f"{vessel} (IMO {imo})" if vessel and imo else (vessel or f"IMO {imo}")
                self._add(hits, VESSEL, shown, found)
        other = values.get("counterparty_vessel_imo")
        if other:
            found = self._vessel(None, other)
            if found:
                self._add(hits, "counterparty_vessel_imo", f"IMO {other}", found)
        return hits

    @staticmethod
    def _add(
        hits: dict[str, list[PartyHit]], column: str, value: str, found: tuple[_Listed, ...]
    ) -> None:
        if not found:
            return
        group = hits.setdefault(column, [])
        for f in found:
            group.append(
                PartyHit(
                    column,
                    value,
                    f.id,
                    f.caption,
                    f.schema,
                    f.dataset,
                    f.ref,
                    f.score,
                    f.programs,
                    f.regime,
                )
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "available": True,
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "versions": dict(self.screener.index.stats.datasets),
            "distinct_parties": self.distinct,
        }
