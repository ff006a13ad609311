"""What changed between two versions of a list: entries added, removed and amended.

Entries are listed parties (people, organisations, vessels, aircraft), compared
by entity id, which is stable across versions and formats. Side entities that
describe a party (its Sanction, passports, wallets, links) are folded into that
party, so a new program shows as a change of the party ("sanction:program"),
not as a separate entity added and removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney import registry

from sanctionsnet.store.snapshot import StoredEntity
from sanctionsnet.store.stats import is_party

# The property through which a side entity points at the party it describes, by preference.
_OWNER_PROPS = ("entity", "holder", "subject", "owner", "director", "person", "asset", "object")

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
    side: list[StoredEntity] = []
    for row in rows:
        entity = row.entity
        if not is_party(entity):
            side.append(row)
            continue
        states[entity.id or ""] = EntryState(
            id=entity.id or "",
            schema=entity.schema.name,
            caption=entity.caption,
            ref=row.ref,
            props={k: sorted(v) for k, v in entity.properties.items() if v},
        )
    for row in side:
        entity = row.entity
        owner_prop, state = _owner(entity, states)
        if state is None:
            # Describes nothing we list: report it as an entry of its own.
            states[entity.id or ""] = EntryState(
                id=entity.id or "",
                schema=entity.schema.name,
                caption=entity.caption,
                ref=row.ref,
                props={k: sorted(v) for k, v in entity.properties.items() if v},
            )
            continue
        prefix = entity.schema.name.lower()
        for prop, values in entity.properties.items():
            if prop == owner_prop or not values:
                continue
            key = f"{prefix}:{prop}"
            state.props[key] = sorted(set(state.props.get(key, [])) | set(values))
    return states


def _owner(entity: Any, states: dict[str, EntryState]) -> tuple[str | None, EntryState | None]:
    props = entity.schema.properties
    names = [n for n in _OWNER_PROPS if n in props] + [
        n for n, p in props.items() if p.type == registry.entity and n not in _OWNER_PROPS
    ]
    for name in names:
        for value in entity.get(name, quiet=True):
            if value in states:
                return name, states[value]
    return None, None


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
