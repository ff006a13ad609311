"""What the web interface keeps per server process: its folders, logs, and per-snapshot caches.

Everything a user creates (jobs, decisions, checks) is on disk under `<home>/web/`, so
every worker of a server sees the same. In memory are only caches of what is derived
from one snapshot of the lists (the network graph, the regime checker, read job
results), rebuilt when the engine swaps in new list versions.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from sanctionsnet.api.engine import Engine, Snapshot
from sanctionsnet.network import Graph
from sanctionsnet.regime.checker import Checker
from sanctionsnet.web.checks import CheckStore
from sanctionsnet.web.decisions import DECISIONS_FILE, DecisionLog
from sanctionsnet.web.history import DiffCache
from sanctionsnet.web.jobs import JobStore
from sanctionsnet.web.security import Signer, load_secret

T = TypeVar("T")
MAX_UPLOAD_ENV = "SANCTIONSNET_WEB_MAX_UPLOAD_MB"
#: Largest upload (a book to screen, transactions to check), in bytes.
MAX_UPLOAD = 50_000_000


@dataclass(frozen=True)
class WebConfig:
    max_upload: int = MAX_UPLOAD
    regime: str = "un_dprk"

    @classmethod
    def from_env(cls) -> WebConfig:
        raw = os.environ.get(MAX_UPLOAD_ENV, "").strip()
        try:
            megabytes = float(raw) if raw else MAX_UPLOAD / 1e6
        except ValueError:
            megabytes = MAX_UPLOAD / 1e6
        return cls(max_upload=max(1, int(megabytes * 1_000_000)))


class WebState:
    def __init__(self, engine: Engine, config: WebConfig) -> None:
        self.engine = engine
        self.config = config
        self.home: Path = engine.store.home / "web"
        self.jobs = JobStore(self.home / "jobs", engine.store)
        self.checks = CheckStore(self.home / "checks")
        self.decisions = DecisionLog(self.home / DECISIONS_FILE)
        self.diffs = DiffCache(self.home / "cache" / "diffs", engine.store)
        self._signer: Signer | None = None
        self._lock = threading.Lock()
        self._per_snapshot: dict[str, tuple[str, Any]] = {}
        self._per_snapshot_locks: dict[str, threading.Lock] = {}
        self.results: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    @property
    def signer(self) -> Signer:
        """Created on first use: the store home may not exist when the app is built."""
        if self._signer is None:
            with self._lock:
                if self._signer is None:
                    self._signer = Signer(load_secret(self.home))
        return self._signer

    def _cached(self, name: str, snapshot: Snapshot, build: Callable[[], T]) -> T:
        with self._lock:
            lock = self._per_snapshot_locks.setdefault(name, threading.Lock())
        with lock:
            hit = self._per_snapshot.get(name)
            if hit is not None and hit[0] == snapshot.key:
                value: T = hit[1]
                return value
            value = build()
            self._per_snapshot[name] = (snapshot.key, value)
            return value

    def graph(self, snapshot: Snapshot) -> Graph:
        """The network of the snapshot's lists (from the on-disk cache when valid)."""
        from sanctionsnet.network import load_network

        return self._cached(
            "graph",
            snapshot,
            lambda: load_network(self.engine.store, snapshot.screener("default")),
        )

    def checker(self, snapshot: Snapshot) -> Checker:
        """The regime checker, screening parties against the snapshot's lists."""
        from sanctionsnet.regime.service import load_checker

        return self._cached(
            "checker",
            snapshot,
            lambda: load_checker(self.config.regime, screener=snapshot.screener("default")),
        )

    def remember(self, key: tuple[Any, ...], value: Any, size: int = 8) -> None:
        with self._lock:
            self.results[key] = value
            self.results.move_to_end(key)
            while len(self.results) > size:
                self.results.popitem(last=False)

    def recall(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            return self.results.get(key)


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state
