"""The in-memory candidate index over the current versions of every list.

For each listed name the analyser's tokens are turned into phonetic keys that
collapse romanisation variants across scripts (``token_keys``). The index maps
each key to a sorted array of record numbers. A query looks up the keys of its
own tokens, adds up the rarity (IDF) of the tokens each record shares with it,
and hands the best few records to the scorer. Identifiers are looked up exactly,
so a matching IMO number finds its vessel whatever the name says.
"""

from __future__ import annotations

import math
import time
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sanctionsnet.identifiers import Identifier
from sanctionsnet.index.records import Record, records_from_entities
from sanctionsnet.names.analyze import analyze_name
from sanctionsnet.names.phonetic import match_keys
from sanctionsnet.names.phonetic import token_key_sets as name_token_key_sets
from sanctionsnet.names.tokens import AnalyzedName
from sanctionsnet.store import Store

#: Keys shared by more than this share of records are skipped when a rarer key of the
#: same token is present (they would add work and no ranking signal).
COMMON_KEY_SHARE = 0.05
#: Candidates retrieved with less than this share of the best candidate's retrieval score
#: are not scored.
MIN_RELATIVE_RETRIEVAL = 0.5
#: A query whose postings number more than 1/this of the records accumulates its
#: candidates in a dense array over all records; fewer, by sorting its hits.
DENSE_ACCUMULATION_RATIO = 16


@dataclass(frozen=True)
class IndexStats:
    records: int
    names: int
    keys: int
    postings: int
    seconds: float
    datasets: dict[str, str]  # dataset -> version id


def token_key_sets(name: AnalyzedName) -> list[tuple[frozenset[str], float]]:
    """Per token of an analysed name: its retrieval keys and its weight (see
    `phonetic.token_key_sets`)."""
    return name_token_key_sets(name.tokens)


def name_keys(name: AnalyzedName) -> set[str]:
    """Retrieval keys of one analysed name."""
    keys: set[str] = set()
    for token_keys_, _ in token_key_sets(name):
        keys.update(token_keys_)
    return keys


