"""Names by prefix, for the reconciliation API's entity suggest (type-ahead in OpenRefine).

Type-ahead needs "what starts with what was typed so far", which the screening
index (whole tokens) does not answer. Every listed name is normalised (case,
accents, punctuation; also romanised when it is in another script) and entered
once per word it contains, so "jong" finds "Kim Jong Un"; a sorted array and
binary search answer a prefix in microseconds.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from normality import normalize

from sanctionsnet.index import ScreeningIndex


def normalise(text: str) -> str:
    return normalize(text, lowercase=True, collapse=True) or ""


def romanise(text: str) -> str:
    return normalize(text, lowercase=True, collapse=True, latinize=True) or ""


class PrefixIndex:
    """Sorted (name suffix starting at a word, record number) pairs."""

    def __init__(self, index: ScreeningIndex) -> None:
        entries: set[tuple[str, int]] = set()
        for number, record in enumerate(index.records):
            for entry in record.names:
                plain = normalise(entry.text)
                forms = {plain}
                if plain and not plain.isascii():
                    forms.add(romanise(entry.text))
                for form in forms:
                    words = form.split(" ")
                    for i in range(len(words)):
                        entries.add((" ".join(words[i:]), number))
        ordered = sorted(entries)
        self.keys = [k for k, _ in ordered]
        self.numbers = [n for _, n in ordered]

    def search(self, prefix: str, accept: Callable[[int], bool], limit: int) -> list[int]:
        """Record numbers with a name (or a word of one) starting with `prefix`, at most `limit`."""
        wanted = normalise(prefix)
        if not wanted:
            return []
        found = self._scan(wanted, accept, limit)
        if len(found) < limit and not wanted.isascii():
            roman = romanise(prefix)
            for number in self._scan(roman, accept, limit):
                if number not in found and len(found) < limit:
                    found.append(number)
        return found

    def _scan(self, wanted: str, accept: Callable[[int], bool], limit: int) -> list[int]:
        found: list[int] = []
        seen: set[int] = set()
        i = bisect.bisect_left(self.keys, wanted)
        while i < len(self.keys) and len(found) < limit and self.keys[i].startswith(wanted):
            number = self.numbers[i]
            if number not in seen and accept(number):
                seen.add(number)
                found.append(number)
            i += 1
        return found
