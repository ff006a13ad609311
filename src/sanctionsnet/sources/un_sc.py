"""UN Security Council Consolidated List, XML format (``consolidated.xml``).

The file is ``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) holding
``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records. Each record carries a
``REFERENCE_NUMBER`` such as ``KPi.033`` (the "permanent reference number" that other
lists, e.g. the EU's ``unitedNationId``, cite), which is the entity id here:
``un_sc-kpi.033``; ``DATAID`` is used only when a record lacks one.

What is read:

- names: ``FIRST_NAME`` .. ``FOURTH_NAME`` joined with spaces (``firstName`` is the
  first part, ``lastName`` the last, ``middleName`` those in between; the UN keeps the
  order in which names are written, so for Korean names ``firstName`` holds the family
  name), ``NAME_ORIGINAL_SCRIPT`` -> alias; aliases by quality: "Good"/"a.k.a." ->
  ``alias``, "Low" -> ``weakAlias``, "f.k.a." -> ``previousName``; "original script: X"
  in an alias note -> alias X;
- persons: ``TITLE`` -> title, ``DESIGNATION`` -> position, ``NATIONALITY`` ->
  nationality, ``GENDER``, dates of birth with their precision (``YEAR`` -> "1971";
  ``BETWEEN`` -> every year of the range; ``APPROXIMATELY`` -> the year, with the
  stated value and "circa" kept in ``notes``), places of birth, documents
  (``passportNumber``/``idNumber`` plus FtM ``Passport``/``Identification`` entities
  with holder, number, country, issue date);
- addresses joined with ", " into ``address``, their countries into ``country``;
- ``COMMENTS1`` -> ``notes`` of the party and ``reason`` of its ``Sanction``
  (authority "UN Security Council", program = ``UN_LIST_TYPE``, listingDate =
  ``LISTED_ON``, unscId = reference number, modifiedAt = latest ``LAST_DAY_UPDATED``);
- a reference number of another listed record cited in ``COMMENTS1`` (e.g. "member
  of the ADF (CDe.001)") -> an ``UnknownLink`` from the citing record to the cited one,
  with the citing clause as its role. Citations of records absent from the file
  (delisted) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from followthemoney.proxy import EntityProxy
from lxml import etree

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import (
    Emitter,
    InputFile,
    ParseInfo,
    Source,
    org_schema,
    parse_iso_datetime,
)
from sanctionsnet.sources.dates import latest, parse_date_with_precision, year_range

AUTHORITY = "UN Security Council"
ROOT_TAG = "CONSOLIDATED_LIST"

# A permanent reference number: two-letter regime, i(ndividual)/e(ntity), number.
_REF_CITE_RE = re.compile(r"\b([A-Z]{2}[ie]\.\d{3})\b")
_ORIGINAL_SCRIPT_RE = re.compile(
    r"^(?:original script|in [a-z]+ script|in arabic|in cyrillic)\s*:\s*(.+)$", re.I
)
_TRAILING_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
_QUOTES = "\"'“”„«»"
_LATIN_RE = re.compile(r"[A-Za-z]")
_PASSPORT_RE = re.compile(r"passport|passeport|pasaporte", re.I)
_MAX_ROLE = 300

_ALIAS_PROP = {
    "good": "alias",
    "a.k.a.": "alias",
    "": "alias",
    "low": "weakAlias",
    "f.k.a.": "previousName",
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )


def load_xml(file: InputFile) -> etree._Element:
    """Parse `file` as XML, reporting any syntax error (e.g. truncation) with its line."""
    try:
        tree = etree.parse(str(file.path), _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        raise SourceError(f"malformed XML: {exc.msg}", file=file.name, line=line) from exc
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc}", file=file.name) from exc
    return tree.getroot()


def add_entity_ref(entity: EntityProxy, prop: str, target_id: str | None) -> None:
    """Set an entity-reference property to `target_id`, if there is one."""
    if target_id:
        entity.add(prop, target_id)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


class _Record:
    """Children of one INDIVIDUAL/ENTITY, grouped by tag (one pass over the element)."""

    __slots__ = ("el", "children")

    def __init__(self, el: etree._Element) -> None:
        self.el = el
        self.children: dict[str, list[etree._Element]] = {}
        for child in el.iterchildren(tag=etree.Element):
            self.children.setdefault(child.tag, []).append(child)

    def text(self, tag: str) -> str | None:
        for child in self.children.get(tag, ()):
            value = _clean(child.text)
            if value:
                return value
        return None

    def values(self, tag: str) -> list[str]:
        """Texts of ``TAG/VALUE`` children (``NATIONALITY``, ``TITLE``, ...)."""
        out = []
        for child in self.children.get(tag, ()):
            for value_el in child.iterchildren("VALUE"):
                value = _clean(value_el.text)
                if value:
                    out.append(value)
        return out

    def groups(self, tag: str) -> list[dict[str, str]]:
        """Each ``TAG`` child as a dict of its non-empty sub-element texts."""
        out = []
        for child in self.children.get(tag, ()):
            fields = {}
            for sub in child.iterchildren(tag=etree.Element):
                value = _clean(sub.text)
                if value:
                    fields[sub.tag] = value
            if fields:
                out.append(fields)
        return out


def split_variants(name: str) -> list[str]:
    """'حسن غول (Hassan Ghul; Hasan Gul)' -> the name and its listed transliterations.

    Quotes around the whole name are dropped ('"KOMID"' -> 'KOMID').

    Only a trailing parenthesis holding several names (separated by ";") or Latin
    transliterations of a non-Latin name is split; "BUTEMBO AIRLINES (BAL)" stays whole.
    """
    name = name.strip(_QUOTES).strip() or name
    paren = _TRAILING_PAREN_RE.search(name)
    if paren is None:
        return [name]
    head = name[: paren.start()].strip()
    inner = paren.group(1)
    if not head or not (";" in inner or (not _LATIN_RE.search(head) and _LATIN_RE.search(inner))):
        return [name]
    return [head, *(v.strip() for v in inner.split(";") if v.strip())]


def _join(fields: dict[str, str], keys: Sequence[str]) -> str | None:
    parts = [fields[k] for k in keys if fields.get(k)]
    return ", ".join(parts) if parts else None


class UnScSource(Source):
    """UN Security Council Consolidated List (``consolidated.xml``)."""

    id = "un_sc"
    title = "UN Security Council Consolidated List"
    authority = AUTHORITY
    official_files = {
        "consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    }

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        if len(files) != 1:
            names = ", ".join(f.name for f in files)
            raise SourceError(
                f"the UN consolidated list is one XML file, got {len(files)}: {names}",
                file=files[0].name if files else None,
            )
        file = files[0]
        root = load_xml(file)
        if root.tag != ROOT_TAG:
            raise SourceError(
                f"not a UN consolidated list (root element <{root.tag}>, expected <{ROOT_TAG}>)",
                file=file.name,
                line=root.sourceline,
            )
        published = None
        generated = root.get("dateGenerated")
        if generated:
            published = parse_iso_datetime(generated)
            if published is None:
                raise SourceError(
                    f"unreadable dateGenerated {generated!r}", file=file.name, line=root.sourceline
                )
        sections = {child.tag: child for child in root.iterchildren(tag=etree.Element)}
        if "INDIVIDUALS" not in sections and "ENTITIES" not in sections:
            raise SourceError(
                "not a UN consolidated list (no INDIVIDUALS or ENTITIES section)",
                file=file.name,
                line=root.sourceline,
            )
        parser = _UnParser(emit, file)
        for section, record_tag in (("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY")):
            container = sections.get(section)
            if container is None:
                continue
            for el in container.iterchildren(tag=etree.Element):
                if el.tag != record_tag:
                    raise SourceError(
                        f"unexpected element <{el.tag}> in {section}",
                        file=file.name,
                        line=el.sourceline,
                    )
                parser.record(_Record(el), person=record_tag == "INDIVIDUAL")
        links = parser.link()
        return ParseInfo(
            format="un-sc-xml",
            published=published,
            extra={
                "individuals": parser.counts["INDIVIDUAL"],
                "entities": parser.counts["ENTITY"],
                "links": links,
            },
        )


class _UnParser:
    def __init__(self, emit: Emitter, file: InputFile) -> None:
        self.emit = emit
        self.file = file
        self.counts = {"INDIVIDUAL": 0, "ENTITY": 0}
        # reference number -> entity id, and (entity id, ref, comments) to scan for citations
        self.by_ref: dict[str, str] = {}
        self.comments: list[tuple[str, str, str]] = []
        self._warned: set[str] = set()

    def fail(self, message: str, rec: _Record, ref: str | None = None) -> SourceError:
        return SourceError(message, file=self.file.name, line=rec.el.sourceline, record=ref)

    def warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.emit.warn(f"{self.file.name}: {message}")

    def record(self, rec: _Record, person: bool) -> None:
        kind = "INDIVIDUAL" if person else "ENTITY"
        ref = rec.text("REFERENCE_NUMBER") or rec.text("DATAID")
        if ref is None:
            raise self.fail(f"{kind} without REFERENCE_NUMBER or DATAID", rec)
        if ref in self.by_ref:
            raise self.fail(f"duplicate reference number {ref}", rec, ref)
        parts = [
            p
            for p in (
                rec.text(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            )
            if p
        ]
        if not parts:
            raise self.fail(f"{kind} without a name", rec, ref)
        name = " ".join(parts)
        schema = "Person" if person else org_schema(name)
        entity = self.emit.make(schema, ref)
        entity.add("name", name)
        entity.add("topics", "sanction")
        program = rec.text("UN_LIST_TYPE")
        entity.add("program", program)
        entity.add("alias", rec.text("NAME_ORIGINAL_SCRIPT"))
        comments = rec.text("COMMENTS1")
        entity.add("notes", comments)
        if person:
            self.person(entity, rec, parts, ref)
        else:
            self.organization(entity, rec, ref)
        self.emit.emit(entity, ref, self.file)

        listed = rec.text("LISTED_ON")
        listing_date = parse_date_with_precision(listed)
        if listed and not listing_date:
            raise self.fail(f"unreadable LISTED_ON {listed!r}", rec, ref)
        updated = [d for v in rec.values("LAST_DAY_UPDATED") for d in parse_date_with_precision(v)]
        sanction = self.emit.sanction(
            entity,
            ref,
            self.file,
            authority=AUTHORITY,
            program=[program] if program else [],
            listing_date=listing_date,
            unscId=ref,
            modifiedAt=latest(updated),
            reason=comments,
        )
        # Emitter.sanction's add("entity", ...) drops ids with "_" (see add_entity_ref)
        add_entity_ref(sanction, "entity", entity.id)
        assert entity.id is not None
        self.by_ref[ref] = entity.id
        if comments:
            self.comments.append((entity.id, ref, comments))
        self.counts[kind] += 1

    # -- individuals ----------------------------------------------------------------

    def person(self, entity: EntityProxy, rec: _Record, parts: list[str], ref: str) -> None:
        entity.add("firstName", parts[0])
        if len(parts) > 1:
            entity.add("lastName", parts[-1])
            entity.add("middleName", parts[1:-1])
        entity.add("title", rec.values("TITLE"))
        entity.add("position", rec.values("DESIGNATION"))
        entity.add("nationality", rec.values("NATIONALITY"))
        gender = rec.text("GENDER")
        if gender and gender.lower() in ("male", "female"):
            entity.add("gender", gender.lower())
        for alias in rec.groups("INDIVIDUAL_ALIAS"):
            self.alias(entity, alias, ref)
            entity.add(
                "birthDate", parse_date_with_precision(alias.get("DATE_OF_BIRTH")), cleaned=True
            )
            entity.add("birthPlace", _join(alias, ("CITY_OF_BIRTH", "COUNTRY_OF_BIRTH")))
            entity.add("birthCountry", alias.get("COUNTRY_OF_BIRTH"))
        for address in rec.groups("INDIVIDUAL_ADDRESS"):
            self.address(entity, address)
        for dob in rec.groups("INDIVIDUAL_DATE_OF_BIRTH"):
            self.birth_date(entity, dob, ref)
        for pob in rec.groups("INDIVIDUAL_PLACE_OF_BIRTH"):
            place = _join(pob, ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY"))
            note = pob.get("NOTE")
            if note:
                place = f"{place} ({note})" if place else note
            entity.add("birthPlace", place)
            entity.add("birthCountry", pob.get("COUNTRY"))
        for doc in rec.groups("INDIVIDUAL_DOCUMENT"):
            self.document(entity, doc, ref)

    def birth_date(self, entity: EntityProxy, dob: dict[str, str], ref: str) -> None:
        kind = (dob.get("TYPE_OF_DATE") or "").upper()
        date, year, note = dob.get("DATE"), dob.get("YEAR"), dob.get("NOTE")
        start, end = dob.get("FROM_YEAR"), dob.get("TO_YEAR")
        values: list[str] = []
        stated = None
        if start or end:
            values = year_range(start, end)
            stated = f"between {start} and {end}" if start and end else (start or end)
        elif date:
            values = parse_date_with_precision(date)
            stated = values[0] if values else date
        elif year:
            values = parse_date_with_precision(year)
            stated = year
        if kind == "APPROXIMATELY":
            values = sorted({v[:4] for v in values})
            stated = f"circa {stated}" if stated else "approximately"
        if note:
            # "Nov. 1973" alone, or "Sep." next to YEAR 1958: the note may be more precise.
            refined = parse_date_with_precision(note)
            if not refined and year:
                refined = parse_date_with_precision(f"{note} {year}")
            if refined and (not values or all(r[:4] in values for r in refined)):
                values = refined
            stated = f"{stated} ({note})" if stated else note
        if not values and not note and (date or year or start or end):
            self.emit.warn(f"{self.file.name}: record {ref}: unreadable date of birth {dob}")
        entity.add("birthDate", values, cleaned=True)
        if kind in ("APPROXIMATELY", "BETWEEN") or note:
            entity.add("notes", f"Date of birth: {stated}")

    def document(self, entity: EntityProxy, doc: dict[str, str], ref: str) -> None:
        doc_type = doc.get("TYPE_OF_DOCUMENT")
        detail = doc.get("TYPE_OF_DOCUMENT2")
        number = doc.get("NUMBER")
        note = doc.get("NOTE")
        label = " / ".join(t for t in (doc_type, detail) if t) or "Document"
        if not number:
            if note or detail:
                entity.add("notes", f"{label}: {note}" if note else label)
            return
        is_passport = bool(_PASSPORT_RE.search(label))
        entity.add("passportNumber" if is_passport else "idNumber", number)
        schema = "Passport" if is_passport else "Identification"
        ident = self.emit.make(schema, ref, "passport" if is_passport else "id", number)
        add_entity_ref(ident, "holder", entity.id)
        ident.add("number", number)
        ident.add("type", label)
        ident.add("country", doc.get("ISSUING_COUNTRY") or doc.get("COUNTRY_OF_ISSUE"))
        ident.add("startDate", parse_date_with_precision(doc.get("DATE_OF_ISSUE")), cleaned=True)
        ident.add("authority", doc.get("CITY_OF_ISSUE"))
        ident.add("summary", note)
        self.emit.emit(ident, ref, self.file)

    # -- shared -----------------------------------------------------------------------

    def organization(self, entity: EntityProxy, rec: _Record, ref: str) -> None:
        for alias in rec.groups("ENTITY_ALIAS"):
            self.alias(entity, alias, ref)
        for address in rec.groups("ENTITY_ADDRESS"):
            self.address(entity, address)

    def alias(self, entity: EntityProxy, alias: dict[str, str], ref: str) -> None:
        name = alias.get("ALIAS_NAME")
        quality = (alias.get("QUALITY") or "").lower()
        prop = _ALIAS_PROP.get(quality)
        if prop is None:
            self.warn_once(
                f"quality:{quality}", f"unknown alias quality {quality!r}, read as alias"
            )
            prop = "alias"
        if name:
            entity.add(prop, split_variants(name))
        note = alias.get("NOTE")
        if not note:
            return
        script = _ORIGINAL_SCRIPT_RE.match(note)
        if script is not None:
            entity.add(prop, split_variants(script.group(1)))
        elif name:
            entity.add("notes", f"Alias {name}: {note}")

    def address(self, entity: EntityProxy, address: dict[str, str]) -> None:
        country = address.get("COUNTRY")
        entity.add("country", country)
        full = _join(address, ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"))
        if full and full != country:
            entity.add("address", full)
        note = address.get("NOTE")
        if note and full:
            entity.add("notes", f"Address {full}: {note}")

    def link(self) -> int:
        """Emit an UnknownLink for each cited reference number of a listed record."""
        count = 0
        for entity_id, ref, text in self.comments:
            for match in _REF_CITE_RE.finditer(text):
                cited = match.group(1)
                target = self.by_ref.get(cited)
                if target is None or cited == ref:
                    continue
                link = self.emit.make("UnknownLink", ref, "cites", cited)
                add_entity_ref(link, "subject", entity_id)
                add_entity_ref(link, "object", target)
                link.add("role", _clause(text, match.start(), match.end()))
                link.add("description", f"{ref} cites {cited} in its UN narrative summary")
                if link.id not in self.emit.entities:
                    count += 1
                self.emit.emit(link, ref, self.file)
        return count


def _clause(text: str, start: int, end: int) -> str:
    """The clause of `text` that ends with the citation at start..end."""
    begin = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start))
    begin = 0 if begin < 0 else begin + 2
    stop = end + 1 if end < len(text) and text[end] == ")" else end
    clause = text[begin:stop].strip()
    if len(clause) > _MAX_ROLE:
        clause = "…" + clause[-_MAX_ROLE:].lstrip()
    return clause
