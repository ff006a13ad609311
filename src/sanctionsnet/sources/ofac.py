"""US Treasury OFAC lists: the SDN list (``ofac_sdn``) and the consolidated non-SDN list
(``ofac_cons``).

Both are published in several formats; `parse` recognises each given file and
hands it to the parser of its format:

* the legacy CSV set (sdn.csv, add.csv, alt.csv, sdn_comments.csv, or cons_prim.csv,
  cons_add.csv, cons_alt.csv, cons_comments.csv), recognised by file name
  (case-insensitively) -> `sanctionsnet.sources.ofac_csv`;
* an XML file whose root element is ``sdnList`` (sdn.xml, consolidated.xml)
  -> `sanctionsnet.sources.ofac_xml.parse_sdnlist_xml`;
* an enhanced XML (root ``sanctionsData``) -> `sanctionsnet.sources.ofac_enhanced.
  parse_enhanced_xml`;
* a ZIP holding one such XML (CONS_ENHANCED.ZIP, SDN_XML.ZIP) -> the parser of the
  XML inside (both XML parsers read ZIP archives).

Any other file is refused with a SourceError naming it. When one call gives the
same publication in two formats (the CSV set and its XML), both are parsed, their
entries must agree, and the entities (which share ids) are merged.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence

from lxml import etree

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, Source
from sanctionsnet.sources.ofac_csv import (
    AUTHORITY,
    CONS_LAYOUT,
    SDN_LAYOUT,
    CsvLayout,
    parse_csv_set,
)

_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
SDNLIST_ROOT = "sdnList"
ENHANCED_ROOT = "sanctionsData"


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def _xml_root(stream: object, name: str) -> str:
    """Local name of the root element of an XML stream (reads only its start)."""
    try:
        for _event, element in etree.iterparse(stream, events=("start",), resolve_entities=False):
            return _local(element.tag)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        raise SourceError(f"not well-formed XML ({exc.msg})", file=name, line=line) from exc
    raise SourceError("empty XML document", file=name)


def sniff_xml(file: InputFile) -> str:
    """'sdnlist' or 'enhanced' for an OFAC XML file; SourceError for any other XML."""
    if file.size == 0:
        raise SourceError("the file is empty", file=file.name)
    with file.path.open("rb") as handle:
        root = _xml_root(handle, file.name)
    return _xml_kind(root, file.name)


def _xml_kind(root: str, name: str) -> str:
    if root == SDNLIST_ROOT:
        return "sdnlist"
    if root == ENHANCED_ROOT:
        return "enhanced"
    raise SourceError(
        f"root element <{root}> is neither an OFAC sdnList XML nor an OFAC enhanced XML",
        file=name,
    )


def sniff_zip(file: InputFile) -> str:
    """The kind ('sdnlist' or 'enhanced') of the OFAC XML inside a ZIP archive."""
    try:
        with zipfile.ZipFile(file.path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".xml")]
            if len(members) != 1:
                found = ", ".join(archive.namelist()) or "nothing"
                raise SourceError(
                    f"expected exactly one .xml file in the ZIP archive, found: {found}",
                    file=file.name,
                )
            display = f"{file.name}:{members[0]}"
            with archive.open(members[0]) as handle:
                return _xml_kind(_xml_root(handle, display), display)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise SourceError(f"not a readable ZIP archive ({exc})", file=file.name) from exc


class _OfacSource(Source):
    authority = AUTHORITY
    layout: CsvLayout
    other_layout: CsvLayout
    other_source: str
    xml_names: tuple[str, ...] = ()

    def select_official(self, available: Sequence[str]) -> list[str]:
        """The CSV set when its primary file is available, else the XML file(s)."""
        lowered = {name.lower(): name for name in available}
        if self.layout.prim in lowered:
            roles = ("prim", "add", "alt", "comments")
            return [lowered[n] for n in (self.layout.name(r) for r in roles) if n in lowered]
        others = [n for n in available if self.layout.role_of(n) is None]
        return others or list(available)

    def _classify(
        self, files: Sequence[InputFile]
    ) -> tuple[dict[str, InputFile], list[tuple[str, InputFile]]]:
        csv_files: dict[str, InputFile] = {}
        xml_files: list[tuple[str, InputFile]] = []
        for file in files:
            lowered = file.name.lower()
            role = self.layout.role_of(lowered)
            if role is not None:
                if role in csv_files:
                    raise SourceError(
                        f"{self.layout.name(role)} given twice "
                        f"({csv_files[role].path} and {file.path})",
                        file=file.name,
                    )
                csv_files[role] = file
            elif self.other_layout.role_of(lowered) is not None:
                raise SourceError(
                    f"this file belongs to the {self.other_layout.list_name}: "
                    f"import it as {self.other_source}, not {self.id}",
                    file=file.name,
                )
            elif lowered.endswith(".xml"):
                xml_files.append((sniff_xml(file), file))
            elif lowered.endswith(".zip"):
                xml_files.append((sniff_zip(file), file))
            else:
                expected = ", ".join(
                    self.layout.name(r) for r in ("prim", "add", "alt", "comments")
                )
                raise SourceError(
                    f"not a file of the {self.title} (expected {expected}, an sdnList XML "
                    "or an OFAC enhanced XML/ZIP)",
                    file=file.name,
                )
        return csv_files, xml_files

    def _parsers(
        self, files: Sequence[InputFile]
    ) -> list[tuple[str, Callable[[Emitter], ParseInfo]]]:
        csv_files, xml_files = self._classify(files)
        parsers: list[tuple[str, Callable[[Emitter], ParseInfo]]] = []
        if csv_files:
            roles = ("prim", "add", "alt", "comments")
            label = ", ".join(csv_files[r].name for r in roles if r in csv_files)
            parsers.append((label, lambda e: parse_csv_set(csv_files, self.layout, e)))
        for kind, file in xml_files:
            parsers.append((file.name, self._xml_parser(kind, file)))
        return parsers

    def _xml_parser(self, kind: str, file: InputFile) -> Callable[[Emitter], ParseInfo]:
        source_id = self.id

        def run(emit: Emitter) -> ParseInfo:
            if kind == "sdnlist":
                from sanctionsnet.sources import ofac_xml

                return ofac_xml.parse_sdnlist_xml(file, emit, source_id)
            from sanctionsnet.sources import ofac_enhanced

            return ofac_enhanced.parse_enhanced_xml(file, emit, source_id)

        return run

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        if not files:
            raise SourceError(f"no input files given for {self.id}")
        parsers = self._parsers(files)
        if len(parsers) == 1:
            return parsers[0][1](emit)
        # The same publication in several formats: parse each on its own, check that
        # they list the same entries, then merge (the ids are the same).
        results: list[tuple[str, Emitter, ParseInfo]] = []
        for label, run in parsers:
            sub = Emitter(emit.source_id)
            results.append((label, sub, run(sub)))
        first_label, first_emit, _ = results[0]
        first_refs = _listed_refs(first_emit)
        for label, sub, _info in results[1:]:
            refs = _listed_refs(sub)
            if refs != first_refs:
                only_first = sorted(first_refs - refs, key=_num_key)[:5]
                only_other = sorted(refs - first_refs, key=_num_key)[:5]
                raise SourceError(
                    f"{first_label} and {label} are not the same publication: "
                    f"{len(first_refs ^ refs)} entries differ (only in the first: "
                    f"{', '.join(only_first) or '-'}; only in {label}: "
                    f"{', '.join(only_other) or '-'})",
                    file=label,
                )
        for _label, sub, _info in results:
            for item in sub.entities.values():
                emit.emit(item.entity, item.ref, item.file)
            for warning in sub.warnings:
                emit.warn(warning)
        infos = [info for _l, _e, info in results]
        published = next((i.published for i in infos if i.published is not None), None)
        extra: dict[str, object] = {}
        for info in infos:
            extra.update(info.extra)
        return ParseInfo(
            format="+".join(dict.fromkeys(i.format for i in infos)),
            published=published,
            records=next((i.records for i in infos if i.records is not None), None),
            extra=extra,
        )


def _listed_refs(emit: Emitter) -> set[str]:
    """Entry references of the listed parties (those with a Sanction)."""
    return {
        item.ref
        for item in emit.entities.values()
        if item.ref is not None and item.entity.schema.name == "Sanction"
    }


def _num_key(ref: str) -> tuple[int, str]:
    return (int(ref), ref) if ref.isdigit() else (1 << 62, ref)


class OfacSdnSource(_OfacSource):
    id = "ofac_sdn"
    title = "OFAC Specially Designated Nationals and Blocked Persons List (SDN)"
    layout = SDN_LAYOUT
    other_layout = CONS_LAYOUT
    other_source = "ofac_cons"
    official_files = {
        "sdn.csv": _EXPORTS + "SDN.CSV",
        "add.csv": _EXPORTS + "ADD.CSV",
        "alt.csv": _EXPORTS + "ALT.CSV",
        "sdn_comments.csv": _EXPORTS + "SDN_COMMENTS.CSV",
        "sdn.xml": _EXPORTS + "SDN.XML",
    }


class OfacConsSource(_OfacSource):
    id = "ofac_cons"
    title = "OFAC Consolidated Sanctions List (non-SDN)"
    layout = CONS_LAYOUT
    other_layout = SDN_LAYOUT
    other_source = "ofac_sdn"
    official_files = {
        "cons_prim.csv": _EXPORTS + "CONS_PRIM.CSV",
        "cons_add.csv": _EXPORTS + "CONS_ADD.CSV",
        "cons_alt.csv": _EXPORTS + "CONS_ALT.CSV",
        "cons_comments.csv": _EXPORTS + "CONS_COMMENTS.CSV",
        "consolidated.xml": _EXPORTS + "CONSOLIDATED.XML",
    }


__all__ = ["OfacConsSource", "OfacSdnSource", "sniff_xml", "sniff_zip"]
