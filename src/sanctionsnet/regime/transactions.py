"""Transactions to check: the six kinds, their columns, and reading them from files.

A transaction is one row with an `id`, a `type` and a `date`, plus the columns of its
type. Rows come from CSV (one header line; list columns separated by `;`; tab-separated
when the file ends in .tsv) or JSON
lines (one object per line; list columns as arrays or `;`-separated strings), or as
mappings through the API. Every value is parsed once, here, into the form the rules
compare (dates, ISO country codes, HS digits, IMO numbers, numbers, tuples for
lists), so that a bad value is reported with its row and column instead of
surfacing as a wrong finding. Columns the type does not define are kept, unparsed,
and ignored unless a regime declares them (for example `notification_ref`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from sanctionsnet.errors import SanctionsNetError

#: Value kinds: how a column is parsed and which rule operators apply to it.
KINDS = (
    "text",
    "date",
    "country",
    "countries",
    "port",
    "ports",
    "party",
    "parties",
    "vessel_name",
    "imo",
    "hs",
    "number",
    "integer",
    "currency",
    "choice",
)
LIST_KINDS = frozenset({"countries", "ports", "parties"})
#: Kinds screened against the lists.
PARTY_KINDS = frozenset({"party", "parties", "vessel_name", "imo"})


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()


def _cols(
    *specs: tuple[str, str, bool, str] | tuple[str, str, bool, str, tuple[str, ...]],
) -> dict[str, Column]:
    return {s[0]: Column(*s) for s in specs}


COMMON: dict[str, Column] = _cols(
    ("id", "text", True, "Your reference for the transaction, unique in the file."),
    (
        "type",
        "choice",
        True,
        "shipment, payment, service, employment, joint_venture or vessel_event.",
    ),
    ("date", "date", True, "Date of the transaction, YYYY-MM-DD."),
)

EVENTS = ("port_call", "ship_to_ship", "flag_change")

#: The columns of each transaction type. Required ones must be present and non-empty.
TYPES: dict[str, dict[str, Column]] = {
    "shipment": _cols(
        ("hs_code", "hs", True, "Declared HS code, 6 to 10 digits (dots and spaces allowed)."),
        ("description", "text", False, "Description of the goods, as declared."),
        ("quantity", "number", False, "Quantity, in `unit`."),
        (
            "unit",
            "text",
            False,
            "barrel, tonne, kg, litre, m3, kl, gallon... (caps are tallied in their own unit).",
        ),
        ("value", "number", False, "Value, in `currency`."),
        ("currency", "currency", False, "ISO 4217 code of `value`."),
        ("origin", "country", True, "Country of origin of the goods, ISO 3166 alpha-2."),
        ("destination", "country", True, "Country of destination, ISO 3166 alpha-2."),
        ("port_of_loading", "port", False, "Port name or UN/LOCODE."),
        ("port_of_discharge", "port", False, "Port name or UN/LOCODE."),
        ("transshipment_ports", "ports", False, "Ports of transshipment, `;`-separated."),
        ("shipper", "party", False, "Name of the shipper (screened)."),
        ("consignee", "party", False, "Name of the consignee (screened)."),
        ("notify_party", "party", False, "Name of the notify party (screened)."),
        (
            "vessel_name",
            "vessel_name",
            False,
            "Name of the carrying vessel (screened with its IMO).",
        ),
        ("vessel_imo", "imo", False, "IMO number of the carrying vessel, 7 digits."),
    ),
    "payment": _cols(
        ("payer", "party", True, "Name of the payer (screened)."),
        ("payee", "party", True, "Name of the payee (screened)."),
        ("payer_country", "country", True, "Country of the payer, ISO 3166 alpha-2."),
        ("payee_country", "country", True, "Country of the payee, ISO 3166 alpha-2."),
        ("amount", "number", False, "Amount, in `currency`."),
        ("currency", "currency", False, "ISO 4217 code of `amount`."),
        ("purpose", "text", False, "Purpose of the payment, in words."),
    ),
    "employment": _cols(
        ("worker_nationality", "country", True, "Nationality of the workers, ISO 3166 alpha-2."),
        ("employer", "party", True, "Name of the employer (screened)."),
        ("work_country", "country", True, "Country where the work is done, ISO 3166 alpha-2."),
        ("workers", "integer", False, "Number of workers (default 1)."),
        (
            "authorisation_date",
            "date",
            True,
            "Date the work authorisation was granted, YYYY-MM-DD.",
        ),
    ),
    "joint_venture": _cols(
        ("parties", "parties", True, "Names of the parties, `;`-separated (each screened)."),
        ("countries", "countries", True, "Countries of the parties, `;`-separated ISO codes."),
        ("sector", "text", False, "Sector of activity, in words."),
    ),
    "vessel_event": _cols(
        ("vessel_name", "vessel_name", False, "Name of the vessel (screened with its IMO)."),
        ("vessel_imo", "imo", False, "IMO number of the vessel."),
        ("event", "choice", True, "port_call, ship_to_ship or flag_change.", EVENTS),
        (
            "counterparty_vessel_imo",
            "imo",
            False,
            "IMO number of the other vessel in a ship-to-ship transfer (screened).",
        ),
        ("port", "port", False, "Port of a port call (name or UN/LOCODE)."),
        (
            "flag",
            "country",
            False,
            "Flag of the vessel (after a flag change: the new flag), ISO alpha-2.",
        ),
    ),
}
TYPES["service"] = dict(TYPES["payment"])
TYPES["service"]["purpose"] = Column("purpose", "text", False, "The service provided, in words.")
TYPE_NAMES = ("shipment", "payment", "service", "employment", "joint_venture", "vessel_event")
TYPES = {name: TYPES[name] for name in TYPE_NAMES}

#: Pseudo-columns rules may name: every screened party of the row, every port of the row.
PSEUDO: dict[str, Column] = {
    "any_party": Column(
        "any_party", "parties", False, "Every screened party and vessel of the row."
    ),
    "any_port": Column("any_port", "ports", False, "Every port of the row."),
}


def columns_for(type_name: str) -> dict[str, Column]:
    """All columns a row of this type may carry (common ones first)."""
    return {**COMMON, **TYPES[type_name]}


@dataclass(frozen=True)
class RowIssue:
    """One problem with one row: where it is, which column, what is wrong."""

    row: int
    line: int | None
    id: str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else f"row {self.row}"
        if self.id:
            where += f" (id {self.id})"
        col = f"{self.column}: " if self.column else ""
        return f"{where}: {col}{self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "line": self.line,
            "id": self.id,
            "field": self.column,
            "message": self.message,
        }


class TransactionError(SanctionsNetError):
    """Transactions that cannot be checked: each issue names the row and the field.

    The API answers it with a 422 and `to_json()`; the CLI prints it and exits 1.
    """

    MAX_SHOWN = 20

    def __init__(
        self, issues: list[RowIssue], source: str | None = None, total: int | None = None
    ) -> None:
        self.issues = issues
        self.source = source
        self.total = total if total is not None else len(issues)
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.source}: " if self.source else ""
        shown = [str(i) for i in self.issues[: self.MAX_SHOWN]]
        more = self.total - len(shown)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        plural = "s" if self.total != 1 else ""
        return (
            f"{head}{self.total} invalid transaction value{plural}:\n  " + "\n  ".join(shown) + tail
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "error": "invalid transactions",
            "source": self.source,
            "count": self.total,
            "issues": [i.to_json() for i in self.issues],
        }


class Transaction:
    """One parsed row. `values` holds every column of its type by name, parsed to its kind.

    Columns the type does not define are kept as text in `extra` (built on first use).
    """

    __slots__ = ("_extra", "date", "id", "line", "row", "type", "values")

    def __init__(
        self,
        id: str,
        type: str,
        date: date,
        values: dict[str, Any],
        row: int = 0,
        line: int | None = None,
        extra: dict[str, str] | tuple[list[str], tuple[tuple[str, int], ...]] | None = None,
    ) -> None:
        self.id = id
        self.type = type
        self.date = date
        self.values = values
        self.row = row
        self.line = line
        self._extra = extra

    @property
    def extra(self) -> dict[str, str]:
        found = self._extra
        if found is None:
            found = {}
        elif isinstance(found, tuple):
            cells, where = found
            found = {name: cells[i] for name, i in where if i < len(cells) and cells[i].strip()}
        self._extra = found
        return found

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def __repr__(self) -> str:
        return f"Transaction({self.id!r}, {self.type!r}, {self.date.isoformat()}, line={self.line})"


# ----------------------------------------------------------------------------- parsing

_COUNTRIES: frozenset[str] | None = None
_DATE_CACHE: dict[str, date] = {}
_HS_RE = re.compile(r"[\s.\-]")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_IMO_RE = re.compile(r"^(?:IMO)?\s*(\d{7})$", re.IGNORECASE)


def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes followthemoney knows (plus its territories), upper case."""
    global _COUNTRIES
    if _COUNTRIES is None:
        from followthemoney import registry

        _COUNTRIES = frozenset(code.upper() for code in registry.country.names)
    return _COUNTRIES


