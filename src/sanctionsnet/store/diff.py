"""What changed between two versions of a list: entries added, removed and amended.

Entries are compared by entity id (stable across versions and formats). A
Sanction entity is folded into the party it sanctions, so a new program or
listing date shows as a change of that party ("sanction:program"), not as a
separate entity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sanctionsnet.store.snapshot import StoredEntity

Props = dict[str, list[str]]


@dataclass
class EntryState:
    id: str
    schema: str
    caption: str
    ref: str | None
    props: Props = field(default_factory=dict)


@dataclass
class PropertyChange:
    name: str
    old: list[str]
    new: list[str]

    @property
    def added(self) -> list[str]:
        return [v for v in self.new if v not in set(self.old)]

    @property
    def removed(self) -> list[str]:
        return [v for v in self.old if v not in set(self.new)]


@dataclass
class ChangedEntry:
    old: EntryState
    new: EntryState
    changes: list[PropertyChange]


@dataclass
class Diff:
    added: list[EntryState]
    removed: list[EntryState]
    changed: list[ChangedEntry]
    unchanged: int

    def to_json(self) -> dict[str, Any]:
        def state(s: EntryState) -> dict[str, Any]:
            return {"id": s.id, "schema": s.schema, "caption": s.caption, "ref": s.ref}

        return {
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "unchanged": self.unchanged,
            },
            "added": [state(s) for s in self.added],
            "removed": [state(s) for s in self.removed],
            "changed": [
                {
                    **state(c.new),
                    "old_caption": c.old.caption,
                    "changes": [
                        {
                            "property": p.name,
                            "old": p.old,
                            "new": p.new,
                            "added": p.added,
                            "removed": p.removed,
                        }
                        for p in c.changes
                    ],
                }
                for c in self.changed
            ],
        }


def entry_states(rows: Iterable[StoredEntity]) -> dict[str, EntryState]:
    """Listed parties and other entities by id, with Sanction properties folded into their party."""
    states: dict[str, EntryState] = {}
    sanctions: list[StoredEntity] = []
    for row in rows:
        entity = row.entity
        if entity.schema.name == "Sanction" and entity.get("entity"):
            sanctions.append(row)
            continue
        states[entity.id or ""] = EntryState(
            id=entity.id or "",
            schema=entity.schema.name,
            caption=entity.caption,
            ref=row.ref,
            props={k: sorted(v) for k, v in entity.properties.items() if v},
        )
    for row in sanctions:
        for party_id in row.entity.get("entity"):
            state = states.get(party_id)
            if state is None:
                continue
            for prop, values in row.entity.properties.items():
                if prop == "entity" or not values:
                    continue
                key = f"sanction:{prop}"
                state.props[key] = sorted(set(state.props.get(key, [])) | set(values))
    return states


def diff_states(old: dict[str, EntryState], new: dict[str, EntryState]) -> Diff:
    added = [new[k] for k in sorted(new.keys() - old.keys())]
    removed = [old[k] for k in sorted(old.keys() - new.keys())]
    changed: list[ChangedEntry] = []
    unchanged = 0
    for key in sorted(old.keys() & new.keys()):
        before, after = old[key], new[key]
        changes = [
            PropertyChange(prop, before.props.get(prop, []), after.props.get(prop, []))
            for prop in sorted(before.props.keys() | after.props.keys())
            if before.props.get(prop, []) != after.props.get(prop, [])
        ]
        if before.schema != after.schema:
            changes.insert(0, PropertyChange("schema", [before.schema], [after.schema]))
        if changes:
            changed.append(ChangedEntry(before, after, changes))
        else:
            unchanged += 1
    return Diff(added=added, removed=removed, changed=changed, unchanged=unchanged)


def diff_versions(old_rows: Iterable[StoredEntity], new_rows: Iterable[StoredEntity]) -> Diff:
    return diff_states(entry_states(old_rows), entry_states(new_rows))
