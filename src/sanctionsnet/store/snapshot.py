"""One immutable snapshot on disk: the entities of a publication as Parquet, plus a manifest.

Parquet keeps a snapshot compact and readable by DuckDB and Spark without
sanctionsnet; properties are kept as followthemoney JSON so the file is lossless.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from followthemoney import model
from followthemoney.proxy import EntityProxy

ENTITIES_FILE = "entities.parquet"
MANIFEST_FILE = "manifest.json"

SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("schema", pa.string(), nullable=False),
        pa.field("caption", pa.string()),
        pa.field("ref", pa.string()),
        pa.field("file", pa.string()),
        pa.field("checksum", pa.string()),
        pa.field("properties", pa.string(), nullable=False),
    ]
)


@dataclass(frozen=True)
class StoredEntity:
    """An entity as stored, with the provenance the parser recorded for it."""

    entity: EntityProxy
    ref: str | None
    file: str | None
    checksum: str | None


def write_entities(path: Path, rows: Iterable[StoredEntity]) -> None:
    """Write entities to `path` (Parquet, zstd) and fsync it."""
    ids: list[str] = []
    schemata: list[str] = []
    captions: list[str] = []
    refs: list[str | None] = []
    files: list[str | None] = []
    checksums: list[str | None] = []
    props: list[str] = []
    for row in rows:
        ids.append(row.entity.id or "")
        schemata.append(row.entity.schema.name)
        captions.append(row.entity.caption)
        refs.append(row.ref)
        files.append(row.file)
        checksums.append(row.checksum)
        props.append(orjson.dumps(row.entity.properties, option=orjson.OPT_SORT_KEYS).decode())
    table = pa.Table.from_arrays(
        [
            pa.array(ids, pa.string()),
            pa.array(schemata, pa.string()),
            pa.array(captions, pa.string()),
            pa.array(refs, pa.string()),
            pa.array(files, pa.string()),
            pa.array(checksums, pa.string()),
            pa.array(props, pa.string()),
        ],
        schema=SCHEMA,
    )
    pq.write_table(table, path, compression="zstd", use_dictionary=["schema", "file", "checksum"])
    fsync_file(path)


def read_entities(path: Path) -> Iterator[StoredEntity]:
    """Entities of a snapshot in stored order."""
    table = pq.read_table(path)
    columns = {name: table.column(name).to_pylist() for name in SCHEMA.names}
    for i, entity_id in enumerate(columns["id"]):
        data = {
            "id": entity_id,
            "schema": columns["schema"][i],
            "properties": orjson.loads(columns["properties"][i]),
        }
        entity = model.get_proxy(data, cleaned=True)
        yield StoredEntity(
            entity=entity,
            ref=columns["ref"][i],
            file=columns["file"][i],
            checksum=columns["checksum"][i],
        )


def write_json(path: Path, data: Any) -> None:
    """Write JSON and fsync it (the caller renames it into place)."""
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
