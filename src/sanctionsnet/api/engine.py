"""The in-memory state of the service, and how it picks up new list versions without downtime.

A `Snapshot` is everything one set of list versions needs: the screening index,
a screener per dataset, the versions, and lazily loaded entity tables. It never
changes. The `Engine` holds the current snapshot in one attribute; a request
reads that attribute once and works with the snapshot it got, so a reload that
swaps in a new snapshot mid-request changes nothing for it (in-flight requests
finish on the old lists, later ones see the new).

A background thread polls the store's catalog every few seconds (a read of one
small file). When the current versions changed, it builds the new snapshot off
the request path and swaps the reference. Workers of one server share the
on-disk index cache: a file lock lets the first one build it while the others
wait and then load the pickle instead of building it again.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sanctionsnet.api.entity_tables import EntityTables
from sanctionsnet.api.scopes import dataset_screeners
from sanctionsnet.api.suggest import PrefixIndex
from sanctionsnet.index import ScreeningIndex
from sanctionsnet.screen import Screener
from sanctionsnet.service import index_key, load_index
from sanctionsnet.store import Store, Version

log = logging.getLogger("sanctionsnet.api")

#: After a failed load, the same versions are tried again only after this many seconds.
RETRY_FAILED_AFTER = 60.0


@dataclass
class Snapshot:
    """One immutable set of list versions, ready to screen."""

    key: str
    index: ScreeningIndex
    screeners: dict[str, Screener]  # "default" and one per dataset
    versions: dict[str, Version]  # dataset -> the version indexed
    loaded_at: datetime
    load_seconds: float
    entities: EntityTables
    _prefix: PrefixIndex | None = field(default=None, repr=False)
    _prefix_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def build(cls, store: Store, key: str, index: ScreeningIndex, seconds: float) -> Snapshot:
        versions: dict[str, Version] = {}
        for dataset, version_id in index.stats.datasets.items():
            found = next((v for v in store.versions(dataset) if v.id == version_id), None)
            if found is not None:
                versions[dataset] = found
        return cls(
            key=key,
            index=index,
            screeners=dataset_screeners(index),
            versions=versions,
            loaded_at=datetime.now(UTC),
            load_seconds=seconds,
            entities=EntityTables(store, versions),
        )

    @property
    def datasets(self) -> list[str]:
        """Dataset names a client can use: "default" and one per list."""
        return ["default", *sorted(self.versions)]

    def screener(self, dataset: str) -> Screener | None:
        return self.screeners.get(dataset)

    def versions_for(self, dataset: str) -> dict[str, str]:
        """Dataset -> version id of the lists that `dataset` screens against."""
        if dataset == "default":
            return {name: v.id for name, v in sorted(self.versions.items())}
        version = self.versions.get(dataset)
        return {dataset: version.id} if version else {}

    def published(self, dataset: str) -> str | None:
        """Publication date of a dataset's version as an ISO datetime (yente's last_seen)."""
        version = self.versions.get(dataset)
        if version is None or version.published is None:
            return None
        return f"{version.published.isoformat()}T00:00:00Z"

    def prefix_index(self) -> PrefixIndex:
        """Names by prefix, for reconciliation suggest; built on first use."""
        with self._prefix_lock:
            if self._prefix is None:
                self._prefix = PrefixIndex(self.index)
            return self._prefix


class Engine:
    """Holds the current snapshot and keeps it in step with the store."""

    def __init__(self, store: Store, reload_interval: float = 5.0, use_cache: bool = True) -> None:
        self.store = store
        self.reload_interval = reload_interval
        self.use_cache = use_cache
        self.last_error: str | None = None
        self.reloads = 0
        self._snapshot: Snapshot | None = None
        self._load_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failed: tuple[str, float] | None = None

    @property
    def snapshot(self) -> Snapshot | None:
        """The current snapshot; read it once per request and keep using what you got."""
        return self._snapshot

    @property
    def ready(self) -> bool:
        return self._snapshot is not None

    # -- lifecycle --------------------------------------------------------------

    def start(self) -> None:
        """Load the lists and keep polling for new versions, in a background thread."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sanctionsnet-reload", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wait_ready(self, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while self._snapshot is None and time.monotonic() < deadline:
            if self._thread is None:
                self.refresh()
                break
            time.sleep(0.02)
        return self._snapshot is not None

    def _run(self) -> None:
        self.refresh()
        while self.reload_interval > 0 and not self._stop.wait(self.reload_interval):
            self.refresh()
        # With reloading off, keep retrying only until the first load succeeds.
        while self.reload_interval <= 0 and self._snapshot is None and not self._stop.wait(5.0):
            self.refresh()

    # -- loading ----------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Load the current versions if they changed since the snapshot; True if swapped."""
        with self._load_lock:
            try:
                key = index_key(self.store)
            except Exception as exc:  # unreadable catalog: keep serving what we have
                self._note_failure("?", exc)
                return False
            current = self._snapshot
            if current is not None and current.key == key and not force:
                return False
            if not force and self._recently_failed(key):
                return False
            try:
                snapshot = self._load(key)
            except Exception as exc:
                self._note_failure(key, exc)
                return False
            self._snapshot = snapshot  # the swap: one reference, atomic
            # The index is a million long-lived objects; a full collection would walk them
            # all (about a second, holding the GIL). Freezing takes them out of the
            # collector's sight. They hold no reference cycles, so the previous snapshot is
            # still freed, by reference counting, when its last request is done.
            gc.freeze()
            self._failed = None
            self.last_error = None
            self.reloads += 1
            log.info(
                "lists loaded: %s (%d records, %.1f s)",
                ", ".join(f"{d}={v.id}" for d, v in sorted(snapshot.versions.items())),
                snapshot.index.stats.records,
                snapshot.load_seconds,
            )
            return True

    def _recently_failed(self, key: str) -> bool:
        failed = self._failed
        return bool(
            failed and failed[0] == key and time.monotonic() - failed[1] < RETRY_FAILED_AFTER
        )

    def _load(self, key: str) -> Snapshot:
        started = time.perf_counter()
        for _ in range(3):
            with _build_lock(self.store.home / "cache"):
                index = load_index(self.store, use_cache=self.use_cache)
            after = index_key(self.store)
            if after == key:
                break
            key = after  # an import landed while loading: load again
        return Snapshot.build(self.store, key, index, time.perf_counter() - started)

    def _note_failure(self, key: str, exc: Exception) -> None:
        self._failed = (key, time.monotonic())
        self.last_error = f"{type(exc).__name__}: {exc}"
        log.error("could not load the lists (%s); still serving the previous ones", exc)


@contextmanager
def _build_lock(cache_dir: Path) -> Iterator[None]:
    """Serialise index builds across the worker processes of one store."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle = (cache_dir / ".build.lock").open("a+")
    except OSError:  # read-only store: each worker builds its own index
        yield
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
