"""Daily monitoring: screen a book only against what changed on the lists since a date or version.

For every list whose current version differs from the one current at the given date
(or from the given version), the two snapshots are compared entry by entry
(`store.diff`). The entries added or changed are indexed as they are now, the entries
removed or changed as they were, and the book is screened against these two small
indexes with the same scoring function as a full run. A row therefore appears when it
matches an added entry (``change`` = added), matches or matched a changed entry
(changed: ``match_score`` now, ``previous_score`` then; an empty one is below the
threshold), or matched an entry since removed (removed: only ``previous_score``).

Every changed entry sharing a name key or an identifier with a row is scored (no
candidate cut-off applies to a small index), so a monitoring run reports at least the
matches with changed entries that a full run would report, with the same scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanctionsnet.batch.screening import Pass
from sanctionsnet.errors import SanctionsNetError, StoreError
from sanctionsnet.index import ScreeningIndex
from sanctionsnet.index.records import Record, records_from_entities
from sanctionsnet.store import Store, Version, diff_versions


class MonitorError(SanctionsNetError):
    """--changes-since names neither a date nor a version in the store."""


@dataclass(frozen=True)
class ListChange:
    """One list that moved: from which version to which, and how many entries changed."""

    dataset: str
    old: Version | None
    new: Version
    added: int
    changed: int
    removed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "from": self.old.id if self.old else None,
            "to": self.new.id,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
        }

    def describe(self) -> str:
        start = self.old.id if self.old else "nothing"
        return (
            f"{self.dataset}: {start} -> {self.new.id}: {self.added} added, "
            f"{self.changed} changed, {self.removed} removed"
        )


def _effective_date(version: Version) -> dt.date:
    return version.published or dt.date.fromisoformat(version.imported_at[:10])


def versions_since(store: Store, since: str) -> dict[str, tuple[Version | None, Version]]:
    """Per list that changed: (the version then, the current one).

    `since` is a date (YYYY-MM-DD: every list, from the version current on that day,
    that is the newest published on or before it) or a version id or unique id prefix
    of one list (that list only).
    """
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        day = None
    out: dict[str, tuple[Version | None, Version]] = {}
    if day is not None:
        for dataset in store.datasets():
            current = store.current(dataset)
            if current is None:
                continue
            older = [v for v in store.versions(dataset) if _effective_date(v) <= day]
            then = older[-1] if older else None
            if then is None or then.id != current.id:
                out[dataset] = (then, current)
        return out
    found: list[Version] = []
    for dataset in store.datasets():
        try:
            found.append(store.version(dataset, since))
        except StoreError:
            continue
    if not found:
        raise MonitorError(
            f"--changes-since {since!r}: not a date (YYYY-MM-DD) nor a version in the store "
            "(see `sanctionsnet lists --versions`)"
        )
    if len(found) > 1:
        names = ", ".join(f"{v.dataset} {v.id}" for v in found)
        raise MonitorError(f"--changes-since {since!r} is ambiguous: {names}")
    then = found[0]
    current = store.current(then.dataset)
    if current is not None and current.id != then.id:
        out[then.dataset] = (then, current)
    return out


def change_passes(store: Store, since: str) -> tuple[list[Pass], list[ListChange]]:
    """The two small indexes of a monitoring run, and what changed per list."""
    now_records: list[Record] = []
    then_records: list[Record] = []
    now_changes: dict[str, str] = {}
    then_changes: dict[str, str] = {}
    summary: list[ListChange] = []
    for dataset, (then, now) in sorted(versions_since(store, since).items()):
        new_rows = list(store.entities(now))
        old_rows = list(store.entities(then)) if then else []
        diff = diff_versions(old_rows, new_rows)
        added = {s.id for s in diff.added}
        changed = {c.new.id for c in diff.changed}
        removed = {s.id for s in diff.removed}
        for record in records_from_entities(new_rows, dataset, now.source, now.id):
            if record.id in added or record.id in changed:
                now_records.append(record)
                now_changes[record.id] = "added" if record.id in added else "changed"
        if then is not None:
            for record in records_from_entities(old_rows, dataset, then.source, then.id):
                if record.id in removed or record.id in changed:
                    then_records.append(record)
                    then_changes[record.id] = "removed" if record.id in removed else "changed"
        summary.append(ListChange(dataset, then, now, len(added), len(changed), len(removed)))
    passes = [
        Pass(ScreeningIndex(now_records), now_changes, previous=False),
        Pass(ScreeningIndex(then_records), then_changes, previous=True),
    ]
    return passes, summary
