"""EU Financial Sanctions Files (FSF), consolidated list XML format v1.1.

The official download is
``https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=...``:
the FSF web site generates the token for registered users; the public token
``dG9rZW4tMjAxNw`` has long been accepted for this URL, but the Commission may change
it, in which case ``sanctionsnet update`` fails and a fresh link must be copied from
the FSF site (or the file fetched by hand and read with ``update --mirror``).

The file is ``export`` (namespace ``http://eu.europa.ec/fpi/fsd/export``, attributes
``generationDate`` and ``globalFileId``) holding one ``sanctionEntity`` per listed party
(attributes ``logicalId``, ``euReferenceNumber``, ``unitedNationId``,
``designationDate``, ``designationDetails``). Entity ids come from ``logicalId``
(``eu_fsf-5295``); the list entry reference is ``euReferenceNumber``.

What is read:

- ``subjectType/@code``: "person" -> Person, "enterprise" -> Organization or Company
  (`org_schema` of the first name);
- ``nameAlias``: the first strong ``wholeName`` -> name, other strong ones -> alias,
  ``strong="false"`` -> weakAlias; first/middle/last names, ``function`` -> position
  (notes for non-persons), ``title``, ``gender``;
- ``citizenship`` -> nationality; ``birthdate`` -> birthDate at its stated precision
  (``circa="true"`` keeps the year only and notes "circa"; non-Gregorian calendars go
  to notes), place of birth -> birthPlace/birthCountry;
- ``identification``: passport -> passportNumber and a Passport entity; swiftbic,
  imo, regnumber, fiscalcode -> swiftBic, imoNumber, registrationNumber, taxNumber;
  other codes -> idNumber and an Identification entity;
- ``address`` joined with ", " -> address, country, contact details -> phone, email,
  website; ``remark`` elements -> notes;
- ``regulation``: programme codes -> Sanction program, listingDate = the entry's
  ``designationDate`` or else the earliest ``publicationDate`` of the entry's
  ``regulation`` and ``regulationSummary`` elements (the entry's own regulation is
  often a later amendment), modifiedAt = the latest such publication when later, sourceUrl = publication URLs;
  ``unitedNationId`` -> Sanction unscId (the UN reference number, to link EU and UN
  entries), ``designationDetails`` -> reason.

A ``logicalId`` repeated within a file is merged into one entity, with a warning.
"""

from __future__ import annotations

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
from sanctionsnet.sources.dates import date_prefix, parse_date_with_precision
from sanctionsnet.sources.un_sc import add_entity_ref, load_xml

AUTHORITY = "European Union"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"

_ID_PROPS = {
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
    "regnumber": "registrationNumber",
    "fiscalcode": "taxNumber",
}
_CONTACT_PROPS = {"PHONE": "phone", "FAX": "phone", "EMAIL": "email", "WEB": "website"}
_UNKNOWN_COUNTRY = {"", "00", "UNKNOWN"}


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value if value and value != "-" else None


def _country(el: etree._Element) -> str | None:
    """ISO code of an element's country, else its description (FtM cleans both)."""
    code = _clean(el.get("countryIso2Code"))
    if code and code.upper() not in _UNKNOWN_COUNTRY:
        return code
    desc = _clean(el.get("countryDescription"))
    if desc and desc.upper() not in _UNKNOWN_COUNTRY:
        return desc
    return None


def _place(el: etree._Element, keys: Sequence[str]) -> str | None:
    parts = [p for p in (_clean(el.get(k)) for k in keys) if p]
    desc = _clean(el.get("countryDescription"))
    if desc and desc.upper() not in _UNKNOWN_COUNTRY:
        parts.append(desc)
    return ", ".join(parts) if parts else None


class EuFsfSource(Source):
    """EU consolidated financial sanctions list (FSF XML v1.1)."""

    id = "eu_fsf"
    title = "EU Financial Sanctions Files (FSF) consolidated list"
    authority = AUTHORITY
    official_files = {
        "eu_fsf.xml": (
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
            "content?token=dG9rZW4tMjAxNw"
        )
    }

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        if len(files) != 1:
            names = ", ".join(f.name for f in files)
            raise SourceError(
                f"the EU FSF list is one XML file, got {len(files)}: {names}",
                file=files[0].name if files else None,
            )
        file = files[0]
        root = load_xml(file)
        qname = etree.QName(root)
        if qname.localname != "export" or qname.namespace not in (NAMESPACE, None):
            raise SourceError(
                f"not an EU FSF v1.1 export (root element <{root.tag}>, expected "
                f"<export> in namespace {NAMESPACE})",
                file=file.name,
                line=root.sourceline,
            )
        ns = f"{{{qname.namespace}}}" if qname.namespace else ""
        published = None
        generated = root.get("generationDate")
        if generated:
            published = parse_iso_datetime(generated)
            if published is None:
                raise SourceError(
                    f"unreadable generationDate {generated!r}", file=file.name, line=root.sourceline
                )
        parser = _EuParser(emit, file, ns)
        for el in root.iterchildren(tag=etree.Element):
            if el.tag == ns + "sanctionEntity":
                parser.entry(el)
        if parser.count == 0:
            raise SourceError(
                "not an EU FSF v1.1 export (no sanctionEntity)",
                file=file.name,
                line=root.sourceline,
            )
        return ParseInfo(
            format="eu-fsf-xml-1.1",
            published=published,
            extra={"sanction_entities": parser.count, "global_file_id": root.get("globalFileId")},
        )


