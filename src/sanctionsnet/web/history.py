"""What each list update changed, computed once: the Changes page and entity histories read it.

Versions are immutable, so the difference between two versions never changes. It is
computed once with `store.diff` (which folds Sanctions, passports and links into the
party they describe, so a new program reads as a change of that party) and kept as JSON
under `<home>/web/cache/diffs/<dataset>/<old>__<new>.json`. A list's first version is
an update from nothing: every entry added.

An entity's list history is read from these diffs: the version in which it first
appeared, each version that changed it (with the properties that changed), and the one
that removed it (a delisting), or brought it back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from sanctionsnet.store import Store, Version, diff_versions

INITIAL = "initial"
log = logging.getLogger("sanctionsnet.web")


@dataclass(frozen=True)
class Update:
    """One publication of a list, compared with the one before it (None: the first)."""

    dataset: str
    old: Version | None
    new: Version

    @property
    def name(self) -> str:
        return f"{self.old.id if self.old else INITIAL}__{self.new.id}"


def updates(store: Store, dataset: str) -> list[Update]:
    """Every update of `dataset`, oldest first."""
    versions = store.versions(dataset)
    return [
        Update(dataset, versions[i - 1] if i else None, version)
        for i, version in enumerate(versions)
    ]


def find_update(store: Store, dataset: str, version_id: str) -> Update | None:
    for update in updates(store, dataset):
        if update.new.id == version_id:
            return update
    return None


class DiffCache:
    """Diffs of consecutive versions: on disk for good, the recent ones also in memory."""

    MEMORY = 24

    def __init__(self, root: Path, store: Store) -> None:
        self.root = root
        self.store = store
        self._memory: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[str, threading.Lock] = {}
        self._warming: threading.Thread | None = None

    def _path(self, update: Update) -> Path:
        return self.root / update.dataset / f"{update.name}.json"

    def cached(self, update: Update) -> dict[str, Any] | None:
        """The diff if it was already computed (never computes)."""
        key = f"{update.dataset}/{update.name}"
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
                return hit
        try:
            data: dict[str, Any] = orjson.loads(self._path(update).read_bytes())
        except (FileNotFoundError, orjson.JSONDecodeError):
            return None
        self._remember(key, data)
        return data

    def get(self, update: Update) -> dict[str, Any]:
        """The diff, computed now if need be (seconds for a big list; run it off the loop)."""
        found = self.cached(update)
        if found is not None:
            return found
        key = f"{update.dataset}/{update.name}"
        with self._lock:
            lock = self._computing.setdefault(key, threading.Lock())
        with lock:  # two requests for the same diff compute it once
            found = self.cached(update)
            if found is not None:
                return found
            old_rows = list(self.store.entities(update.old)) if update.old else []
            diff = diff_versions(old_rows, self.store.entities(update.new)).to_json()
            diff["from"] = update.old.id if update.old else None
            diff["to"] = update.new.id
            self._write(self._path(update), diff)
            self._remember(key, diff)
            return diff

    def missing(self, dataset: str) -> list[Update]:
        return [u for u in updates(self.store, dataset) if self.cached(u) is None]

    def warm(self, pending: list[Update]) -> None:
        """Compute these diffs in a background thread (one at a time per process)."""
        if not pending:
            return
        with self._lock:
            if self._warming is not None and self._warming.is_alive():
                return
            self._warming = threading.Thread(
                target=self._warm, args=(pending,), name="sanctionsnet-web-diffs", daemon=True
            )
            self._warming.start()

    def _warm(self, pending: list[Update]) -> None:
        for update in pending:
            try:
                self.get(update)
            except Exception:  # a damaged snapshot: the update page will say so
                log.exception("cannot compare %s %s", update.dataset, update.name)

    def _remember(self, key: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._memory[key] = data
            self._memory.move_to_end(key)
            while len(self._memory) > self.MEMORY:
                self._memory.popitem(last=False)

    @staticmethod
    def _write(path: Path, data: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # a read-only store: the diff is only not kept
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
            tmp.write_bytes(orjson.dumps(data))
            os.replace(tmp, path)


@dataclass
class Event:
    """One thing that happened to an entry in one publication of its list."""

    kind: str  # listed | relisted | changed | delisted
    version: Version
    caption: str
    changes: list[dict[str, Any]]


def entity_history(cache: DiffCache, dataset: str, entity_id: str) -> list[Event] | None:
    """The entry's events, oldest first; None if some diff is not computed yet.

    Use `cache.get` on `cache.missing(dataset)` first (off the event loop) to make sure.
    """
    events: list[Event] = []
    present = False
    for update in updates(cache.store, dataset):
        diff = cache.cached(update)
        if diff is None:
            return None
        for state in diff.get("added", ()):
            if state["id"] == entity_id:
                events.append(
                    Event("relisted" if events else "listed", update.new, state["caption"], [])
                )
                present = True
                break
        else:
            if present:
                for changed in diff.get("changed", ()):
                    if changed["id"] == entity_id:
                        events.append(
                            Event("changed", update.new, changed["caption"], changed["changes"])
                        )
                        break
                for state in diff.get("removed", ()):
                    if state["id"] == entity_id:
                        events.append(Event("delisted", update.new, state["caption"], []))
                        present = False
                        break
    return events


def last_listed_in(events: list[Event], versions: list[Version]) -> Version | None:
    """The last version that still held the entry (for an entity no longer listed)."""
    holding: Version | None = None
    present = False
    by_id = {e.version.id: e for e in events}
    for version in versions:
        event = by_id.get(version.id)
        if event is not None:
            present = event.kind != "delisted"
        if present:
            holding = version
    return holding
