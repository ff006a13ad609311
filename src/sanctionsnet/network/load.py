"""The network of the current lists, built once per set of current versions and cached.

Reading every entry's text and resolving the names it cites takes seconds; the result
depends only on the current versions and on this code, so it is pickled under a key
made of both (as the screening index is) and reused until either changes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import uuid
from pathlib import Path

from sanctionsnet import __version__
from sanctionsnet.network.graph import Graph
from sanctionsnet.network.list_edges import list_network
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store

#: Bump when the graph layout or the edge extraction changes.
NETWORK_FORMAT = "1"


def network_key(store: Store) -> str:
    parts = [__version__, NETWORK_FORMAT]
    for dataset in store.datasets():
        current = store.current(dataset)
        if current is not None:
            parts.append(f"{dataset}={current.id}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def load_network(store: Store, screener: Screener | None = None, use_cache: bool = True) -> Graph:
    """The graph of the current lists (from the cache when it is still valid).

    `screener` resolves names in the lists' text; by default the store's own is loaded.
    """
    cache_dir = store.home / "cache"
    path = cache_dir / f"network-{network_key(store)}.pickle"
    if use_cache and path.is_file():
        try:
            with path.open("rb") as fh:
                graph: Graph = pickle.load(fh)
            return graph
        except Exception:
            path.unlink(missing_ok=True)
    if screener is None:
        from sanctionsnet.service import load_screener

        screener = load_screener(store)
    nodes, edges, versions = list_network(store, screener)
    graph = Graph(nodes, edges, versions)
    if use_cache:
        _write_cache(cache_dir, path, graph)
    return graph


def _write_cache(cache_dir: Path, path: Path, graph: Graph) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob("network-*.pickle"):
            stale.unlink(missing_ok=True)
        tmp = cache_dir / f".{path.name}.{uuid.uuid4().hex[:8]}"
        with tmp.open("wb") as fh:
            pickle.dump(graph, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time