class _EuParser:
    def __init__(self, emit: Emitter, file: InputFile, ns: str) -> None:
        self.emit = emit
        self.file = file
        self.ns = ns
        self.count = 0
        self.seen: dict[str, int] = {}

    def fail(self, message: str, el: etree._Element, ref: str | None = None) -> SourceError:
        return SourceError(message, file=self.file.name, line=el.sourceline, record=ref)

    def children(self, el: etree._Element, tag: str) -> list[etree._Element]:
        return list(el.iterchildren(self.ns + tag))

    def remarks(self, el: etree._Element) -> list[str]:
        return [r for r in (_clean(x.text) for x in self.children(el, "remark")) if r]

    def entry(self, el: etree._Element) -> None:
        logical_id = _clean(el.get("logicalId"))
        if logical_id is None:
            raise self.fail("sanctionEntity without logicalId", el)
        ref = _clean(el.get("euReferenceNumber")) or logical_id
        if logical_id in self.seen:
            self.emit.warn(
                f"{self.file.name}: line {el.sourceline}: sanctionEntity logicalId {logical_id} "
                f"repeats the one on line {self.seen[logical_id]}; merged"
            )
        else:
            self.seen[logical_id] = el.sourceline or 0

        subject = el.find(self.ns + "subjectType")
        if subject is None:
            raise self.fail("sanctionEntity without subjectType", el, ref)
        names = self.children(el, "nameAlias")
        first_name = next(
            (n for n in (self.whole_name(a) for a in names if self.strong(a)) if n), None
        ) or next((n for n in (self.whole_name(a) for a in names) if n), None)
        if first_name is None:
            raise self.fail("sanctionEntity without a name", el, ref)
        code = (subject.get("code") or "").strip().lower()
        if code == "person":
            schema = "Person"
        elif code == "enterprise":
            schema = org_schema(first_name)
        else:
            self.emit.warn(
                f"{self.file.name}: line {subject.sourceline}: record {ref}: unknown "
                f"subjectType {code!r}, read as LegalEntity"
            )
            schema = "LegalEntity"

        entity = self.emit.make(schema, logical_id)
        entity.add("name", first_name)
        entity.add("topics", "sanction")
        entity.add("notes", self.remarks(el))
        for alias in names:
            self.name_alias(entity, alias, first_name)
        for node in self.children(el, "citizenship"):
            entity.add("nationality", _country(node))
        for node in self.children(el, "birthdate"):
            self.birth_date(entity, node)
        for node in self.children(el, "identification"):
            self.identification(entity, node, logical_id, ref)
        for node in self.children(el, "address"):
            self.address(entity, node)

        regulations = self.children(el, "regulation")
        programs = sorted({p for p in (_clean(r.get("programme")) for r in regulations) if p})
        entity.add("program", programs)
        self.emit.emit(entity, ref, self.file)

        # Publication dates of the entry's regulations and of the regulations that
        # added each of its details (regulationSummary): the earliest bounds the listing.
        published = sorted(
            d
            for r in (*regulations, *el.iter(self.ns + "regulationSummary"))
            for d in parse_date_with_precision(r.get("publicationDate"))
        )
        listing = parse_date_with_precision(el.get("designationDate")) or published[:1]
        modified = (
            published[-1] if published and (not listing or published[-1] > listing[0]) else None
        )
        urls = [
            u for u in (_clean(r.findtext(self.ns + "publicationUrl")) for r in regulations) if u
        ]
        sanction = self.emit.sanction(
            entity,
            ref,
            self.file,
            authority=AUTHORITY,
            program=programs,
            listing_date=listing,
            unscId=_clean(el.get("unitedNationId")),
            reason=_clean(el.get("designationDetails")),
            modifiedAt=modified,
            sourceUrl=urls,
        )
        # Emitter.sanction's add("entity", ...) drops ids with "_" (see add_entity_ref)
        add_entity_ref(sanction, "entity", entity.id)
        self.count += 1

    @staticmethod
    def strong(alias: etree._Element) -> bool:
        return (alias.get("strong") or "true").strip().lower() != "false"

    @staticmethod
    def whole_name(alias: etree._Element) -> str | None:
        whole = _clean(alias.get("wholeName"))
        if whole:
            return whole
        parts = [_clean(alias.get(k)) for k in ("firstName", "middleName", "lastName")]
        joined = " ".join(p for p in parts if p)
        return joined or None

    def name_alias(self, entity: EntityProxy, alias: etree._Element, primary: str) -> None:
        name = self.whole_name(alias)
        strong = self.strong(alias)
        if name and name != primary:
            entity.add("alias" if strong else "weakAlias", name)
        is_person = entity.schema.is_a("Person")
        if strong and is_person:
            entity.add("firstName", _clean(alias.get("firstName")))
            entity.add("middleName", _clean(alias.get("middleName")))
            entity.add("lastName", _clean(alias.get("lastName")))
        function = _clean(alias.get("function"))
        if function:
            entity.add("position" if is_person else "notes", function)
        title = _clean(alias.get("title"))
        if title:
            entity.add("title" if is_person else "notes", title)
        gender = (alias.get("gender") or "").strip().upper()
        if is_person and gender in ("M", "F"):
            entity.add("gender", "male" if gender == "M" else "female")
        for remark in self.remarks(alias):
            entity.add("notes", f"{name}: {remark}" if name else remark)

    def birth_date(self, entity: EntityProxy, node: etree._Element) -> None:
        calendar = (node.get("calendarType") or "GREGORIAN").strip().upper()
        circa = (node.get("circa") or "").strip().lower() == "true"
        stated = _clean(node.get("birthdate"))
        values = parse_date_with_precision(stated)
        if not values:
            prefix = date_prefix(node.get("year"), node.get("monthOfYear"), node.get("dayOfMonth"))
            values = [prefix] if prefix else []
        text = stated or (values[0] if values else None)
        if calendar != "GREGORIAN":
            parts = [node.get("year"), node.get("monthOfYear"), node.get("dayOfMonth")]
            text = stated or "-".join(p for p in parts if p)
            entity.add("notes", f"Date of birth: {text} ({calendar.lower()} calendar)")
            values = []
        elif circa and values:
            entity.add("notes", f"Date of birth: circa {text}")
            values = sorted({v[:4] for v in values})
        if entity.schema.is_a("Person"):
            entity.add("birthDate", values, cleaned=True)
            entity.add("birthPlace", _place(node, ("place", "city", "zipCode", "region")))
            entity.add("birthCountry", _country(node))
        else:
            entity.add("incorporationDate", values, cleaned=True)
        for remark in self.remarks(node):
            entity.add("notes", f"Date of birth: {remark}")

    def identification(
        self, entity: EntityProxy, node: etree._Element, logical_id: str, ref: str
    ) -> None:
        code = (node.get("identificationTypeCode") or "").strip().lower()
        number = _clean(node.get("number"))
        latin = _clean(node.get("latinNumber"))
        numbers = [n for n in (number, latin) if n]
        description = _clean(node.get("identificationTypeDescription")) or code or "document"
        remarks = self.remarks(node)
        if not numbers:
            for remark in remarks:
                entity.add("notes", f"{description}: {remark}")
            return
        prop = _ID_PROPS.get(code)
        if prop is not None and entity.schema.get(prop) is not None:
            entity.add(prop, numbers)
            return
        is_passport = code == "passport"
        entity.add("passportNumber" if is_passport else "idNumber", numbers)
        schema = "Passport" if is_passport else "Identification"
        key = _clean(node.get("logicalId")) or numbers[0]
        ident = self.emit.make(schema, logical_id, "id", key)
        add_entity_ref(ident, "holder", entity.id)
        ident.add("number", numbers)
        ident.add("type", description)
        ident.add("country", _country(node))
        ident.add("authority", _clean(node.get("issuedBy")))
        ident.add("startDate", parse_date_with_precision(node.get("issueDate")), cleaned=True)
        flags = [
            flag
            for flag in (
                "diplomatic",
                "knownExpired",
                "knownFalse",
                "reportedLost",
                "revokedByIssuer",
            )
            if (node.get(flag) or "").strip().lower() == "true"
        ]
        ident.add("summary", [*remarks, *flags])
        self.emit.emit(ident, ref, self.file)

    def address(self, entity: EntityProxy, node: etree._Element) -> None:
        country = _country(node)
        entity.add("country", country)
        full = _place(node, ("street", "poBox", "place", "city", "zipCode", "region"))
        desc = _clean(node.get("countryDescription"))
        if full and full != desc:
            entity.add("address", full)
        for remark in self.remarks(node):
            entity.add("notes", remark)
        for info in self.children(node, "contactInfo"):
            key = (info.get("key") or "").strip().upper()
            value = _clean(info.get("value"))
            prop = _CONTACT_PROPS.get(key)
            if prop and value:
                entity.add(
                    prop, [v.strip() for v in value.replace(";", ",").split(",")], quiet=True
                )
