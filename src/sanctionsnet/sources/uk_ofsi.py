"""HM Treasury OFSI Consolidated List of Financial Sanctions Targets (``ConList``).

OFSI published this list until 28 January 2026, when the FCDO "UK Sanctions List"
(source ``uk_fcdo``) became the only official UK list. It is kept so that its
history can still be read. Two formats are parsed, with the same logic:

- ``ConList.csv``: row 1 is ``Last Updated,DD/MM/YYYY`` (the publication date), row 2
  the header, then one row per name (and per date of birth, and so on) of a listed
  party. Older files are Windows-1252, newer ones UTF-8; both are accepted.
- ``ConList.xlsx``: one sheet with the same two leading rows and the same columns,
  read with openpyxl in read-only mode (1.4-2.5 s for the 18,798 sheet rows of
  April 2025 on a 2-core machine; a hand-written zipfile + lxml iterparse reader was
  measured at the same speed, so openpyxl is kept). Cell values are turned into the
  text the CSV holds (dates as DD/MM/YYYY, whole numbers without ".0").

Columns are found by header name, so both layouts are read: the 29-column layout of
2020 (``Passport Details``, ``NI Number``, alias types "Prime Alias"/"AKA"/"FKA") and
the 36-column "2022 format" (``Name Non-Latin Script``, ``Passport Number``,
``National Identification Number``, ``Alias Quality``, ``UK Sanctions List Date
Designated``, group type "Ship", alias types "Primary name"/"Primary name
variation"/"AKA"/"FKA", and ``Other Information`` made of ``(Key):value`` parts such
as ``(UK Sanctions List Ref):RUS0001 (UN Ref):QDi.001 (Gender):Male``).

Rows are grouped by ``Group ID`` into one listed party, whose entity id is
``uk-ofsi-<group id>`` and whose list reference is the Group ID:

- ``Group Type`` Individual -> Person, Entity -> Company/Organization (by legal form
  in the name), Ship -> Vessel. In the 2020 layout ships were "Entity" rows whose
  Other Information starts with their IMO number ("IMO: 8937675." or "(IMO number:
  7303803)"); those become Vessels too. Rows of one group that disagree on the group
  type are not an error: the party is still emitted, with the type of its primary-name
  row (else of its first row), and a warning names the file, the group and the rows.
- names: Name 1..Name 5 then Name 6 (the surname or the whole name of an entity),
  joined with spaces. The first "Primary name"/"Prime Alias" row gives ``name`` (and,
  for persons, ``firstName`` = Name 1, ``lastName`` = Name 6); further primary names,
  "Primary name variation" rows and AKAs give ``alias``, AKAs of "Low" alias quality
  give ``weakAlias``, "FKA" rows give ``previousName``; ``Name Non-Latin Script`` ->
  ``alias``; ``Title`` -> ``title``.
- persons: ``DOB`` -> ``birthDate`` ("00"/"dd"/"mm" parts are unknown: "00/00/1960" ->
  "1960", "00/08/1961" -> "1961-08", "05/1973" -> "1973-05"; every distinct DOB of the
  group is kept; an unreadable one goes to ``notes``), ``Town of Birth`` ->
  ``birthPlace``, ``Country of Birth`` -> ``birthCountry``, ``Nationality`` ->
  ``nationality``, ``Position`` -> ``position``, ``Passport Number`` ->
  ``passportNumber`` and ``National Identification Number`` / ``NI Number`` ->
  ``idNumber`` (numbered lists "(1) X (2) Y" are split; in the 2020 layout, which has
  only free-text details, the first identifier-like token of each item is taken and
  the text is kept in ``notes``), gender from ``(Gender):``.
- ``Address 1..6``, ``Post/Zip Code`` and ``Country`` joined with ", " -> ``address``
  (a country alone is no address); ``Country`` -> ``country``.
- Other Information: ``(Phone number)`` -> ``phone``, ``(Email address)`` -> ``email``,
  ``(Website)`` -> ``website``, ``(Business Reg No)`` -> ``registrationNumber``,
  ``(Type of entity)`` -> ``classification``, ship parts -> ``imoNumber``, ``flag``,
  ``pastFlags``, ``type``, ``tonnage``, ``buildDate``; the rest (free text, parent
  company, subsidiaries, owners, fax, length) -> ``notes``.
- ``Sanction`` (authority "HM Treasury OFSI"): program = ``Regime`` (every regime of
  the group), listingDate = ``Listed On``, startDate = ``UK Sanctions List Date
  Designated``, modifiedAt = ``Last Updated``, reason = ``(UK Statement of Reasons)``,
  unscId = the UN reference (the ``(UN Ref)`` part, or in the 2020 layout the first
  "UN Ref QDi.004" in the free text, not the one of an owner cited as "UN Reference
  Number: UN Ref KPe.064"), authorityId = Group ID and ``(UK Sanctions List Ref)``
  (e.g. "RUS0001", the id the FCDO list uses: it links ``uk_ofsi`` history to
  ``uk_fcdo``, whose Sanctions carry the same two ids).
- a ship "Listed as asset of X (OFSI ID: 13635, ...)" -> an ``Ownership`` from group
  13635 to the ship, when that group is in the same file.

Malformed input raises `SourceError` naming the file and line (CSV) or sheet row
(XLSX): a row with fewer fields than the header or extra non-empty ones (a truncated
file), a broken quote, a missing required column (Group ID, Group Type, Name 6,
Alias Type), a row without Group ID, a group without name, an unknown Group Type, a
file named .xlsx that is not a workbook, a truncated workbook, or a CSV and an XLSX
given together whose "Last Updated" dates differ. A file cut exactly at the end of
a row cannot be told from a complete one (the format has no count or checksum).
Citations of other listed parties in Other Information ("member of Al-Qaida
(QDe.004)") are left in ``notes``, not linked.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, Source, org_schema
from sanctionsnet.sources.csvtext import decode_text, numbered_rows

AUTHORITY = "HM Treasury OFSI"

# --------------------------------------------------------------------------------------
# Helpers shared with the FCDO UK Sanctions List parser (sources/uk_fcdo.py).
# --------------------------------------------------------------------------------------

_DMY_RE = re.compile(r"^(\d{1,2}|dd)[/.\-](\d{1,2}|mm)[/.\-](\d{4})$", re.IGNORECASE)
_MY_RE = re.compile(r"^(\d{1,2}|mm)[/.\-](\d{4})$", re.IGNORECASE)
_Y_RE = re.compile(r"^(\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_D_MON_Y_RE = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{4})$")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}


@lru_cache(maxsize=8192)
def _uk_date_text(text: str) -> str | None:
    m = _DMY_RE.match(text)
    if m:
        day_s, month_s, year_s = m.groups()
        year = int(year_s)
        month = int(month_s) if month_s.isdigit() else 0
        day = int(day_s) if day_s.isdigit() else 0
        return _prefix_date(year, month, day)
    m = _MY_RE.match(text)
    if m:
        month = int(m.group(1)) if m.group(1).isdigit() else 0
        return _prefix_date(int(m.group(2)), month, 0)
    m = _Y_RE.match(text)
    if m:
        return _prefix_date(int(m.group(1)), 0, 0)
    m = _ISO_RE.match(text)
    if m:
        return _prefix_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _D_MON_Y_RE.match(text)
    if m and m.group(2).lower() in _MONTHS:
        return _prefix_date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def _prefix_date(year: int, month: int, day: int) -> str | None:
    """ISO date prefix; 0 means unknown. None when the date cannot exist."""
    if not 1000 <= year <= 2999:
        return None
    if month == 0:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day == 0:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def uk_date(value: object) -> str | None:
    """A UK list date as an ISO prefix: '27/04/2020' -> '2020-04-27'.

    Unknown parts written "00", "dd" or "mm" shorten the prefix ('00/00/1960' ->
    '1960', 'dd/mm/1945' -> '1945', '00/08/1961' -> '1961-08'); 'MM/YYYY', 'YYYY',
    ISO dates and '13-Feb-2026' are read too. None when unreadable.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip().strip("'").strip()
    if not text:
        return None
    return _uk_date_text(text)


