"""The regime file format: typed measures, and a check that reports bad rules by line.

A regime file is YAML with four parts:

- `regime`: id, title, authority, the `target` (its countries, flags, ports with
  aliases, and the list programmes under which its designations are published), the
  `actions` a measure may require (each with a severity), extra `columns` its rules
  read from transactions, and the `resolutions` (legal instruments) cited.
- `caps`: quantitative caps: quantity, unit (barrel, tonne or a currency), alternative
  quantities, and the period they run over.
- `measures`: each with id, title, citation (`resolution`, `paragraph`), dates
  (`in_force`, `superseded`), `direction`, required `action`, and what it applies to:
  goods (`scope`: HS codes with exclusions, extra conditions, words that name the
  goods) for `export_from` / `import_into`, or transactions (`match`: types and
  conditions) for any direction. `exemptions` carry their own conditions (`when`).
  A measure with neither scope nor match is reference only.
- `sources`: the register that `sources:` lists refer to.

Conditions are `{column: {operator: value}}` mappings, or lists of them (any one
suffices). Operators: in, not_in, present, on_or_after, before, gt, gte, lt, lte
(with an optional `currency`), mentions, not_mentions, listed. `$target` in a list
stands for the regime's target countries (or, for port columns, its ports).

The code is generic over this format: a second regime is a second file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import date as _Date  # `_Reader.date` shadows the name inside the class
from typing import Any

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.regime.hs import HSNomenclature
from sanctionsnet.regime.model import (
    TARGET,
    ActionDef,
    Cap,
    CapPeriod,
    Clause,
    Conditions,
    Exemption,
    Measure,
    Port,
    Regime,
    Related,
    Resolution,
    ScopeItem,
    Target,
    Trigger,
)
from sanctionsnet.regime.transactions import (
    COMMON,
    KINDS,
    PARTY_KINDS,
    PSEUDO,
    TYPE_NAMES,
    TYPES,
    Column,
    country_codes,
)
from sanctionsnet.regime.yamlines import BadScalar, YMap, YSeq

SCHEMA_VERSION = 1
DIRECTIONS = ("export_from", "import_into", "services", "finance", "persons", "vessels")
GOODS_DIRECTIONS = ("export_from", "import_into")
VERIFIED = ("text", "secondary", "unverified")
HS_BASIS = ("resolution_text", "resolution_recalled", "indicative", "none")
SEVERITIES = ("high", "medium", "low")
OUTCOMES = ("breach", "notify", "review")
UNITS = ("barrel", "tonne")

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HS_PATTERN = re.compile(r"^\d{2}(?:\d{2}){0,4}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

#: Operator -> kinds it applies to.
OPERATORS: dict[str, frozenset[str]] = {
    "in": frozenset(KINDS) - {"date", "number", "integer"},
    "not_in": frozenset(KINDS) - {"date", "number", "integer"},
    "present": frozenset(KINDS),
    "on_or_after": frozenset({"date"}),
    "before": frozenset({"date"}),
    "gt": frozenset({"number", "integer"}),
    "gte": frozenset({"number", "integer"}),
    "lt": frozenset({"number", "integer"}),
    "lte": frozenset({"number", "integer"}),
    "mentions": frozenset({"text", "party", "parties", "vessel_name"}),
    "not_mentions": frozenset({"text", "party", "parties", "vessel_name"}),
    "listed": PARTY_KINDS | {"parties"},
}
MODIFIERS = frozenset({"currency"})


# ----------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Issue:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


class RegimeError(SanctionsNetError):
    """A regime file with bad rules; each issue names its line."""

    def __init__(self, file: str, issues: list[Issue]) -> None:
        self.file = file
        self.issues = sorted(issues, key=lambda i: (i.line or 0, i.path))
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.issues)
        lines = "\n  ".join(str(i) for i in self.issues)
        return f"{self.file}: {n} problem{'s' if n != 1 else ''} in the regime rules:\n  {lines}"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "issues": [{"line": i.line, "path": i.path, "message": i.message} for i in self.issues],
        }


# ----------------------------------------------------------------------------- parsing

_REGIME_KEYS = {
    "id",
    "title",
    "authority",
    "committee",
    "note",
    "target",
    "actions",
    "columns",
    "resolutions",
}
_TARGET_KEYS = {"name", "countries", "flags", "ports", "programs"}
_MEASURE_KEYS = {
    "id", "title", "authority", "resolution", "paragraph", "related", "in_force", "superseded",
    "superseded_by", "deadline", "direction", "category", "action", "severity", "date_field",
    "scope", "hs_basis", "match", "caps", "conditions", "exemptions", "verified",
    "paragraph_seen", "sources", "note",
}  # fmt: skip
_SCOPE_KEYS = {
    "goods",
    "hs",
    "hs_exclude",
    "where",
    "keywords",
    "keywords_exclude",
    "action",
    "items",
}
_ITEM_KEYS = _SCOPE_KEYS - {"items"}
_CAP_KEYS = {
    "id", "goods", "resolution", "paragraph", "quantity", "unit", "alternatives", "period",
    "aggregation", "note", "verified", "paragraph_seen", "sources",
}  # fmt: skip
_EXEMPTION_KEYS = {"id", "text", "resolution", "paragraph", "when", "verified", "sources", "note"}
_RELATED_KEYS = {"resolution", "paragraph", "role", "verified", "paragraph_seen", "sources"}


class _Reader:
    """Walks the YAML tree, building the model and collecting issues by line."""

    def __init__(self, hs: HSNomenclature | None) -> None:
        self.hs = hs
        self.issues: list[Issue] = []
        self.source_refs: list[tuple[str, int, str]] = []

    # -- primitives
    def issue(self, line: int | None, path: str, message: str) -> None:
        self.issues.append(Issue(line, path, message))

    def mapping(self, node: Any, line: int, path: str) -> YMap | None:
        if isinstance(node, YMap):
            return node
        self.issue(line, path, f"expected a mapping, got {_kind(node)}")
        return None

    def sequence(self, node: Any, line: int, path: str) -> YSeq | None:
        if isinstance(node, YSeq):
            return node
        self.issue(line, path, f"expected a list, got {_kind(node)}")
        return None

    def keys(self, m: YMap, allowed: set[str], required: Iterable[str], path: str) -> None:
        for key in m:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.issue(m.line_of(key), f"{path}.{key}", f"unknown key{extra}")
        for key in required:
            if key not in m or m[key] is None or m[key] == "":
                self.issue(m.line, path, f"missing required key {key!r}")

    def text(self, m: YMap, key: str, path: str, default: str = "") -> str:
        value = m.get(key)
        if value is None:
            return default
        if isinstance(value, BadScalar):
            self.issue(value.line, f"{path}.{key}", f"bad value {value.text!r}: {value.problem}")
            return default
        if isinstance(value, YMap | YSeq | bool):
            self.issue(m.line_of(key), f"{path}.{key}", f"expected text, got {_kind(value)}")
            return default
        return str(value)

    def date(self, m: YMap, key: str, path: str) -> _Date | None:
        if key not in m or m[key] is None:
            return None
        return self.date_value(m[key], m.line_of(key), f"{path}.{key}")

    def date_value(self, value: Any, line: int, path: str) -> _Date | None:
        if isinstance(value, BadScalar):
            self.issue(value.line, path, f"bad date {value.text!r}: {value.problem}")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.issue(line, path, f"bad date {value!r} (use YYYY-MM-DD)")
        return None

    def choice(
        self, m: YMap, key: str, options: Iterable[str], path: str, default: str | None = None
    ) -> str | None:
        value = m.get(key)
        if value is None:
            return default
        options = tuple(options)
        if not isinstance(value, str) or value not in options:
            self.issue(
                m.line_of(key), f"{path}.{key}", f"{value!r} is not one of {', '.join(options)}"
            )
            return default
        return value

    def boolean(self, m: YMap, key: str, path: str, default: bool) -> bool:
        value = m.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.issue(m.line_of(key), f"{path}.{key}", f"expected true or false, got {value!r}")
            return default
        return value

    def number(self, value: Any, line: int, path: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.issue(line, path, f"expected a non-negative number, got {value!r}")
            return None
        return float(value)

    def strings(self, m: YMap, key: str, path: str) -> tuple[str, ...]:
        value = m.get(key)
        if value is None:
            return ()
        seq = self.sequence(value, m.line_of(key), f"{path}.{key}")
        if seq is None:
            return ()
        out = []
        for i, item in enumerate(seq):
            if isinstance(item, YMap | YSeq | BadScalar) or item is None:
                self.issue(
                    seq.line_of(i), f"{path}.{key}[{i}]", f"expected text, got {_kind(item)}"
                )
                continue
            out.append(str(item))
        return tuple(out)

    def sources(self, m: YMap, path: str) -> tuple[str, ...]:
        found = self.strings(m, "sources", path)
        seq = m.get("sources")
        for i, ref in enumerate(found):
            line = seq.line_of(i) if isinstance(seq, YSeq) else m.line
            self.source_refs.append((ref, line, f"{path}.sources[{i}]"))
        return found

    def verified(self, m: YMap, path: str, required: bool = True) -> str:
        if "verified" not in m:
            if required:
                self.issue(
                    m.line, path, "missing required key 'verified' (text, secondary or unverified)"
                )
            return "unverified"
        return self.choice(m, "verified", VERIFIED, path, "unverified") or "unverified"

    def hs_codes(self, m: YMap, key: str, path: str, allow_all: bool = False) -> tuple[str, ...]:
        codes = self.strings(m, key, path)
        seq = m.get(key)
        good = []
        for i, code in enumerate(codes):
            line = seq.line_of(i) if isinstance(seq, YSeq) else m.line
            where = f"{path}.{key}[{i}]"
            if code == "*":
                if not allow_all:
                    self.issue(line, where, "'*' (every code) is allowed in `hs` only")
                    continue
                good.append(code)
                continue
            if not _HS_PATTERN.match(code):
                self.issue(
                    line,
                    where,
                    f"bad HS code {code!r}: 2, 4, 6, 8 or 10 digits, as a quoted string",
                )
                continue
            if self.hs is not None and not self.hs.exists(code[:6]):
                self.issue(
                    line, where, f"HS code {code!r} is not in {'/'.join(sorted(self.hs.editions))}"
                )
                continue
            good.append(code)
        return tuple(good)


def _kind(value: Any) -> str:
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YSeq):
        return "a list"
    if isinstance(value, BadScalar):
        return f"the bad value {value.text!r}"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def parse_regime(doc: Any, file: str, hs: HSNomenclature | None = None) -> Regime:
    """Build a Regime from a YAML tree (see yamlines), or raise RegimeError listing every issue."""
    r = _Reader(hs)
    if not isinstance(doc, YMap):
        raise RegimeError(file, [Issue(1, "", f"a regime file is a mapping, got {_kind(doc)}")])
    r.keys(
        doc,
        {"schema_version", "regime", "caps", "measures", "sources"},
        ["schema_version", "regime", "measures"],
        "",
    )
    version = doc.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        r.issue(
            doc.line_of("schema_version"),
            "schema_version",
            f"unsupported version {version!r} (this sanctionsnet reads {SCHEMA_VERSION})",
        )
    head = (
        r.mapping(doc.get("regime"), doc.line_of("regime"), "regime") if "regime" in doc else None
    )
    info = _regime_head(r, head) if head is not None else None
    caps = _caps(r, doc, info)
    measures = _measures(r, doc, info, caps)
    sources = _sources(r, doc)
    if sources is not None:
        for ref, line, path in r.source_refs:
            if ref not in sources:
                r.issue(line, path, f"unknown source {ref!r} (not in `sources`)")
    if r.issues or info is None:
        raise RegimeError(file, r.issues)
    return Regime(
        id=info["id"],
        title=info["title"],
        authority=info["authority"],
        committee=info["committee"],
        note=info["note"],
        target=info["target"],
        actions=info["actions"],
        columns=info["columns"],
        resolutions=info["resolutions"],
        caps=caps,
        measures=tuple(measures),
        sources=sources or {},
        path=file,
    )


def _regime_head(r: _Reader, m: YMap) -> dict[str, Any]:
    path = "regime"
    r.keys(m, _REGIME_KEYS, ["id", "title", "authority", "target", "actions", "resolutions"], path)
    regime_id = r.text(m, "id", path)
    if regime_id and not _ID_RE.match(regime_id):
        r.issue(m.line_of("id"), f"{path}.id", f"bad id {regime_id!r} (letters, digits, _ . -)")
    info: dict[str, Any] = {
        "id": regime_id,
        "title": r.text(m, "title", path),
        "authority": r.text(m, "authority", path),
        "committee": r.text(m, "committee", path),
        "note": r.text(m, "note", path),
    }
    info["target"] = _target(r, m.get("target"), m.line_of("target"))
    info["actions"] = _actions(r, m.get("actions"), m.line_of("actions"))
    info["columns"] = _columns(r, m.get("columns"), m.line_of("columns"))
    info["resolutions"] = _resolutions(r, m.get("resolutions"), m.line_of("resolutions"))
    return info


def _target(r: _Reader, node: Any, line: int) -> Target:
    path = "regime.target"
    empty = Target("", frozenset(), frozenset(), (), frozenset())
    m = r.mapping(node, line, path) if node is not None else None
    if m is None:
        return empty
    r.keys(m, _TARGET_KEYS, ["name", "countries"], path)
    countries = _country_list(r, m, "countries", path)
    flags = _country_list(r, m, "flags", path) or countries
    ports: list[Port] = []
    seq = m.get("ports")
    if (
        seq is not None
        and (seq := r.sequence(seq, m.line_of("ports"), f"{path}.ports")) is not None
    ):
        for i, item in enumerate(seq):
            where = f"{path}.ports[{i}]"
            pm = r.mapping(item, seq.line_of(i), where)
            if pm is None:
                continue
            r.keys(pm, {"name", "aliases"}, ["name"], where)
            ports.append(Port(r.text(pm, "name", where), r.strings(pm, "aliases", where)))
    programs = frozenset(p.casefold() for p in r.strings(m, "programs", path))
    return Target(
        r.text(m, "name", path), frozenset(countries), frozenset(flags), tuple(ports), programs
    )


def _country_list(r: _Reader, m: YMap, key: str, path: str) -> tuple[str, ...]:
    codes = r.strings(m, key, path)
    seq = m.get(key)
    out = []
    for i, code in enumerate(codes):
        if code.upper() not in country_codes():
            r.issue(
                seq.line_of(i) if isinstance(seq, YSeq) else m.line,
                f"{path}.{key}[{i}]",
                f"not an ISO 3166 alpha-2 code: {code!r}",
            )
            continue
        out.append(code.upper())
    return tuple(out)


def _actions(r: _Reader, node: Any, line: int) -> dict[str, ActionDef]:
    path = "regime.actions"
    m = r.mapping(node, line, path) if node is not None else None
    if m is None:
        return {}
    out = {}
    for name, value in m.items():
        where = f"{path}.{name}"
        am = r.mapping(value, m.line_of(name), where)
        if am is None:
            continue
        r.keys(am, {"severity", "outcome", "description"}, ["severity"], where)
        default_outcome = (
            "breach" if name == "refuse" else "review" if name == "review" else "notify"
        )
        out[name] = ActionDef(
            name,
            r.choice(am, "severity", SEVERITIES, where, "medium") or "medium",
            r.choice(am, "outcome", OUTCOMES, where, default_outcome) or default_outcome,
            r.text(am, "description", where),
        )
    return out


def _columns(r: _Reader, node: Any, line: int) -> dict[str, Column]:
    path = "regime.columns"
    if node is None:
        return {}
    m = r.mapping(node, line, path)
    if m is None:
        return {}
    known = set(COMMON) | {c for cols in TYPES.values() for c in cols} | set(PSEUDO)
    out = {}
    for name, value in m.items():
        where = f"{path}.{name}"
        if name in known:
            r.issue(m.line_of(name), where, "already a transaction column; declare only new ones")
            continue
        cm = r.mapping(value, m.line_of(name), where)
        if cm is None:
            continue
        r.keys(cm, {"kind", "description"}, ["kind"], where)
        kind = r.choice(cm, "kind", [k for k in KINDS if k != "choice"], where, "text") or "text"
        out[name] = Column(name, kind, False, r.text(cm, "description", where))
    return out


def _resolutions(r: _Reader, node: Any, line: int) -> dict[str, Resolution]:
    path = "regime.resolutions"
    seq = r.sequence(node, line, path) if node is not None else None
    out: dict[str, Resolution] = {}
    if seq is None:
        return out
    for i, item in enumerate(seq):
        where = f"{path}[{i}]"
        m = r.mapping(item, seq.line_of(i), where)
        if m is None:
            continue
        r.keys(
            m, {"id", "symbol", "adopted", "verified", "sources", "note"}, ["id", "symbol"], where
        )
        rid = r.text(m, "id", where)
        if rid in out:
            r.issue(m.line_of("id"), f"{where}.id", f"resolution {rid!r} listed twice")
        out[rid] = Resolution(
            rid,
            r.text(m, "symbol", where),
            r.date(m, "adopted", where),
            r.verified(m, where, required=False),
            r.sources(m, where),
        )
    return out


def _caps(r: _Reader, doc: YMap, info: dict[str, Any] | None) -> dict[str, Cap]:
    out: dict[str, Cap] = {}
    node = doc.get("caps")
    if node is None:
        return out
    seq = r.sequence(node, doc.line_of("caps"), "caps")
    if seq is None:
        return out
    for i, item in enumerate(seq):
        where = f"caps[{i}]"
        m = r.mapping(item, seq.line_of(i), where)
        if m is None:
            continue
        r.keys(m, _CAP_KEYS, ["id", "unit", "period", "verified"], where)
        cap_id = r.text(m, "id", where)
        where = f"caps[{i}] ({cap_id})"
        if cap_id in out:
            r.issue(m.line_of("id"), where, f"cap id {cap_id!r} used twice")
        _citation(r, m, where, info)
        quantity = (
            r.number(m["quantity"], m.line_of("quantity"), f"{where}.quantity")
            if m.get("quantity") is not None
            else None
        )
        unit = _unit(r, m, "unit", where)
        alternatives = []
        alts = m.get("alternatives")
        if (
            alts is not None
            and (alts := r.sequence(alts, m.line_of("alternatives"), f"{where}.alternatives"))
            is not None
        ):
            for j, alt in enumerate(alts):
                aw = f"{where}.alternatives[{j}]"
                am = r.mapping(alt, alts.line_of(j), aw)
                if am is None:
                    continue
                r.keys(am, {"quantity", "unit"}, ["quantity", "unit"], aw)
                q = r.number(am.get("quantity"), am.line_of("quantity"), f"{aw}.quantity")
                if q is not None:
                    alternatives.append((q, _unit(r, am, "unit", aw)))
        period = _period(r, m.get("period"), m.line_of("period"), f"{where}.period")
        out[cap_id] = Cap(
            cap_id,
            r.text(m, "goods", where),
            r.text(m, "resolution", where),
            r.text(m, "paragraph", where),
            quantity,
            unit,
            tuple(alternatives),
            period,
            r.text(m, "aggregation", where),
            r.text(m, "note", where),
            r.verified(m, where),
            r.boolean(m, "paragraph_seen", where, True),
        )
        r.sources(m, where)
    return out


def _unit(r: _Reader, m: YMap, key: str, path: str) -> str:
    unit = r.text(m, key, path)
    if unit and unit not in UNITS and not _CURRENCY_RE.match(unit):
        r.issue(
            m.line_of(key),
            f"{path}.{key}",
            f"unknown unit {unit!r} ({', '.join(UNITS)} or a currency code such as USD)",
        )
    return unit


def _period(r: _Reader, node: Any, line: int, path: str) -> CapPeriod:
    fallback = CapPeriod(date.min)
    m = r.mapping(node, line, path) if node is not None else None
    if m is None:
        return fallback
    r.keys(m, {"start", "end", "months", "recurring"}, ["start"], path)
    start = r.date(m, "start", path)
    end = r.date(m, "end", path)
    months = m.get("months")
    if months is not None and (
        isinstance(months, bool) or not isinstance(months, int) or months < 1
    ):
        r.issue(
            m.line_of("months"),
            f"{path}.months",
            f"expected a whole number of months, got {months!r}",
        )
        months = None
    if months is None and end is None:
        r.issue(m.line, path, "a period needs `end` or `months`")
    if start and end and end < start:
        r.issue(m.line_of("end"), f"{path}.end", "ends before it starts")
    return CapPeriod(start or date.min, end, months, r.boolean(m, "recurring", path, False))


def _citation(r: _Reader, m: YMap, path: str, info: dict[str, Any] | None) -> str:
    """Checks `resolution` and `paragraph`; returns the resolution's symbol."""
    resolution = r.text(m, "resolution", path)
    paragraph = r.text(m, "paragraph", path)
    missing = [k for k, v in (("resolution", resolution), ("paragraph", paragraph)) if not v]
    if missing:
        r.issue(m.line, path, f"missing citation: {' and '.join(missing)}")
        return resolution
    if info is not None and info["resolutions"] and resolution not in info["resolutions"]:
        r.issue(
            m.line_of("resolution"),
            f"{path}.resolution",
            f"resolution {resolution!r} is not declared in regime.resolutions",
        )
        return resolution
    if info is not None and resolution in info["resolutions"]:
        return info["resolutions"][resolution].symbol
    return resolution


