"""Derived data (the screening index, the list network) kept on disk between runs.

Each value depends only on the current list versions and the code, so it is pickled
under a key made of both (`cache_key`) and reused until either changes. A cache that
cannot be read is rebuilt; one that cannot be written only costs time. Writes go to a
temporary file renamed into place, so a reader never sees half a pickle.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from sanctionsnet.store import Store

T = TypeVar("T")


def cache_key(store: Store, *parts: str) -> str:
    """A short key for `parts` (code versions) and the store's current list versions."""
    items = list(parts)
    for dataset in store.datasets():
        current = store.current(dataset)
        if current is not None:
            items.append(f"{dataset}={current.id}")
    return hashlib.sha256("|".join(items).encode()).hexdigest()[:16]


def load_or_build(store: Store, kind: str, key: str, build: Callable[[], T], use_cache: bool) -> T:
    """The cached `kind` under `key`, or `build()`, stored for next time."""
    cache_dir = store.home / "cache"
    path = cache_dir / f"{kind}-{key}.pickle"
    if use_cache and path.is_file():
        try:
            with path.open("rb") as fh:
                value: T = pickle.load(fh)
            return value
        except Exception:  # noqa: BLE001 - any unreadable cache is rebuilt
            path.unlink(missing_ok=True)
    value = build()
    if use_cache:
        _write(path, value, cache_dir.glob(f"{kind}-*.pickle"))
    return value


def _write(path: Path, value: object, stale: Iterable[Path]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in stale:
            old.unlink(missing_ok=True)
        tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}"
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time