class ScreeningIndex:
    """Records, their analysed names, and the key -> records postings."""

    def __init__(self, records: Sequence[Record], datasets: dict[str, str] | None = None) -> None:
        started = time.perf_counter()
        self.records: list[Record] = list(records)
        self.names: list[list[tuple[AnalyzedName, str]]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        self.by_identifier: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_id: dict[str, int] = {}
        #: Every listed token's `match_keys`, kept so a loaded index need not redo them.
        pair_keys: dict[str, frozenset[str]] = {}
        self.pair_keys = pair_keys
        name_count = 0
        shortest: list[int] = []
        for number, record in enumerate(self.records):
            self.by_id[record.id] = number
            analysed = []
            keys: set[str] = set()
            for entry in record.names:
                name = analyze_name(entry.text, record.schema)
                analysed.append((name, entry.origin))
                keys.update(name_keys(name))
                for token in name.tokens:
                    if token.weight > 0 and token.kind != "number" and token.text not in pair_keys:
                        pair_keys[token.text] = match_keys(token.text)
            name_count += len(analysed)
            self.names.append(analysed)
            shortest.append(min((_weighted_length(name) for name, _ in analysed), default=0))
            for key in keys:
                postings[key].append(number)
            for ident in record.identifiers:
                self.by_identifier[(ident.kind, ident.value)].append(number)
        #: Per record, the fewest weighted tokens among its names: among records sharing
        #: equally much with a query, the one with least left over is retrieved first.
        self.shortest_name = np.asarray(shortest, dtype=np.int32)
        total = max(len(self.records), 1)
        self.postings: dict[str, np.ndarray] = {
            k: np.asarray(v, dtype=np.int32) for k, v in postings.items()
        }
        self.idf: dict[str, float] = {k: math.log(1 + total / len(v)) for k, v in postings.items()}
        self.common_limit = max(50, int(total * COMMON_KEY_SHARE))
        self.stats = IndexStats(
            records=len(self.records),
            names=name_count,
            keys=len(self.postings),
            postings=sum(len(v) for v in self.postings.values()),
            seconds=time.perf_counter() - started,
            datasets=dict(datasets or {}),
        )

    @classmethod
    def from_store(cls, store: Store, datasets: Iterable[str] | None = None) -> ScreeningIndex:
        """Index the current version of every dataset in `store` (or of the given ones)."""
        records: list[Record] = []
        versions: dict[str, str] = {}
        for dataset in datasets or store.datasets():
            version = store.current(dataset)
            if version is None:
                continue
            versions[dataset] = version.id
            records.extend(
                records_from_entities(store.entities(version), dataset, version.source, version.id)
            )
        return cls(records, versions)

    def candidates(
        self,
        names: Sequence[AnalyzedName],
        identifiers: Sequence[Identifier] = (),
        limit: int = 30,
    ) -> list[int]:
        """Record numbers most likely to match, best first; identifier hits always included."""
        total = len(self.records)
        found: list[int] = []
        for ident in identifiers:
            found.extend(self.by_identifier.get((ident.kind, ident.value), ()))
        if total == 0:
            return found
        records_parts: list[np.ndarray] = []
        value_parts: list[np.ndarray] = []
        known = _TOKEN_HITS.setdefault(self, {})
        for name in names:
            for keys, weight in name_token_key_sets(name.tokens):
                found_token = known.get(keys, _UNKNOWN)
                if found_token is _UNKNOWN:
                    found_token = self._token_hits(keys)
                if found_token is not None:
                    hits, values = found_token
                    records_parts.append(hits)
                    value_parts.append(values if weight == 1.0 else values * weight)
        if records_parts:
            hit: np.ndarray
            hit_scores: np.ndarray
            if len(records_parts) == 1:
                # One token: its hits name each record once, in order.
                hit, hit_scores = _near_best(records_parts[0], value_parts[0].astype(np.float64))
            else:
                # Sparse accumulation: the work follows the postings the query touches,
                # not the number of listed records (a million-entity index stays fast).
                all_hits = np.concatenate(records_parts)
                weights = np.concatenate(value_parts)
                if len(all_hits) * DENSE_ACCUMULATION_RATIO > total:
                    # Many postings against few records: one pass over a dense array is
                    # cheaper than sorting the hits (same records, same sums).
                    dense = np.bincount(all_hits, weights=weights, minlength=total)
                    hit = (dense >= dense.max() * MIN_RELATIVE_RETRIEVAL).nonzero()[0]
                    hit_scores = dense[hit]
                else:
                    hit, hit_scores = _near_best(*_sum_by_record(all_hits, weights))
            if len(hit) > limit:
                hit, hit_scores = self._best(hit, hit_scores, limit)
            found.extend(hit[(-hit_scores).argsort(kind="stable")].tolist())
        return list(dict.fromkeys(found))

    def _best(
        self, hits: np.ndarray, scores: np.ndarray, limit: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The `limit` best-scoring hits (in record order).

        Records on several lists, or relatives sharing a family name, often tie at the
        cut. The tied ones with the shortest names go first (least left over that the
        query does not explain), then by record number: never by how a selection
        algorithm happened to visit them.
        """
        cut = len(scores) - limit
        kth = np.partition(scores, cut)[cut]
        keep = scores > kth
        tied = (scores == kth).nonzero()[0]
        room = limit - int(keep.sum())
        if len(tied) > room:
            tied = tied[self.shortest_name[hits[tied]].argsort(kind="stable")[:room]]
        keep[tied] = True
        return hits[keep], scores[keep]

    def _token_hits(self, keys: frozenset[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """The records sharing a token's keys, each with the IDF of its rarest shared key.

        Worked out once per distinct token (a book of customers repeats its given names
        and surnames) and kept in a bounded cache beside the index.
        """
        cache = _TOKEN_HITS.setdefault(self, {})
        found = cache.get(keys)
        if found is not None or keys in cache:
            return found
        present = sorted(((self.idf[k], k) for k in keys if k in self.postings), reverse=True)
        result: tuple[np.ndarray, np.ndarray] | None = None
        if len(present) == 1:
            idf, key = present[0]
            hits = self.postings[key]
            result = (hits, np.full(len(hits), idf, dtype=np.float32))
        elif present:
            # A record counts a token once, at its rarest shared key.
            token_hits = []
            token_values = []
            for idf, key in present:
                hits = self.postings[key]
                if len(hits) > self.common_limit and idf < present[0][0]:
                    continue  # too common to add anything a rarer key did not
                token_hits.append(hits)
                token_values.append(np.full(len(hits), idf, dtype=np.float32))
            all_hits = np.concatenate(token_hits)
            values = np.concatenate(token_values)
            order = np.lexsort((-values, all_hits))
            all_hits, values = all_hits[order], values[order]
            first = np.empty(len(all_hits), dtype=bool)
            first[0] = True
            np.not_equal(all_hits[1:], all_hits[:-1], out=first[1:])
            result = (all_hits[first], values[first])
        if len(cache) >= _TOKEN_HITS_MAX:
            cache.clear()
        cache[keys] = result
        return result


def _near_best(hits: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hits sharing at least `MIN_RELATIVE_RETRIEVAL` of what the best one shares.

    Records sharing far less with the query than the best one cannot reach a threshold
    the best one barely reaches: scoring them is wasted work, and so is ranking them.
    """
    keep = scores >= scores.max() * MIN_RELATIVE_RETRIEVAL
    return hits[keep], scores[keep]


def _weighted_length(name: AnalyzedName) -> int:
    return sum(1 for token in name.tokens if token.weight > 0)


def _sum_by_record(hits: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct records among `hits`, ascending, each with the sum of its values in
    the order they came (what `np.unique` and `np.bincount` give, without their overhead
    on the few thousand hits of a query)."""
    order = hits.argsort(kind="stable")
    ordered = hits[order]
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = first.nonzero()[0]
    return ordered[starts], np.add.reduceat(values[order].astype(np.float64), starts)


_UNKNOWN = object()

#: Per index, each distinct token's hits (see `ScreeningIndex._token_hits`); weakly keyed so
#: that the cache goes with its index and is never pickled with it.
_TOKEN_HITS: weakref.WeakKeyDictionary[ScreeningIndex, dict[frozenset[str], Any]] = (
    weakref.WeakKeyDictionary()
)
_TOKEN_HITS_MAX = 200_000


def analyse_query_names(names: Iterable[str], schema: str) -> list[AnalyzedName]:
    return [analyze_name(n, schema) for n in names]