def _measures(
    r: _Reader, doc: YMap, info: dict[str, Any] | None, caps: dict[str, Cap]
) -> list[Measure]:
    node = doc.get("measures")
    if node is None:
        return []
    seq = r.sequence(node, doc.line_of("measures"), "measures")
    if seq is None:
        return []
    measures: list[Measure] = []
    ids: dict[str, int] = {}
    successors: list[tuple[str, int, str]] = []
    for i, item in enumerate(seq):
        m = r.mapping(item, seq.line_of(i), f"measures[{i}]")
        if m is None:
            continue
        measure = _measure(r, m, i, info, caps, successors)
        if measure is None:
            continue
        if measure.id in ids:
            r.issue(
                m.line_of("id"),
                f"measures[{i}].id",
                f"measure id {measure.id!r} used twice (first at line {ids[measure.id]})",
            )
        ids[measure.id] = m.line_of("id")
        measures.append(measure)
    for successor, line, path in successors:
        if successor not in ids:
            r.issue(line, path, f"unknown measure {successor!r}")
    return measures


_REQUIRED_MEASURE = (
    "id",
    "title",
    "resolution",
    "paragraph",
    "in_force",
    "direction",
    "action",
    "verified",
)


def _measure(
    r: _Reader,
    m: YMap,
    i: int,
    info: dict[str, Any] | None,
    caps: dict[str, Cap],
    successors: list[tuple[str, int, str]],
) -> Measure | None:
    measure_id = r.text(m, "id", f"measures[{i}]")
    path = f"measures[{i}] ({measure_id or '?'})"
    # The citation and `verified` are reported by their own checks.
    required = [k for k in _REQUIRED_MEASURE if k not in ("resolution", "paragraph", "verified")]
    r.keys(m, _MEASURE_KEYS, required, path)
    if measure_id and not _ID_RE.match(measure_id):
        r.issue(m.line_of("id"), f"{path}.id", f"bad id {measure_id!r} (letters, digits, _ . -)")
    symbol = _citation(r, m, path, info)
    in_force = r.date(m, "in_force", path)
    superseded = r.date(m, "superseded", path)
    if in_force and superseded and superseded <= in_force:
        r.issue(
            m.line_of("superseded"),
            f"{path}.superseded",
            f"superseded ({superseded}) is not after in_force ({in_force})",
        )
    superseded_by = r.text(m, "superseded_by", path) or None
    if superseded_by:
        successors.append((superseded_by, m.line_of("superseded_by"), f"{path}.superseded_by"))
    actions = info["actions"] if info else {}
    action = _action(r, m, "action", path, actions) or "review"
    direction = r.choice(m, "direction", DIRECTIONS, path, "services") or "services"
    deadline = None
    if (
        "deadline" in m
        and (dm := r.mapping(m["deadline"], m.line_of("deadline"), f"{path}.deadline")) is not None
    ):
        r.keys(dm, {"date", "action"}, ["date", "action"], f"{path}.deadline")
        d = r.date(dm, "date", f"{path}.deadline")
        a = _action(r, dm, "action", f"{path}.deadline", actions)
        if d and a:
            deadline = (d, a)
    extra_columns = info["columns"] if info else {}
    scope = _scope(r, m, path, direction, actions, extra_columns)
    triggers = _triggers(r, m, path, actions, extra_columns)
    goods_types = ("shipment",) if scope else ()
    trigger_types = tuple(sorted({t for tr in triggers for t in tr.types}))
    exemption_types = goods_types + trigger_types
    date_field = r.text(m, "date_field", path, "date")
    if date_field != "date":
        for t in exemption_types:
            column = {**COMMON, **TYPES[t], **extra_columns}.get(date_field)
            if column is None or column.kind != "date":
                r.issue(
                    m.line_of("date_field"),
                    f"{path}.date_field",
                    f"{date_field!r} is not a date column of {t}",
                )
    cap_ids = r.strings(m, "caps", path)
    for j, cap_id in enumerate(cap_ids):
        if cap_id not in caps:
            seq = m.get("caps")
            r.issue(
                seq.line_of(j) if isinstance(seq, YSeq) else m.line,
                f"{path}.caps[{j}]",
                f"unknown cap {cap_id!r}",
            )
    if cap_ids and not scope:
        r.issue(
            m.line_of("caps"), f"{path}.caps", "caps apply to goods: the measure needs a `scope`"
        )
    severity = r.choice(m, "severity", SEVERITIES, path)
    exemptions = _exemptions(r, m, path, info, exemption_types or tuple(TYPE_NAMES), extra_columns)
    return Measure(
        id=measure_id,
        title=r.text(m, "title", path),
        authority=r.text(m, "authority", path) or (info["authority"] if info else ""),
        resolution=r.text(m, "resolution", path),
        paragraph=r.text(m, "paragraph", path),
        symbol=symbol,
        in_force=in_force or date.min,
        superseded=superseded,
        superseded_by=superseded_by,
        deadline=deadline,
        direction=direction,
        category=r.text(m, "category", path),
        action=action,
        severity=severity,
        date_field=date_field,
        scope=scope,
        hs_basis=r.choice(m, "hs_basis", HS_BASIS, path, "none" if not scope else "indicative")
        or "none",
        match=triggers,
        caps=cap_ids,
        conditions=r.strings(m, "conditions", path),
        exemptions=exemptions,
        related=_related(r, m, path, info),
        verified=r.verified(m, path),
        paragraph_seen=r.boolean(m, "paragraph_seen", path, True),
        sources=r.sources(m, path),
        note=r.text(m, "note", path),
        line=m.line,
    )


