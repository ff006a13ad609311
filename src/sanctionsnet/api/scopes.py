"""Screening restricted to one dataset, without a second index.

`/match/ofac_sdn` must only return OFAC SDN entries, and ask the engine nothing
the full index does not know. A `DatasetIndex` shares the full index's records,
analysed names and token rarities (IDF), and keeps only the postings of its own
records, so candidate retrieval is the full index's own code run over fewer
records, and every score is exactly the one `Screener.match` gives on the full
index. Records of one dataset are stored contiguously (`ScreeningIndex.from_store`
adds them dataset by dataset), so each posting list is cut with two binary
searches into a view that costs no copy; a non-contiguous layout falls back to a
filtered copy.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from sanctionsnet.index.index import IndexStats, ScreeningIndex
from sanctionsnet.screen import Screener


class DatasetIndex(ScreeningIndex):
    """The part of `parent` that belongs to one dataset; record numbers stay the parent's."""

    def __init__(
        self, parent: ScreeningIndex, dataset: str, flat: _FlatPostings | None = None
    ) -> None:
        # Deliberately not calling ScreeningIndex.__init__: nothing is re-analysed. Everything
        # is shared with the parent (records, analysed names, IDF, and whatever the index
        # keeps in future), then what names records is cut down to this dataset's.
        self.__dict__.update(parent.__dict__)
        numbers = np.asarray(
            [i for i, r in enumerate(parent.records) if r.dataset == dataset], dtype=np.int32
        )
        self.dataset = dataset
        self.by_id = {parent.records[i].id: int(i) for i in numbers}
        self.postings = _restrict_postings(parent.postings, numbers, flat)
        self.by_identifier = defaultdict(list)
        wanted = set(numbers.tolist())
        for key, hits in parent.by_identifier.items():
            mine = [n for n in hits if n in wanted]
            if mine:
                self.by_identifier[key] = mine
        version = parent.stats.datasets.get(dataset)
        self.stats = IndexStats(
            records=len(numbers),
            names=sum(len(parent.names[i]) for i in numbers),
            keys=len(self.postings),
            postings=sum(len(v) for v in self.postings.values()),
            seconds=0.0,
            datasets={dataset: version} if version else {},
        )
        self.numbers = numbers


class _FlatPostings:
    """All posting lists of an index in one array, so that cutting them per dataset is vectorised."""

    def __init__(self, postings: dict[str, np.ndarray]) -> None:
        self.keys = list(postings)
        arrays = [postings[k] for k in self.keys]
        self.lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
        self.starts = np.zeros(len(arrays), dtype=np.int64)
        if len(arrays):
            np.cumsum(self.lengths[:-1], out=self.starts[1:])
        self.flat = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int32)

    def restrict(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        """Each key's postings in [lo, hi), as views of the flat array (sorted lists)."""
        nonempty = self.lengths > 0
        starts = self.starts[nonempty]
        below = np.add.reduceat((self.flat < lo).astype(np.int64), starts)
        inside = np.add.reduceat(((self.flat >= lo) & (self.flat < hi)).astype(np.int64), starts)
        keys = [k for k, keep in zip(self.keys, nonempty, strict=True) if keep]
        out: dict[str, np.ndarray] = {}
        for i in np.flatnonzero(inside):
            a = int(starts[i] + below[i])
            out[keys[i]] = self.flat[a : a + int(inside[i])]
        return out


def _restrict_postings(
    postings: dict[str, np.ndarray], numbers: np.ndarray, flat: _FlatPostings | None = None
) -> dict[str, np.ndarray]:
    if len(numbers) == 0:
        return {}
    lo, hi = int(numbers[0]), int(numbers[-1]) + 1
    if hi - lo == len(numbers):  # contiguous: cut each sorted posting list
        return (flat or _FlatPostings(postings)).restrict(lo, hi)
    out: dict[str, np.ndarray] = {}
    for key, hits in postings.items():
        mine = hits[np.isin(hits, numbers, assume_unique=True)]
        if len(mine):
            out[key] = mine
    return out


def dataset_screeners(index: ScreeningIndex) -> dict[str, Screener]:
    """A screener per dataset of `index`, plus "default" over all of them."""
    screeners = {"default": Screener(index)}
    flat = _FlatPostings(index.postings)
    for dataset in sorted({r.dataset for r in index.records}):
        screeners[dataset] = Screener(DatasetIndex(index, dataset, flat))
    return screeners
