"""OFAC's enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML, or the .ZIP holding it).

Layout: ``publicationInfo/dataAsOf``, ``referenceValues`` (refId -> type/value/isoCode
for countries, programs, document types...), ``featureTypes`` and ``entities``. Each
``entity`` carries its OFAC unique id in its ``id`` attribute, the same number as
the legacy ``uid``/``ent_num``, so an entry keeps its entity id across formats. The
values of looked-up fields are written inline (``<entityType refId="600">Individual``),
so reference values are only needed for country ISO codes.

Names: the primary name's primary translation gives ``name`` ("LAST, First", as in
the CSV); other names go to alias / previousName (F.K.A.) / weakAlias (low quality),
and every non-primary (non-Latin) translation to alias. Features (birth dates,
nationality, gender, websites, vessel details, sanction directives...) and identity
documents go through the same label handling as the legacy formats
(`ofac_xml.apply_label`, i.e. the remarks label table of `ofac_remarks`), so an entry
gives the same facts whichever OFAC format it came from.

Relationships between entries become Ownership / Family / Associate / Directorship /
Representation entities where the schemata allow it, else an UnknownLink with the
id the legacy formats give a "Linked To:" link (``{source}-{uid}-linked-{uid}``).
A relationship to a party that is not in the file (it is on another OFAC list) is
kept in the entity's notes. The Sanction gets the programs, the sanctions types and
directive/secondary-sanctions notes (provisions), the legal authorities (reason),
the lists with their dates (description) and the earliest list date (listingDate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from followthemoney.proxy import EntityProxy

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import ofac_remarks
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, org_schema, parse_iso_datetime
from sanctionsnet.sources.ofac_xml import (
    AUTHORITY,
    LIST_NAMES,
    NameIndex,
    SanctionFacts,
    add_dob,
    add_ref,
    add_title,
    apply_label,
    clear,
    format_address,
    iter_elements,
    labelled,
    local,
    open_xml,
    text,
    xml_remarks,
)

FORMAT = "ofac-enhanced-xml"
_ROOT = "sanctionsData"
#: The elements the parser looks at; lxml skips everything else.
_TAGS = ("entity", "referenceValue", "featureType", "dataAsOf")
_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_STREET_PARTS = ("ADDRESS1", "ADDRESS2", "ADDRESS3")
#: Feature types named differently from the legacy id types / remarks labels.
_FEATURE_LABELS = {
    "Nationality Country": "nationality",
    "Citizenship Country": "citizen",
    "Vessel Gross Registered Tonnage": "GRT",
}


@dataclass
class _Translation:
    primary: bool
    script: str
    full: str
    first: str
    last: str


@dataclass
class _Name:
    primary: bool
    alias_type: str
    low_quality: bool
    translations: list[_Translation] = field(default_factory=list)

    def main(self) -> _Translation | None:
        for t in self.translations:
            if t.primary and t.full:
                return t
        for t in self.translations:
            if t.script.lower() == "latin" and t.full:
                return t
        return next((t for t in self.translations if t.full), None)


@dataclass
class _Relation:
    uid: str
    rel_id: str
    type: str
    related: str
    related_name: str
    quality: str
    line: int | None


def _flag(el: Any) -> bool:
    return text(el).lower() == "true"


class _EnhancedReader:
    def __init__(self, file: InputFile, emit: Emitter, source_id: str, display: str) -> None:
        self.file = file
        self.emit = emit
        self.display = display
        self.list_name = LIST_NAMES.get(source_id)
        self.published: date | None = None
        self.refs: dict[str, tuple[str, str, str]] = {}
        self.entities: dict[str, EntityProxy] = {}
        self.relations: list[_Relation] = []
        self.pending: list[tuple[str, str, str, InputFile]] = []
        self.names = NameIndex()
        self.unknown_labels: set[str] = set()
        self.unresolved = 0

    def error(self, message: str, line: int | None, record: str | None = None) -> SourceError:
        return SourceError(message, file=self.display, line=line, record=record)

    # ------------------------------------------------------------- header
    def data_as_of(self, el: Any) -> None:
        raw = text(el)
        self.published = parse_iso_datetime(raw) if raw else None
        if raw and self.published is None:
            raise self.error(f"unreadable dataAsOf {raw!r}", el.sourceline)

    def reference_value(self, el: Any) -> None:
        ref_id = el.get("refId")
        if not ref_id:
            return
        f = {local(c.tag): text(c) for c in el}
        self.refs[ref_id] = (f.get("type", ""), f.get("value", ""), f.get("isoCode", ""))

    def iso(self, el: Any, fallback: str) -> str:
        """ISO code of a country reference (its refId), else the text."""
        ref = self.refs.get(el.get("refId") or "")
        if ref is not None and ref[2]:
            return ref[2]
        return fallback

    def unknown(self, entity: EntityProxy, label: str, value: str, kind: str) -> None:
        entity.add("notes", labelled(label, value))
        if label not in self.unknown_labels:
            self.unknown_labels.add(label)
            self.emit.warn(f"{self.display}: unknown {kind} type {label!r} kept in notes")

    # ------------------------------------------------------------- entity

    def entity(self, el: Any) -> None:
        line = el.sourceline
        uid = (el.get("id") or "").strip()
        if not uid:
            raise self.error("entity without id attribute", line)
        if not uid.isdigit():
            raise self.error(f"entity id {uid!r} is not a number", line, uid)
        if uid in self.entities:
            raise self.error("duplicate entity id", line, uid)
        entity_type = remarks = ""
        names: list[_Name] = []
        programs: list[str] = []
        provisions: list[str] = []
        authorities: list[str] = []
        lists: list[tuple[str, str]] = []
        sections: dict[str, Any] = {}
        for child in el:
            tag = local(child.tag)
            if tag == "generalInfo":
                for c in child:
                    ctag = local(c.tag)
                    if ctag == "entityType":
                        entity_type = text(c)
                    elif ctag == "remarks":
                        remarks = text(c)
            elif tag == "names":
                names = [self.read_name(n) for n in child if local(n.tag) == "name"]
            elif tag == "sanctionsPrograms":
                programs = [text(c) for c in child if text(c)]
            elif tag == "sanctionsTypes":
                provisions = [text(c) for c in child if text(c)]
            elif tag == "legalAuthorities":
                authorities = [text(c) for c in child if text(c)]
            elif tag == "sanctionsLists":
                lists = [(text(c), c.get("datePublished") or "") for c in child if text(c)]
            elif tag:
                sections[tag] = child

        primary = next((n for n in names if n.primary), None)
        main = primary.main() if primary is not None else None
        if primary is None or main is None:
            raise self.error("entity without a primary name", line, uid)
        kind = entity_type.lower()
        if kind == "entity":
            schema = org_schema(main.full)
        elif kind in _SCHEMA:
            schema = _SCHEMA[kind]
        else:
            raise self.error(f"unknown entityType {entity_type!r}", line, uid)

        emit, file, ref = self.emit, self.file, uid
        entity = emit.make(schema, uid)
        assert entity.id is not None
        entity.add("name", main.full)
        if schema == "Person":
            entity.add("firstName", main.first or None)
            entity.add("lastName", main.last or None)
        entity.add("topics", "sanction")
        for name in names:
            self.add_name(entity, name, main)

        facts = SanctionFacts(provisions=list(provisions))
        result = ofac_remarks.Remarks()
        if "addresses" in sections:
            for address in sections["addresses"]:
                if local(address.tag) == "address":
                    self.address(entity, address)
        if "features" in sections:
            for feature in sections["features"]:
                if local(feature.tag) == "feature":
                    self.feature(entity, feature, facts, result, ref)
        if "identityDocuments" in sections:
            for doc in sections["identityDocuments"]:
                if local(doc.tag) == "identityDocument":
                    self.document(entity, doc, facts, result, ref)
        if "relationships" in sections:
            for rel in sections["relationships"]:
                if local(rel.tag) == "relationship":
                    self.relation(uid, rel)

        if remarks:
            found = ofac_remarks.apply_remarks(entity, xml_remarks(remarks), emit, file, ref)
            result.linked_to.extend(found.linked_to)
            result.secondary_sanctions.extend(found.secondary_sanctions)
        for linked in result.linked_to:
            self.pending.append((entity.id, linked, ref, file))

        entity.add("program", programs)
        self.entities[uid] = entity
        emit.emit(entity, ref, file)
        dates = sorted(d for _, d in lists if d)
        provisions = [self.list_name] if self.list_name else []
        provisions += facts.provisions + result.secondary_sanctions
        emit.sanction(
            entity,
            ref,
            file,
            authority=AUTHORITY,
            program=programs,
            listing_date=dates[0] if dates else None,
            reason=authorities or None,
            description=[f"{n} ({d})" if d else n for n, d in lists] or None,
            provisions=provisions or None,
        )
        self.names.add(entity)

    def read_name(self, el: Any) -> _Name:
        name = _Name(primary=False, alias_type="", low_quality=False)
        for c in el:
            tag = local(c.tag)
            if tag == "isPrimary":
                name.primary = _flag(c)
            elif tag == "aliasType":
                name.alias_type = text(c)
            elif tag == "isLowQuality":
                name.low_quality = _flag(c)
            elif tag == "translations":
                for t in c:
                    if local(t.tag) != "translation":
                        continue
                    f = {local(x.tag): text(x) for x in t}
                    first, last = f.get("formattedFirstName", ""), f.get("formattedLastName", "")
                    full = f.get("formattedFullName", "") or (
                        f"{last}, {first}" if first and last else last or first
                    )
                    name.translations.append(
                        _Translation(
                            primary=f.get("isPrimary", "").lower() == "true",
                            script=f.get("script", ""),
                            full=full,
                            first=first,
                            last=last,
                        )
                    )
        return name

    def add_name(self, entity: EntityProxy, name: _Name, main: _Translation) -> None:
        head = name.main()
        if head is None:
            return
        if name.low_quality:
            prop = "weakAlias"
        elif name.alias_type.upper().replace(".", "") == "FKA":
            prop = "previousName"
        else:
            prop = "alias"
        if head is not main:
            entity.add(prop, head.full)
        other = "weakAlias" if name.low_quality else "alias"
        for t in name.translations:
            if t is not head and t.full:
                entity.add(other, t.full)

    def address(self, entity: EntityProxy, el: Any) -> None:
        country_name = country_code = ""
        translations: list[tuple[bool, dict[str, str]]] = []
        for c in el:
            tag = local(c.tag)
            if tag == "country":
                country_name = text(c)
                country_code = self.iso(c, country_name)
            elif tag == "translations":
                for t in c:
                    if local(t.tag) != "translation":
                        continue
                    primary = False
                    parts: dict[str, str] = {}
                    for x in t:
                        xtag = local(x.tag)
                        if xtag == "isPrimary":
                            primary = _flag(x)
                        elif xtag == "addressParts":
                            for part in x:
                                f = {local(p.tag): text(p) for p in part}
                                kind, value = f.get("type", "").upper(), f.get("value", "")
                                if kind and value:
                                    parts[kind] = (
                                        f"{parts[kind]}, {value}" if kind in parts else value
                                    )
                    translations.append((primary, parts))
        translations.sort(key=lambda item: not item[0])
        for _, parts in translations:
            if not parts:
                continue
            full = format_address(
                [parts.get(k, "") for k in _STREET_PARTS],
                parts.get("CITY"),
                parts.get("STATE/PROVINCE"),
                parts.get("POSTAL CODE"),
                country_name or None,
                parts.get("REGION"),
            )
            if full:
                entity.add("address", full)
        if country_code:
            entity.add("country", country_code)

    def feature(
        self,
        entity: EntityProxy,
        el: Any,
        facts: SanctionFacts,
        result: ofac_remarks.Remarks,
        ref: str,
    ) -> None:
        label = value = ""
        value_date: Any = None
        for c in el:
            tag = local(c.tag)
            if tag == "type":
                label = " ".join(text(c).split())
            elif tag == "value":
                value = text(c)
            elif tag == "valueDate":
                value_date = c
        if not label:
            return
        if label == "Birthdate":
            if value_date is not None and not ofac_remarks.parse_date_expr(value)[0]:
                value = self.date_from_parts(value_date) or value
            if value:
                add_dob(entity, value, self.emit, self.file, ref)
            return
        if not value:
            return
        if label == "Title":
            add_title(entity, value)
            return
        label = _FEATURE_LABELS.get(label, label)
        if not apply_label(entity, label, value, None, facts, result, self.emit, self.file, ref):
            self.unknown(entity, label, value, "feature")

    @staticmethod
    def date_from_parts(el: Any) -> str:
        f = {local(c.tag): text(c) for c in el}
        begin, end = f.get("fromDateBegin", ""), f.get("toDateEnd", "")
        if begin and end and begin != end:
            return f"{begin} to {end}"
        return begin or end

    def document(
        self,
        entity: EntityProxy,
        el: Any,
        facts: SanctionFacts,
        result: ofac_remarks.Remarks,
        ref: str,
    ) -> None:
        label = number = country = ""
        for c in el:
            tag = local(c.tag)
            if tag == "type":
                label = text(c)
            elif tag == "documentNumber":
                number = text(c)
            elif tag == "issuingCountry":
                country = text(c)
        if not label or not number:
            return
        known = apply_label(
            entity, label, number, country or None, facts, result, self.emit, self.file, ref
        )
        if not known:
            # Every identityDocument is an identifier, named or not.
            prop = "idNumber" if entity.schema.get("idNumber") else "registrationNumber"
            if entity.schema.get(prop) is not None:
                entity.add(prop, number)
            else:
                self.unknown(entity, label, number, "document")

    def relation(self, uid: str, el: Any) -> None:
        rel_type = related = related_name = quality = ""
        for c in el:
            tag = local(c.tag)
            if tag == "type":
                rel_type = text(c)
            elif tag == "relatedEntity":
                related = (c.get("entityId") or "").strip()
                related_name = text(c)
            elif tag == "quality":
                quality = text(c)
        if not related:
            raise self.error("relationship without relatedEntity entityId", el.sourceline, uid)
        self.relations.append(
            _Relation(
                uid=uid,
                rel_id=el.get("id") or "",
                type=rel_type,
                related=related,
                related_name=related_name,
                quality=quality,
                line=el.sourceline,
            )
        )

    # ------------------------------------------------------------- links
    def link(self, rel: _Relation) -> None:
        subject = self.entities[rel.uid]
        obj = self.entities.get(rel.related)
        if obj is None:
            # The related party is on another OFAC list (e.g. the SDN list for a
            # consolidated-list entry): keep the fact on the entity.
            subject.add("notes", f"{rel.type}: {rel.related_name} (OFAC id {rel.related})")
            self.unresolved += 1
            return
        s, o = subject.schema, obj.schema
        kind = rel.type.lower()
        link: EntityProxy | None = None
        if kind.startswith("owned or controlled by") and o.is_a("LegalEntity") and s.is_a("Asset"):
            link = self.emit.make("Ownership", rel.related, "owns", rel.uid)
            add_ref(link, "owner", obj)
            add_ref(link, "asset", subject)
        elif kind.startswith("owns, controls") and s.is_a("LegalEntity") and o.is_a("Asset"):
            link = self.emit.make("Ownership", rel.uid, "owns", rel.related)
            add_ref(link, "owner", subject)
            add_ref(link, "asset", obj)
        elif kind.startswith("family") and s.is_a("Person") and o.is_a("Person"):
            link = self.emit.make("Family", rel.uid, "family", rel.related)
            add_ref(link, "person", subject)
            add_ref(link, "relative", obj)
            link.add("relationship", rel.type)
        elif kind.startswith("associate") and s.is_a("Person") and o.is_a("Person"):
            link = self.emit.make("Associate", rel.uid, "associate", rel.related)
            add_ref(link, "person", subject)
            add_ref(link, "associate", obj)
            link.add("relationship", rel.type)
        elif (
            kind.startswith(("leader or official", "principal executive"))
            and s.is_a("LegalEntity")
            and o.is_a("Organization")
        ):
            link = self.emit.make("Directorship", rel.uid, "director", rel.related)
            add_ref(link, "director", subject)
            add_ref(link, "organization", obj)
        elif kind.startswith("acting for") and s.is_a("LegalEntity") and o.is_a("LegalEntity"):
            link = self.emit.make("Representation", rel.uid, "agent", rel.related)
            add_ref(link, "agent", subject)
            add_ref(link, "client", obj)
        if link is None:
            # Same id as the CSV/sdnList parsers give a "Linked To:" link between the two.
            link = self.emit.make("UnknownLink", rel.uid, "linked", rel.related)
            add_ref(link, "subject", subject)
            add_ref(link, "object", obj)
        if "role" in link.schema.properties:
            link.add("role", rel.type)
        if rel.quality:
            link.add("description", f"Relationship quality: {rel.quality}")
        self.emit.emit(link, rel.uid, self.file)

    def finish(self) -> None:
        for rel in self.relations:
            self.link(rel)
        ofac_remarks.link_entities(self.emit, self.pending, self.names.by_name())


def parse_enhanced_xml(file: InputFile, emit: Emitter, source_id: str) -> ParseInfo:
    """Read OFAC's enhanced XML (SDN_ENHANCED.XML / CONS_ENHANCED.XML, or its .ZIP)."""
    with open_xml(file) as (fh, display):
        reader = _EnhancedReader(file, emit, source_id, display)
        for el in iter_elements(fh, display, _ROOT, _TAGS, "enhanced XML"):
            name = local(el.tag)
            if name == "entity":
                reader.entity(el)
            elif name == "referenceValue":
                reader.reference_value(el)
            elif name == "dataAsOf":
                reader.data_as_of(el)
            clear(el)
    reader.finish()
    return ParseInfo(
        format=FORMAT,
        published=reader.published,
        records=len(reader.entities),
        extra={
            "entries": len(reader.entities),
            "relationships": len(reader.relations),
            "relationships_to_other_lists": reader.unresolved,
        },
    )