class ValueProblem(ValueError):
    """A value that does not parse as its column's kind."""


def parse_date(text: str) -> date:
    cached = _DATE_CACHE.get(text)
    if cached is not None:
        return cached
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"not a date (YYYY-MM-DD): {text!r}") from None
    if len(text) != 10:
        raise ValueProblem(f"not a date (YYYY-MM-DD): {text!r}")
    if len(_DATE_CACHE) < 100_000:
        _DATE_CACHE[text] = value
    return value


def parse_country(text: str) -> str:
    code = text.strip().upper()
    if code in country_codes():
        return code
    from followthemoney import registry

    guess = registry.country.clean(text)
    hint = f" (did you mean {guess.upper()}?)" if guess else ""
    raise ValueProblem(f"not an ISO 3166 alpha-2 country code: {text!r}{hint}")


def normalise_hs(text: str) -> str:
    """Digits of a declared HS code; 6 to 10 of them."""
    digits = _HS_RE.sub("", text)
    if not digits.isdigit():
        raise ValueProblem(f"an HS code has digits only (dots and spaces allowed): {text!r}")
    if not 6 <= len(digits) <= 10:
        raise ValueProblem(f"an HS code has 6 to 10 digits, got {len(digits)}: {text!r}")
    return digits


def imo_is_valid(number: str) -> bool:
    """The IMO check digit: the first six digits weighted 7..2, last digit of the sum."""
    total = sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(number[6])