def _action(r: _Reader, m: YMap, key: str, path: str, actions: dict[str, ActionDef]) -> str | None:
    value = m.get(key)
    if value is None:
        return None
    if value not in actions:
        known = ", ".join(actions) or "none declared in regime.actions"
        r.issue(m.line_of(key), f"{path}.{key}", f"unknown action {value!r} (known: {known})")
        return None
    return str(value)


def _scope(
    r: _Reader,
    m: YMap,
    path: str,
    direction: str,
    actions: dict[str, ActionDef],
    extra: dict[str, Column],
) -> tuple[ScopeItem, ...]:
    if "scope" not in m:
        return ()
    where = f"{path}.scope"
    sm = r.mapping(m["scope"], m.line_of("scope"), where)
    if sm is None:
        return ()
    if direction not in GOODS_DIRECTIONS:
        r.issue(
            m.line_of("scope"),
            where,
            f"goods scope needs direction export_from or import_into, not {direction!r}; use `match`",
        )
    r.keys(sm, _SCOPE_KEYS, [], where)
    if "items" in sm:
        shared = {k for k in sm if k not in ("items", "goods")}
        if shared:
            r.issue(
                sm.line, where, f"with `items`, put {', '.join(sorted(shared))} inside each item"
            )
        seq = r.sequence(sm["items"], sm.line_of("items"), f"{where}.items")
        items = []
        for j, item in enumerate(seq or ()):
            im = r.mapping(item, seq.line_of(j) if seq else sm.line, f"{where}.items[{j}]")
            if im is not None:
                r.keys(im, _ITEM_KEYS, ["hs"], f"{where}.items[{j}]")
                items.append(_item(r, im, f"{where}.items[{j}]", actions, extra))
        if not items:
            r.issue(sm.line, where, "no items")
        return tuple(items)
    if "hs" not in sm:
        r.issue(sm.line, where, "missing required key 'hs' (use '*' for every code)")
    return (_item(r, sm, where, actions, extra),)


