"""OFAC's legacy XML: the ``sdnList`` schema of ``sdn.xml`` and ``consolidated.xml``.

One ``sdnEntry`` per listed party, with structured lists (akas, addresses, ids,
dates and places of birth, nationalities, vessel details) and a short free-text
``remarks``. The entry ``uid`` is OFAC's unique id, the same number as the
``ent_num`` of the legacy CSV files, so an entry gets the same entity id from
either format (``ofac-sdn-36``).

The legacy CSV writes the same data as text: the name as "LASTNAME, Firstname",
addresses as "street, City, State Postal, Country", and ids, dates of birth and
the like as remarks segments ("Passport A123 (Iran)", "DOB circa 1960"). To give
the same facts from both formats, this parser writes names and addresses the CSV
way and hands every structured item to the shared label table of `ofac_remarks`
as the segment the CSV would carry (`apply_label`). Only the sanctions notes
("Secondary sanctions risk: ...", which go on the Sanction) and a few labels that
FtM has no property for are handled here.

The helpers (labels, addresses, file opening, streaming) are shared with the
enhanced XML parser (`ofac_enhanced`).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from followthemoney.proxy import EntityProxy
from lxml import etree

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import ofac_remarks
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, org_schema
from sanctionsnet.sources.ofac_csv import CONS_LAYOUT, SDN_LAYOUT

AUTHORITY = "US Treasury OFAC"
FORMAT = "sdnlist-xml"
#: The list name the CSV parser puts first in the Sanction's provisions.
LIST_NAMES = {"ofac_sdn": SDN_LAYOUT.list_name, "ofac_cons": CONS_LAYOUT.list_name}


def parse_publish_date(text: str) -> date | None:
    """'04/06/2018' (MM/DD/YYYY) -> date(2018, 4, 6)."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


# ------------------------------------------------------------------ labels

#: Id and feature types that describe the sanction rather than the party; their
#: text goes to the Sanction's provisions, split on ';' as the CSV remarks are.
_SANCTION_INFO_RE = re.compile(
    r"information|determination|secondary sanctions|effective date|listing date|divestment"
    r"|prohibited",
    re.IGNORECASE,
)
_MORE_INFO = "For more information"
#: Labels FtM has no property for: kept in `notes` as 'label: value'.
NOTE_LABELS = frozenset({"Issuer Name", "Location"})


@dataclass
class SanctionFacts:
    """What an entry says about its sanction rather than about the party."""

    provisions: list[str] = field(default_factory=list)


def labelled(label: str, value: str) -> str:
    """'Issuer Name', 'X' -> 'Issuer Name: X'; 'For more information, please see:', 'X' -> '... X'."""
    if label.endswith((":", "-")):
        return f"{label} {value}"
    return f"{label}: {value}"


def apply_label(
    entity: EntityProxy,
    label: str,
    value: str,
    country: str | None,
    facts: SanctionFacts,
    result: ofac_remarks.Remarks,
    emit: Emitter,
    file: InputFile,
    ref: str,
) -> bool:
    """Attach one OFAC id/feature ('Passport', 'A123', 'Iran') to `entity`.

    The pair is read exactly as the CSV remarks segment 'Passport A123 (Iran)'
    would be, through `ofac_remarks`. Returns False for a label nobody knows
    (the caller keeps it in `notes`).
    """
    label = " ".join(label.split())
    value = " ".join(value.split())
    if not label or not value:
        return True
    segment = f"{label} {value} ({country})" if country else f"{label} {value}"
    if label.startswith(_MORE_INFO):
        entity.add("notes", f"{label} {value}")
        return True
    if _SANCTION_INFO_RE.search(label):
        facts.provisions.extend(ofac_remarks.split_remarks(segment))
        return True
    if label in NOTE_LABELS:
        entity.add("notes", labelled(label, value))
        return True
    match = ofac_remarks.match_label(segment)
    if match is not None:
        found = match.group("label")
        rest = segment[match.end() :]
    else:
        found, rest = label, segment[len(label) + 1 :]
    return ofac_remarks.apply_fact(entity, found, rest, emit, file, ref, result)


def xml_remarks(remarks: str) -> str:
    """Remarks in the CSV's notation: the XML writes links as '(Linked To: X)'.

    `ofac_remarks` reads the CSV's 'Linked To: X'; other segments are unchanged.
    """
    segments = []
    for segment in remarks.split(";"):
        seg = segment.strip()
        if seg[:1] == "(" and seg[-1:] == ")" and seg[1:].lstrip().lower().startswith("linked to"):
            seg = seg[1:-1].strip()
        if seg:
            segments.append(seg)
    return "; ".join(segments)


def add_ref(entity: EntityProxy, prop: str, target: EntityProxy) -> None:
    """Point the entity property `prop` of `entity` at `target`."""
    if target.id:
        entity.add(prop, target.id)


