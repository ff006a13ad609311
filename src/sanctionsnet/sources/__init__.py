"""Official list parsers, one module per publication format, looked up by source id."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import EmittedEntity, Emitter, InputFile, ParseInfo, Source

# source id -> "module:Class". Modules are imported lazily so that one broken or
# heavy parser never slows down the others.
REGISTRY: dict[str, str] = {
    "ofac_sdn": "sanctionsnet.sources.ofac:OfacSdnSource",
    "ofac_cons": "sanctionsnet.sources.ofac:OfacConsSource",
    "un_sc": "sanctionsnet.sources.un_sc:UnScSource",
    "eu_fsf": "sanctionsnet.sources.eu_fsf:EuFsfSource",
    "uk_fcdo": "sanctionsnet.sources.uk_fcdo:UkFcdoSource",
    "uk_ofsi": "sanctionsnet.sources.uk_ofsi:UkOfsiSource",
    "us_csl": "sanctionsnet.sources.us_csl:UsCslSource",
    "ftm": "sanctionsnet.sources.ftm:FtmSource",
}


def source_ids() -> list[str]:
    return list(REGISTRY)


def get_source(source_id: str) -> Source:
    """The parser for `source_id`; raises SourceError for an unknown id."""
    target = REGISTRY.get(source_id)
    if target is None:
        known = ", ".join(REGISTRY)
        raise SourceError(f"unknown source {source_id!r} (known: {known})")
    module_name, class_name = target.split(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, class_name)
    instance: Source = cls()
    return instance


@dataclass
class Publication:
    """One parsed publication: its entities with provenance, ready for the store."""

    dataset: str
    source: Source
    info: ParseInfo
    files: list[InputFile]
    entities: list[EmittedEntity]
    warnings: list[str]


def read_publication(
    source_id: str, paths: Sequence[Path | str], dataset: str | None = None
) -> Publication:
    """Parse the files of one publication of `source_id`.

    `dataset` names the store entry; it defaults to the source id and is
    required for the generic ``ftm`` source (one store entry per dataset).
    """
    source = get_source(source_id)
    if source_id == "ftm" and not dataset:
        raise SourceError("the ftm source needs a dataset name (--dataset NAME)")
    name = dataset or source_id
    if not paths:
        raise SourceError(f"no input files given for {source_id}")
    files = [InputFile.from_path(p) for p in paths]
    emit = Emitter(name)
    info = source.parse(files, emit)
    if not emit.entities:
        raise SourceError(
            f"no entities found in {', '.join(f.name for f in files)}: "
            f"not a {source.title} publication?",
            file=files[0].name,
        )
    return Publication(
        dataset=name,
        source=source,
        info=info,
        files=files,
        entities=list(emit.entities.values()),
        warnings=list(emit.warnings),
    )


__all__ = [
    "REGISTRY",
    "Publication",
    "EmittedEntity",
    "Emitter",
    "InputFile",
    "ParseInfo",
    "Source",
    "get_source",
    "read_publication",
    "source_ids",
]
