"""The peer pipeline: a token/3-gram candidate index and nomenklatura's `logic-v2` scorer.

This is how the issue's peer figures were made ("nomenklatura 4.17.4, logic-v2, threshold 0.7,
candidates from a token/3-gram index, one process"), rebuilt so that the peer screens the same
stored entities as our engine:

- candidates: every listed name (name, alias, previousName, weakAlias) is normalised with
  normality to ASCII (ICU transliteration, so Cyrillic, Arabic, Han and Hangul names become
  Latin), split into tokens, and each token contributes itself and its character 3-grams as
  features. A query's candidates are the 30 parties with the largest IDF-weighted overlap of
  distinct features (the BM25-free core of what yente asks Elasticsearch for);
- scoring: `logic-v2`'s `compare(query, candidate, config)` with its default configuration,
  on the stored followthemoney entity of each candidate.

nomenklatura caches name analysis by entity id (lru, 1,000 entries), so every query entity gets
a fresh id. nomenklatura is a bench-only dependency: nothing under src/ imports it.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from evalsets import Listed
from followthemoney import model, registry
from followthemoney.proxy import EntityProxy
from normality import normalize

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
CANDIDATES = 30

_ids = itertools.count()


@lru_cache(maxsize=200_000)
def name_features(name: str) -> frozenset[str]:
    """Tokens ('t:' prefix) and character 3-grams ('g:') of an ASCII-normalised name."""
    text = normalize(name, ascii=True) or ""
    features: set[str] = set()
    for token in text.split():
        features.add("t:" + token)
        if len(token) < 3:
            features.add("g:" + token)
        else:
            features.update("g:" + token[i : i + 3] for i in range(len(token) - 2))
    return frozenset(features)


def entity_names(entity: EntityProxy) -> list[str]:
    return [v for p in NAME_PROPS if p in entity.schema.properties for v in entity.get(p)]


def listed(entity: EntityProxy) -> Listed:
    dates = entity.get("birthDate", quiet=True) if "birthDate" in entity.schema.properties else []
    return Listed(entity.id or "", tuple(entity_names(entity)), tuple(dates))


class PeerIndex:
    """Inverted index of name tokens and 3-grams over the listed parties."""

    def __init__(self, entities: Iterable[EntityProxy]) -> None:
        started = time.perf_counter()
        self.entities: list[EntityProxy] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for entity in entities:
            names = entity_names(entity)
            if not names:
                continue
            number = len(self.entities)
            self.entities.append(entity)
            features: set[str] = set()
            for name in names:
                features.update(name_features(name))
            for feature in features:
                postings[feature].append(number)
        total = max(len(self.entities), 1)
        self.postings = {k: np.asarray(v, dtype=np.int32) for k, v in postings.items()}
        self.idf = {k: math.log(1 + total / len(v)) for k, v in postings.items()}
        self.seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self.entities)

    def candidates(self, names: Sequence[str], limit: int = CANDIDATES) -> list[int]:
        """Entity numbers with the largest IDF-weighted feature overlap, best first."""
        features: set[str] = set()
        for name in names:
            features.update(name_features(name))
        scores = np.zeros(len(self.entities), dtype=np.float32)
        for feature in features:
            hits = self.postings.get(feature)
            if hits is not None:
                scores[hits] += self.idf[feature]
        nonzero = int(np.count_nonzero(scores))
        if not nonzero:
            return []
        k = min(limit, nonzero)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [int(i) for i in top]


def query_entity(
    names: str | Sequence[str],
    schema: str = "Person",
    birth_date: str | None = None,
    country: str | None = None,
) -> EntityProxy:
    """A query entity with a fresh id; invalid dates and countries are dropped, as FtM does."""
    proxy = model.make_entity(schema)
    proxy.id = f"q{next(_ids)}"
    for name in [names] if isinstance(names, str) else names:
        proxy.add("name", name)
    if birth_date and "birthDate" in proxy.schema.properties:
        proxy.add("birthDate", birth_date, quiet=True)
    if country:
        code = registry.country.clean(country)
        if code:
            prop = "nationality" if "nationality" in proxy.schema.properties else "country"
            proxy.add(prop, code, quiet=True)
    return proxy


@dataclass(frozen=True, slots=True)
class PeerMatch:
    entity: EntityProxy
    score: float


class Peer:
    """logic-v2 over candidates from a `PeerIndex`."""

    def __init__(self, index: PeerIndex | None = None) -> None:
        from nomenklatura.matching import get_algorithm

        algorithm = get_algorithm("logic-v2")
        if algorithm is None:
            raise RuntimeError("nomenklatura has no logic-v2")
        self.algorithm: Any = algorithm
        self.config = algorithm.default_config()
        self.index = index

    def compare(self, query: EntityProxy, candidate: EntityProxy) -> float:
        return float(self.algorithm.compare(query, candidate, self.config).score)

    def compare_names(self, name1: str, name2: str, schema: str = "Person") -> float:
        """Two entities that carry only a name each (the pair protocol of the name sets)."""
        return self.compare(query_entity(name1, schema), query_entity(name2, schema))

    def match(self, query: EntityProxy, limit: int = CANDIDATES) -> list[PeerMatch]:
        """Candidates scored by logic-v2, best first (all of them, whatever their score)."""
        if self.index is None:
            raise RuntimeError("Peer.match needs a PeerIndex")
        names = query.get("name")
        out = [
            PeerMatch(self.index.entities[n], self.compare(query, self.index.entities[n]))
            for n in self.index.candidates(names, limit)
        ]
        out.sort(key=lambda m: (-m.score, m.entity.id or ""))
        return out


def peer_version() -> str:
    from importlib.metadata import version

    return version("nomenklatura")