def _item(
    r: _Reader, m: YMap, path: str, actions: dict[str, ActionDef], extra: dict[str, Column]
) -> ScopeItem:
    before = len(r.issues)
    hs = r.hs_codes(m, "hs", path, allow_all=True)
    if "hs" in m and not hs and len(r.issues) == before:
        r.issue(m.line_of("hs"), f"{path}.hs", "no HS codes")
    keywords = r.strings(m, "keywords", path)
    for j, word in enumerate(keywords):
        if not any(c.isalnum() for c in word):
            r.issue(m.line_of("keywords"), f"{path}.keywords[{j}]", f"not a word: {word!r}")
    return ScopeItem(
        goods=r.text(m, "goods", path),
        hs=hs,
        hs_exclude=r.hs_codes(m, "hs_exclude", path),
        where=_conditions(r, m, "where", path, ("shipment",), extra) if "where" in m else (),
        keywords=keywords,
        keywords_exclude=r.strings(m, "keywords_exclude", path),
        action=_action(r, m, "action", path, actions),
        line=m.line,
    )


def _triggers(
    r: _Reader, m: YMap, path: str, actions: dict[str, ActionDef], extra: dict[str, Column]
) -> tuple[Trigger, ...]:
    if "match" not in m:
        return ()
    seq = r.sequence(m["match"], m.line_of("match"), f"{path}.match")
    out = []
    for j, item in enumerate(seq or ()):
        where = f"{path}.match[{j}]"
        tm = r.mapping(item, seq.line_of(j) if seq else m.line, where)
        if tm is None:
            continue
        r.keys(tm, {"type", "where", "action"}, ["type", "where"], where)
        types = r.strings(tm, "type", where)
        for k, t in enumerate(types):
            if t not in TYPES:
                hint = difflib.get_close_matches(t, TYPE_NAMES, n=1)
                extra_hint = f" (did you mean {hint[0]!r}?)" if hint else ""
                tseq = tm.get("type")
                r.issue(
                    tseq.line_of(k) if isinstance(tseq, YSeq) else tm.line,
                    f"{where}.type[{k}]",
                    f"unknown transaction type {t!r}{extra_hint}",
                )
        types = tuple(t for t in types if t in TYPES)
        conditions = _conditions(r, tm, "where", where, types, extra) if types else ()
        out.append(Trigger(types, conditions, _action(r, tm, "action", where, actions), tm.line))
    return tuple(out)