def add_title(entity: EntityProxy, title: str) -> None:
    """OFAC's title field: a position for a person, a note otherwise (as the CSV parser)."""
    if title:
        entity.add("position" if entity.schema.is_a("Person") else "notes", title)


def add_dob(entity: EntityProxy, text: str, emit: Emitter, file: InputFile, ref: str) -> None:
    """A date of birth as the CSV's 'DOB ...' segment; the text is kept when imprecise."""
    ofac_remarks.apply_fact(entity, "DOB", text, emit, file, ref)
    dates, lost = ofac_remarks.parse_date_expr(text)
    if lost or not dates:
        entity.add("notes", f"DOB {text}")


# --------------------------------------------------------------------- addresses


def format_address(
    streets: list[str],
    city: str | None,
    state: str | None,
    postal: str | None,
    country: str | None,
    region: str | None = None,
) -> str:
    """An address as OFAC's CSV writes it: 'street, street, City, State Postal, Country'."""
    city_state = ", ".join(x for x in (city, state) if x)
    csz = " ".join(x for x in (city_state, postal) if x)
    parts = [", ".join(s for s in streets if s), csz]
    if country:
        parts.append(country)
    if region:
        parts.append(f"Region: {region}")
    return ", ".join(p for p in parts if p)


# ------------------------------------------------------------------------ files


@contextmanager
def open_xml(file: InputFile) -> Iterator[tuple[IO[bytes], str]]:
    """Open `file` for streaming; a .zip must hold exactly one .xml member.

    Yields the byte stream and a display name ('X.ZIP:X.XML' for a zip member).
    """
    if zipfile.is_zipfile(file.path):
        try:
            zf = zipfile.ZipFile(file.path)
        except zipfile.BadZipFile as exc:
            raise SourceError(f"unreadable zip archive: {exc}", file=file.name) from exc
        with zf:
            members = [i for i in zf.infolist() if i.filename.lower().endswith(".xml")]
            if len(members) != 1:
                names = ", ".join(i.filename for i in zf.infolist()) or "nothing"
                raise SourceError(
                    f"expected exactly one .xml file in the zip archive, found: {names}",
                    file=file.name,
                )
            try:
                with zf.open(members[0]) as fh:
                    yield fh, f"{file.name}:{members[0].filename}"
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                raise SourceError(f"corrupt zip archive: {exc}", file=file.name) from exc
        return
    if file.name.lower().endswith(".zip"):
        raise SourceError("not a readable zip archive (truncated or corrupt?)", file=file.name)
    with file.path.open("rb") as fh:
        yield fh, file.name


def local(tag: Any) -> str:
    """Tag name without its namespace ('{ns}sdnEntry' -> 'sdnEntry'); '' for comments."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def text(el: Any) -> str:
    t = el.text
    return t.strip() if t else ""


def syntax_error(exc: etree.XMLSyntaxError, display: str) -> SourceError:
    line = exc.lineno if exc.lineno else None
    msg = exc.msg or str(exc)
    return SourceError(f"malformed or truncated XML: {msg}", file=display, line=line)


def clear(el: Any) -> None:
    """Free a processed element and the already-processed siblings before it."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def iter_elements(
    fh: IO[bytes], display: str, root: str, tags: tuple[str, ...], kind: str
) -> Iterator[Any]:
    """Stream the completed elements named `tags` (any namespace) of a `root` document.

    Only these elements cross into Python (lxml filters the rest), which keeps
    big files fast. A document whose root is not `root` raises "not an OFAC
    `kind`"; malformed or truncated XML raises with the file name and line.
    The caller clears each element once it is processed.
    """
    wanted = tuple(f"{{*}}{t}" for t in (root, *tags))
    parser = etree.iterparse(
        fh, events=("start", "end"), tag=wanted, resolve_entities=False, no_network=True
    )
    root_ok = False
    try:
        for event, el in parser:
            if event == "start":
                if not root_ok:
                    top = el.getroottree().getroot()
                    if local(top.tag) != root:
                        raise SourceError(
                            f"not an OFAC {kind} (root element <{local(top.tag)}>)",
                            file=display,
                            line=top.sourceline,
                        )
                    root_ok = True
                continue
            if el.getparent() is not None:
                yield el
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, display) from exc
    if not root_ok:
        top = parser.root
        name = local(top.tag) if top is not None else ""
        raise SourceError(f"not an OFAC {kind} (root element <{name}>)", file=display)


# ------------------------------------------------------------------------ parser

_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
#: vesselInfo element -> the CSV column label it is read as.
_VESSEL_LABELS = (
    ("callSign", "Call Sign"),
    ("vesselType", "Vessel Type"),
    ("tonnage", "Tonnage"),
    ("grossRegisteredTonnage", "GRT"),
    ("vesselFlag", "Vessel Flag"),
    ("vesselOwner", "Vessel Owner"),
)


