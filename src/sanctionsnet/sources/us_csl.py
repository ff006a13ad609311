"""US Consolidated Screening List (trade.gov), CSV format (plain or gzip).

The CSL merges the export-control and sanctions lists of the Departments of
Commerce (BIS: Entity List, Denied Persons, Unverified, Military End User),
State (ITAR debarred, nonproliferation sanctions) and the Treasury (OFAC SDN and
the non-SDN lists) into one CSV with one row per listing.

Model:

* one entity per ``_id`` (``us-csl-<_id>``). The Treasury rows repeat OFAC's
  entity number as ``_id``; an OFAC party on several Treasury lists (SDN + SSI +
  CAPTA...) is one row per list with the same ``_id``, so it becomes one entity
  with one Sanction per list. The entry reference is ``entity_number`` (the OFAC
  ent_num, so that CSL entries can be linked to ``ofac_sdn-<ent_num>``) or else
  ``_id``. Schema: Individual -> Person, Vessel -> Vessel, Aircraft -> Airplane,
  Entity -> Company/Organization (by legal form); the BIS and State rows have no
  type and list persons and organisations alike, so a blank type is a LegalEntity
  (or a Company when the name carries a legal form);
* one Sanction per (``_id``, list): authority = the agency, program = the OFAC
  programs, ``programId`` = the short list code (EL, DPL, UVL, MEU, SDN, SSI, FSE,
  ISN, CAP, DTC, PLC, CMIC, MBS), ``provisions`` = the list name, licence
  requirement/policy and OFAC sanction-information notes, ``sourceUrl`` = the
  list URL, ``listingDate``/``endDate`` from ``start_date``/``end_date``. The
  list code is also set as ``programId`` on the listed entity so users can filter;
* identifiers in ``ids`` ("CA, BC166787, Passport; Male, Gender": optional
  country, optional dates, value, type last) go to FtM properties; digital
  currency addresses become CryptoWallet entities; "(Linked To: NAME)" remarks and
  "Aircraft Operator" ids become UnknownLink entities when NAME is a unique name or
  alias in the same file.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, cast

from followthemoney.property import Property
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from followthemoney.util import sanitize_text

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, Source, org_schema

REQUIRED_COLUMNS = ("_id", "source", "entity_number", "type", "programs", "name")

_SCHEMA_BY_TYPE = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}

# "Entity List (EL) - Bureau of Industry and Security" -> list "Entity List (EL)",
# code "EL", agency "Bureau of Industry and Security".
_SOURCE_RE = re.compile(r"^(?P<list>.*?\((?P<code>[^()]+)\)[^()]*?)(?:\s+-\s+(?P<agency>.+))?$")
_CODE_ALIASES = {"NS-MBS LIST": "MBS", "NS-MBS": "MBS", "NS-CMIC": "CMIC", "NS-PLC": "PLC"}
_AGENCIES = {
    "bureau of industry and security": "US Department of Commerce, Bureau of Industry and Security",
    "treasury department": "US Department of the Treasury",
    "state department": "US Department of State",
}
_TOPICS = {
    "EL": "export.control",
    "DPL": "export.control",
    "UVL": "export.control",
    "MEU": "export.control",
    "DTC": "debarment",
}

_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_RANGE_RE = re.compile(r"^(\d{4})\s+to\s+(\d{4})$", re.IGNORECASE)
_CIRCA_RE = re.compile(r"^(?:circa|c\.|approximately|about)\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)$", re.I)
_DMY_RE = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_LINKED_RE = re.compile(r"Linked To: ((?:[^()]|\([^()]*\))+)\)")
_SANCTION_INFO_RE = re.compile(
    r"sanction|directive|executive order|effective date|listing date|divestment|caatsa|"
    r"ifca|peesa|transactions prohibited",
    re.IGNORECASE,
)
_WALLET_PREFIX = "digital currency address - "

_PASSPORT = ("passportNumber", "idNumber")
_ID = ("idNumber",)
_TAX = ("taxNumber", "idNumber")
_REG = ("registrationNumber", "idNumber")
_LICENSE = ("licenseNumber", "registrationNumber", "idNumber")
_SERIAL = ("serialNumber",)

# Lowercased id type -> FtM properties to try in order (the first one the schema has
# and whose cleaning accepts the value wins; else the value goes to notes).
_ID_PROPS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        [
            "passport",
            "diplomatic passport",
            "stateless person passport",
            "british national overseas passport",
        ],
        _PASSPORT,
    ),
    **dict.fromkeys(
        [
            "national id no.",
            "identification number",
            "personal id card",
            "cedula no.",
            "d.n.i.",
            "c.u.r.p.",
            "citizen's card number",
            "turkish identification number",
            "national foreign id number",
            "numero de identidad",
            "tazkira national id card",
            "kenyan id no.",
            "bosnian personal id no.",
            "cnp (personal numerical code)",
            "moroccan personal id no.",
            "uae identification",
            "credencial electoral",
            "electoral registry no.",
            "c.u.i.",
            "i.f.e.",
            "c.u.i.p.",
            "residency number",
            "refugee id card",
            "stateless person id card",
            "birth certificate number",
            "travel document number",
            "driver's license no.",
            "cartilla de servicio militar nacional",
            "visanumberid",
            "immigration no.",
            "public security and immigration no.",
            "romanian permanent resident",
            "seafarer's identification document",
            "pilot license number",
            "n.i.e.",
            "sre permit no.",
        ],
        _ID,
    ),
    "ssn": ("socialSecurityNumber", "idNumber"),
    **dict.fromkeys(
        [
            "tax id no.",
            "r.f.c.",
            "rfc",
            "nit #",
            "ruc #",
            "us fein",
            "italian fiscal code",
            "c.u.i.t.",
            "rif #",
            "c.i.f.",
            "numero unico de identificacao tributaria (nuit)",
            "fiscal code",
            "romanian tax registration",
            "paraguayan tax identification number",
            "rsin",
        ],
        _TAX,
    ),
    "v.a.t. number": ("vatCode", "taxNumber", "idNumber"),
    **dict.fromkeys(
        [
            "registration number",
            "registration id",
            "company number",
            "business registration number",
            "commercial registry number",
            "matricula mercantil no",
            "folio mercantil no.",
            "business registration document #",
            "legal entity number",
            "chamber of commerce number",
            "certificate of incorporation number",
            "enterprise number",
            "uk company number",
            "public registration number",
            "government gazette number",
            "c.r. no.",
            "romanian c.r.",
            "dubai chamber of commerce membership no.",
            "istanbul chamber of comm. no.",
            "branch unit number",
            "central registration system number",
            "business number",
            "file number",
            "le number",
            "registered charity no.",
        ],
        _REG,
    ),
    **dict.fromkeys(
        [
            "unified social credit code (uscc)",
            "united social credit code certificate (usccc)",
        ],
        ("uscCode", "registrationNumber"),
    ),
    **dict.fromkeys(
        [
            "license",
            "trade license no.",
            "msb registration number",
            "afghan money service provider license number",
            "tourism license no.",
        ],
        _LICENSE,
    ),
    "swift/bic": ("swiftBic",),
    "website": ("website",),
    "email address": ("email",),
    "phone number": ("phone",),
    "d-u-n-s number": ("dunsCode",),
    "isin": ("isinCode",),
    "bik (ru)": ("bikCode",),
    "equity ticker": ("ticker",),
    "micex code": ("ticker",),
    "gender": ("gender",),
    "organization established date": ("incorporationDate",),
    "organization type:": ("sector",),
    "target type": ("classification",),
    "vessel registration identification": ("imoNumber", "registrationNumber"),
    "mmsi": ("mmsi",),
    "other vessel call sign": ("callSign",),
    "former vessel flag": ("pastFlags",),
    "other vessel flag": ("flag",),
    "other vessel type": ("pastTypes",),
    "nationality of registration": ("country",),
    "registration country": ("country",),
    "aircraft model": ("model",),
    "aircraft manufacturer's serial number (msn)": _SERIAL,
    "aircraft serial identification": _SERIAL,
    "aircraft tail number": ("registrationNumber",),
    "aircraft manufacture date": ("buildDate",),
}
_DATE_TYPES = {"organization established date", "aircraft manufacture date"}
_OPERATOR_TYPE = "aircraft operator"


def _dmy(value: str) -> str:
    """'16 Jan 2017' -> '2017-01-16'; other text is returned unchanged."""
    m = _DMY_RE.match(value)
    if m:
        month = _MONTHS.get(m.group(2).lower())
        if month:
            return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    return value


def _split(value: str) -> list[str]:
    return [v for v in (p.strip() for p in value.split(";")) if v]


def _clean_name(value: str) -> str:
    return " ".join(value.split())


_UNCACHED_TYPES = {"string", "text", "name", "address"}


@lru_cache(maxsize=1 << 15)
def _clean_cached(type_name: str, fmt: str | None, value: str) -> str | None:
    text = sanitize_text(value)
    if not text:
        return None
    return registry.get(type_name).clean_text(text, format=fmt)  # type: ignore[union-attr]


def _clean(prop: Property, value: str) -> str | None:
    """FtM cleaning of one value; codes, dates, URLs... are memoised (they repeat a lot)."""
    if prop.type.name in _UNCACHED_TYPES:
        # printable ASCII needs no NFC or unsafe-character pass (the common case)
        text = value.strip() if value.isascii() and value.isprintable() else sanitize_text(value)
        return prop.type.clean_text(text, format=prop.format) if text else None
    return _clean_cached(prop.type.name, prop.format, value)


def _add(entity: EntityProxy, name: str, values: str | Sequence[str] | None) -> bool:
    """Add cleaned value(s) of property `name` (which the schema must have)."""
    if not values:
        return False
    prop = entity.schema.properties[name]
    added = False
    for value in [values] if isinstance(values, str) else values:
        cleaned = _clean(prop, value)
        if cleaned is not None:
            entity.unsafe_add(prop, cleaned, cleaned=True)
            added = True
    return added


def _put(entity: EntityProxy, props: Sequence[str], value: str, label: str) -> None:
    """Add `value` to the first of `props` the schema has and accepts; else to notes."""
    for name in props:
        if name not in entity.schema.properties:
            continue
        if _add(entity, name, value):
            return
        if name == "phone" and value.isdigit() and _add(entity, name, "+" + value):
            return
    _add(entity, "notes", f"{label}: {value}")


def _link_to(entity: EntityProxy, prop: str, target: EntityProxy) -> None:
    """Set an entity-reference property to `target` (an id the Emitter built, so valid)."""
    entity.add(prop, target.id, cleaned=True)


@dataclass
class _ListInfo:
    name: str
    code: str
    agency: str


@dataclass
class _Identifier:
    kind: str
    value: str
    country: str | None


@dataclass
class _State:
    """What the parse accumulates across rows (and files)."""

    names: dict[str, set[str]] = field(default_factory=dict)
    pending: list[tuple[str, str, str, str, InputFile]] = field(default_factory=list)
    lists: dict[str, _ListInfo] = field(default_factory=dict)
    records: int = 0
    per_list: Counter[str] = field(default_factory=Counter)


def _parse_ids(value: str) -> Iterator[_Identifier]:
    """'CA, BC166787, Passport; Male, Gender' -> identifiers (country, value, type)."""
    for part in value.split("; "):
        part = part.strip().rstrip(";").strip()
        if not part:
            continue
        bits = part.split(", ")
        if len(bits) < 2:
            yield _Identifier(kind="", value=part, country=None)
            continue
        kind = bits[-1].strip()
        rest = bits[:-1]
        country = None
        if len(rest) > 1 and _COUNTRY_RE.match(rest[0]):
            country = rest.pop(0)
        # issue/expiry dates precede the number: keep the number only
        while len(rest) > 1 and _ISO_DATE_RE.match(rest[0]):
            rest.pop(0)
        yield _Identifier(kind=kind, value=", ".join(rest).strip(), country=country)


def _list_info(source: str, cache: dict[str, _ListInfo]) -> _ListInfo:
    info = cache.get(source)
    if info is None:
        m = _SOURCE_RE.match(source)
        if m:
            name = m.group("list").strip()
            code = m.group("code").strip().upper()
            code = _CODE_ALIASES.get(code, code)
            agency = (m.group("agency") or "").strip()
        else:
            name, agency = (source.split(" - ", 1) + [""])[:2]
            code = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")
        mapped = _AGENCIES.get(agency.lower(), agency) if agency else UsCslSource.authority
        info = _ListInfo(name=name.strip(), code=code, agency=mapped)
        cache[source] = info
    return info


def _open_text(file: InputFile) -> IO[str]:
    with file.path.open("rb") as fh:
        magic = fh.read(2)
    gz = magic == b"\x1f\x8b"
    raw = cast(IO[bytes], gzip.open(file.path) if gz else file.path.open("rb"))  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


class UsCslSource(Source):
    id = "us_csl"
    title = "US Consolidated Screening List (trade.gov)"
    authority = "US Government (trade.gov Consolidated Screening List)"
    official_files = {
        "consolidated.csv": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
    }

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        state = _State()
        for file in files:
            self._parse_file(file, emit, state)
        linked = self._link(emit, state)
        per_list = dict(sorted(state.per_list.items(), key=lambda kv: (-kv[1], kv[0])))
        return ParseInfo(
            format="csl-csv",
            published=None,
            records=state.records,
            extra={"records": state.records, "lists": per_list, "links": linked},
        )

    def _parse_file(self, file: InputFile, emit: Emitter, state: _State) -> None:
        line = 1
        try:
            with _open_text(file) as text:
                reader = csv.reader(text, strict=True)
                try:
                    header = next(reader)
                except StopIteration:
                    raise SourceError("empty file", file=file.name, line=1) from None
                header = [h.strip() for h in header]
                missing = [c for c in REQUIRED_COLUMNS if c not in header]
                if missing:
                    raise SourceError(
                        "not a Consolidated Screening List CSV: missing column(s) "
                        + ", ".join(missing),
                        file=file.name,
                        line=1,
                    )
                width = len(header)
                while True:
                    line = reader.line_num + 1
                    try:
                        values = next(reader)
                    except StopIteration:
                        break
                    if not values:
                        continue
                    if len(values) != width:
                        raise SourceError(
                            f"truncated or malformed row: {len(values)} fields, expected {width}",
                            file=file.name,
                            line=line,
                        )
                    row = dict(zip(header, values, strict=True))
                    self._row(row, file, line, emit, state)
        except SourceError:
            raise
        except csv.Error as exc:
            raise SourceError(f"malformed CSV: {exc}", file=file.name, line=line) from exc
        except UnicodeDecodeError as exc:
            raise SourceError(f"not UTF-8 text: {exc}", file=file.name, line=line) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceError(
                f"unreadable or truncated file: {exc}", file=file.name, line=line
            ) from exc

    def _row(
        self, row: dict[str, str], file: InputFile, line: int, emit: Emitter, state: _State
    ) -> None:
        uid = row["_id"].strip()
        name = _clean_name(row["name"])
        source = row["source"].strip()
        if not uid:
            raise SourceError("row without _id", file=file.name, line=line)
        if not name:
            raise SourceError("row without name", file=file.name, line=line, record=uid)
        if not source:
            raise SourceError("row without source list", file=file.name, line=line, record=uid)
        kind = row["type"].strip().lower()
        if kind == "entity":
            schema = org_schema(name)
        elif not kind:
            # BIS/State rows state no type and mix persons and organisations.
            schema = "Company" if org_schema(name) == "Company" else "LegalEntity"
        elif kind in _SCHEMA_BY_TYPE:
            schema = _SCHEMA_BY_TYPE[kind]
        else:
            raise SourceError(
                f"unknown entry type {row['type']!r}", file=file.name, line=line, record=uid
            )
        state.records += 1
        ref = row["entity_number"].strip() or uid
        info = _list_info(source, state.lists)
        state.per_list[info.code] += 1

        entity = emit.make(schema, uid)
        _add(entity, "name", name)
        _add(entity, "topics", "sanction")
        if info.code in _TOPICS:
            _add(entity, "topics", _TOPICS[info.code])
        _add(entity, "programId", info.code)
        get = row.get
        for alias in _split(get("alt_names", "")):
            _add(entity, "alias", _clean_name(alias))
        for address in _split(get("addresses", "")):
            last = address.rsplit(",", 1)[-1].strip()
            if _COUNTRY_RE.match(last):
                _add(entity, "country", last)
            if address != last:
                _add(entity, "address", address)
        title = _clean_name(get("title", ""))
        if title:
            _put(entity, ("position",), title, "Title")
        for value in _split(get("dates_of_birth", "")):
            self._birth_date(entity, value)
        for value in _split(get("places_of_birth", "")):
            _put(entity, ("birthPlace",), value, "Place of birth")
        for value in _split(get("nationalities", "")):
            _put(entity, ("nationality", "country"), value, "Nationality")
        for value in _split(get("citizenships", "")):
            _put(entity, ("citizenship", "country"), value, "Citizenship")
        for col, props, label in (
            ("call_sign", ("callSign",), "Call sign"),
            ("vessel_type", ("type",), "Vessel type"),
            ("gross_tonnage", ("tonnage",), "Gross tonnage"),
            ("gross_registered_tonnage", ("grossRegisteredTonnage",), "Gross registered tonnage"),
            ("vessel_flag", ("flag",), "Flag"),
            ("vessel_owner", (), "Vessel owner"),
        ):
            value = get(col, "").strip()
            if value:
                _put(entity, props, value, label)
        remarks = get("remarks", "").strip()
        if remarks:
            _add(entity, "notes", remarks)
            for target in _LINKED_RE.findall(remarks):
                state.pending.append((uid, _clean_name(target), "Linked To", ref, file))
        frn = get("federal_register_notice", "").strip()
        if frn:
            _add(entity, "notes", f"Federal Register notice: {frn}")

        provisions = [info.name]
        listing_dates: list[str] = []
        start_dates: list[str] = []
        for ident in _parse_ids(get("ids", "")):
            self._identifier(entity, ident, uid, ref, file, emit, state, provisions)
            lowered = ident.kind.lower()
            if lowered.startswith("listing date"):
                listing_dates.append(_dmy(ident.value))
            elif lowered.startswith("effective date"):
                start_dates.append(_dmy(ident.value))

        for key in (name, *entity.get("alias")):
            state.names.setdefault(_clean_name(key).upper(), set()).add(uid)
        emit.emit(entity, ref, file)

        for col, label in (
            ("license_requirement", "License requirement"),
            ("license_policy", "License policy"),
            ("standard_order", "Standard order"),
        ):
            value = get(col, "").strip()
            if value:
                provisions.append(f"{label}: {value}")
        sanction = emit.make("Sanction", uid, info.code, "sanction")
        _link_to(sanction, "entity", entity)
        _add(sanction, "authority", info.agency)
        _add(sanction, "country", "us")
        _add(sanction, "program", _split(get("programs", "")))
        _add(sanction, "programId", info.code)
        _add(sanction, "authorityId", ref)
        _add(sanction, "provisions", provisions)
        _add(sanction, "listingDate", get("start_date", "").strip() or listing_dates)
        _add(sanction, "startDate", start_dates)
        _add(sanction, "endDate", get("end_date", "").strip())
        _add(sanction, "sourceUrl", get("source_list_url", "").strip())
        _add(sanction, "programUrl", get("source_information_url", "").strip())
        emit.emit(sanction, ref, file)

    @staticmethod
    def _birth_date(entity: EntityProxy, value: str) -> None:
        m = _YEAR_RANGE_RE.match(value)
        if m:
            start, end = int(m.group(1)), int(m.group(2))
            if start <= end <= start + 20:
                _add(entity, "birthDate", [str(y) for y in range(start, end + 1)])
                _add(entity, "notes", f"Date of birth: {value}")
                return
        m = _CIRCA_RE.match(value)
        if m:
            _add(entity, "birthDate", m.group(1))
            _add(entity, "notes", f"Date of birth: {value}")
            return
        _put(entity, ("birthDate",), _dmy(value), "Date of birth")

    @staticmethod
    def _identifier(
        entity: EntityProxy,
        ident: _Identifier,
        uid: str,
        ref: str,
        file: InputFile,
        emit: Emitter,
        state: _State,
        provisions: list[str],
    ) -> None:
        kind = ident.kind.lower()
        value = ident.value
        if not value:
            return
        label = ident.kind.rstrip(" :-") or "Identifier"
        if ident.country:
            label = f"{label} ({ident.country})"
        if kind.startswith(_WALLET_PREFIX):
            currency = ident.kind[len(_WALLET_PREFIX) :].strip()
            wallet = emit.make("CryptoWallet", uid, "wallet", value)
            _add(wallet, "publicKey", value)
            _add(wallet, "currencySymbol", currency)
            _link_to(wallet, "holder", entity)
            _add(wallet, "topics", "sanction")
            emit.emit(wallet, ref, file)
            return
        if kind == _OPERATOR_TYPE:
            _add(entity, "notes", f"{label}: {value}")
            state.pending.append((uid, _clean_name(value), "Aircraft operator", ref, file))
            return
        props = _ID_PROPS.get(kind)
        if props is not None:
            if kind in _DATE_TYPES:
                value = _dmy(value)
            _put(entity, props, value, label)
            if ident.country == "RU":
                digits = value.replace(" ", "")
                if kind == "tax id no." and len(digits) in (10, 12) and digits.isdigit():
                    _add(entity, "innCode", digits)
                if kind == "registration id" and len(digits) in (13, 15) and digits.isdigit():
                    _add(entity, "ogrnCode", digits)
            return
        if _SANCTION_INFO_RE.search(kind):
            provisions.append(f"{label}: {value}")
            return
        _add(entity, "notes", f"{label}: {value}" if ident.kind else value)

    @staticmethod
    def _link(emit: Emitter, state: _State) -> int:
        """UnknownLinks for "Linked To:" remarks and aircraft operators named uniquely."""
        links: set[str] = set()
        for uid, target, role, ref, file in state.pending:
            matches = state.names.get(target.upper(), set()) - {uid}
            if len(matches) != 1:
                continue
            (other,) = matches
            subject = emit.entities.get(emit.make_id(uid))
            obj = emit.entities.get(emit.make_id(other))
            if subject is None or obj is None:
                continue
            link = emit.make("UnknownLink", uid, "link", other)
            _link_to(link, "subject", subject.entity)
            _link_to(link, "object", obj.entity)
            _add(link, "role", role)
            emit.emit(link, ref, file)
            links.add(str(link.id))
        return len(links)