def _exemptions(
    r: _Reader,
    m: YMap,
    path: str,
    info: dict[str, Any] | None,
    types: tuple[str, ...],
    extra: dict[str, Column],
) -> tuple[Exemption, ...]:
    if "exemptions" not in m:
        return ()
    seq = r.sequence(m["exemptions"], m.line_of("exemptions"), f"{path}.exemptions")
    out = []
    for j, item in enumerate(seq or ()):
        where = f"{path}.exemptions[{j}]"
        em = r.mapping(item, seq.line_of(j) if seq else m.line, where)
        if em is None:
            continue
        r.keys(em, _EXEMPTION_KEYS, ["id", "text", "verified"], where)
        resolution = r.text(em, "resolution", where) or None
        if (
            resolution
            and info is not None
            and info["resolutions"]
            and resolution not in info["resolutions"]
        ):
            r.issue(
                em.line_of("resolution"),
                f"{where}.resolution",
                f"resolution {resolution!r} is not declared in regime.resolutions",
            )
        out.append(
            Exemption(
                id=r.text(em, "id", where),
                text=r.text(em, "text", where),
                resolution=resolution,
                paragraph=r.text(em, "paragraph", where) or None,
                when=_conditions(r, em, "when", where, types, extra) if "when" in em else None,
                verified=r.verified(em, where),
                sources=r.sources(em, where),
                note=r.text(em, "note", where),
            )
        )
    return tuple(out)


