"""What the quality and speed benchmarks share: the real lists in a store, metrics, timing.

The benchmarks screen against the newest publication of every real list (the same set
`bench/ingest.py` imports as LATEST). Importing them takes about ten seconds, so a run can
keep the store in a folder (`--home`) and reuse it; without one, a temporary store is made
and removed at exit. Both our engine and the peer are built from the same stored entities,
so they always screen against the same lists.
"""

from __future__ import annotations

import atexit
import gc
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
for _path in (str(REPO / "src"), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from sanctionsnet.ingest import import_files  # noqa: E402
from sanctionsnet.store import Store  # noqa: E402
from sanctionsnet.store.snapshot import StoredEntity  # noqa: E402

#: The peer's figures in issue 3 (nomenklatura 4.17.4, logic-v2, threshold 0.7).
PEER_THRESHOLD = 0.7


def data_dir(explicit: Path | None = None) -> Path:
    """The shared data folder (override with --data or SANCTIONSNET_SHARED_DATA)."""
    if explicit is not None:
        return explicit
    env = os.environ.get("SANCTIONSNET_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def latest_publications() -> list[tuple[str, str | None, list[str]]]:
    """(source id, dataset or None, files relative to lists/) of the newest real publications."""
    from ingest import LATEST  # bench/ingest.py: one list for every benchmark

    return list(LATEST)


def open_store(home: Path | None, data: Path, quiet: bool = False) -> Store:
    """A store holding the latest version of every real list; imports only what is missing.

    With `home` None, a temporary folder is used and deleted when the process exits.
    """
    if home is None:
        tmp = tempfile.mkdtemp(prefix="sanctionsnet-bench-")
        atexit.register(shutil.rmtree, tmp, True)
        home = Path(tmp)
    store = Store(home)
    lists = data / "lists"
    started = time.perf_counter()
    imported = 0
    for source, dataset, rels in latest_publications():
        name = dataset or source
        if store.current(name) is not None:
            continue
        import_files(store, source, [lists / r for r in rels], dataset=dataset, allow_shrink=True)
        imported += 1
    if imported and not quiet:
        print(f"imported {imported} lists into {home} in {time.perf_counter() - started:.1f} s")
    return store


@dataclass
class Lists:
    """The stored entities of the current version of every dataset in a store."""

    rows: dict[str, list[StoredEntity]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def load_lists(store: Store) -> Lists:
    """Read every current snapshot once, for our index and the peer's alike."""
    started = time.perf_counter()
    out = Lists()
    for dataset in store.datasets():
        version = store.current(dataset)
        if version is None:
            continue
        out.rows[dataset] = list(store.entities(version))
        out.sources[dataset] = version.source
        out.versions[dataset] = version.id
    out.seconds = time.perf_counter() - started
    return out


# --- metrics -------------------------------------------------------------------------


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 from confusion counts."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def prf_from_scores(
    positives: Sequence[float], negatives: Sequence[float], threshold: float
) -> PRF:
    """A pair is predicted a match when its score is at or above the threshold."""
    tp = sum(1 for s in positives if s >= threshold)
    fp = sum(1 for s in negatives if s >= threshold)
    return PRF(tp=tp, fp=fp, fn=len(positives) - tp)


def rate(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def power_fit(sizes: Sequence[float], costs: Sequence[float]) -> float:
    """Exponent b of cost ~ a * size**b, by least squares on the logs (nan if undefined)."""
    pairs = [
        (math.log(n), math.log(c)) for n, c in zip(sizes, costs, strict=True) if n > 0 and c > 0
    ]
    if len(pairs) < 2:
        return float("nan")
    mx = sum(x for x, _ in pairs) / len(pairs)
    my = sum(y for _, y in pairs) / len(pairs)
    var = sum((x - mx) ** 2 for x, _ in pairs)
    if var == 0:
        return float("nan")
    return sum((x - mx) * (y - my) for x, y in pairs) / var


# --- process -------------------------------------------------------------------------


def rss_mb() -> float:
    """Resident set size of this process in MB, after a full garbage collection."""
    import psutil

    gc.collect()
    return psutil.Process().memory_info().rss / 1e6


def fmt_pct(value: float) -> str:
    return f"{100 * value:6.2f} %"


def table(header: Sequence[str], rows: Iterable[Sequence[object]], title: str | None = None) -> str:
    """A plain fixed-width table (first column left-aligned, the others right-aligned)."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    if title:
        lines.append(title)
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(parts))
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.3f}"
    return "-" if value is None else str(value)
