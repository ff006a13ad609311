"""The UK Sanctions List published by the FCDO (``UK-Sanctions-List.xml`` / ``.csv``).

Since 28 January 2026 this is the only official UK list (it replaced the OFSI
Consolidated List, source ``uk_ofsi``). Both published formats are read into the
same intermediate record per designation, and every entity is built from that
record by one function, so the XML and the CSV of one publication give the same
entities.

Where the format description comes from
---------------------------------------
No copy of the real list was available when this parser was written, and the FCDO's
own format guide was not among the reference pages reachable without internet, so
the format was rebuilt from public code that parses the real files (read, not
copied):

- opensanctions/opensanctions ``datasets/gb/fcdo_sanctions/crawler.py`` and
  ``gb_fcdo_sanctions.yml`` (XML and CSV crawlers, name type and alias strength
  values, date formats);
- moov-io/watchman ``pkg/sources/csl_uk/reader_uk_test.go`` (CSV header in order,
  "Report Date" first row) and ``download_uk.go`` (CSV URL);
- GSmiguel/sanctions_lists_etl ``src/sanctions_lists_etl/sources/uk/parser.py`` and
  ``tests/fixtures/sample_uk_sanctions.xml`` (a trimmed export);
- a KYB ingestion module found by code search (its repository name was not shown)
  whose list of every element path under ``<Designation>`` is "transcribed from the
  real UK-Sanctions-List.xml (6,194 designations)" and audited against it;
- the gov.uk guidance "UK Sanctions List: change to the list's format" (2022) for
  the meaning of "Primary name variation" (a spelling variation) and "Alias".

Confidence per part:

- XML element names and nesting: **high** (all the sources above agree): root
  ``Designations`` with a ``DateGenerated`` child and ``Designation`` elements holding
  ``LastUpdated``, ``DateDesignated``, ``UniqueID``, ``OFSIGroupID``,
  ``UNReferenceNumber``, ``Names/Name`` (``Name1``..``Name6``, ``NameType`` "Primary
  Name" / "Primary Name Variation" / "Alias", ``AliasStrength`` "Good quality a.k.a" /
  "Low quality a.k.a"), ``NonLatinNames/NonLatinName`` (``NameNonLatinScript``,
  ``NonLatinScriptType``, ``NonLatinScriptLanguage``), ``Titles/Title``,
  ``RegimeName``, ``IndividualEntityShip``, ``DesignationSource``,
  ``SanctionsImposed`` ("Asset freeze|Travel Ban"), ``SanctionsImposedIndicators``,
  ``OtherInformation``, ``UKStatementofReasons``, ``Addresses/Address``
  (``AddressLine1``..``6``, ``AddressPostalCode``, ``AddressCountry``),
  ``PhoneNumbers/PhoneNumber``, ``EmailAddresses/EmailAddress``, ``Websites/Website``,
  ``IndividualDetails/Individual`` (``DOBs/DOB``, ``Nationalities/Nationality``,
  ``Genders/Gender``, ``Positions/Position``, ``BirthDetails/Location``
  (``TownOfBirth``, ``CountryOfBirth``), ``PassportDetails/Passport``
  (``PassportNumber``, ``PassportAdditionalInformation``),
  ``NationalIdentifierDetails/NationalIdentifier`` (``NationalIdentifierNumber``,
  ``NationalIdentifierAdditionalInformation``)), ``EntityDetails/Entity``
  (``TypeOfEntities/TypeOfEntity``, ``BusinessRegistrationNumbers/...``,
  ``ParentCompanies/ParentCompany``, ``Subsidiaries/Subsidiary``) and
  ``ShipDetails/Ship`` (``IMONumbers/IMONumber``, ``CurrentOwnerOperators/...``,
  ``PreviousOwnerOperators/...``, ``CurrentBelievedFlagOfShips/...``,
  ``PreviousFlags/PreviousFlag``, ``TypeOfShipDetails/TypeOfShip``,
  ``TonnageOfShipDetails/TonnageOfShip``, ``LengthOfShipDetails/LengthOfShip``,
  ``YearsBuilt/YearBuilt``). Leaf elements are looked up anywhere under the
  designation, so a ``Title`` under ``Individual`` is read as well.
- XML ``DateGenerated`` value: **medium**. Sources show "DD/MM/YYYY"; ISO dates and
  "13-Feb-2026" are accepted too; an unreadable value is a warning (published None).
- date values (``DD/MM/YYYY``, "dd/mm/1945" for a year only): **high** (fixtures and
  the OpenSanctions date formats "%d/%m/%Y", "dd/mm/%Y", "dd/%m/%Y").
- CSV: **medium**. The column names are those of the OpenSanctions CSV crawler (which
  audits unused columns, so its list is complete) and of the moov-io/watchman test
  (``pkg/sources/csl_uk``), which also gives their order and a first row
  "Report Date: 13-Feb-2026" before the header. Columns are found by name, so their
  order does not matter. One row per name; how several dates of birth, passports or
  addresses of one designation are spread over rows is not documented, so all rows of
  a ``Unique ID`` are merged (every distinct value of every column is kept), which
  reads both a "one value per row" and a "repeat everything per row" layout.
- ``HullIdentificationNumber`` (XML): **low**, guessed from the CSV column "Hull
  identification number (HIN)"; it is absent from the transcribed element list.

What is read
------------
Entity id ``uk-fcdo-<UniqueID>`` (``uk-fcdo-rus0001``), list reference = UniqueID.
``IndividualEntityShip`` Individual -> Person, Entity -> Company/Organization (by legal
form in the name), Ship -> Vessel. Names: Name1..Name5 then Name6 joined with spaces;
the first "Primary Name" -> ``name`` (persons: ``firstName`` = Name1, ``lastName`` =
Name6), other primary names and "Primary Name Variation" -> ``alias``, "Alias" ->
``alias``, or ``weakAlias`` when its strength is low; non-Latin names -> ``alias``.
Persons: ``DOB`` -> ``birthDate`` (unknown parts dropped: "dd/mm/1945" -> "1945"),
``TownOfBirth`` -> ``birthPlace``, ``CountryOfBirth`` -> ``birthCountry``,
``Nationality``, ``Gender``, ``Position``, ``Title``, ``PassportNumber`` ->
``passportNumber``, ``NationalIdentifierNumber`` -> ``idNumber`` (their additional
information -> ``notes``). Addresses -> ``address`` (lines, postal code, country
joined with ", ") and ``country``; phones, e-mails, websites; entity types ->
``classification``; registration numbers -> ``registrationNumber`` (plus ``innCode``,
``ogrnCode``, ``swiftBic`` when labelled); parent companies, subsidiaries, owners and
operators -> ``notes``. Ships: ``imoNumber``, ``flag``, ``pastFlags``, ``type``,
``tonnage``, ``buildDate``, HIN -> ``registrationNumber``, length -> ``notes``.
``OtherInformation`` -> ``notes``.

The ``Sanction`` (authority "UK Foreign, Commonwealth & Development Office"):
program = ``RegimeName``, listingDate and startDate = ``DateDesignated``, modifiedAt
= ``LastUpdated``, reason = ``UKStatementofReasons``, provisions = the
``SanctionsImposed`` measures, unscId = ``UNReferenceNumber``, description =
"Designation source: UK|UN", authorityId = UniqueID **and** ``OFSIGroupID``: the OFSI
group id is how a designation links back to its history in ``uk_ofsi`` (whose
Sanctions carry the Group ID and the same UniqueID, there called "UK Sanctions List
Ref").

Faults: malformed or truncated XML, a root other than ``Designations``, a
designation without UniqueID, name or type, or with an unknown type, a CSV row with
fewer fields than the header (or extra non-empty ones), a broken quote, a missing
required column (Unique ID, Designation Type, Name 6), and an XML and a CSV given
together whose publication dates differ raise `SourceError` with the file and line
(or record). Rows or elements of one UniqueID that disagree
on the designation type are read with the first type and a warning (as in
``uk_ofsi``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from followthemoney.proxy import EntityProxy
from lxml import etree

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, Source, org_schema
from sanctionsnet.sources.csvtext import decode_text, numbered_rows
from sanctionsnet.sources.uk_ofsi import (
    add_countries,
    add_registration,
    emails_in,
    full_date,
    split_items,
    uk_date,
    un_reference,
)

AUTHORITY = "UK Foreign, Commonwealth & Development Office"
ROOT_TAG = "Designations"

_NAME_PARTS = ("Name1", "Name2", "Name3", "Name4", "Name5", "Name6")
_ADDRESS_PARTS = (
    "AddressLine1",
    "AddressLine2",
    "AddressLine3",
    "AddressLine4",
    "AddressLine5",
    "AddressLine6",
    "AddressPostalCode",
    "AddressCountry",
)

#: XML leaf element -> record field (looked up anywhere under a Designation)
_XML_LEAVES = {
    "LastUpdated": "last_updated",
    "DateDesignated": "date_designated",
    "UniqueID": "unique_id",
    "OFSIGroupID": "ofsi_group_id",
    "UNReferenceNumber": "un_ref",
    "RegimeName": "regime",
    "IndividualEntityShip": "type",
    "DesignationSource": "source",
    "SanctionsImposed": "sanctions_imposed",
    "OtherInformation": "other_info",
    "UKStatementofReasons": "reason",
    "Title": "title",
    "PhoneNumber": "phone",
    "EmailAddress": "email",
    "Website": "website",
    "DOB": "dob",
    "Nationality": "nationality",
    "Position": "position",
    "Gender": "gender",
    "TypeOfEntity": "entity_type",
    "BusinessRegistrationNumber": "reg_number",
    "ParentCompany": "parent",
    "Subsidiary": "subsidiary",
    "IMONumber": "imo",
    "CurrentOwnerOperator": "owner",
    "PreviousOwnerOperator": "previous_owner",
    "CurrentBelievedFlagOfShip": "flag",
    "PreviousFlag": "previous_flag",
    "TypeOfShip": "ship_type",
    "TonnageOfShip": "tonnage",
    "LengthOfShip": "length",
    "YearBuilt": "year_built",
    "HullIdentificationNumber": "hin",
}

#: CSV header (lowercase, without spaces) -> record field or group part
_CSV_COLUMNS = {
    "lastupdated": "last_updated",
    "uniqueid": "unique_id",
    "ofsigroupid": "ofsi_group_id",
    "unreferencenumber": "un_ref",
    "name1": "Name1",
    "name2": "Name2",
    "name3": "Name3",
    "name4": "Name4",
    "name5": "Name5",
    "name6": "Name6",
    "nametype": "NameType",
    "aliasstrength": "AliasStrength",
    "title": "title",
    "namenon-latinscript": "NameNonLatinScript",
    "non-latinscripttype": "NonLatinScriptType",
    "non-latinscriptlanguage": "NonLatinScriptLanguage",
    "regimename": "regime",
    "designationtype": "type",
    "designationsource": "source",
    "sanctionsimposed": "sanctions_imposed",
    "otherinformation": "other_info",
    "ukstatementofreasons": "reason",
    "addressline1": "AddressLine1",
    "addressline2": "AddressLine2",
    "addressline3": "AddressLine3",
    "addressline4": "AddressLine4",
    "addressline5": "AddressLine5",
    "addressline6": "AddressLine6",
    "addresspostalcode": "AddressPostalCode",
    "addresscountry": "AddressCountry",
    "phonenumber": "phone",
    "website": "website",
    "emailaddress": "email",
    "datedesignated": "date_designated",
    "d.o.b": "dob",
    "dob": "dob",
    "nationality(/ies)": "nationality",
    "nationality": "nationality",
    "nationalidentifiernumber": "NationalIdentifierNumber",
    "nationalidentifieradditionalinformation": "NationalIdentifierAdditionalInformation",
    "passportnumber": "PassportNumber",
    "passportadditionalinformation": "PassportAdditionalInformation",
    "position": "position",
    "gender": "gender",
    "townofbirth": "TownOfBirth",
    "countryofbirth": "CountryOfBirth",
    "typeofentity": "entity_type",
    "subsidiaries": "subsidiary",
    "parentcompany": "parent",
    "businessregistrationnumber(s)": "reg_number",
    "imonumber": "imo",
    "currentowner/operator(s)": "owner",
    "previousowner/operator(s)": "previous_owner",
    "currentbelievedflagofship": "flag",
    "previousflags": "previous_flag",
    "typeofship": "ship_type",
    "tonnageofship": "tonnage",
    "lengthofship": "length",
    "yearbuilt": "year_built",
    "hullidentificationnumber(hin)": "hin",
}
_CSV_REQUIRED = ("unique_id", "type", "Name6")

#: grouped parts: record group -> its parts (XML element names, also used as CSV keys)
_GROUPS = {
    "Name": (*_NAME_PARTS, "NameType", "AliasStrength"),
    "NonLatinName": ("NameNonLatinScript", "NonLatinScriptType", "NonLatinScriptLanguage"),
    "Address": _ADDRESS_PARTS,
    "Passport": ("PassportNumber", "PassportAdditionalInformation"),
    "NationalIdentifier": ("NationalIdentifierNumber", "NationalIdentifierAdditionalInformation"),
    "Location": ("TownOfBirth", "CountryOfBirth"),
}

_TYPES = {"individual": "Person", "entity": "Entity", "ship": "Vessel"}
_SPLIT_WEB_RE = re.compile(r"[\s,;]+")
_SPLIT_PHONE_RE = re.compile(r";\s*")
_ITEM_STRIP = " \t\r\n.;,"


def _text(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


class _Designation:
    """Everything one UniqueID states, from XML elements or CSV rows (distinct values)."""

    __slots__ = ("uid", "line", "file", "fields", "groups")

    def __init__(self, uid: str, line: int | None, file: InputFile) -> None:
        self.uid = uid
        self.line = line
        self.file = file
        self.fields: dict[str, dict[str, None]] = {}
        self.groups: dict[str, dict[tuple[str, ...], None]] = {}

    def add(self, key: str, value: str | None) -> None:
        value = _text(value)
        if value:
            self.fields.setdefault(key, {})[value] = None

    def add_group(self, group: str, parts: dict[str, str]) -> None:
        values = tuple(_text(parts.get(p)) for p in _GROUPS[group])
        if any(values):
            self.groups.setdefault(group, {})[values] = None

    def get(self, key: str) -> list[str]:
        return list(self.fields.get(key, ()))

    def group(self, group: str) -> list[dict[str, str]]:
        names = _GROUPS[group]
        return [dict(zip(names, values, strict=True)) for values in self.groups.get(group, ())]


# --------------------------------------------------------------------------------------
# XML
# --------------------------------------------------------------------------------------


def _local(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None  # comment or processing instruction
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


_XML_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "remove_comments": True,
    "remove_pis": True,
}


def _read_xml(
    file: InputFile, records: dict[str, _Designation], emit: Emitter
) -> tuple[date | None, int]:
    published: date | None = None
    count = 0
    try:
        # The root element first (reading only the head of the file): a wrong file fails fast.
        for _, root in etree.iterparse(str(file.path), events=("start",), **_XML_OPTIONS):
            tag = _local(root.tag)
            if tag != ROOT_TAG:
                raise SourceError(
                    f"not a UK Sanctions List XML (root element <{tag}>, expected <{ROOT_TAG}>)",
                    file=file.name,
                    line=root.sourceline,
                )
            break
        context = etree.iterparse(
            str(file.path),
            events=("end",),
            tag=("{*}Designation", "{*}DateGenerated"),
            **_XML_OPTIONS,
        )
        for _, el in context:
            if _local(el.tag) == "Designation":
                _xml_designation(file, el, records, emit)
                count += 1
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
            else:
                value = _text(el.text)
                published = full_date(value)
                if published is None:
                    emit.warn(f"{file.name}: unreadable DateGenerated {value!r}")
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        raise SourceError(f"malformed XML: {exc.msg}", file=file.name, line=line) from exc
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc}", file=file.name) from exc
    if count == 0:
        raise SourceError("no <Designation> in the file", file=file.name)
    return published, count


def _xml_designation(
    file: InputFile, el: etree._Element, records: dict[str, _Designation], emit: Emitter
) -> None:
    uid = ""
    for child in el.iterchildren():
        if _local(child.tag) == "UniqueID":
            uid = _text(child.text)
            break
    if not uid:
        raise SourceError("<Designation> without UniqueID", file=file.name, line=el.sourceline)
    rec = records.get(uid)
    if rec is None:
        rec = records[uid] = _Designation(uid, el.sourceline, file)
    for node in el.iter():
        tag = node.tag
        if node is el or not isinstance(tag, str):
            continue
        if tag[0] == "{":
            tag = tag.rsplit("}", 1)[1]
        if tag in _GROUPS:
            parts = {}
            for sub in node.iterchildren():
                sub_tag = _local(sub.tag)
                if sub_tag:
                    parts[sub_tag] = sub.text or ""
            rec.add_group(tag, parts)
        elif tag in _XML_LEAVES and len(node) == 0:
            rec.add(_XML_LEAVES[tag], node.text)


# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------


def _norm_header(value: str) -> str:
    return re.sub(r"\s+", "", value.replace("\ufeff", "")).lower()


def _report_date(cells: list[str]) -> str:
    """The date text of a 'Report Date: 13-Feb-2026' first row."""
    for cell in cells:
        cell = cell.strip()
        if not cell:
            continue
        if ":" in cell:
            _, _, rest = cell.partition(":")
            if rest.strip():
                return rest.strip()
            continue
        if full_date(cell):
            return cell
    return " ".join(c.strip() for c in cells if c.strip())


def _read_csv(
    file: InputFile, records: dict[str, _Designation], emit: Emitter
) -> tuple[date | None, int]:
    it = numbered_rows(file, decode_text(file))
    first = next(it, None)
    if first is None:
        raise SourceError("empty file", file=file.name)
    published: date | None = None
    if "uniqueid" in {_norm_header(c) for c in first[1]}:
        header_line, header = first
    else:
        value = _report_date(first[1])
        published = full_date(value)
        if published is None:
            emit.warn(f"{file.name}: unreadable report date {value!r} in line {first[0]}")
        second = next(it, None)
        if second is None:
            raise SourceError("no header row after the report date", file=file.name, line=2)
        header_line, header = second
    columns: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(header):
        key = _CSV_COLUMNS.get(_norm_header(cell))
        if key is None:
            if cell.strip():
                unknown.append(cell.strip())
        else:
            columns.setdefault(key, i)
    missing = [k for k in _CSV_REQUIRED if k not in columns]
    if missing:
        labels = {"unique_id": "Unique ID", "type": "Designation Type", "Name6": "Name 6"}
        wanted = ", ".join(repr(labels[k]) for k in missing)
        raise SourceError(
            f"not a UK Sanctions List CSV: header lacks column(s) {wanted}",
            file=file.name,
            line=header_line,
        )
    if unknown:
        emit.warn(f"{file.name}: ignored unknown column(s) {', '.join(unknown)}")
    width = len(header)
    simple = [(k, i) for k, i in columns.items() if k[0].islower() and k != "unique_id"]
    grouped = [
        (group, [(p, columns[p]) for p in parts if p in columns])
        for group, parts in _GROUPS.items()
    ]
    uid_col = columns["unique_id"]
    count = 0
    for line, row in it:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < width or any(c.strip() for c in row[width:]):
            raise SourceError(
                f"{len(row)} fields where the header has {width} (truncated or malformed row)",
                file=file.name,
                line=line,
            )
        uid = row[uid_col].strip()
        if not uid:
            raise SourceError("row without Unique ID", file=file.name, line=line)
        rec = records.get(uid)
        if rec is None:
            rec = records[uid] = _Designation(uid, line, file)
        for key, i in simple:
            rec.add(key, row[i])
        for group, parts in grouped:
            if parts:
                rec.add_group(group, {p: row[i] for p, i in parts})
        count += 1
    if count == 0:
        raise SourceError("no data rows", file=file.name, line=header_line)
    return published, count


# --------------------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------------------


def _emit_designation(rec: _Designation, emit: Emitter) -> str:
    file = rec.file
    uid = rec.uid
    types = rec.get("type")
    if not types:
        raise SourceError(
            "designation without type (IndividualEntityShip / Designation Type)",
            file=file.name,
            line=rec.line,
            record=uid,
        )
    kind = types[0].lower()
    if len({t.lower() for t in types}) > 1:
        emit.warn(
            f"{file.name}: designation {uid} states conflicting types {', '.join(types)}; "
            f"read as {types[0]!r}"
        )
    if kind not in _TYPES:
        raise SourceError(
            f"unknown designation type {types[0]!r}", file=file.name, line=rec.line, record=uid
        )

    # Names
    primary: dict[str, str] | None = None
    fallback: dict[str, str] | None = None
    props: dict[str, list[str]] = {"alias": [], "weakAlias": [], "previousName": []}
    for name in rec.group("Name"):
        full = " ".join(name[p] for p in _NAME_PARTS if name[p])
        if not full:
            continue
        name["full"] = full
        if fallback is None:
            fallback = name
        name_type = name["NameType"].lower()
        strength = name["AliasStrength"].lower()
        if name_type in ("primary name", ""):
            if primary is None:
                primary = name
            else:
                props["alias"].append(full)
        elif name_type == "primary name variation":
            props["alias"].append(full)
        elif "former" in name_type or name_type in ("fka", "f.k.a."):
            props["previousName"].append(full)
        elif strength.startswith("low"):
            props["weakAlias"].append(full)
        else:
            props["alias"].append(full)
    chosen = primary or fallback
    if chosen is None:
        raise SourceError("designation without a name", file=file.name, line=rec.line, record=uid)

    schema = _TYPES[kind]
    if schema == "Entity":
        schema = org_schema(chosen["full"])
    entity = emit.make(schema, uid)
    entity.add("name", chosen["full"])
    for prop, names in props.items():
        entity.add(prop, [n for n in dict.fromkeys(names) if n != chosen["full"]])
    entity.add("alias", [n["NameNonLatinScript"] for n in rec.group("NonLatinName")])
    entity.add("topics", "sanction")
    notes: list[str] = []

    if schema == "Person":
        if chosen["Name1"]:
            entity.add("firstName", chosen["Name1"])
        if chosen["Name6"]:
            entity.add("lastName", chosen["Name6"])
        _person(entity, rec, notes)
    else:
        entity.add("title", rec.get("title"), quiet=True)

    for address in rec.group("Address"):
        if any(address[p] for p in _ADDRESS_PARTS[:-1]):
            entity.add("address", ", ".join(address[p] for p in _ADDRESS_PARTS if address[p]))
        if address["AddressCountry"]:
            for value in add_countries(entity, "country", [address["AddressCountry"]]):
                notes.append(f"Country: {value}")
    for value in rec.get("phone"):
        for item in split_items(value):
            entity.add("phone", [p for p in _SPLIT_PHONE_RE.split(item) if p], quiet=True)
    for value in rec.get("email"):
        entity.add("email", emails_in(value), quiet=True)
    for value in rec.get("website"):
        for item in split_items(value):
            entity.add(
                "website", [w for w in _SPLIT_WEB_RE.split(item) if w and "@" not in w], quiet=True
            )
    for value in rec.get("entity_type"):
        entity.add("classification", value.strip(_ITEM_STRIP), quiet=True)
    for value in rec.get("reg_number"):
        add_registration(entity, value)
    for value in rec.get("parent"):
        notes.append(f"Parent company: {value}")
    for value in rec.get("subsidiary"):
        notes.append(f"Subsidiary: {value}")
    if schema == "Vessel":
        _vessel(entity, rec, notes)
    entity.add("notes", [*rec.get("other_info"), *dict.fromkeys(notes)])

    emit.emit(entity, uid, file)
    un_refs = [un_reference(v) for v in rec.get("un_ref")]
    provisions = [p.strip() for v in rec.get("sanctions_imposed") for p in v.split("|")]
    emit.sanction(
        entity,
        uid,
        file,
        authority=AUTHORITY,
        program=rec.get("regime"),
        listing_date=_dates(rec.get("date_designated")),
        startDate=_dates(rec.get("date_designated")),
        modifiedAt=_dates(rec.get("last_updated")),
        reason=rec.get("reason"),
        unscId=list(dict.fromkeys(un_refs)),
        authorityId=rec.get("ofsi_group_id"),
        provisions=[p for p in dict.fromkeys(provisions) if p],
        description=[f"Designation source: {v}" for v in rec.get("source")],
    )
    return schema


def _person(entity: EntityProxy, rec: _Designation, notes: list[str]) -> None:
    entity.add("title", rec.get("title"))
    for value in rec.get("dob"):
        parsed = uk_date(value)
        if parsed:
            entity.add("birthDate", parsed, cleaned=True)
        else:
            notes.append(f"Date of birth: {value}")
    for location in rec.group("Location"):
        if location["TownOfBirth"]:
            entity.add("birthPlace", location["TownOfBirth"])
        if location["CountryOfBirth"]:
            for value in add_countries(entity, "birthCountry", [location["CountryOfBirth"]]):
                notes.append(f"Country of birth: {value}")
    for value in add_countries(entity, "nationality", rec.get("nationality")):
        notes.append(f"Nationality: {value}")
    for value in rec.get("gender"):
        entity.add("gender", value.lower(), quiet=True)
    entity.add("position", rec.get("position"))
    for passport in rec.group("Passport"):
        if passport["PassportNumber"]:
            entity.add("passportNumber", passport["PassportNumber"])
        if passport["PassportAdditionalInformation"]:
            notes.append(f"Passport: {_detail(passport, 'Passport')}")
    for ident in rec.group("NationalIdentifier"):
        if ident["NationalIdentifierNumber"]:
            entity.add("idNumber", ident["NationalIdentifierNumber"])
        if ident["NationalIdentifierAdditionalInformation"]:
            notes.append(f"National identifier: {_detail(ident, 'NationalIdentifier')}")


def _detail(group: dict[str, str], prefix: str) -> str:
    number = group[f"{prefix}Number"]
    info = group[f"{prefix}AdditionalInformation"]
    return f"{number} ({info})" if number else info


def _vessel(entity: EntityProxy, rec: _Designation, notes: list[str]) -> None:
    for value in rec.get("imo"):
        before = len(entity.get("imoNumber"))
        entity.add("imoNumber", value)
        if len(entity.get("imoNumber")) == before:
            notes.append(f"IMO number: {value}")
    for value in add_countries(entity, "flag", rec.get("flag")):
        notes.append(f"Flag: {value}")
    for value in add_countries(entity, "pastFlags", rec.get("previous_flag")):
        notes.append(f"Previous flag: {value}")
    entity.add("type", rec.get("ship_type"))
    entity.add("tonnage", rec.get("tonnage"))
    for value in rec.get("year_built"):
        built = uk_date(value)
        if built:
            entity.add("buildDate", built, cleaned=True)
        else:
            notes.append(f"Year built: {value}")
    entity.add("registrationNumber", rec.get("hin"))
    for value in rec.get("length"):
        notes.append(f"Length of ship: {value}")
    for value in rec.get("owner"):
        notes.append(f"Current owner/operator: {value}")
    for value in rec.get("previous_owner"):
        notes.append(f"Previous owner/operator: {value}")


def _dates(values: list[str]) -> list[str]:
    return list(dict.fromkeys(d for d in (uk_date(v) for v in values) if d))


def _sniff(file: InputFile) -> str:
    with file.path.open("rb") as fh:
        head = fh.read(512)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "xml"
    if head.startswith(b"PK\x03\x04"):
        raise SourceError(
            "a ZIP/ODS/XLSX file: read the XML or CSV edition of the UK Sanctions List",
            file=file.name,
        )
    if file.name.lower().endswith(".xml"):
        raise SourceError("not XML (the file does not start with '<')", file=file.name, line=1)
    return "csv"


class UkFcdoSource(Source):
    """The UK Sanctions List (FCDO), XML or CSV edition."""

    id = "uk_fcdo"
    title = "UK Sanctions List (FCDO)"
    authority = AUTHORITY
    official_files = {
        "UK-Sanctions-List.xml": "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
        "UK-Sanctions-List.csv": "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv",
    }

    preferred_file = "UK-Sanctions-List.xml"

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        if not files:
            raise SourceError("no input files given for uk_fcdo")
        records: dict[str, _Designation] = {}
        published: date | None = None
        published_from: str | None = None
        formats: list[str] = []
        extra: dict[str, Any] = {}
        for file in files:
            kind = _sniff(file)
            reader = _read_xml if kind == "xml" else _read_csv
            file_published, count = reader(file, records, emit)
            extra[file.name] = {"records": count}
            if file_published is not None:
                if published is not None and file_published != published:
                    raise SourceError(
                        f"publication date {file_published.isoformat()} differs from "
                        f"{published.isoformat()} in {published_from}: not one publication",
                        file=file.name,
                    )
                published, published_from = file_published, file.name
            fmt = f"uksl-{kind}"
            if fmt not in formats:
                formats.append(fmt)
        schemata: dict[str, int] = {}
        for rec in records.values():
            schema = _emit_designation(rec, emit)
            schemata[schema] = schemata.get(schema, 0) + 1
        extra["schemata"] = schemata
        return ParseInfo(format="+".join(formats), published=published, extra=extra)