def _related(r: _Reader, m: YMap, path: str, info: dict[str, Any] | None) -> tuple[Related, ...]:
    if "related" not in m:
        return ()
    seq = r.sequence(m["related"], m.line_of("related"), f"{path}.related")
    out = []
    for j, item in enumerate(seq or ()):
        where = f"{path}.related[{j}]"
        rm = r.mapping(item, seq.line_of(j) if seq else m.line, where)
        if rm is None:
            continue
        r.keys(rm, _RELATED_KEYS, ["role", "verified"], where)
        _citation(r, rm, where, info)
        out.append(
            Related(
                r.text(rm, "resolution", where),
                r.text(rm, "paragraph", where),
                r.text(rm, "role", where),
                r.verified(rm, where),
                r.boolean(rm, "paragraph_seen", where, True),
                r.sources(rm, where),
            )
        )
    return tuple(out)


def _conditions(
    r: _Reader, m: YMap, key: str, path: str, types: tuple[str, ...], extra: dict[str, Column]
) -> Conditions:
    node = m[key]
    where = f"{path}.{key}"
    groups: list[YMap] = []
    lines: list[int] = []
    if isinstance(node, YMap):
        groups, lines = [node], [m.line_of(key)]
    elif isinstance(node, YSeq):
        for j, g in enumerate(node):
            gm = r.mapping(g, node.line_of(j), f"{where}[{j}]")
            if gm is not None:
                groups.append(gm)
                lines.append(node.line_of(j))
    else:
        r.issue(
            m.line_of(key),
            where,
            f"expected a mapping of columns (or a list of them), got {_kind(node)}",
        )
        return ()
    out = []
    for gm in groups:
        clauses: list[Clause] = []
        for column, spec in gm.items():
            clauses.extend(_clauses(r, gm, column, spec, where, types, extra))
        if not gm:
            r.issue(gm.line, where, "empty condition")
        out.append(tuple(clauses))
    return tuple(out)


