"""Generic followthemoney (FtM) entity files, such as the OpenSanctions exports.

Input: JSON lines (one entity object per line: ``{"id", "schema", "properties",
"datasets", "referents", "first_seen", "last_seen", "last_change", "target",
"caption"}``) or a JSON array of such objects, plain or gzip-compressed, under any
name (``.json``, ``.jsonl``, ``.ftm.json``, ``.gz``): the format is recognised from
the content.

Entities keep their original ids (OpenSanctions ids such as ``NK-...`` or
``Q123`` are what users cite), which are also their entry references; relation
entities (Sanction, Ownership, Directorship, Family, UnknownLink...) are kept as
they are, and so are the extra fields (datasets, referents, first_seen...), which
stay in the entity's context. The store entry is named by the dataset given to
``read_publication(..., dataset=NAME)`` (the Emitter's source id).

The publication date is the latest ``last_change`` of the entities (else the
latest ``last_seen``), or None.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, cast

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, Source, parse_iso_datetime

_SENZING_KEYS = ("DATA_SOURCE", "RECORD_ID")


@dataclass
class _Stats:
    schemata: Counter[str] = field(default_factory=Counter)
    unknown_props: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    rejected_examples: dict[str, str] = field(default_factory=dict)
    last_change: str | None = None
    last_seen: str | None = None
    formats: set[str] = field(default_factory=set)


def _open_binary(file: InputFile) -> IO[bytes]:
    with file.path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return cast(IO[bytes], gzip.open(file.path, "rb"))
    return file.path.open("rb")


def _records(file: InputFile, stats: _Stats) -> Iterator[tuple[int | None, str | None, Any]]:
    """Yield (line, record label, decoded JSON value) for each entity record."""
    line = 0
    try:
        with _open_binary(file) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig") as text:
            first = ""
            buffered: list[str] = []
            for chunk_line in text:
                buffered.append(chunk_line)
                first = chunk_line.lstrip()
                if first:
                    break
            if first.startswith("["):
                stats.formats.add("ftm-json-array")
                content = "".join(buffered) + text.read()
                try:
                    items = json.loads(content)
                except json.JSONDecodeError as exc:
                    raise SourceError(
                        f"invalid JSON: {exc.msg}", file=file.name, line=exc.lineno
                    ) from exc
                if not isinstance(items, list):
                    raise SourceError("expected a JSON array of entities", file=file.name, line=1)
                for index, item in enumerate(items, 1):
                    yield None, f"#{index}", item
                return
            stats.formats.add("ftm-jsonl")
            for line, raw_line in enumerate(_chain(buffered, text), 1):
                stripped = raw_line.strip()
                if not stripped:
                    continue
                try:
                    value = json.loads(stripped)
                except json.JSONDecodeError as exc:
                    hint = " (truncated file?)" if not raw_line.endswith("\n") else ""
                    raise SourceError(
                        f"invalid JSON{hint}: {exc.msg} at column {exc.colno}",
                        file=file.name,
                        line=line,
                    ) from exc
                yield line, None, value
    except SourceError:
        raise
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text: {exc}", file=file.name, line=line or None) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(
            f"unreadable or truncated file: {exc}", file=file.name, line=line or None
        ) from exc


def _chain(first: list[str], rest: IO[str]) -> Iterator[str]:
    yield from first
    yield from rest


class FtmSource(Source):
    id = "ftm"
    title = "followthemoney entities (JSON lines)"
    authority = "as stated by the dataset's publisher"
    official_files: dict[str, str] = {}

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        stats = _Stats()
        for file in files:
            for line, record, data in _records(file, stats):
                entity = self._entity(data, file, line, record, stats)
                try:
                    emit.emit(entity, entity.id, file)
                except InvalidData as exc:
                    raise SourceError(
                        f"entity {entity.id} conflicts with an earlier record of the same id: {exc}",
                        file=file.name,
                        line=line,
                        record=record,
                    ) from exc
        for prop, count in sorted(stats.unknown_props.items()):
            emit.warn(f"ignored unknown property {prop} ({count} values)")
        for prop, count in sorted(stats.rejected.items()):
            emit.warn(
                f"dropped {count} invalid value(s) of {prop}, e.g. {stats.rejected_examples[prop]}"
            )
        published: date | None = None
        stamp = stats.last_change or stats.last_seen
        if stamp:
            published = parse_iso_datetime(stamp)
        fmt = "+".join(sorted(stats.formats)) or "ftm-jsonl"
        return ParseInfo(
            format=fmt,
            published=published,
            extra={"schemata": dict(sorted(stats.schemata.items()))},
        )

    @staticmethod
    def _entity(
        data: Any, file: InputFile, line: int | None, record: str | None, stats: _Stats
    ) -> EntityProxy:
        def fail(message: str) -> SourceError:
            return SourceError(message, file=file.name, line=line, record=record)

        if not isinstance(data, dict):
            raise fail(f"expected a JSON object, got {type(data).__name__}")
        if all(key in data for key in _SENZING_KEYS) and "schema" not in data:
            raise fail(
                "not followthemoney JSON: looks like Senzing JSON (DATA_SOURCE/RECORD_ID "
                "records); export the dataset in FtM format (entities.ftm.json)"
            )
        entity_id = data.get("id")
        if not isinstance(entity_id, str) or not entity_id.strip():
            raise fail("entity without id")
        schema_name = data.get("schema")
        if not isinstance(schema_name, str) or not schema_name:
            raise fail(f"entity {entity_id} without schema")
        schema = model.get(schema_name)
        if schema is None:
            raise fail(f"entity {entity_id}: unknown schema {schema_name!r}")
        if schema.abstract:
            raise fail(f"entity {entity_id}: abstract schema {schema_name!r}")
        properties = data.get("properties", {})
        if not isinstance(properties, dict):
            raise fail(f"entity {entity_id}: properties is not an object")
        for prop, values in properties.items():
            if prop not in schema.properties:
                stats.unknown_props[f"{schema_name}:{prop}"] += (
                    len(values) if isinstance(values, list) else 1
                )
                continue
            items = values if isinstance(values, list) else [values]
            if not all(isinstance(v, str | int | float) for v in items):
                raise fail(f"entity {entity_id}: property {prop} has non-text values")
        try:
            entity = model.get_proxy(data, cleaned=False)
        except (InvalidData, TypeError, ValueError) as exc:
            raise fail(f"entity {entity_id}: {exc}") from exc
        # Keep the original id exactly (get_proxy only sanitises text).
        entity.id = entity_id
        for name, values in properties.items():
            prop = schema.properties.get(name)
            if prop is None:
                continue
            items = values if isinstance(values, list) else [values]
            kept = entity.get(prop)
            if len(kept) >= len(set(items)):
                continue
            for value in items:
                if prop.type.clean(value, proxy=entity, format=prop.format) is None:
                    key = f"{schema_name}:{name}"
                    stats.rejected[key] += 1
                    stats.rejected_examples.setdefault(key, f"{value!r} in {entity_id}")
        stats.schemata[schema.name] += 1
        for key in ("last_change", "last_seen"):
            value = data.get(key)
            if isinstance(value, str) and value:
                current = getattr(stats, key)
                if current is None or value > current:
                    setattr(stats, key, value)
        return entity
