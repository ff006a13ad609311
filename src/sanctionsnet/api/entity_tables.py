"""Full followthemoney entities of the loaded versions, for `GET /entities/{id}`.

The screening index keeps only what scoring needs. Serving an entity as the
lists give it (with its Sanction, passports and links nested, as yente does)
needs the snapshot itself, so each dataset's `entities.parquet` is read once, on
first use, into plain columns plus two lookups: id -> row, and id -> the rows
that point at it (a Sanction's `entity`, a Passport's `holder`...).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson
import pyarrow.parquet as pq
from followthemoney import model, registry

from sanctionsnet.store import Store, Version
from sanctionsnet.store.snapshot import ENTITIES_FILE


@lru_cache(maxsize=256)
def _entity_props(schema_name: str) -> tuple[str, ...]:
    schema = model.get(schema_name)
    if schema is None:
        return ()
    return tuple(p.name for p in schema.properties.values() if p.type == registry.entity)


@lru_cache(maxsize=1024)
def _reverse_name(schema_name: str, prop_name: str) -> str | None:
    """Name of the property under which the target lists what points at it ("sanctions")."""
    schema = model.get(schema_name)
    prop = schema.get(prop_name) if schema is not None else None
    if prop is None or prop.reverse is None:
        return None
    return str(prop.reverse.name)


@dataclass
class EntityTable:
    """One dataset version's entities as columns."""

    dataset: str
    version: Version
    ids: list[str]
    schemata: list[str]
    captions: list[str | None]
    refs: list[str | None]
    files: list[str | None]
    checksums: list[str | None]
    properties: list[str]  # FtM JSON, parsed when served
    rows: dict[str, int] = field(default_factory=dict)
    # target id -> [(row of the entity pointing at it, property name)]
    reverse: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, store: Store, version: Version) -> EntityTable:
        path = store.snapshot_dir(version) / ENTITIES_FILE
        table = pq.read_table(
            path, columns=["id", "schema", "caption", "ref", "file", "checksum", "properties"]
        )
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
        out = cls(
            dataset=version.dataset,
            version=version,
            ids=columns["id"],
            schemata=columns["schema"],
            captions=columns["caption"],
            refs=columns["ref"],
            files=columns["file"],
            checksums=columns["checksum"],
            properties=columns["properties"],
        )
        out.rows = {entity_id: i for i, entity_id in enumerate(out.ids)}
        for i, schema in enumerate(out.schemata):
            props = _entity_props(schema)
            if not props:
                continue
            data = orjson.loads(out.properties[i])
            for prop in props:
                for target in data.get(prop, ()):
                    out.reverse.setdefault(target, []).append((i, prop))
        return out

    def entity(self, row: int, published: str | None, nested: bool, target: bool) -> dict[str, Any]:
        """The entity at `row` as yente's EntityResponse, adjacent entities nested one level."""
        data = self._plain(row, published, target)
        if not nested:
            return data
        props: dict[str, list[Any]] = data["properties"]
        for prop in _entity_props(self.schemata[row]):
            values = props.get(prop)
            if values:
                props[prop] = [self._nested(v, published) for v in values]
        for other, prop_name in self.reverse.get(self.ids[row], ()):
            reverse = _reverse_name(self.schemata[other], prop_name)
            if reverse is None:
                continue
            nested_entity = self._plain(other, published, False)
            # The back-reference to the entity being served says nothing new.
            nested_entity["properties"].pop(prop_name, None)
            props.setdefault(reverse, []).append(nested_entity)
        return data

    def _nested(self, entity_id: str, published: str | None) -> Any:
        row = self.rows.get(entity_id)
        return entity_id if row is None else self._plain(row, published, False)

    def _plain(self, row: int, published: str | None, target: bool) -> dict[str, Any]:
        return {
            "id": self.ids[row],
            "caption": self.captions[row] or self.ids[row],
            "schema": self.schemata[row],
            "properties": orjson.loads(self.properties[row]),
            "datasets": [self.dataset],
            "referents": [],
            "target": target,
            "first_seen": None,
            "last_seen": published,
            "last_change": None,
            "source": self.version.source,
            "ref": self.refs[row],
            "version": self.version.id,
            "file": self.files[row],
            "checksum": self.checksums[row],
        }


class EntityTables:
    """Entity tables of one snapshot's versions, each read on first use."""

    def __init__(self, store: Store, versions: dict[str, Version]) -> None:
        self.store = store
        self.versions = versions
        self._tables: dict[str, EntityTable] = {}
        self._lock = threading.Lock()

    def table(self, dataset: str) -> EntityTable | None:
        version = self.versions.get(dataset)
        if version is None:
            return None
        table = self._tables.get(dataset)
        if table is None:
            with self._lock:
                table = self._tables.get(dataset)
                if table is None:
                    table = EntityTable.read(self.store, version)
                    self._tables[dataset] = table
        return table

    def find(self, entity_id: str, hint: str | None = None) -> tuple[EntityTable, int] | None:
        """The table and row of `entity_id`, looking in `hint` (its dataset, if known) first."""
        order = [hint] if hint else []
        order += [d for d in sorted(self.versions) if d != hint]
        for dataset in order:
            table = self.table(dataset)
            if table is not None and entity_id in table.rows:
                return table, table.rows[entity_id]
        return None
