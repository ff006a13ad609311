"""OFAC legacy CSV sets: sdn.csv/add.csv/alt.csv/sdn_comments.csv and their cons_* twins.

The files have no header; ``-0-`` marks an empty field; the text is ASCII in
practice but declared Latin-1/cp1252; the official files end with a 0x1A byte.
Rows of the companion files point to their entry by ``ent_num`` (column 1):

* primary (sdn.csv / cons_prim.csv): ent_num, SDN_Name, SDN_Type, Program, Title,
  Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
* add.csv: ent_num, add_num, address, city/state/postal, country, add_remarks
* alt.csv: ent_num, alt_num, alt_type (aka/fka/nka), alt_name, alt_remarks
* sdn_comments.csv: ent_num, continuation of the remarks (cut at 1000 characters
  in the primary file)

Entity ids are ``{source}-{ent_num}``, the same as the sdnList XML parser makes
from the entry's uid. The legacy CSV states no publication date.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
import unicodedata
from dataclasses import dataclass

from followthemoney.proxy import EntityProxy
from normality.cleaning import remove_unsafe_chars

from sanctionsnet.errors import SourceError
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, org_schema
from sanctionsnet.sources.ofac_remarks import (
    apply_remarks,
    link_entities,
    name_key,
    plain_number,
)

AUTHORITY = "US Treasury OFAC"
FORMAT = "ofac-legacy-csv"
#: OFAC cuts the Remarks field of the primary file at this length; the rest of the
#: text is in the comments file.
REMARKS_LIMIT = 1000

ROLES = ("prim", "add", "alt", "comments")
_FIELDS = {"prim": 12, "add": 6, "alt": 5, "comments": 2}
_EMPTY = {"", "-0-"}
#: "-0" is a "-0-" cut short: accepted as empty, with a warning.
_CUT_EMPTY = "-0"
_ENT_NUM_RE = re.compile(r"^\d+$")
_PROGRAM_SPLIT_RE = re.compile(r"\]\s*\[")
_SCHEMATA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_ORG_TYPES = {"", "entity"}


@dataclass(frozen=True)
class CsvLayout:
    """The file names of one list's CSV set and the list's name."""

    list_name: str
    prim: str
    add: str
    alt: str
    comments: str

    def name(self, role: str) -> str:
        return str(getattr(self, role))

    def role_of(self, file_name: str) -> str | None:
        lowered = file_name.lower()
        for role in ROLES:
            if self.name(role) == lowered:
                return role
        return None


SDN_LAYOUT = CsvLayout(
    list_name="Specially Designated Nationals and Blocked Persons List (SDN List)",
    prim="sdn.csv",
    add="add.csv",
    alt="alt.csv",
    comments="sdn_comments.csv",
)
CONS_LAYOUT = CsvLayout(
    list_name="Consolidated Sanctions List (non-SDN lists)",
    prim="cons_prim.csv",
    add="cons_add.csv",
    alt="cons_alt.csv",
    comments="cons_comments.csv",
)


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):  # pragma: no cover
        raise error
    chunk = error.object[error.start : error.end]
    return bytes(chunk).decode("latin-1"), error.end


codecs.register_error("sanctionsnet-latin1", _latin1_fallback)


def decode(data: bytes) -> str:
    """UTF-8 if the bytes are valid UTF-8, else cp1252 (Latin-1 for its five holes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="sanctionsnet-latin1")