def full_name(first: str, last: str) -> str:
    """The name as OFAC's CSV writes it: 'LAST, First', or just the one part given."""
    if first and last:
        return f"{last}, {first}"
    return last or first


class NameIndex:
    """Primary names and aliases of a publication, for resolving "Linked To:" names.

    Primary names win over aliases, as in the CSV parser.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.aliases: dict[str, str] = {}

    def add(self, entity: EntityProxy) -> None:
        assert entity.id is not None
        for name in entity.get("name"):
            self.names.setdefault(ofac_remarks.name_key(name), entity.id)
        for prop in ("alias", "weakAlias", "previousName"):
            for name in entity.get(prop, quiet=True):
                self.aliases.setdefault(ofac_remarks.name_key(name), entity.id)

    def by_name(self) -> dict[str, str]:
        merged = {**self.aliases, **self.names}
        merged.pop("", None)
        return merged


class _Entry:
    """The fields of one sdnEntry, read namespace-agnostically."""

    __slots__ = ("uid", "first", "last", "title", "sdn_type", "remarks", "line", "children")

    def __init__(self, el: Any) -> None:
        self.line: int | None = el.sourceline
        self.uid = self.first = self.last = self.title = self.sdn_type = self.remarks = ""
        self.children: list[tuple[str, Any]] = []
        for child in el:
            name = local(child.tag)
            if name == "uid":
                self.uid = text(child)
            elif name == "firstName":
                self.first = text(child)
            elif name == "lastName":
                self.last = text(child)
            elif name == "title":
                self.title = text(child)
            elif name == "sdnType":
                self.sdn_type = text(child)
            elif name == "remarks":
                self.remarks = text(child)
            elif name:
                self.children.append((name, child))


def _fields(el: Any) -> dict[str, str]:
    return {local(c.tag): text(c) for c in el if local(c.tag)}


def _items(el: Any, field_name: str) -> list[str]:
    """The `field_name` values of a list element's items (nationalityList -> countries)."""
    found = []
    for item in el:
        value = _fields(item).get(field_name)
        if value:
            found.append(value)
    return found