def full_date(value: object) -> date | None:
    """A complete calendar date (for publication dates), else None."""
    text = uk_date(value)
    if text is None or len(text) != 10:
        return None
    return date.fromisoformat(text)


# "(1) X (2) Y", "1) X 2) Y", "a) X b) Y": a list marker stands after whitespace.
_ITEM_MARK_RE = re.compile(r"(?<!\S)\(?(?:\d{1,2}|[a-z])\)\s*")
_ITEM_STRIP = " \t\r\n.;,"


def split_items(text: str) -> list[str]:
    """Split a numbered or lettered list; items that are only punctuation are dropped."""
    out = []
    for part in _ITEM_MARK_RE.split(text):
        item = part.strip(_ITEM_STRIP)
        if item.strip("-– "):
            out.append(" ".join(item.split()))
    return out


_PAREN_RE = re.compile(r"\([^()]*\)")
_COUNTRY_PARTS_RE = re.compile(r"[,;/.]|\band\b|\bnow\b|\bcurrently\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def country_codes(text: str) -> tuple[tuple[str, ...], bool]:
    """(ISO codes, exact) for a country as the UK lists write it.

    `exact` is False when the text is not a country name as a whole and the codes
    come from its parts: "Afghanistan (since 2009)" -> af, "Former USSR, now
    Ukraine" -> ua (and the former Soviet Union), "Estonia, Russia" -> ee, ru. FtM's
    fuzzy matching is not used: it maps unknown words to some country ("Blahland" ->
    Latvia).
    """
    clean = registry.country.clean
    code = clean(text)
    if code is not None:
        return (code,), True
    stripped = _PAREN_RE.sub(" ", text).strip(_ITEM_STRIP + "-")
    if stripped and stripped != text:
        code = clean(stripped)
        if code is not None:
            return (code,), False
    codes = []
    for part in _COUNTRY_PARTS_RE.split(text.replace("(", " ").replace(")", " ")):
        part = part.strip(_ITEM_STRIP + "- ")
        if len(part) > 2:
            code = clean(part)
            if code is not None and code not in codes:
                codes.append(code)
    return tuple(codes), False


def add_countries(entity: EntityProxy, prop: str, values: Iterable[str]) -> list[str]:
    """Add the countries of `values` to `prop`; returns the values that are not exactly
    a country name (to be kept in the notes)."""
    inexact = []
    for value in values:
        codes, exact = country_codes(value)
        if not exact:
            inexact.append(value)
        for code in codes:
            entity.add(prop, code, cleaned=True, quiet=True)
    return inexact


# A UN permanent reference number: "QDi.004" (also written "KPI.067"), or the older
# "QI.Z.187.05" / "TE.H.10.12".
_UN_REF_CODE = r"[A-Za-z]{2,3}(?:\.[A-Za-z0-9]+){1,3}"
_UN_REF_START_RE = re.compile(r"^\s*(" + _UN_REF_CODE + r")")
_UN_MODERN_RE = re.compile(r"^([A-Za-z]{2})([A-Za-z])\.(\d+)$")


def un_reference(code: str) -> str:
    """Canonical spelling of a UN reference number: 'KPI.067' -> 'KPi.067'."""
    code = code.strip().rstrip(".")
    m = _UN_MODERN_RE.match(code)
    if m:
        return f"{m.group(1).upper()}{m.group(2).lower()}.{m.group(3)}"
    return code.upper()


def un_reference_at_start(text: str) -> str | None:
    m = _UN_REF_START_RE.match(text)
    return un_reference(m.group(1)) if m else None


_EMAIL_RE = re.compile(r"[^\s@,;()<>\"']+@[^\s@,;()<>\"']+\.[A-Za-z]{2,}")


def emails_in(text: str) -> list[str]:
    return [m.rstrip(".") for m in _EMAIL_RE.findall(text)]


_INN_RE = re.compile(r"\b(?:INN|Tax ID(?:\s*No\.?)?|TIN)\b\W{0,5}(\d{10}|\d{12})\b", re.IGNORECASE)
_OGRN_RE = re.compile(r"\b(?:OGRN|PSRN)\b\W{0,5}(\d{13}|\d{15})\b", re.IGNORECASE)
_SWIFT_RE = re.compile(r"\b(?:SWIFT(?:/BIC)?|BIC)\b\W{0,5}([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b")


def add_registration(entity: EntityProxy, text: str) -> None:
    """A business registration text -> ``registrationNumber`` (each item as written),
    plus ``innCode``, ``ogrnCode`` and ``swiftBic`` when it labels them
    ("(1) OGRN: 1031624002937 (2) TIN: 1656025681")."""
    entity.add("registrationNumber", split_items(text), quiet=True)
    for m in _INN_RE.finditer(text):
        entity.add("innCode", m.group(1), quiet=True)
    for m in _OGRN_RE.finditer(text):
        entity.add("ogrnCode", m.group(1), quiet=True)
    for m in _SWIFT_RE.finditer(text):
        entity.add("swiftBic", m.group(1), quiet=True)


# --------------------------------------------------------------------------------------
# ConList columns
# --------------------------------------------------------------------------------------

_NAME_COLS = ("name1", "name2", "name3", "name4", "name5", "name6")
_ADDRESS_COLS = ("address1", "address2", "address3", "address4", "address5", "address6")

#: normalised header -> canonical column
_HEADER_MAP = {
    "name 6": "name6",
    "name 1": "name1",
    "name 2": "name2",
    "name 3": "name3",
    "name 4": "name4",
    "name 5": "name5",
    "title": "title",
    "name non-latin script": "nonlatin",
    "non-latin script type": "nonlatin_type",
    "non-latin script language": "nonlatin_language",
    "dob": "dob",
    "town of birth": "birth_town",
    "country of birth": "birth_country",
    "nationality": "nationality",
    "passport number": "passport_number",
    "passport details": "passport_details",
    "national identification number": "ni_number",
    "ni number": "ni_number",
    "national identification details": "ni_details",
    "position": "position",
    "address 1": "address1",
    "address 2": "address2",
    "address 3": "address3",
    "address 4": "address4",
    "address 5": "address5",
    "address 6": "address6",
    "post/zip code": "postcode",
    "country": "country",
    "other information": "other_info",
    "group type": "group_type",
    "alias type": "alias_type",
    "alias quality": "alias_quality",
    "regime": "regime",
    "listed on": "listed_on",
    "uk sanctions list date designated": "designated",
    "date designated": "designated",
    "last updated": "last_updated",
    "group id": "group_id",
    "uk sanctions list ref": "uk_ref",
    "un ref": "un_ref",
    "un reference number": "un_ref",
}
_REQUIRED = ("group_id", "group_type", "name6", "alias_type")

# "(Key):value" parts of Other Information in the 2022 format.
_OI_KEYS = {
    "uk sanctions list ref": "uk_ref",
    "uk statement of reasons": "reason",
    "un ref": "un_ref",
    "gender": "gender",
    "phone number": "phone",
    "email address": "email",
    "website": "website",
    "type of entity": "entity_type",
    "business reg no": "reg_no",
    "parent company": "parent",
    "subsidiaries": "subsidiaries",
    "fax": "fax",
    "imo number": "imo",
    "current owners": "owners",
    "flag of ship": "flag",
    "previous flags": "past_flags",
    "type of ship": "ship_type",
    "tonnage of ship": "tonnage",
    "length of ship": "length",
    "year built": "year_built",
}
_OI_RE = re.compile(r"\((" + "|".join(re.escape(k) for k in _OI_KEYS) + r")\)\s*:", re.IGNORECASE)
_NOTE_LABELS = {
    "parent": "Parent company",
    "subsidiaries": "Subsidiaries",
    "fax": "Fax",
    "owners": "Current owners",
    "length": "Length of ship",
}
# 2020 layout: "UN Ref QDe.004", "UN REF:QE.A.146.14", "UN Ref.KPI.067" in free text, but
# not "(OFSI ID: 13635, UN Reference Number: UN Ref KPe.064)" naming another party.
_UN_REF_TEXT_RE = re.compile(
    r"(?<!Number: )(?<!Number:)\bUN\s*Ref(?:erence)?\.?\s*(?:No\.?|Number)?\s*[:.]?\s*("
    + _UN_REF_CODE
    + r")",
    re.IGNORECASE,
)
# 2020 layout: a ship is an "Entity" whose Other Information starts with its IMO number.
_SHIP_IMO_RE = re.compile(r"^\s*\(?\s*IMO(?:\s+number)?\s*:?\s*(\d{7})\b", re.IGNORECASE)
_MMSI_RE = re.compile(r"\bMMSI\s*:?\s*(\d{9})\b")
_ASSET_OF_RE = re.compile(r"\basset of\b.{0,200}?OFSI ID:?\s*(\d+)", re.IGNORECASE | re.DOTALL)
_ID_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")
_SPLIT_WEB_RE = re.compile(r"[\s,;]+")
_SPLIT_SENTENCE_RE = re.compile(r"\.\s+|;\s*")

_PERSON_TYPES = {"individual"}
_ENTITY_TYPES = {"entity"}
_SHIP_TYPES = {"ship", "vessel"}


def _norm_header(value: str) -> str:
    return " ".join(value.replace("\ufeff", "").split()).lower()


def identifier_token(text: str) -> str | None:
    """The first identifier-like token of free text ('Passport No: 592667 (...)' -> '592667').

    A token is letters, digits and hyphens with at least four digits and five characters
    (so years and dates such as "2005" or "21/04/2009" are not taken).
    """
    for token in _ID_TOKEN_RE.findall(text):
        token = token.strip("-")
        if len(token) >= 5 and sum(c.isdigit() for c in token) >= 4:
            return token
    return None


# --------------------------------------------------------------------------------------
# Reading the two formats into rows
# --------------------------------------------------------------------------------------


@dataclass
class _Table:
    """One ConList file: its publication date, columns and data rows."""

    file: InputFile
    format: str
    published: date | None
    header_line: int
    columns: dict[str, int]
    width: int
    rows: Iterator[tuple[int, list[str]]]
    #: "line" for CSV, "sheet row" for XLSX (used in messages)
    unit: str = "line"
    unknown_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _sniff(file: InputFile) -> str:
    with file.path.open("rb") as fh:
        head = fh.read(8)
    lower = file.name.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if lower.endswith((".xlsx", ".xlsm")):
        raise SourceError("not an XLSX workbook (no ZIP signature)", file=file.name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(
            "legacy binary .xls workbooks are not supported (use ConList.csv or .xlsx)",
            file=file.name,
        )
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise SourceError(
            "the ConList XML format is not supported (use ConList.csv or ConList.xlsx)",
            file=file.name,
        )
    return "csv"


def _head(
    file: InputFile, first: list[str], second: list[str] | None, unit: str
) -> tuple[date | None, list[str], int, list[str]]:
    """(published, header, header line, warnings) from the first two rows."""
    warnings: list[str] = []
    cells = [c.strip() for c in first]
    if cells and _norm_header(cells[0]) == "last updated":
        value = next((c for c in cells[1:] if c), "")
        published = full_date(value)
        if published is None:
            warnings.append(f"{file.name}: unreadable 'Last Updated' date {value!r} in {unit} 1")
        if second is None:
            raise SourceError(f"no header row after 'Last Updated' ({unit} 2)", file=file.name)
        return published, second, 2, warnings
    if "group id" in {_norm_header(c) for c in cells}:
        return None, first, 1, warnings
    raise SourceError(
        f"not an OFSI Consolidated List: {unit} 1 is neither 'Last Updated' nor the header",
        file=file.name,
        line=1,
    )


def _columns(file: InputFile, header: list[str], line: int) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(header):
        key = _HEADER_MAP.get(_norm_header(cell))
        if key is None:
            if cell and cell.strip():
                unknown.append(cell.strip())
            continue
        columns.setdefault(key, i)
    missing = [k for k in _REQUIRED if k not in columns]
    if missing:
        names = {v: k for k, v in _HEADER_MAP.items()}
        wanted = ", ".join(repr(names[k].title().replace("Id", "ID")) for k in missing)
        raise SourceError(f"header lacks column(s) {wanted}", file=file.name, line=line)
    return columns, unknown


def _read_csv(file: InputFile) -> _Table:
    it = numbered_rows(file, decode_text(file))
    first = next(it, None)
    if first is None:
        raise SourceError("empty file", file=file.name)
    second = next(it, None)
    published, header, header_line, warnings = _head(
        file, first[1], second[1] if second else None, "line"
    )
    if header_line == 1 and second is not None:
        # The header was the first row: the second row is data.
        pending: list[tuple[int, list[str]]] = [second]
    else:
        pending = []
    columns, unknown = _columns(file, header, header_line)
    width = len(header)

    def data() -> Iterator[tuple[int, list[str]]]:
        for line, row in itertools.chain(pending, it):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < width or any(c.strip() for c in row[width:]):
                raise SourceError(
                    f"{len(row)} fields where the header has {width} (truncated or malformed row)",
                    file=file.name,
                    line=line,
                )
            yield line, row

    return _Table(
        file, "csv", published, header_line, columns, width, data(), "line", unknown, warnings
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(file: InputFile) -> _Table:
    import openpyxl  # imported here: only this format needs it

    try:
        workbook = openpyxl.load_workbook(
            str(file.path), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # BadZipFile, KeyError, XML errors...: a damaged workbook
        raise SourceError(
            f"unreadable XLSX workbook ({type(exc).__name__}: {exc})", file=file.name
        ) from exc
    if not workbook.worksheets:
        workbook.close()
        raise SourceError("workbook has no sheet", file=file.name)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # do not trust the stored dimension: read every cell
    state = {"row": 0}

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                state["row"] = number
                yield number, [_cell_text(v) for v in values]
        except SourceError:
            raise
        except Exception as exc:
            raise SourceError(
                f"unreadable XLSX workbook after sheet row {state['row']} "
                f"({type(exc).__name__}: {exc})",
                file=file.name,
                line=state["row"] + 1,
            ) from exc
        finally:
            workbook.close()

    it = rows()
    first = next(it, None)
    if first is None:
        raise SourceError("empty worksheet", file=file.name)
    second = next(it, None)
    published, header, header_line, warnings = _head(
        file, first[1], second[1] if second else None, "sheet row"
    )
    while header and not header[-1]:
        header = header[:-1]
    pending = [second] if header_line == 1 and second is not None else []
    columns, unknown = _columns(file, header, header_line)
    width = len(header)

    def data() -> Iterator[tuple[int, list[str]]]:
        for number, row in itertools.chain(pending, it):
            if not any(row):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            yield number, row

    return _Table(
        file, "xlsx", published, header_line, columns, width, data(), "sheet row", unknown, warnings
    )


# --------------------------------------------------------------------------------------
# Building the entities of one file
# --------------------------------------------------------------------------------------


def _unique(values: Iterable[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


class _Group:
    """The rows of one Group ID."""

    __slots__ = ("gid", "rows", "lines", "cache")

    def __init__(self, gid: str) -> None:
        self.gid = gid
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.cache: dict[str, list[str]] = {}


class _Builder:
    def __init__(self, emit: Emitter, table: _Table) -> None:
        self.emit = emit
        self.table = table
        self.file = table.file
        self.col = table.columns
        self.counts: dict[str, int] = {}
        self.owned: list[tuple[str, str, str]] = []  # (vessel id, owner group id, ref)

    def values(self, group: _Group, key: str) -> list[str]:
        """Distinct non-empty values of column `key` over the rows of `group`."""
        cached = group.cache.get(key)
        if cached is None:
            i = self.col.get(key)
            if i is None:
                cached = []
            elif len(group.rows) == 1:
                value = group.rows[0][i].strip()
                cached = [value] if value else []
            else:
                cached = _unique(row[i].strip() for row in group.rows)
            group.cache[key] = cached
        return cached

    def cell(self, row: list[str], key: str) -> str:
        i = self.col.get(key)
        return row[i].strip() if i is not None else ""

    def run(self) -> None:
        groups: dict[str, _Group] = {}
        gid_col = self.col["group_id"]
        for line, row in self.table.rows:
            gid = row[gid_col].strip()
            if not gid:
                raise SourceError(
                    f"row without Group ID ({self.table.unit} {line})",
                    file=self.file.name,
                    line=line,
                )
            group = groups.get(gid)
            if group is None:
                group = groups[gid] = _Group(gid)
            group.rows.append(row)
            group.lines.append(line)
        for group in groups.values():
            self.build(group)
        for vessel_id, owner_gid, ref in self.owned:
            if owner_gid not in groups:
                continue
            owner_id = self.emit.make_id(owner_gid)
            ownership = self.emit.make("Ownership", "ownership", owner_gid, ref)
            ownership.add("owner", owner_id)
            ownership.add("asset", vessel_id)
            ownership.add("role", "Listed as asset of")
            self.emit.emit(ownership, ref, self.file)
            self.counts["Ownership"] = self.counts.get("Ownership", 0) + 1

    # -- one listed party ------------------------------------------------------------

    def group_type(self, group: _Group) -> str:
        types = _unique(self.cell(row, "group_type").lower() for row in group.rows)
        if not types:
            raise SourceError(
                f"group {group.gid} has no Group Type",
                file=self.file.name,
                line=group.lines[0],
                record=group.gid,
            )
        if len(types) == 1:
            chosen = types[0]
        else:
            chosen = types[0]
            for row in group.rows:
                if self.cell(row, "alias_type").lower() in ("primary name", "prime alias"):
                    chosen = self.cell(row, "group_type").lower() or chosen
                    break
            lines = ", ".join(str(n) for n in group.lines)
            self.emit.warn(
                f"{self.file.name}: group {group.gid} ({self.table.unit}s {lines}) has "
                f"conflicting Group Types {', '.join(types)}; read as {chosen!r}"
            )
        if chosen not in _PERSON_TYPES | _ENTITY_TYPES | _SHIP_TYPES:
            raise SourceError(
                f"unknown Group Type {chosen!r}",
                file=self.file.name,
                line=group.lines[0],
                record=group.gid,
            )
        return chosen

    def names(self, group: _Group) -> tuple[tuple[str, str, str] | None, dict[str, list[str]]]:
        """((full, name1, name6) of the primary name, {prop: names})."""
        primary: tuple[str, str, str] | None = None
        first: tuple[str, str, str] | None = None
        variation: tuple[str, str, str] | None = None
        props: dict[str, list[str]] = {"alias": [], "weakAlias": [], "previousName": []}
        for row in group.rows:
            parts = [self.cell(row, c) for c in _NAME_COLS]
            full = " ".join(" ".join(p for p in parts if p).split())
            if not full:
                continue
            entry = (full, parts[0], parts[5])
            if first is None:
                first = entry
            kind = self.cell(row, "alias_type").lower()
            quality = self.cell(row, "alias_quality").lower()
            if kind in ("primary name", "prime alias"):
                if primary is None:
                    primary = entry
                else:
                    props["alias"].append(full)
            elif kind == "primary name variation":
                if variation is None:
                    variation = entry
                props["alias"].append(full)
            elif kind == "fka":
                props["previousName"].append(full)
            elif quality.startswith("low"):
                props["weakAlias"].append(full)
            else:
                props["alias"].append(full)
        chosen = primary or variation or first
        if chosen is not None:
            for prop in props:
                props[prop] = [n for n in _unique(props[prop]) if n != chosen[0]]
        return chosen, props

    def build(self, group: _Group) -> None:
        gid = group.gid
        kind = self.group_type(group)
        primary, name_props = self.names(group)
        if primary is None:
            raise SourceError(
                f"group {gid} has no name",
                file=self.file.name,
                line=group.lines[0],
                record=gid,
            )
        other_texts = self.values(group, "other_info")
        info: dict[str, list[str]] = {}
        free_texts: list[str] = []
        structured = False
        for text in other_texts:
            parts = _OI_RE.split(text)
            free = parts[0].strip()
            if free:
                free_texts.append(free)
            for key, value in zip(parts[1::2], parts[2::2], strict=True):
                structured = True
                canonical = _OI_KEYS[key.lower()]
                value = value.strip()
                if canonical in ("uk_ref", "un_ref"):
                    # "(UN Ref):CFi.009. Kony is ...": the code, then free text.
                    code, _, rest = value.partition(" ")
                    value = code.strip(_ITEM_STRIP)
                    if rest.strip():
                        free_texts.append(rest.strip())
                if value:
                    info.setdefault(canonical, []).append(value)
        info = {k: _unique(v) for k, v in info.items()}

        ship_imo: str | None = None
        if kind in _SHIP_TYPES:
            schema = "Vessel"
        elif kind in _PERSON_TYPES:
            schema = "Person"
        elif not structured:  # 2020 layout: ships were "Entity" groups
            for text in free_texts:
                m = _SHIP_IMO_RE.match(text)
                if m:
                    ship_imo = m.group(1)
                    break
            schema = "Vessel" if ship_imo else org_schema(primary[0])
        else:
            schema = org_schema(primary[0])
        entity = self.emit.make(schema, gid)
        entity.add("name", primary[0])
        for prop, names in name_props.items():
            entity.add(prop, names)
        entity.add("alias", self.values(group, "nonlatin"))
        entity.add("topics", "sanction")
        notes: list[str] = []

        if schema == "Person":
            if primary[1]:
                entity.add("firstName", primary[1])
            if primary[2]:
                entity.add("lastName", primary[2])
            self.person(entity, group, info, notes)
        else:
            titles = [t for v in self.values(group, "title") for t in split_items(v)]
            entity.add("title", titles, quiet=True)

        addresses = []
        for row in group.rows:
            parts = [self.cell(row, c) for c in (*_ADDRESS_COLS, "postcode", "country")]
            if any(parts[:-1]):  # a country alone is no address (it goes to `country`)
                addresses.append(", ".join(p for p in parts if p))
        entity.add("address", _unique(addresses))
        for value in add_countries(entity, "country", self.values(group, "country")):
            notes.append(f"Country: {value}")

        # Other Information
        for value in info.get("gender", []):
            entity.add("gender", value.strip(_ITEM_STRIP).lower(), quiet=True)
        for value in info.get("phone", []):
            for item in split_items(value):
                entity.add("phone", [p for p in _SPLIT_SENTENCE_RE.split(item) if p], quiet=True)
        for value in info.get("email", []):
            entity.add("email", emails_in(value), quiet=True)
        for value in info.get("website", []):
            for item in split_items(value):
                sites = [w for w in _SPLIT_WEB_RE.split(item) if w and "@" not in w]
                entity.add("website", sites, quiet=True)
        for value in info.get("reg_no", []):
            add_registration(entity, value)
        for value in info.get("entity_type", []):
            entity.add("classification", value.strip(_ITEM_STRIP), quiet=True)
        if schema == "Vessel":
            self.vessel(entity, info, free_texts, ship_imo, notes)
        for key, label in _NOTE_LABELS.items():
            for value in info.get(key, []):
                if schema == "Vessel" and key == "length":
                    continue  # kept by vessel()
                notes.append(f"{label}: {value.strip()}")
        notes = [*free_texts, *notes]
        entity.add("notes", _unique(notes))

        # UN reference and UK Sanctions List reference
        un_refs: list[str] = []
        for value in [*self.values(group, "un_ref"), *info.get("un_ref", [])]:
            ref = un_reference_at_start(value)
            if ref:
                un_refs.append(ref)
        if not structured and not un_refs:
            for text in free_texts:
                m = _UN_REF_TEXT_RE.search(text)
                if m:
                    un_refs.append(un_reference(m.group(1)))
                    break
        uk_refs = []
        for value in [*self.values(group, "uk_ref"), *info.get("uk_ref", [])]:
            token = value.strip(_ITEM_STRIP).split()
            if token:
                uk_refs.append(token[0].strip(_ITEM_STRIP))

        self.emit.emit(entity, gid, self.file)
        self.counts[schema] = self.counts.get(schema, 0) + 1
        self.emit.sanction(
            entity,
            gid,
            self.file,
            authority=AUTHORITY,
            program=self.values(group, "regime"),
            listing_date=_dates(self.values(group, "listed_on")),
            startDate=_dates(self.values(group, "designated")),
            modifiedAt=_dates(self.values(group, "last_updated")),
            reason=[" ".join(r.split()) for r in info.get("reason", [])],
            unscId=_unique(un_refs),
            authorityId=_unique(uk_refs),
        )

        if schema == "Vessel":
            for text in free_texts:
                m = _ASSET_OF_RE.search(text)
                if m and m.group(1) != gid:
                    assert entity.id is not None
                    self.owned.append((entity.id, m.group(1), gid))

    def person(
        self, entity: EntityProxy, group: _Group, info: dict[str, list[str]], notes: list[str]
    ) -> None:
        entity.add("title", [t for v in self.values(group, "title") for t in split_items(v)])
        for value in self.values(group, "dob"):
            parsed = uk_date(value)
            if parsed:
                entity.add("birthDate", parsed, cleaned=True)
            else:
                notes.append(f"Date of birth: {value}")
        entity.add(
            "birthPlace", [t for v in self.values(group, "birth_town") for t in split_items(v)]
        )
        for key, prop in (("birth_country", "birthCountry"), ("nationality", "nationality")):
            items = [t for v in self.values(group, key) for t in split_items(v)]
            for value in add_countries(entity, prop, items):
                label = "Country of birth" if key == "birth_country" else "Nationality"
                notes.append(f"{label}: {value}")
        entity.add("position", [t for v in self.values(group, "position") for t in split_items(v)])
        self.identifiers(entity, group, "passport_number", "passport_details", "passportNumber")
        self.identifiers(entity, group, "ni_number", "ni_details", "idNumber")
        for value in self.values(group, "passport_details"):
            notes.append(f"Passport details: {value}")
        for value in self.values(group, "ni_details"):
            notes.append(f"National identification details: {value}")

    def identifiers(
        self, entity: EntityProxy, group: _Group, number_key: str, details_key: str, prop: str
    ) -> None:
        numbers = self.values(group, number_key)
        if number_key == "ni_number" and "ni_details" not in self.col:
            # 2020 layout: "NI Number" is free text ("Ration card no. 1729765").
            for value in numbers:
                for item in split_items(value):
                    token = identifier_token(item)
                    if token:
                        entity.add(prop, token)
                if identifier_token(value) != value:
                    entity.add("notes", f"National identification: {value}")
            return
        if numbers:
            for value in numbers:
                entity.add(prop, split_items(value))
        elif number_key == "passport_number" and "passport_number" not in self.col:
            # 2020 layout: only "Passport Details" exists; take each item's number.
            for value in self.values(group, details_key):
                for item in split_items(value):
                    token = identifier_token(item)
                    if token:
                        entity.add(prop, token)

    def vessel(
        self,
        entity: EntityProxy,
        info: dict[str, list[str]],
        free_texts: list[str],
        ship_imo: str | None,
        notes: list[str],
    ) -> None:
        imos = [*info.get("imo", []), *([ship_imo] if ship_imo else [])]
        for value in imos:
            for item in split_items(value):
                entity.add("imoNumber", item)
                if not entity.get("imoNumber"):
                    notes.append(f"IMO number: {item}")
        for text in free_texts:
            m = _MMSI_RE.search(text)
            if m:
                entity.add("mmsi", m.group(1))
        for value in info.get("flag", []):
            for item in add_countries(entity, "flag", split_items(value)):
                notes.append(f"Flag: {item}")
        for value in info.get("past_flags", []):
            items = [p for v in split_items(value) for p in _SPLIT_SENTENCE_RE.split(v) if p]
            for item in add_countries(entity, "pastFlags", items):
                notes.append(f"Previous flag: {item}")
        for value in info.get("ship_type", []):
            entity.add("type", value.strip(_ITEM_STRIP))
        for value in info.get("tonnage", []):
            entity.add("tonnage", value.strip(_ITEM_STRIP))
        for value in info.get("year_built", []):
            built = uk_date(value.strip(_ITEM_STRIP))
            if built:
                entity.add("buildDate", built, cleaned=True)
            else:
                notes.append(f"Year built: {value.strip()}")
        for value in info.get("length", []):
            notes.append(f"Length of ship: {value.strip()}")


def _dates(values: Iterable[str]) -> list[str]:
    return _unique(d for d in (uk_date(v) for v in values) if d)


class UkOfsiSource(Source):
    """HM Treasury OFSI Consolidated List (ConList.csv / ConList.xlsx), retired 28 Jan 2026."""

    id = "uk_ofsi"
    title = "HM Treasury OFSI Consolidated List of Financial Sanctions Targets"
    authority = AUTHORITY
    official_files = {
        "ConList.csv": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
        "ConList.xlsx": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.xlsx",
    }

    preferred_file = "ConList.csv"

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        if not files:
            raise SourceError("no input files given for uk_ofsi")
        published: date | None = None
        published_from: str | None = None
        formats: list[str] = []
        extra: dict[str, Any] = {}
        for file in files:
            kind = _sniff(file)
            table = _read_xlsx(file) if kind == "xlsx" else _read_csv(file)
            for warning in table.warnings:
                emit.warn(warning)
            if table.unknown_columns:
                emit.warn(
                    f"{file.name}: ignored unknown column(s) {', '.join(table.unknown_columns)}"
                )
            if table.published is not None:
                if published is not None and table.published != published:
                    raise SourceError(
                        f"'Last Updated' {table.published.isoformat()} differs from "
                        f"{published.isoformat()} in {published_from}: not one publication",
                        file=file.name,
                        line=1,
                    )
                published, published_from = table.published, file.name
            builder = _Builder(emit, table)
            builder.run()
            extra[file.name] = builder.counts
            if table.format not in formats:
                formats.append(table.format)
        return ParseInfo(
            format="ofsi-conlist-" + "+".join(formats), published=published, extra=extra
        )