def column_kind(
    column: str, types: tuple[str, ...], extra: dict[str, Column]
) -> tuple[str | None, list[str]]:
    """The kind of a column for all these types, and the types that lack it."""
    if column in PSEUDO:
        return PSEUDO[column].kind, []
    kinds = set()
    missing = []
    for t in types:
        spec = {**COMMON, **TYPES[t], **extra}
        if column in spec:
            kinds.add(spec[column].kind)
        else:
            missing.append(t)
    if len(kinds) == 1:
        return kinds.pop(), missing
    return (None if not kinds else sorted(kinds)[0]), missing


def _clauses(
    r: _Reader,
    gm: YMap,
    column: str,
    spec: Any,
    path: str,
    types: tuple[str, ...],
    extra: dict[str, Column],
) -> list[Clause]:
    where = f"{path}.{column}"
    line = gm.line_of(column)
    kind, missing = column_kind(column, types, extra)
    if kind is None or missing:
        lacking = ", ".join(missing or types)
        every = {c for t in types for c in {**COMMON, **TYPES[t], **extra}} | set(PSEUDO)
        hint = difflib.get_close_matches(column, sorted(every), n=1)
        extra_hint = f" (did you mean {hint[0]!r}?)" if hint else ""
        r.issue(line, where, f"{column!r} is not a column of {lacking}{extra_hint}")
        return []
    sm = r.mapping(spec, line, where)
    if sm is None:
        return []
    currency = None
    if "currency" in sm:
        currency = str(sm["currency"])
        if not _CURRENCY_RE.match(currency):
            r.issue(
                sm.line_of("currency"), f"{where}.currency", f"not a currency code: {currency!r}"
            )
        if not (set(sm) & {"gt", "gte", "lt", "lte"}):
            r.issue(
                sm.line_of("currency"),
                f"{where}.currency",
                "`currency` goes with gt, gte, lt or lte",
            )
    out = []
    for op, value in sm.items():
        if op in MODIFIERS:
            continue
        oline = sm.line_of(op)
        ow = f"{where}.{op}"
        if op not in OPERATORS:
            hint = difflib.get_close_matches(op, sorted(OPERATORS), n=1)
            extra_hint = f" (did you mean {hint[0]!r}?)" if hint else ""
            r.issue(oline, ow, f"unknown operator {op!r}{extra_hint}")
            continue
        if kind not in OPERATORS[op]:
            r.issue(oline, ow, f"{op!r} does not apply to {column!r} ({kind})")
            continue
        parsed = _operand(r, op, value, kind, column, types, extra, oline, ow)
        if parsed is not _INVALID:
            out.append(Clause(column, op, parsed, oline, currency))
    return out


