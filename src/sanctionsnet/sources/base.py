"""The contract between a list parser and the rest of sanctionsnet.

A source module reads one official publication format and turns it into
followthemoney entities. It never touches the store: it receives the input
files (with their checksums), reports entities to an `Emitter`, and returns
what it learned about the publication itself (its date and format).
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctionsnet.errors import SourceError

_SLUG_RE = re.compile(r"[^a-z0-9.]+")


def slug(value: str) -> str:
    """Lowercase, ASCII-safe id fragment: 'KPi.001' -> 'kpi.001', '12 300' -> '12-300'."""
    return _SLUG_RE.sub("-", value.strip().lower()).strip("-")


@dataclass(frozen=True)
class InputFile:
    """One file of a publication, identified by its content checksum."""

    path: Path
    name: str
    sha256: str
    size: int

    @classmethod
    def from_path(cls, path: Path | str) -> InputFile:
        p = Path(path)
        if not p.is_file():
            raise SourceError("file not found", file=str(p))
        digest = hashlib.sha256()
        size = 0
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        return cls(path=p, name=p.name, sha256=digest.hexdigest(), size=size)

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


@dataclass
class ParseInfo:
    """What a parser learned about the publication as a whole."""

    format: str
    published: date | None = None
    # "file" when the date is stated inside the publication; others are set by the importer.
    published_basis: str = "file"
    #: Number of list entries as published, where that differs from the number of
    #: Sanction entities (the CSL repeats one party on several lists, and repeats rows).
    records: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class EmittedEntity:
    entity: EntityProxy
    ref: str | None
    file: InputFile


class Emitter:
    """Collects a parser's entities together with their provenance.

    Entity ids are built here so that every source uses the same scheme:
    ``{source-id}-{slug(part)}-...`` (``ofac-sdn-36``, ``un-sc-kpi.033``; underscores
    are not allowed in followthemoney ids, so the source id's become hyphens). Ids
    must be stable across versions and across formats of the same list (an OFAC
    entry has the same id whether it was read from CSV or XML), because diffs
    compare versions by id.
    """

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        self.id_prefix = slug(source_id).replace(".", "-")
        self.entities: dict[str, EmittedEntity] = {}
        self.warnings: list[str] = []

    def make_id(self, *parts: object) -> str:
        pieces = [slug(str(p)) for p in parts if p is not None and str(p).strip()]
        if not pieces:
            raise ValueError("an entity id needs at least one non-empty part")
        return "-".join([self.id_prefix, *pieces])

    def make(self, schema: str, *id_parts: object) -> EntityProxy:
        """A new entity of `schema` whose id is derived from `id_parts`."""
        entity = model.make_entity(schema)
        entity.id = self.make_id(*id_parts)
        return entity

    def emit(self, entity: EntityProxy, ref: str | None, file: InputFile) -> None:
        """Record `entity` as read from `file`, listed under entry reference `ref`.

        Emitting an id twice merges the two (the lists repeat entries across
        companion files); the first reference and file are kept.
        """
        if entity.id is None:
            raise ValueError("entity has no id")
        existing = self.entities.get(entity.id)
        if existing is not None:
            existing.entity.merge(entity)
            return
        self.entities[entity.id] = EmittedEntity(entity=entity, ref=ref, file=file)

    def sanction(
        self,
        entity: EntityProxy,
        ref: str | None,
        file: InputFile,
        *,
        authority: str,
        program: Iterable[str] = (),
        listing_date: Iterable[str] | str | None = None,
        **props: Any,
    ) -> EntityProxy:
        """Emit the Sanction entity that ties `entity` to its authority and program.

        Extra keyword arguments are Sanction properties (reason, provisions,
        unscId, programId, authorityId, country, startDate, modifiedAt, ...).
        """
        sanction = model.make_entity("Sanction")
        sanction.id = f"{entity.id}-sanction"
        sanction.add("entity", entity)
        sanction.add("authority", authority)
        sanction.add("program", list(program))
        if listing_date:
            sanction.add("listingDate", listing_date)
        if ref:
            sanction.add("authorityId", ref)
        for prop, value in props.items():
            if value is not None:
                sanction.add(prop, value)
        self.emit(sanction, ref, file)
        return sanction

    def warn(self, message: str) -> None:
        self.warnings.append(message)


class Source(ABC):
    """One official list. Subclasses read its publication formats."""

    #: Source id used on the command line and in entity ids, e.g. ``ofac_sdn``.
    id: str
    #: Human title, e.g. "OFAC Specially Designated Nationals (SDN) List".
    title: str
    #: Authority that publishes the list, e.g. "US Treasury OFAC".
    authority: str
    #: File name -> official download URL, used by ``sanctionsnet update``.
    #: ``update --mirror DIR`` reads the same file names from DIR.
    official_files: dict[str, str] = {}

    @abstractmethod
    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        """Read `files` (one publication) and emit its entities.

        Must raise `SourceError` naming the file and line/record for any
        malformed, truncated, wrong-format or incoherent input, and must not
        emit a partial result silently.
        """

    #: Where the official files are editions of one publication (XML and CSV of the same
    #: list), the one edition to fetch when it is offered.
    preferred_file: str | None = None

    def select_official(self, available: Sequence[str]) -> list[str]:
        """Which of the official file names to fetch: the preferred edition, else all offered."""
        offered = [name for name in self.official_files if name in available]
        if self.preferred_file and self.preferred_file in offered:
            return [self.preferred_file]
        return offered or list(self.official_files)


def parse_iso_datetime(value: str) -> date | None:
    """Date part of an ISO 8601 timestamp such as '2026-02-27T00:00:09.554Z'."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


_LEGAL_FORM_RE = re.compile(
    r"(?:^|[\s,.(])("
    r"llc|l\.l\.c|ltd|limited|inc|incorporated|corp|corporation|company|co|plc|jsc|pjsc|ojsc|cjsc|"
    r"ooo|zao|oao|pao|ao|gmbh|ag|s\.?a|s\.?a\.?s|s\.?r\.?l|s\.?l|b\.?v|n\.?v|sdn\.? bhd|bhd|pte|pty|"
    r"fze|fzco|fzc|fz-llc|llp|lp|kft|spa|s\.p\.a|sarl|s\.a\.r\.l|ltda|c\.a|s\.a\. de c\.v|"
    r"ооо|оао|зао|пао|ао|тов|ат|пат"
    r")(?:$|[\s,.)])",
    re.IGNORECASE,
)


def org_schema(name: str | None) -> str:
    """FtM schema for a listed non-person: Company when the name carries a legal form.

    Lists say only "entity"; a legal form ("LLC", "Co., Ltd.", "ООО") tells us it is a
    company. Everything else stays the more general Organization.
    """
    if name and _LEGAL_FORM_RE.search(name):
        return "Company"
    return "Organization"