def _clean_file_text(text: str) -> str:
    """NFC and without control/invisible characters (what FtM does to every value).

    Done once per file so that plain-text values can be added to entities as
    already cleaned, which keeps a 15,000-entry sdn.csv well under a second or two.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return remove_unsafe_chars(text)


def _text(value: str) -> str:
    return " ".join(value.split())


def _value(text: str) -> str | None:
    text = text.strip()
    if text in _EMPTY or text == _CUT_EMPTY:
        return None
    return text


def read_rows(file: InputFile, role: str, emit: Emitter) -> list[tuple[int, list[str]]]:
    """The records of one CSV file as (1-based line, fields), checked for shape."""
    expected = _FIELDS[role]
    text = decode(file.read_bytes())
    # the official files end with an MS-DOS end-of-file byte (0x1A)
    text = text.rstrip()
    while text.endswith("\x1a"):
        text = text[:-1].rstrip()
    eof = text.find("\x1a")
    if eof >= 0:
        raise SourceError(
            "end-of-file byte (0x1A) before the end of the file",
            file=file.name,
            line=text.count("\n", 0, eof) + 1,
        )
    text = _clean_file_text(text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for row in reader:
            line = previous + 1
            previous = reader.line_num
            if not row:
                continue
            if len(row) != expected:
                if not rows:
                    hint = "not an OFAC legacy CSV file?"
                elif len(row) < expected:
                    hint = "the line is cut short: truncated file?"
                else:
                    hint = "malformed record"
                raise SourceError(
                    f"expected {expected} fields, found {len(row)} ({hint})",
                    file=file.name,
                    line=line,
                )
            ent_num = row[0].strip()
            if not _ENT_NUM_RE.match(ent_num):
                raise SourceError(
                    f"ent_num {ent_num[:40]!r} is not a number",
                    file=file.name,
                    line=line,
                    record=ent_num[:40] or None,
                )
            rows.append((line, row))
    except csv.Error as exc:
        raise SourceError(
            f"malformed CSV ({exc}; unterminated quote or truncated file?)",
            file=file.name,
            line=reader.line_num or previous + 1,
        ) from exc
    if rows and rows[-1][1][-1].strip() == _CUT_EMPTY:
        emit.warn(
            f"{file.name} line {rows[-1][0]}: last field is '-0' instead of '-0-' "
            "(the file may have been cut short)"
        )
    return rows


def _programs(text: str) -> list[str]:
    value = _value(text)
    if value is None:
        return []
    parts = _PROGRAM_SPLIT_RE.split(value.strip().strip("[]"))
    return [_text(p) for p in parts if p.strip()]


def _set_person_names(entity: EntityProxy, name: str) -> None:
    if "," in name:
        last, first = (_text(part) for part in name.split(",", 1))
        if last:
            entity.add("lastName", last, cleaned=True)
        if first:
            entity.add("firstName", first, cleaned=True)
    else:
        entity.add("lastName", name, cleaned=True)


def _companion_index(
    rows: list[tuple[int, list[str]]],
    file: InputFile,
    known: set[str],
    prim_name: str,
) -> dict[str, list[tuple[int, list[str]]]]:
    index: dict[str, list[tuple[int, list[str]]]] = {}
    for line, row in rows:
        ent_num = row[0].strip()
        if ent_num not in known:
            raise SourceError(
                f"ent_num {ent_num} is not in {prim_name}: the files are not one coherent set",
                file=file.name,
                line=line,
                record=ent_num,
            )
        index.setdefault(ent_num, []).append((line, row))
    return index


def parse_csv_set(
    files: dict[str, InputFile],
    layout: CsvLayout,
    emit: Emitter,
) -> ParseInfo:
    """Parse one legacy CSV set (`files` maps role -> file) into entities."""
    # Tens of thousands of long-lived objects and no reference cycles: the cyclic
    # garbage collector would only rescan them over and over (a quarter of the time).
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_csv_set(files, layout, emit)
    finally:
        if gc_enabled:
            gc.enable()


def _parse_csv_set(
    files: dict[str, InputFile],
    layout: CsvLayout,
    emit: Emitter,
) -> ParseInfo:
    prim = files.get("prim")
    if prim is None:
        given = ", ".join(files[r].name for r in ROLES if r in files)
        first = next(files[r] for r in ROLES if r in files)
        raise SourceError(
            f"{given} given without {layout.prim}: the companion files cannot be "
            f"imported without their primary file {layout.prim}",
            file=first.name,
        )
    if prim.size == 0:
        raise SourceError("the file is empty", file=prim.name)

    prim_rows = read_rows(prim, "prim", emit)
    known: set[str] = set()
    for line, row in prim_rows:
        ent_num = row[0].strip()
        if ent_num in known:
            raise SourceError(
                f"ent_num {ent_num} appears twice", file=prim.name, line=line, record=ent_num
            )
        known.add(ent_num)

    companions: dict[str, dict[str, list[tuple[int, list[str]]]]] = {}
    for role in ("add", "alt", "comments"):
        file = files.get(role)
        if file is None:
            companions[role] = {}
            continue
        rows = read_rows(file, role, emit)
        if not rows and role != "comments":
            emit.warn(f"{file.name} is empty")
        companions[role] = _companion_index(rows, file, known, prim.name)

    missing = [layout.name(r) for r in ("add", "alt", "comments") if r not in files]
    if missing:
        lost = []
        if "add" not in files:
            lost.append("addresses")
        if "alt" not in files:
            lost.append("aliases")
        if "comments" not in files:
            lost.append(f"remarks beyond {REMARKS_LIMIT} characters")
        emit.warn(
            f"{prim.name} imported without {', '.join(missing)}: the {', '.join(lost)} "
            "of the companion files are missing"
        )

    comments_given = "comments" in files
    pending: list[tuple[str, str, str, InputFile]] = []
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    same_name: dict[str, list[str]] = {}
    truncated_count = 0

    for line, row in prim_rows:
        ent_num = row[0].strip()
        name = _value(row[1])
        if name is None:
            raise SourceError("the entry has no name", file=prim.name, line=line, record=ent_num)
        sdn_type = (_value(row[2]) or "").lower()
        schema = _SCHEMATA.get(sdn_type)
        if schema is None:
            if sdn_type not in _ORG_TYPES:
                raise SourceError(
                    f"unknown SDN_Type {sdn_type!r}", file=prim.name, line=line, record=ent_num
                )
            schema = org_schema(name)
        entity = emit.make(schema, ent_num)
        name = _text(name)
        # values below come from a file cleaned as a whole by read_rows
        entity.add("name", name, cleaned=True)
        entity.add("topics", "sanction", cleaned=True)
        programs = _programs(row[3])
        entity.add("program", programs, cleaned=True)
        if schema == "Person":
            _set_person_names(entity, name)
        title = _value(row[4])
        if title:
            entity.add("position" if schema == "Person" else "notes", _text(title), cleaned=True)
        if schema == "Vessel":
            entity.add("callSign", _value(row[5]))
            entity.add("type", _value(row[6]))
            for prop, cell in (("tonnage", row[7]), ("grossRegisteredTonnage", row[8])):
                number = _value(cell)
                if number:
                    entity.add(prop, plain_number(number))
            entity.add("flag", _value(row[9]))
        owner = _value(row[10])
        if owner:
            entity.add("notes", f"Vessel Owner: {_text(owner)}", cleaned=True)

        raw_remarks = row[11] if _value(row[11]) is not None else ""
        continuation = "".join(r[1] for _, r in companions["comments"].get(ent_num, []))
        remarks = raw_remarks + continuation
        truncated = not comments_given and not continuation and len(raw_remarks) >= REMARKS_LIMIT
        result = apply_remarks(entity, remarks, emit, prim, ent_num, truncated=truncated)
        if result.truncated:
            truncated_count += 1

        for _add_line, add in companions["add"].get(ent_num, []):
            street, city, country = _value(add[2]), _value(add[3]), _value(add[4])
            if street or city:
                full = ", ".join(p for p in (street, city, country) if p)
                entity.add("address", full)
            entity.add("country", country, quiet=True)
            add_remarks = _value(add[5])
            if add_remarks:
                entity.add("notes", f"Address remarks: {add_remarks}")

        for alt_line, alt in companions["alt"].get(ent_num, []):
            alt_type = (_value(alt[2]) or "").lower().replace(".", "")
            alt_name = _value(alt[3])
            alt_file = files["alt"]
            if alt_name is None:
                raise SourceError(
                    "alias row without a name", file=alt_file.name, line=alt_line, record=ent_num
                )
            alt_remarks = (_value(alt[4]) or "").lower()
            weak = "weak" in alt_remarks or "low quality" in alt_remarks
            if alt_type in ("aka", "nka"):
                entity.add("weakAlias" if weak else "alias", _text(alt_name), cleaned=True)
            elif alt_type == "fka":
                entity.add("previousName", _text(alt_name), cleaned=True)
            else:
                raise SourceError(
                    f"unknown alt_type {alt_type!r} (expected aka, fka or nka)",
                    file=alt_file.name,
                    line=alt_line,
                    record=ent_num,
                )

        emit.emit(entity, ent_num, prim)
        provisions = [layout.list_name, *result.secondary_sanctions]
        emit.sanction(
            entity,
            ent_num,
            prim,
            authority=AUTHORITY,
            program=programs,
            provisions=provisions,
        )

        assert entity.id is not None
        key = name_key(name)
        if key:
            names.setdefault(key, entity.id)
            same_name.setdefault(key, []).append(entity.id)
        for prop in ("alias", "weakAlias", "previousName"):
            for alias in entity.get(prop, quiet=True):
                alias_key = name_key(alias)
                if alias_key:
                    aliases.setdefault(alias_key, entity.id)
        for linked in result.linked_to:
            pending.append((entity.id, linked, ent_num, prim))

    if truncated_count:
        emit.warn(
            f"{truncated_count} remarks in {prim.name} reach OFAC's {REMARKS_LIMIT}-character "
            f"limit and {layout.comments} was not given: their last segment was not interpreted"
        )
    by_name = {**aliases, **names}
    shared = {key: ids for key, ids in same_name.items() if len(ids) > 1}
    link_entities(emit, pending, by_name, shared)
    return ParseInfo(
        format=FORMAT,
        published=None,
        records=len(prim_rows),
        extra={"entries": len(prim_rows), "list": layout.list_name},
    )