def parse_imo(text: str) -> str:
    match = _IMO_RE.match(text.strip())
    if not match:
        raise ValueProblem(f"an IMO number has 7 digits: {text!r}")
    number = match.group(1)
    if not imo_is_valid(number):
        raise ValueProblem(f"IMO number {number} fails its check digit")
    return number


def parse_number(text: str) -> float:
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise ValueProblem(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueProblem(f"not a number: {text!r}")
    return value


def parse_integer(text: str) -> int:
    value = parse_number(text)
    if value != int(value) or value < 0:
        raise ValueProblem(f"not a whole number: {text!r}")
    return int(value)


def split_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        items = [str(v).strip() for v in value if v is not None]
    else:
        items = [v.strip() for v in re.split(r"[;|]", str(value))]
    return tuple(i for i in items if i)


def parse_value(column: Column, raw: Any) -> Any:
    """A raw cell (string, or a JSON value) as its column's kind; raises ValueProblem."""
    kind = column.kind
    if kind in LIST_KINDS:
        items = split_list(raw)
        if kind == "countries":
            return tuple(parse_country(i) for i in items)
        return items
    if isinstance(raw, list | dict):
        raise ValueProblem(f"expected a single value, got {type(raw).__name__}")
    if kind in ("number", "integer") and isinstance(raw, int | float) and not isinstance(raw, bool):
        return parse_integer(str(raw)) if kind == "integer" else parse_number(str(raw))
    text = str(raw).strip()
    if kind == "number":
        return parse_number(text)
    if kind == "integer":
        return parse_integer(text)
    if kind == "date":
        return parse_date(text)
    if kind == "country":
        return parse_country(text)
    if kind == "hs":
        return normalise_hs(text)
    if kind == "imo":
        return parse_imo(text)
    if kind == "currency":
        code = text.upper()
        if not _CURRENCY_RE.match(code):
            raise ValueProblem(f"not an ISO 4217 currency code: {text!r}")
        return code
    if kind == "choice":
        value = text.lower()
        if column.choices and value not in column.choices:
            raise ValueProblem(f"{text!r} is not one of {', '.join(column.choices)}")
        return value
    return text


def _is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return not any(str(v).strip() for v in raw if v is not None)
    return False


#: Kinds whose parse depends on the text alone: parsed once per distinct text.
_MEMO_KINDS = frozenset(
    {"date", "country", "countries", "ports", "parties", "hs", "imo", "currency", "choice"}
)
_PLAIN_KINDS = frozenset({"text", "party", "vessel_name", "port"})
_MEMO_LIMIT = 200_000


class RowParser:
    """Parses rows into Transactions; `extra_columns` are the regime's own (parsed too).

    Issues are collected rather than raised so that a file reports all its bad rows.
    Values that repeat (dates, codes, countries, ports) are parsed once per distinct text.
    """

    def __init__(self, extra_columns: Mapping[str, Column] | None = None) -> None:
        self.extra_columns = dict(extra_columns or {})
        self._specs = {t: {**columns_for(t), **self.extra_columns} for t in TYPE_NAMES}
        # Per type: (name, column, memo) where memo is None for text kept as is, a dict
        # of parsed values by text for kinds that repeat, or False for numbers.
        self._plans: dict[str, list[tuple[str, Column, dict[str, Any] | bool | None]]] = {}
        memos: dict[str, dict[str, Any]] = {}
        for type_name, spec in self._specs.items():
            plan: list[tuple[str, Column, dict[str, Any] | bool | None]] = []
            for name, column in spec.items():
                if name == "type":
                    continue
                memo: dict[str, Any] | bool | None
                if column.kind in _PLAIN_KINDS:
                    memo = None
                elif column.kind in _MEMO_KINDS:
                    memo = memos.setdefault(f"{name}:{column.kind}", {})
                else:
                    memo = False
                plan.append((name, column, memo))
            self._plans[type_name] = plan
        self._common_plan: list[tuple[str, Column, dict[str, Any] | bool | None]] = [
            (n, c, None if c.kind == "text" else False) for n, c in COMMON.items() if n != "type"
        ]

    def layout(self, names: list[str]) -> CsvLayout:
        """Where each type's columns sit in rows with this header."""
        index = {name: i for i, name in enumerate(names)}
        columns = {}
        extras = {}
        for type_name, plan in [*self._plans.items(), ("", self._common_plan)]:
            spec = self._specs.get(type_name, COMMON)
            columns[type_name] = tuple(index.get(name, -1) for name, _, _ in plan)
            extras[type_name] = tuple((n, i) for n, i in index.items() if n not in spec)
        return CsvLayout(index["id"], index["type"], columns, extras)

    def parse(
        self, raw: Mapping[str, Any], row: int, line: int | None, issues: list[RowIssue]
    ) -> Transaction | None:
        """One row given as a mapping (JSON lines, the API)."""
        tx_id, type_name, plan = self._head(raw.get("id"), raw.get("type"), row, line, issues)
        cells = [raw.get(name) for name, _, _ in plan]
        spec = self._specs.get(type_name, COMMON)
        extra = {}
        for name, value in raw.items():
            if name not in spec and name != "type" and not _is_empty(value):
                extra[name] = value if isinstance(value, str) else orjson.dumps(value).decode()
        return self._build(tx_id, type_name, plan, cells, row, line, issues, extra)

    def parse_cells(
        self, cells: list[str], layout: CsvLayout, row: int, line: int, issues: list[RowIssue]
    ) -> Transaction | None:
        """One CSV row, its cells placed by `layout`."""
        width = len(cells)
        tx_id_raw = cells[layout.id] if layout.id < width else None
        type_raw = cells[layout.type] if layout.type < width else None
        tx_id, type_name, plan = self._head(tx_id_raw, type_raw, row, line, issues)
        values = [cells[i] if 0 <= i < width else None for i in layout.columns[type_name]]
        extra = (cells, layout.extras[type_name])
        return self._build(tx_id, type_name, plan, values, row, line, issues, extra)

    def _head(
        self, tx_id_raw: Any, type_raw: Any, row: int, line: int | None, issues: list[RowIssue]
    ) -> tuple[str | None, str, list[tuple[str, Column, dict[str, Any] | bool | None]]]:
        tx_id = None if _is_empty(tx_id_raw) else str(tx_id_raw).strip()
        type_name = "" if _is_empty(type_raw) else str(type_raw).strip().lower()
        plan = self._plans.get(type_name)
        if plan is None:
            message = (
                "missing required column 'type'"
                if not type_name
                else f"unknown type {type_raw!r} (known: {', '.join(TYPE_NAMES)})"
            )
            issues.append(RowIssue(row, line, tx_id, "type", message))
            type_name, plan = "", self._common_plan
        return tx_id, type_name, plan

    def _build(
        self,
        tx_id: str | None,
        type_name: str,
        plan: list[tuple[str, Column, dict[str, Any] | bool | None]],
        cells: list[Any],
        row: int,
        line: int | None,
        issues: list[RowIssue],
        extra: dict[str, str] | tuple[list[str], tuple[tuple[str, int], ...]],
    ) -> Transaction | None:
        count = len(issues)
        values: dict[str, Any] = {"type": type_name}
        for (name, column, memo), value in zip(plan, cells, strict=True):
            if value.__class__ is str:
                value = value.strip()
                if value:
                    # The common case, without a call: text kept as is, or parsed before.
                    if memo is None:
                        values[name] = value
                        continue
                    if memo.__class__ is dict:
                        found = memo.get(value)  # type: ignore[union-attr]
                        if found is not None:
                            values[name] = found
                            continue
                else:
                    value = None
            elif _is_empty(value):
                value = None
            if value is None:
                if column.required:
                    what = type_name or "transaction"
                    article = "an" if what[0] in "aeiou" else "a"
                    message = f"missing required column {name!r} for {article} {what}"
                    issues.append(RowIssue(row, line, tx_id, name, message))
                continue
            try:
                parsed = parse_value(column, value)
            except ValueProblem as exc:
                issues.append(RowIssue(row, line, tx_id, name, str(exc)))
                continue
            if isinstance(memo, dict) and value.__class__ is str and len(memo) < _MEMO_LIMIT:
                memo[value] = parsed
            values[name] = parsed
        if (
            type_name == "vessel_event"
            and "vessel_imo" not in values
            and "vessel_name" not in values
        ) and all(i.column != "vessel_imo" for i in issues[count:]):
            message = "a vessel_event needs vessel_imo or vessel_name"
            issues.append(RowIssue(row, line, tx_id, "vessel_imo", message))
        if len(issues) > count or not type_name:
            return None
        return Transaction(values["id"], type_name, values["date"], values, row, line, extra)


@dataclass(frozen=True)
class CsvLayout:
    """Column positions for one CSV header: id, type, each type's columns, the others."""

    id: int
    type: int
    columns: dict[str, tuple[int, ...]]
    extras: dict[str, tuple[tuple[str, int], ...]]


def parse_records(
    records: Iterable[Mapping[str, Any]],
    extra_columns: Mapping[str, Column] | None = None,
    source: str | None = None,
) -> list[Transaction]:
    """Rows given as mappings (the API): all of them, or TransactionError naming each bad one."""
    parser = RowParser(extra_columns)
    issues: list[RowIssue] = []
    result: list[Transaction] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            issues.append(
                RowIssue(number, None, None, None, "a transaction is an object of columns")
            )
            continue
        tx = parser.parse(record, number, None, issues)
        if tx is not None:
            _check_unique(tx, seen, issues)
            result.append(tx)
    if issues:
        raise TransactionError(issues, source)
    return result


def _check_unique(tx: Transaction, seen: dict[str, int], issues: list[RowIssue]) -> None:
    first = seen.get(tx.id)
    if first is not None:
        issues.append(RowIssue(tx.row, tx.line, tx.id, "id", f"id repeated (first at row {first})"))
    else:
        seen[tx.id] = tx.row


# ----------------------------------------------------------------------------- files


class TransactionReader:
    """Streams Transactions from a CSV or JSON lines file, collecting the bad rows.

    Iterate it, then look at `issues` (or call `raise_for_issues()`): a caller that
    must not act on part of a bad file keeps its output until the end.
    """

    MAX_ISSUES = 1000

    def __init__(self, path: Path, extra_columns: Mapping[str, Column] | None = None) -> None:
        self.path = path
        self.parser = RowParser(extra_columns)
        self.issues: list[RowIssue] = []
        self.issue_count = 0
        self.rows = 0

    def __iter__(self) -> Iterator[Transaction]:
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise SanctionsNetError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        with handle:
            head = handle.read(4096)
            handle.seek(0)
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            try:
                if _looks_like_jsonl(self.path, head):
                    yield from self._json_lines(text)
                else:
                    yield from self._csv(text)
            except UnicodeDecodeError as exc:
                raise SanctionsNetError(f"{self.path}: not UTF-8 text ({exc.reason})") from None

    def _record(self, found: list[RowIssue]) -> None:
        self.issue_count += len(found)
        room = self.MAX_ISSUES - len(self.issues)
        if room > 0:
            self.issues.extend(found[:room])

    def _keep(self, tx: Transaction | None, scratch: list[RowIssue], seen: dict[str, int]) -> bool:
        if tx is not None:
            _check_unique(tx, seen, scratch)
        if scratch:
            self._record(scratch)
            return False
        return tx is not None

    def _csv(self, text: io.TextIOWrapper) -> Iterator[Transaction]:
        reader = csv.reader(text, delimiter="\t" if self.path.suffix.lower() == ".tsv" else ",")
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SanctionsNetError(f"{self.path}, line 1: not CSV: {exc}") from None
        names = [h.strip().lower() for h in header]
        for required in ("id", "type", "date"):
            if required not in names:
                raise SanctionsNetError(
                    f"{self.path}, line 1: the header has no {required!r} column "
                    f"(columns: {', '.join(names)})"
                )
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise SanctionsNetError(f"{self.path}, line 1: repeated columns: {', '.join(repeated)}")
        layout = self.parser.layout(names)
        width = len(names)
        seen: dict[str, int] = {}
        parse = self.parser.parse_cells
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise SanctionsNetError(
                    f"{self.path}, line {reader.line_num}: not CSV: {exc}"
                ) from None
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            line = reader.line_num
            self.rows += 1
            scratch: list[RowIssue] = []
            if len(cells) > width:
                message = f"{len(cells)} cells, the header has {width}"
                self._record([RowIssue(self.rows, line, None, None, message)])
                continue
            tx = parse(cells, layout, self.rows, line, scratch)
            if self._keep(tx, scratch, seen):
                yield tx  # type: ignore[misc]

    def _json_lines(self, text: io.TextIOWrapper) -> Iterator[Transaction]:
        seen: dict[str, int] = {}
        for line, content in enumerate(text, start=1):
            if not content.strip():
                continue
            self.rows += 1
            try:
                raw = orjson.loads(content)
            except orjson.JSONDecodeError as exc:
                self._record([RowIssue(self.rows, line, None, None, f"not JSON: {exc}")])
                continue
            if not isinstance(raw, dict):
                self._record([RowIssue(self.rows, line, None, None, "each line is a JSON object")])
                continue
            scratch: list[RowIssue] = []
            tx = self.parser.parse(
                {str(k).lower(): v for k, v in raw.items()}, self.rows, line, scratch
            )
            if self._keep(tx, scratch, seen):
                yield tx  # type: ignore[misc]

    def raise_for_issues(self) -> None:
        if self.issue_count:
            raise TransactionError(self.issues, str(self.path), total=self.issue_count)


def _looks_like_jsonl(path: Path, head: bytes) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return True
    if suffix in (".csv", ".tsv", ".txt"):
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
