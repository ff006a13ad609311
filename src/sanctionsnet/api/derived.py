"""Things built from a snapshot on first use and kept while it is current.

The network graph and the regime checker are derived from the loaded lists; building
them per request would cost seconds. Each is built once per snapshot (keyed by the
snapshot's key, so a reload builds afresh) under a lock, off the event loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sanctionsnet.api.engine import Snapshot

T = TypeVar("T")


class PerSnapshot(Generic[T]):
    """One value per snapshot, built by `build` the first time it is asked for."""

    def __init__(self, build: Callable[[Snapshot], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._key: str | None = None
        self._value: T | None = None

    def get(self, snapshot: Snapshot) -> T:
        with self._lock:
            if self._key != snapshot.key or self._value is None:
                self._value = self._build(snapshot)
                self._key = snapshot.key
            return self._value
