"""Goods named in words but coded elsewhere: a description against the declared HS code.

Misdeclaring the HS code is the cheapest evasion: coal shipped as "stone", garments as
"other made-up articles". Each goods measure lists the words that name its goods
(`keywords`, with `keywords_exclude` for phrases that only look alike, such as
"coal tar"). When a shipment's description uses those words but its HS code falls
outside the measure's scope, the checker flags the row for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sanctionsnet.regime.conditions import word_pattern
from sanctionsnet.regime.model import Measure, ScopeItem


@dataclass(frozen=True, slots=True)
class NamedGoods:
    """A measure whose goods the description names, and the words that did it."""

    measure: Measure
    item: ScopeItem
    word: str


class TextFlagger:
    """Finds the goods measures a description names; one regex pass per distinct text."""

    MAX_CACHE = 100_000

    def __init__(self, measures: list[Measure]) -> None:
        self._owners: list[list[tuple[Measure, ScopeItem]]] = []
        index: dict[str, int] = {}
        for measure in measures:
            for item in measure.scope:
                for word in item.keywords:
                    key = word.casefold()
                    if key not in index:
                        index[key] = len(self._owners)
                        self._owners.append([])
                    self._owners[index[key]].append((measure, item))
        self._words = list(index)
        groups = [f"(?P<k{i}>{word_pattern((w,)).pattern})" for w, i in index.items()]
        self._pattern = re.compile("|".join(groups), re.IGNORECASE) if groups else None
        self._cache: dict[str, tuple[NamedGoods, ...]] = {}

    def named(self, description: str) -> tuple[NamedGoods, ...]:
        found = self._cache.get(description)
        if found is not None:
            return found
        found = self._scan(description)
        if len(self._cache) < self.MAX_CACHE:
            self._cache[description] = found
        return found

    def _scan(self, text: str) -> tuple[NamedGoods, ...]:
        if self._pattern is None:
            return ()
        out: list[NamedGoods] = []
        seen: set[tuple[str, int]] = set()
        for match in self._pattern.finditer(text):
            group = match.lastgroup
            if group is None:
                continue
            for measure, item in self._owners[int(group[1:])]:
                key = (measure.id, id(item))
                if key in seen or _excluded(item, text, match.span()):
                    continue
                seen.add(key)
                out.append(NamedGoods(measure, item, match.group(0)))
        return tuple(out)


def _excluded(item: ScopeItem, text: str, span: tuple[int, int]) -> bool:
    if not item.keywords_exclude:
        return False
    for match in word_pattern(item.keywords_exclude).finditer(text):
        if match.start() <= span[0] and span[1] <= match.end():
            return True
    return False