_INVALID = object()


def _operand(
    r: _Reader,
    op: str,
    value: Any,
    kind: str,
    column: str,
    types: tuple[str, ...],
    extra: dict[str, Column],
    line: int,
    path: str,
) -> Any:
    if op in ("present",):
        if not isinstance(value, bool):
            r.issue(line, path, f"expected true or false, got {value!r}")
            return _INVALID
        return value
    if op == "listed":
        if value is True or value == "any":
            return value
        r.issue(
            line,
            path,
            f"expected true (the regime's programmes) or 'any' (any list), got {value!r}",
        )
        return _INVALID
    if op in ("on_or_after", "before"):
        d = r.date_value(value, line, path)
        return d if d is not None else _INVALID
    if op in ("gt", "gte", "lt", "lte"):
        n = r.number(value, line, path)
        return n if n is not None else _INVALID
    if not isinstance(value, YSeq):
        r.issue(line, path, f"expected a list, got {_kind(value)}")
        return _INVALID
    items = []
    before = len(r.issues)
    for j, item in enumerate(value):
        iw = f"{path}[{j}]"
        iline = value.line_of(j)
        if isinstance(item, YMap | YSeq | BadScalar) or item is None:
            r.issue(iline, iw, f"expected text, got {_kind(item)}")
            continue
        text = str(item)
        if op in ("mentions", "not_mentions"):
            if not any(c.isalnum() for c in text):
                r.issue(iline, iw, f"not a word: {text!r}")
                continue
        elif text == TARGET:
            if kind not in ("country", "countries", "port", "ports"):
                r.issue(iline, iw, f"$target applies to country and port columns, not {column!r}")
                continue
        elif text.startswith("$"):
            r.issue(iline, iw, f"unknown variable {text!r} (only $target)")
            continue
        elif kind in ("country", "countries") and text.upper() not in country_codes():
            r.issue(iline, iw, f"not an ISO 3166 alpha-2 code: {text!r}")
            continue
        elif kind == "choice":
            choices = {
                c
                for t in types
                for c in {**COMMON, **TYPES[t], **extra}.get(column, Column(column, kind)).choices
            }
            if choices and text not in choices:
                r.issue(iline, iw, f"{text!r} is not one of {', '.join(sorted(choices))}")
                continue
        upper = kind in ("country", "countries", "currency") and text != TARGET
        items.append(text.upper() if upper else text)
    if not items and len(r.issues) == before:
        r.issue(line, path, "empty list")
    return tuple(items)


def _sources(r: _Reader, doc: YMap) -> dict[str, dict[str, str]] | None:
    if "sources" not in doc:
        return None
    m = r.mapping(doc["sources"], doc.line_of("sources"), "sources")
    if m is None:
        return {}
    out = {}
    for key, value in m.items():
        where = f"sources.{key}"
        sm = r.mapping(value, m.line_of(key), where)
        if sm is None:
            continue
        r.keys(sm, {"title", "url", "note"}, ["title"], where)
        out[key] = {k: str(v) for k, v in sm.items() if v is not None}
    return out


__all__ = ["Issue", "RegimeError", "column_kind", "parse_regime"]
