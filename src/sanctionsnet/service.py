"""Loading the screener for a store, with the built index cached on disk.

Building the index analyses every listed name; the result depends only on the
current versions and on the code, so it is pickled under a key made of both and
reused until either changes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import uuid
from pathlib import Path

from sanctionsnet import __version__
from sanctionsnet.index import ScreeningIndex
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store

#: Bump when the index layout or the analysis changes.
INDEX_FORMAT = "5"


def index_key(store: Store) -> str:
    parts = [__version__, INDEX_FORMAT]
    for dataset in store.datasets():
        current = store.current(dataset)
        if current is not None:
            parts.append(f"{dataset}={current.id}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def load_index(store: Store, use_cache: bool = True) -> ScreeningIndex:
    """The index of the current versions, from the cache when it is still valid."""
    cache_dir = store.home / "cache"
    path = cache_dir / f"index-{index_key(store)}.pickle"
    if use_cache and path.is_file():
        try:
            with path.open("rb") as fh:
                index: ScreeningIndex = pickle.load(fh)
            return index
        except Exception:
            path.unlink(missing_ok=True)
    index = ScreeningIndex.from_store(store)
    if use_cache:
        _write_cache(cache_dir, path, index)
    return index


def _write_cache(cache_dir: Path, path: Path, index: ScreeningIndex) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob("index-*.pickle"):
            stale.unlink(missing_ok=True)
        tmp = cache_dir / f".{path.name}.{uuid.uuid4().hex[:8]}"
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def load_screener(store: Store) -> Screener:
    return Screener(load_index(store))