class _SdnListReader:
    def __init__(self, file: InputFile, emit: Emitter, source_id: str, display: str) -> None:
        self.file = file
        self.emit = emit
        self.display = display
        self.list_name = LIST_NAMES.get(source_id)
        self.published: date | None = None
        self.record_count: int | None = None
        self.count = 0
        self.seen: set[str] = set()
        self.pending: list[tuple[str, str, str, InputFile]] = []
        self.names = NameIndex()
        self.unknown_types: set[str] = set()

    def error(self, message: str, line: int | None, record: str | None = None) -> SourceError:
        return SourceError(message, file=self.display, line=line, record=record)

    def publish_info(self, el: Any) -> None:
        info = _fields(el)
        raw_date = info.get("Publish_Date", "")
        if raw_date:
            self.published = parse_publish_date(raw_date)
            if self.published is None:
                raise self.error(f"unreadable Publish_Date {raw_date!r}", el.sourceline)
        raw_count = info.get("Record_Count", "")
        if raw_count:
            if not raw_count.isdigit():
                raise self.error(f"unreadable Record_Count {raw_count!r}", el.sourceline)
            self.record_count = int(raw_count)

    def entry(self, el: Any) -> None:
        e = _Entry(el)
        if not e.uid:
            raise self.error("sdnEntry without uid", e.line)
        if not e.uid.isdigit():
            raise self.error(f"sdnEntry uid {e.uid!r} is not a number", e.line, e.uid)
        if e.uid in self.seen:
            raise self.error("duplicate sdnEntry uid", e.line, e.uid)
        self.seen.add(e.uid)
        name = full_name(e.first, e.last)
        if not name:
            raise self.error("sdnEntry without a name", e.line, e.uid)
        kind = e.sdn_type.lower()
        if kind == "entity":
            schema = org_schema(name)
        elif kind in _SCHEMA:
            schema = _SCHEMA[kind]
        else:
            raise self.error(f"unknown sdnType {e.sdn_type!r}", e.line, e.uid)
        ref = e.uid
        emit, file = self.emit, self.file
        entity = emit.make(schema, e.uid)
        entity.add("name", name)
        if schema == "Person":
            entity.add("firstName", e.first or None)
            entity.add("lastName", e.last or None)
        entity.add("topics", "sanction")
        add_title(entity, e.title)
        facts = SanctionFacts()
        result = ofac_remarks.Remarks()
        programs: list[str] = []
        for tag, child in e.children:
            if tag == "programList":
                programs.extend(text(p) for p in child if local(p.tag) == "program" and text(p))
            elif tag == "akaList":
                self.akas(entity, child)
            elif tag == "idList":
                self.ids(entity, child, facts, result, ref)
            elif tag == "addressList":
                for item in child:
                    if local(item.tag) == "address":
                        self.address(entity, _fields(item))
            elif tag == "nationalityList":
                for country in _items(child, "country"):
                    ofac_remarks.apply_fact(entity, "nationality", country, emit, file, ref)
            elif tag == "citizenshipList":
                for country in _items(child, "country"):
                    ofac_remarks.apply_fact(entity, "citizen", country, emit, file, ref)
            elif tag == "dateOfBirthList":
                for dob in _items(child, "dateOfBirth"):
                    add_dob(entity, dob, emit, file, ref)
            elif tag == "placeOfBirthList":
                for pob in _items(child, "placeOfBirth"):
                    ofac_remarks.apply_fact(entity, "POB", pob, emit, file, ref)
            elif tag == "vesselInfo":
                info = _fields(child)
                for name_, label in _VESSEL_LABELS:
                    value = info.get(name_)
                    if value:
                        ofac_remarks.apply_fact(entity, label, value, emit, file, ref, result)
        if e.remarks:
            remarks = ofac_remarks.apply_remarks(entity, xml_remarks(e.remarks), emit, file, ref)
            result.linked_to.extend(remarks.linked_to)
            result.secondary_sanctions.extend(remarks.secondary_sanctions)
        assert entity.id is not None
        for linked in result.linked_to:
            self.pending.append((entity.id, linked, ref, file))
        entity.add("program", programs)
        emit.emit(entity, ref, file)
        provisions = [self.list_name] if self.list_name else []
        provisions += facts.provisions + result.secondary_sanctions
        emit.sanction(
            entity,
            ref,
            file,
            authority=AUTHORITY,
            program=programs,
            provisions=provisions or None,
        )
        self.names.add(entity)
        self.count += 1

    def ids(
        self,
        entity: EntityProxy,
        el: Any,
        facts: SanctionFacts,
        result: ofac_remarks.Remarks,
        ref: str,
    ) -> None:
        for item in el:
            if local(item.tag) != "id":
                continue
            f = _fields(item)
            label, number = f.get("idType", ""), f.get("idNumber", "")
            if not label or not number:
                continue
            known = apply_label(
                entity, label, number, f.get("idCountry"), facts, result, self.emit, self.file, ref
            )
            if not known:
                entity.add("notes", labelled(label, number))
                if label not in self.unknown_types:
                    self.unknown_types.add(label)
                    self.emit.warn(f"{self.display}: unknown idType {label!r} kept in notes")

    def akas(self, entity: EntityProxy, el: Any) -> None:
        for item in el:
            if local(item.tag) != "aka":
                continue
            f = _fields(item)
            alias = full_name(f.get("firstName", ""), f.get("lastName", ""))
            if not alias:
                continue
            kind = f.get("type", "").lower().replace(".", "").replace(" ", "")
            if f.get("category", "").lower() == "weak":
                prop = "weakAlias"
            elif kind == "fka":
                prop = "previousName"
            else:
                prop = "alias"
            entity.add(prop, alias)

    def address(self, entity: EntityProxy, f: dict[str, str]) -> None:
        streets = [f.get("address1", ""), f.get("address2", ""), f.get("address3", "")]
        country = f.get("country") or None
        full = format_address(
            streets, f.get("city"), f.get("stateOrProvince"), f.get("postalCode"), None
        )
        if full:
            entity.add("address", ", ".join(x for x in (full, country) if x))
        if country:
            entity.add("country", country)


def parse_sdnlist_xml(file: InputFile, emit: Emitter, source_id: str) -> ParseInfo:
    """Read an OFAC ``sdnList`` XML (sdn.xml, consolidated.xml, or a zip holding one)."""
    with open_xml(file) as (fh, display):
        reader = _SdnListReader(file, emit, source_id, display)
        for el in iter_elements(
            fh, display, "sdnList", ("sdnEntry", "publshInformation"), "sdnList XML"
        ):
            if local(el.tag) == "sdnEntry":
                reader.entry(el)
            else:
                reader.publish_info(el)
            clear(el)
    if reader.record_count is None:
        emit.warn(f"{display}: no Record_Count in publshInformation; completeness not checked")
    elif reader.record_count != reader.count:
        raise SourceError(
            f"Record_Count says {reader.record_count} entries but the file has {reader.count}: "
            "truncated or incoherent file",
            file=display,
        )
    ofac_remarks.link_entities(emit, reader.pending, reader.names.by_name())
    return ParseInfo(
        format=FORMAT,
        published=reader.published,
        records=reader.count,
        extra={"record_count": reader.record_count, "entries": reader.count},
    )
