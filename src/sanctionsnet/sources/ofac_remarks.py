"""Facts that OFAC hides in the free-text remarks of an entry.

OFAC's legacy CSV (and, for what is left over, the ``sdnList`` XML) packs most of
what it knows about a listed party into one "remarks" string of ``;``-separated
segments::

    DOB 01 Jan 1960; alt. DOB 1962; POB Tehran, Iran; nationality Iran;
    Passport A1234567 (Iran) expires 2020; a.k.a. 'ABU X'; Linked To: SOME CO.

Each segment starts with a label ("DOB", "Passport", "Tax ID No.", "Linked To:",
...), optionally prefixed by "alt.". `apply_remarks` splits the string, looks the
label up in one precompiled table and adds the value to the matching FtM property.
Unrecognised segments are no error: the raw remarks always stay in ``notes``.

Two facts need the whole publication and are returned instead of applied:
"Linked To:" names (resolved by `link_entities` once every entry is known) and
the sanctions notes ("Secondary sanctions risk: ...", "Additional Sanctions
Information - ..."), which belong on the entry's Sanction.

Quoted a.k.a.s in the remarks are OFAC's *weak* (low-quality) aliases: the legacy
CSV carries strong aliases in alt.csv and weak ones only here, and the sdnList XML
of the same publication marks exactly these names ``<category>weak</category>``.
They go to ``weakAlias``; f.k.a. goes to ``previousName``; n.k.a./d.b.a. to ``alias``.

`apply_fact` applies one (label, value) pair the same way; the XML formats' id
lists use the same labels (``idType``) as the remarks, so they can share it.

Values FtM would only sanitise (printable ASCII into string, text, identifier and
name properties) are added pre-cleaned: that halves the time spent on the 15,000
remarks of a recent sdn.csv. Typed values (countries, dates, phones, e-mails, URLs,
IMO numbers) still go through FtM's cleaning, which drops invalid ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from sanctionsnet.sources.base import Emitter, InputFile
from sanctionsnet.sources.dates import is_approximate, parse_date_with_precision, year_range


@dataclass
class Remarks:
    """What `apply_remarks` could not attach to the entity by itself."""

    #: Names that follow "Linked To:"; resolved to entity ids by `link_entities`.
    linked_to: list[str] = field(default_factory=list)
    #: Secondary sanctions / advisory notes ("Secondary sanctions risk: ...").
    secondary_sanctions: list[str] = field(default_factory=list)
    #: Segments with no known label (kept in ``notes`` through the raw remarks).
    unparsed: list[str] = field(default_factory=list)
    #: True when the last segment was dropped because the remarks were cut short.
    truncated: bool = False


# --------------------------------------------------------------------------- dates


def parse_date_expr(text: str) -> tuple[list[str], bool]:
    """Dates stated by an OFAC date text, and whether precision was lost.

    Uses the shared `dates` module, as the sdnList XML parser does, so that a date
    reads the same from either format: 'Feb 1970' -> (['1970-02'], False);
    'circa 1951' -> (['1951'], True); '1960 to 1962' -> (['1960', '1961', '1962'], True);
    '01 Jan 1953 to 31 Dec 1954' -> (['1953', '1954'], True). The original text stays
    in ``notes`` with the raw remarks.
    """
    text = text.strip().rstrip(".")
    values = parse_date_with_precision(text)
    if not values:
        return [], True
    if (
        len(values) == 2
        and len(values[0]) == len(values[1]) == 10
        and values[0].endswith("-01-01")
        and values[1].endswith("-12-31")
    ):
        # '01 Jan 1953 to 31 Dec 1954' states whole years
        return year_range(values[0][:4], values[1][:4]), True
    return values, len(values) > 1 or is_approximate(text)


def parse_date(text: str) -> str | None:
    """A single OFAC date: '10 Dec 1948' -> '1948-12-10', 'Dec 1948' -> '1948-12'."""
    values = parse_date_with_precision(text.strip().rstrip("."))
    return values[0] if len(values) == 1 else None


# ------------------------------------------------------------------ value helpers

_ID_VALUE_RE = re.compile(
    r"^(?P<value>.*?)\s*(?:\((?P<country>[^()]*)\))?\s*"
    r"(?:,?\s*issued\s+(?P<issued>.*?))?\s*(?:,?\s*expires\s+(?P<expires>.*?))?\s*$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d")
_NON_DIGITS_RE = re.compile(r"[^\d+]")
_QUOTES = "'\"‘’“”`"
_RUSSIA = {"russia", "russian federation"}


def split_id(text: str) -> tuple[str, str | None, str | None, str | None]:
    """'A123 (Iran) issued 2001 expires 2006' -> ('A123', 'Iran', '2001', '2006')."""
    match = _ID_VALUE_RE.match(text.strip())
    if match is None:  # pragma: no cover - the pattern matches any string
        return text.strip(), None, None, None
    value = match.group("value").strip().strip(",").strip()
    country = match.group("country")
    if not value and country:
        # "International Maritime Organization No. (5777731)": the parentheses hold the value
        value, country = country, None
    return value, country, match.group("issued"), match.group("expires")


_NUMBER_PROPS = {"tonnage", "grossRegisteredTonnage", "deadweightTonnage"}


def plain_number(text: str) -> str:
    """'99,144' -> '99144' (as the sdnList XML states tonnages); other text unchanged."""
    text = text.strip()
    if _THOUSANDS_RE.match(text):
        return text.replace(",", "")
    return text


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1]
    elif text[:1] in _QUOTES and text.count(text[0]) == 1:
        text = text[1:]
    return text.strip()


#: FtM types whose cleaning is only "sanitise the text" (no format given).
_PASSTHROUGH_TYPES = {"string", "text", "identifier"}


def _add(entity: EntityProxy, prop: str, value: str | list[str] | None) -> None:
    """Add `value` if the schema has `prop` (FtM cleans it and drops invalid values).

    Fast path: printable ASCII needs no sanitising, and plain string, text and
    identifier properties no type-specific cleaning, so such values skip FtM's
    per-value cleaning (the bulk of the time spent on a large remarks column).
    """
    if not value:
        return
    prop_ = entity.schema.get(prop)
    if prop_ is None:
        return
    if type(value) is str and prop_.format is None and value.isascii() and value.isprintable():
        type_name = prop_.type.name
        text = None
        if type_name in _PASSTHROUGH_TYPES:
            text = value.strip()
        elif type_name == "name":
            # what FtM's name cleaning does: strip surrounding quotes, squash spaces
            text = " ".join(unquote(value).split())
        if text is not None:
            if text:
                entity.add(prop_, text, cleaned=True)
            return
    entity.add(prop_, value)


def _add_clean(entity: EntityProxy, prop: str, value: str) -> None:
    """Add a value already in its canonical form, if the schema has `prop`."""
    if value and entity.schema.get(prop) is not None:
        entity.add(prop, value, cleaned=True)


def _has(entity: EntityProxy, prop: str) -> bool:
    return entity.schema.get(prop) is not None


def _add_phone(entity: EntityProxy, text: str) -> None:
    if not _has(entity, "phone"):
        return
    text = text.strip().lstrip(":").strip()
    cleaned = registry.phone.clean(text)
    if cleaned is not None:
        entity.add("phone", cleaned, cleaned=True)
        return
    digits = _NON_DIGITS_RE.sub("", text)
    candidate = None
    if digits.startswith("+"):
        candidate = digits
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif digits and not digits.startswith("0"):
        candidate = "+" + digits
    cleaned = registry.phone.clean(candidate) if candidate else None
    if cleaned is not None:
        entity.add("phone", cleaned, cleaned=True)


# ------------------------------------------------------------------ label table

#: Label (as OFAC writes it) -> (handler kind in `_apply`, FtM property where fixed).
_LABELS: dict[str, tuple[str, str]] = {
    # people
    "DOB": ("dob", "birthDate"),
    "Date of Birth": ("dob", "birthDate"),
    "POB": ("pob", "birthPlace"),
    "Place of Birth": ("pob", "birthPlace"),
    "nationality": ("nationality", ""),
    "citizen": ("citizenship", ""),
    "citizenship": ("citizenship", ""),
    "Gender": ("gender", ""),
    "Residency": ("residency", ""),
    "Position": ("text", "position"),
    "Alternate Title": ("text", "position"),
    "Occupation": ("text", "position"),
    # names and links
    "a.k.a.": ("weak_alias", ""),
    "a.k.a., weak": ("weak_alias", ""),
    "a.k.a. (weak)": ("weak_alias", ""),
    "f.k.a.": ("previous_name", ""),
    "n.k.a.": ("alias", ""),
    "d.b.a.": ("alias", ""),
    "Linked To": ("linked", ""),
    # travel and identity documents
    "Passport": ("id", "passportNumber"),
    "Passport No.": ("id", "passportNumber"),
    "Diplomatic Passport": ("id", "passportNumber"),
    "Diplomatic Passport Laissez-Passer": ("id", "passportNumber"),
    "Passport Booklet": ("id", "passportNumber"),
    "British National Overseas Passport": ("id", "passportNumber"),
    "Stateless Person Passport": ("id", "passportNumber"),
    "Travel Document Number": ("id", "passportNumber"),
    "Seafarer's Identification Document": ("id", "passportNumber"),
    "National ID No.": ("id", "idNumber"),
    "Identification Number": ("id", "idNumber"),
    "Cedula No.": ("id", "idNumber"),
    "C.U.R.P.": ("id", "idNumber"),
    "C.U.I.": ("id", "idNumber"),
    "C.U.I.P.": ("id", "idNumber"),
    "D.N.I.": ("id", "idNumber"),
    "N.I.E.": ("id", "idNumber"),
    "Personal ID Card": ("id", "idNumber"),
    "Credencial electoral": ("id", "idNumber"),
    "Electoral Registry No.": ("id", "idNumber"),
    "I.F.E.": ("id", "idNumber"),
    "Numero de Identidad": ("id", "idNumber"),
    "Citizen's Card Number": ("id", "idNumber"),
    "Turkish Identification Number": ("id", "idNumber"),
    "Turkish Identificiation Number": ("id", "idNumber"),
    "National Foreign ID Number": ("id", "idNumber"),
    "Residency Number": ("id", "idNumber"),
    "Driver's License No.": ("id", "idNumber"),
    "Birth Certificate Number": ("id", "idNumber"),
    "Cartilla de Servicio Militar Nacional": ("id", "idNumber"),
    "Military Registration Number": ("id", "idNumber"),
    "Kenyan ID No.": ("id", "idNumber"),
    "Bosnian Personal ID No.": ("id", "idNumber"),
    "Moroccan Personal ID No.": ("id", "idNumber"),
    "Tazkira National ID Card": ("id", "idNumber"),
    "UAE Identification": ("id", "idNumber"),
    "CNP (Personal Numerical Code)": ("id", "idNumber"),
    "Refugee ID Card": ("id", "idNumber"),
    "Stateless Person ID Card": ("id", "idNumber"),
    "Romanian Permanent Resident": ("id", "idNumber"),
    "VisaNumberID": ("id", "idNumber"),
    "Immigration No.": ("id", "idNumber"),
    "Public Security and Immigration No.": ("id", "idNumber"),
    "SRE Permit No.": ("id", "idNumber"),
    "Pilot License Number": ("id", "idNumber"),
    "Tarjeta Profesional": ("id", "idNumber"),
    "SSN": ("id", "socialSecurityNumber"),
    # tax numbers
    "Tax ID No.": ("id", "taxNumber"),
    "R.F.C.": ("id", "taxNumber"),
    "RFC": ("id", "taxNumber"),
    "NIT": ("id", "taxNumber"),
    "RUC": ("id", "taxNumber"),
    "RIF": ("id", "taxNumber"),
    "RTN": ("id", "taxNumber"),
    "C.U.I.T.": ("id", "taxNumber"),
    "C.I.F.": ("id", "taxNumber"),
    "N.I.F.": ("id", "taxNumber"),
    "US FEIN": ("id", "taxNumber"),
    "Italian Fiscal Code": ("id", "taxNumber"),
    "Fiscal Code": ("id", "taxNumber"),
    "RSIN": ("id", "taxNumber"),
    "Romanian Tax Registration": ("id", "taxNumber"),
    "Paraguayan tax identification number": ("id", "taxNumber"),
    "Numero Unico de Identificacao Tributaria (NUIT)": ("id", "taxNumber"),
    "V.A.T. Number": ("id", "vatCode"),
    # company registers
    "Registration Number": ("id", "registrationNumber"),
    "Registration ID": ("id", "registrationNumber"),
    "Business Registration Number": ("id", "registrationNumber"),
    "Business Registration Document": ("id", "registrationNumber"),
    "Business Number": ("id", "registrationNumber"),
    "Company Number": ("id", "registrationNumber"),
    "Company ID": ("id", "registrationNumber"),
    "UK Company Number": ("id", "registrationNumber"),
    "Commercial Registry Number": ("id", "registrationNumber"),
    "Certificate of Incorporation Number": ("id", "registrationNumber"),
    "Chamber of Commerce Number": ("id", "registrationNumber"),
    "Trade License No.": ("id", "registrationNumber"),
    "Tourism License No.": ("id", "registrationNumber"),
    "License": ("id", "registrationNumber"),
    "Legal Entity Number": ("id", "registrationNumber"),
    "LE Number": ("id", "registrationNumber"),
    "Enterprise Number": ("id", "registrationNumber"),
    "Branch Unit Number": ("id", "registrationNumber"),
    "Public Registration Number": ("id", "registrationNumber"),
    "Folio Mercantil No.": ("id", "registrationNumber"),
    "Matricula Mercantil No": ("id", "registrationNumber"),
    "C.R. No.": ("id", "registrationNumber"),
    "Romanian C.R.": ("id", "registrationNumber"),
    "C.I.N.": ("id", "registrationNumber"),
    "Istanbul Chamber of Comm. No.": ("id", "registrationNumber"),
    "Dubai Chamber of Commerce Membership No.": ("id", "registrationNumber"),
    "Economic Register Number (CBLS)": ("id", "registrationNumber"),
    "Central Registration System Number": ("id", "registrationNumber"),
    "Registered Charity No.": ("id", "registrationNumber"),
    "Registration Certificate Number (Dubai)": ("id", "registrationNumber"),
    "Permit Number": ("id", "registrationNumber"),
    "File Number": ("id", "registrationNumber"),
    "Organization Code": ("id", "registrationNumber"),
    "MSB Registration Number": ("id", "registrationNumber"),
    "Afghan Money Service Provider License Number": ("id", "registrationNumber"),
    "Trademark number": ("id", "registrationNumber"),
    "Government Gazette Number": ("id", "registrationNumber"),
    "Gazette Number": ("id", "registrationNumber"),
    "Russian State Individual Business Registration Number Pattern (OGRNIP)": ("id", "ogrnCode"),
    "Unified Social Credit Code (USCC)": ("id", "uscCode"),
    "United Social Credit Code Certificate (USCCC)": ("id", "uscCode"),
    "D-U-N-S Number": ("id", "dunsCode"),
    "LEI": ("id", "leiCode"),
    "ISIN": ("id", "isinCode"),
    "Equity Ticker": ("text", "ticker"),
    "BIK (RU)": ("id", "bikCode"),
    "SWIFT/BIC": ("id", "swiftBic"),
    # contact
    "Website": ("website", ""),
    "Email Address": ("email", ""),
    "Email": ("email", ""),
    "Phone Number": ("phone", ""),
    "Phone No.": ("phone", ""),
    "Phone": ("phone", ""),
    "Telephone": ("phone", ""),
    "Telephone No.": ("phone", ""),
    "Telephone Number": ("phone", ""),
    # organisations
    "Organization Established Date": ("date", "incorporationDate"),
    "Organization Type": ("text", "sector"),
    "Target Type": ("text", "classification"),
    "Nationality of Registration": ("registration_country", ""),
    # crypto
    "Digital Currency Address": ("wallet", ""),
    # vessels
    "Vessel Registration Identification": ("imo", ""),
    "International Maritime Organization No.": ("imo", ""),
    "IMO": ("imo", ""),
    "MMSI": ("text", "mmsi"),
    "Call Sign": ("text", "callSign"),
    "Other Vessel Call Sign": ("text", "callSign"),
    "Vessel Call Sign": ("text", "callSign"),
    "Vessel Type": ("text", "type"),
    "Other Vessel Type": ("text", "type"),
    "Vessel Flag": ("country", "flag"),
    "Flag": ("country", "flag"),
    "Other Vessel Flag": ("country", "flag"),
    "Former Vessel Flag": ("country", "pastFlags"),
    "Tonnage": ("text", "tonnage"),
    "Vessel Tonnage": ("text", "tonnage"),
    "Gross Registered Tonnage": ("text", "grossRegisteredTonnage"),
    "GRT": ("text", "grossRegisteredTonnage"),
    "Deadweight Tonnage": ("text", "deadweightTonnage"),
    "DWT": ("text", "deadweightTonnage"),
    "Vessel Year of Build": ("date", "buildDate"),
    "Vessel Owner": ("owner", ""),
    # aircraft
    "Aircraft Construction Number (also called L/N or S/N or F/N)": ("text", "serialNumber"),
    "Aircraft Construction Number": ("text", "serialNumber"),
    "Aircraft Manufacturer's Serial Number (MSN)": ("text", "serialNumber"),
    "Aircraft Serial Identification": ("text", "serialNumber"),
    "Aircraft Model": ("text", "model"),
    "Aircraft Manufacture Date": ("date", "buildDate"),
    "Aircraft Operator": ("operator", ""),
    "Aircraft Tail Number": ("text", "registrationNumber"),
    "Previous Aircraft Tail Number": ("text", "registrationNumber"),
    "Aircraft Mode S Transponder Code": ("text", "icaoCode"),
    # sanctions notes (belong on the Sanction)
    "Additional Sanctions Information": ("sanction_note", ""),
    "Secondary sanctions risk": ("sanction_note", ""),
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions": (
        "sanction_note",
        "",
    ),
    "Executive Order": ("sanction_note", ""),
    "CAATSA Section": ("sanction_note", ""),
    "IFCA Determination": ("sanction_note", ""),
    "PEESA Information": ("sanction_note", ""),
    "Listing Date": ("sanction_note", ""),
    "Effective Date": ("sanction_note", ""),
    "Purchase/Sales For Divestment Date": ("sanction_note", ""),
    "U.S. Persons Must Continue to Block": ("sanction_note", ""),
    "United States financial institutions are prohibited": ("sanction_note", ""),
    # known but not mapped (their text stays in notes through the raw remarks)
    "Chinese Commercial Code": ("ignore", ""),
    "Fax": ("ignore", ""),
    "Fax No.": ("ignore", ""),
    "TELEX": ("ignore", ""),
    "UN/LOCODE": ("ignore", ""),
    "For more information": ("ignore", ""),
}

_LABEL_END = r"(?=$|[\s:#(,-])"
_FIRST_WORD_RE = re.compile(r"^(?:alt\.\s*)?([^\s:#(,]+)", re.IGNORECASE)


def _label_patterns() -> dict[str, re.Pattern[str]]:
    """One small alternation per first word of the labels: a dict lookup, then a match."""
    groups: dict[str, list[str]] = {}
    for label in _LABELS:
        first = _FIRST_WORD_RE.match(label)
        assert first is not None
        groups.setdefault(first.group(1).lower(), []).append(label)
    return {
        word: re.compile(
            r"^(?:alt\.\s*)?(?P<label>"
            + "|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True))
            + r")"
            + _LABEL_END,
            re.IGNORECASE,
        )
        for word, labels in groups.items()
    }


_LABEL_PATTERNS = _label_patterns()


def match_label(segment: str) -> re.Match[str] | None:
    """The known label that starts `segment` (after an optional "alt."), if any."""
    first = _FIRST_WORD_RE.match(segment)
    if first is None:
        return None
    pattern = _LABEL_PATTERNS.get(first.group(1).lower())
    if pattern is None:
        return None
    return pattern.match(segment)


_LABEL_KEYS = {label.lower(): label for label in _LABELS}
#: Any other "<Something> No./Number/ID <value with a digit>" is an identifier too.
_GENERIC_ID_RE = re.compile(
    r"^(?:alt\.\s*)?(?P<label>[A-Za-z][A-Za-z .'/&()-]{0,60}?"
    r"(?:No\.?|Number|ID|Card|Code|#))\s*:?\s+(?P<value>\S*\d.*)$"
)
_WALLET_RE = re.compile(r"^-?\s*(?P<currency>[A-Za-z0-9]{2,10})\s*:?\s+(?P<address>\S+)")
_SEGMENT_SPLIT_RE = re.compile(r"\s*;\s*")
_ALT_PREFIX_RE = re.compile(r"^alt\.\s*", re.IGNORECASE)
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_GENDERS = {"male": "male", "female": "female", "m": "male", "f": "female"}


def _kind(label: str) -> tuple[str, str]:
    return _LABELS[_LABEL_KEYS[label.lower()]]


def _apply_id(
    entity: EntityProxy,
    prop: str,
    label: str,
    text: str,
) -> None:
    value, country, _issued, _expires = split_id(text)
    value = value.strip().lstrip(":#").strip()
    if not value:
        return
    upper = value.upper()
    if upper.startswith("IMO ") or upper.startswith("IMO:"):
        # "Identification Number IMO 5342883", "Company Number IMO 5055293"
        _add(entity, "imoNumber", value)
        return
    if prop == "idNumber" and not _has(entity, "idNumber"):
        prop = "registrationNumber"
    _add(entity, prop, value)
    in_russia = country is not None and country.strip().lower() in _RUSSIA
    if in_russia:
        digits = value.replace(" ", "")
        # the shape is checked here; checksums are OFAC's business (and slow to verify)
        if prop == "taxNumber" and digits.isdigit() and len(digits) in (10, 12):
            _add_clean(entity, "innCode", digits)
        elif prop == "registrationNumber" and digits.isdigit():
            low = label.lower()
            if "gazette" in low and len(digits) in (8, 10):
                _add_clean(entity, "okpoCode", digits)
            elif len(digits) in (13, 15):
                _add_clean(entity, "ogrnCode", digits)
    if prop == "ogrnCode":
        _add(entity, "registrationNumber", value)
    if prop == "uscCode":
        _add(entity, "registrationNumber", value)


def _add_wallet(
    entity: EntityProxy,
    text: str,
    emit: Emitter,
    file: InputFile,
    ref: str,
) -> bool:
    match = _WALLET_RE.match(text.strip())
    if match is None:
        return False
    currency = match.group("currency").upper()
    address = match.group("address").strip().rstrip(".,")
    # same id as the sdnList XML parser makes: one wallet per entry and address
    wallet = emit.make("CryptoWallet", ref, "wallet", address)
    wallet.add("publicKey", address)
    wallet.add("currency", currency)
    wallet.add("holder", entity)
    wallet.add("topics", "sanction")
    emit.emit(wallet, ref, file)
    return True


def apply_fact(
    entity: EntityProxy,
    label: str,
    value: str,
    emit: Emitter,
    file: InputFile,
    ref: str,
    result: Remarks | None = None,
) -> bool:
    """Apply one labelled fact (an XML ``idType``/``idNumber`` pair, say).

    The pair is read exactly like the remarks segment "`label` `value`" (labels are
    matched case-insensitively, a leading "alt." is ignored). Returns False when the
    label is not known; links and sanction notes are collected into `result`.
    """
    result = result if result is not None else Remarks()
    segment = f"{label.strip()} {value.strip()}".strip()
    return _apply_segment(entity, segment, emit, file, ref, result)


def _apply_segment(
    entity: EntityProxy,
    segment: str,
    emit: Emitter,
    file: InputFile,
    ref: str,
    result: Remarks,
) -> bool:
    match = match_label(segment)
    if match is not None:
        label = match.group("label")
        _apply(entity, label, segment[match.end() :], emit, file, ref, result, segment)
        return True
    generic = _GENERIC_ID_RE.match(segment)
    if generic is not None:
        prop = "idNumber" if _has(entity, "idNumber") else "registrationNumber"
        _apply_id(entity, prop, generic.group("label"), generic.group("value"))
        return True
    return False


def _apply(
    entity: EntityProxy,
    label: str,
    rest: str,
    emit: Emitter,
    file: InputFile,
    ref: str,
    result: Remarks,
    segment: str,
) -> None:
    kind, prop = _kind(label)
    value = rest.strip().lstrip(":#").strip()
    if kind == "id":
        _apply_id(entity, prop, label, value)
    elif kind == "dob":
        dates, _lost = parse_date_expr(value.lstrip(":").strip())
        if dates and _has(entity, prop):
            entity.add(prop, dates, cleaned=True)
    elif kind == "date":
        when = parse_date(value)
        if when and _has(entity, prop):
            entity.add(prop, when, cleaned=True)
    elif kind == "pob":
        _add(entity, "birthPlace", value)
        place_country = value.rsplit(",", 1)[-1].strip()
        code = registry.country.clean(place_country)
        if code is not None and _has(entity, "birthCountry"):
            entity.add("birthCountry", code, cleaned=True)
    elif kind == "nationality":
        _add(entity, "nationality" if _has(entity, "nationality") else "country", value)
    elif kind == "citizenship":
        _add(entity, "citizenship" if _has(entity, "citizenship") else "country", value)
    elif kind == "residency":
        _add(entity, "country", value)
    elif kind == "registration_country":
        _add(entity, "jurisdiction" if _has(entity, "jurisdiction") else "country", value)
    elif kind == "country":
        _add(entity, prop, value)
    elif kind == "gender":
        gender = _GENDERS.get(value.lower())
        _add(entity, "gender", gender)
    elif kind == "text":
        if prop in _NUMBER_PROPS:
            value = plain_number(value)
        _add(entity, prop, value)
    elif kind == "weak_alias":
        _add(entity, "weakAlias", unquote(value))
    elif kind == "alias":
        _add(entity, "alias", unquote(value))
    elif kind == "previous_name":
        _add(entity, "previousName", unquote(value))
    elif kind == "linked":
        name = value.strip().rstrip(".").strip()
        if name:
            result.linked_to.append(name)
    elif kind == "wallet":
        if not _add_wallet(entity, value, emit, file, ref):
            result.unparsed.append(segment)
    elif kind == "imo":
        imo = value.strip("() ")
        if _has(entity, "imoNumber"):
            _add(entity, "imoNumber", imo)
    elif kind == "website":
        token = value.split()[0].rstrip(".,") if value.split() else ""
        _add(entity, "website", token)
    elif kind == "email":
        token = value.split()[0].rstrip(".,") if value.split() else ""
        _add(entity, "email", token)
    elif kind == "phone":
        _add_phone(entity, value)
    elif kind == "operator":
        _add(entity, "notes", f"Aircraft Operator: {value}")
    elif kind == "owner":
        _add(entity, "notes", f"Vessel Owner: {value}")
    elif kind == "sanction_note":
        note = _ALT_PREFIX_RE.sub("", segment.strip())
        result.secondary_sanctions.append(note)
    # "ignore": known label, nothing to map


def split_remarks(remarks: str) -> list[str]:
    """The ';'-separated segments of a remarks string (final '.' removed)."""
    text = remarks.strip()
    if text.endswith("."):
        text = text[:-1]
    return [seg for seg in _SEGMENT_SPLIT_RE.split(text) if seg]


def apply_remarks(
    entity: EntityProxy,
    remarks: str,
    emit: Emitter,
    file: InputFile,
    ref: str,
    *,
    truncated: bool = False,
) -> Remarks:
    """Parse `remarks` and add what they state to `entity` (and emit side entities).

    Side entities (CryptoWallet) are emitted through `emit` with `ref` and `file`.
    With `truncated=True` (remarks cut at OFAC's field limit and no continuation
    available) the last, possibly incomplete segment is not interpreted.
    """
    result = Remarks()
    remarks = remarks.strip() if remarks else ""
    if not remarks:
        return result
    _add(entity, "notes", remarks)
    segments = split_remarks(remarks)
    if truncated and segments:
        segments = segments[:-1]
        result.truncated = True
    for segment in segments:
        if not _apply_segment(entity, segment, emit, file, ref, result):
            result.unparsed.append(segment)
    return result


# ------------------------------------------------------------------ links

_KEY_RE = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """Normalised form for matching a "Linked To:" name: case, punctuation, spacing."""
    return _KEY_RE.sub(" ", name.casefold()).strip()


def _closest(emit: Emitter, entity_id: str, ref: str, options: list[str]) -> str | None:
    """The candidate for an ambiguous linked name: shared programs first, then the
    nearest entry number (OFAC numbers the entries of one designation consecutively)."""
    source = emit.entities.get(entity_id)
    programs = set(source.entity.get("program")) if source is not None else set()
    own = int(ref) if ref.isdigit() else None

    def score(candidate: str) -> tuple[int, int]:
        target = emit.entities[candidate]
        overlap = len(programs & set(target.entity.get("program")))
        target_ref = target.ref or ""
        distance = (
            abs(int(target_ref) - own) if own is not None and target_ref.isdigit() else 1 << 40
        )
        return (-overlap, distance)

    present = [c for c in dict.fromkeys(options) if c in emit.entities and c != entity_id]
    if not present:
        return None
    return min(present, key=score)


def link_entities(
    emit: Emitter,
    pending: list[tuple[str, str, str, InputFile]],
    by_name: dict[str, str],
    candidates: dict[str, list[str]] | None = None,
) -> None:
    """Turn "Linked To:" names into UnknownLink entities.

    `pending` holds (entity id, linked name, ref, file); `by_name` maps a
    normalised primary name or alias to an entity id of the same list (keys
    are normalised again with `name_key`, so raw names work too). `candidates`
    optionally lists every entity id for names that several entries share; the
    one with programs in common with the linking entry, then the nearest entry
    number, is chosen. The link id is ``{source}-{ent_num}-linked-{target ent_num}``.
    Names that match nothing are kept in the entity's ``notes`` and counted in one
    warning.
    """
    index = {name_key(name): entity_id for name, entity_id in by_name.items()}
    shared = {name_key(name): ids for name, ids in (candidates or {}).items() if len(ids) > 1}
    unresolved: list[str] = []
    for entity_id, name, ref, file in pending:
        key = name_key(name)
        options = shared.get(key)
        if options is not None:
            target_id = _closest(emit, entity_id, ref, options)
        else:
            target_id = index.get(key)
        source = emit.entities.get(entity_id)
        if target_id is None or target_id not in emit.entities:
            unresolved.append(name)
            if source is not None:
                source.entity.add("notes", f"Linked To: {name} (not found in this publication)")
            continue
        if target_id == entity_id:
            continue
        target = emit.entities[target_id]
        target_ref = target.ref or target_id
        link = emit.make("UnknownLink", ref, "linked", target_ref)
        link.add("subject", entity_id)
        link.add("object", target_id)
        link.add("role", "Linked To")
        emit.emit(link, ref, file)
    if unresolved:
        examples = ", ".join(repr(n) for n in sorted(set(unresolved))[:3])
        emit.warn(
            f"{len(unresolved)} 'Linked To' name(s) match no name or alias of this "
            f"publication and were kept in the entries' notes (e.g. {examples})"
        )
