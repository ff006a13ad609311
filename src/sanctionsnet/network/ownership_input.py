"""A user's ownership and control data: CSV rows or followthemoney entities, as edges.

CSV columns: `owner`, `owned` (names or list entity ids), `share` (`50`, `50%`,
`25-50`, `majority`, empty for control or an unknown stake), and optionally
`relation` (`ownership` by default, `control`, `director`), `owner_schema`,
`owned_schema`, `date`, `source`. Or followthemoney JSON lines holding Ownership and
Directorship entities (and UnknownLink with role "control") with the parties they
refer to.

Every party is matched to the listed entities with the screening engine (see
`PartyMatcher`) and the match becomes part of each row's evidence. Bad rows are all
reported at once, each naming the file and line, and nothing is computed from a file
with errors.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney import model, registry
from followthemoney.exc import FollowTheMoneyException

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.network.model import Edge, Evidence, Node, Share, party_id
from sanctionsnet.network.resolve import PartyMatch, PartyMatcher
from sanctionsnet.network.shares import ShareError, parse_share
from sanctionsnet.screen import Query
from sanctionsnet.screen.query import QueryError

COLUMNS = ("owner", "owned", "share", "relation", "owner_schema", "owned_schema", "date", "source")
REQUIRED = ("owner", "owned")
RELATION_WORDS = {
    "": "ownership",
    "ownership": "ownership",
    "owner": "ownership",
    "owns": "ownership",
    "shareholder": "ownership",
    "shareholding": "ownership",
    "control": "control",
    "controls": "control",
    "controller": "control",
    "director": "director",
    "directorship": "director",
    "officer": "director",
}
MAX_ERRORS = 50


class OwnershipInputError(SanctionsNetError):
    """The file cannot be used: every problem found, each with its file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_ERRORS]
        more = f"\n... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__("\n".join(shown) + more)


@dataclass
class OwnershipData:
    """Parties and one edge per statement (row or entity), not yet merged."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: node id -> how the party was matched (for the report)
    matches: dict[str, PartyMatch] = field(default_factory=dict)

    def extend(self, other: OwnershipData) -> None:
        for node_id, node in other.nodes.items():
            self.nodes.setdefault(node_id, node)
        self.edges.extend(other.edges)
        self.warnings.extend(other.warnings)
        self.files.extend(other.files)
        self.matches.update(other.matches)


#: Builds a listed party's node from its id (from the list graph or the index).
NodeLookup = Callable[[str], Node | None]


class _Parties:
    """Turns the values of a file into nodes, matching each once."""

    def __init__(self, matcher: PartyMatcher | None, lookup: NodeLookup) -> None:
        self.matcher = matcher
        self.lookup = lookup

    def party(
        self, value: str, schema: str, data: OwnershipData, query: Query | None = None
    ) -> tuple[str, tuple[dict[str, Any], ...]]:
        if self.matcher is None:
            node_id = party_id(value)
            data.nodes.setdefault(node_id, Node(node_id, value, schema))
            return node_id, ()
        found = self.matcher.match(value, schema, query)
        if found.listed:
            node = self.lookup(found.node_id)
            if node is not None:
                data.nodes.setdefault(found.node_id, node)
        else:
            possible = found.possible.to_json() if found.possible is not None else None
            data.nodes.setdefault(
                found.node_id, Node(found.node_id, value, schema, possible_match=possible)
            )
        data.matches[found.node_id] = found
        return found.node_id, found.evidence()


def read_ownership(
    path: Path, matcher: PartyMatcher | None = None, lookup: NodeLookup = lambda _id: None
) -> OwnershipData:
    """Edges and parties of one CSV or followthemoney JSON lines file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OwnershipInputError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise OwnershipInputError(
            [f"{path.name}, line {line}: not UTF-8 text (save the file as UTF-8)"]
        ) from None
    parties = _Parties(matcher, lookup)
    first = text.lstrip()[:1]
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson", ".ftm") or first == "{":
        return _read_ftm(path.name, text, parties)
    return _read_csv(path.name, text, parties)


# -- CSV -------------------------------------------------------------------------------


def _dialect(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv(name: str, text: str, parties: _Parties) -> OwnershipData:
    data = OwnershipData(files=[name])
    if not text.strip():
        raise OwnershipInputError([f"{name}: the file is empty"])
    header_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(header_line))
    try:
        header = [h.strip().lower().lstrip("\ufeff") for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise OwnershipInputError([f"{name}, line 1: unreadable header ({exc})"]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise OwnershipInputError(
            [
                f"{name}, line 1: missing column(s) {', '.join(missing)} "
                f"(found: {', '.join(h for h in header if h) or 'none'}; "
                f"expected {', '.join(COLUMNS)})"
            ]
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        data.warnings.append(f"{name}: ignored column(s) {', '.join(unknown)}")
    problems: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problems.append(
                    f"{name}, line {line}: {len(row)} fields but the header has {len(header)} "
                    "(a name with a comma needs quotes)"
                )
                continue
            values = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
            rows.append((line, values))
    except csv.Error as exc:
        problems.append(f"{name}, line {reader.line_num}: {exc}")
    parsed = []
    for line, values in rows:
        try:
            parsed.append((line, values, _check_row(values)))
        except ValueError as exc:
            problems.append(f"{name}, line {line}: {exc}")
    if problems:
        raise OwnershipInputError(problems)
    if not parsed:
        raise OwnershipInputError([f"{name}: no rows after the header"])
    for line, values, (relation, share, owner_schema, owned_schema, when) in parsed:
        owner, owner_match = parties.party(values["owner"], owner_schema, data)
        owned, owned_match = parties.party(values["owned"], owned_schema, data)
        if owner == owned:
            data.warnings.append(
                f"{name}, line {line}: {values['owner']!r} and {values['owned']!r} are the same "
                "listed party; row skipped"
            )
            continue
        text_row = ",".join(values.get(c, "") for c in header if c)
        evidence = Evidence(
            kind="user",
            source=values.get("source") or None,
            file=name,
            line=line,
            date=when,
            text=text_row,
            match=owner_match + owned_match,
        )
        data.edges.append(Edge(owner, owned, relation, share, None, (evidence,)))
    return data


def _check_row(values: dict[str, str]) -> tuple[str, Share | None, str, str, str | None]:
    for column in REQUIRED:
        if not values.get(column):
            raise ValueError(f"empty {column!r}")
    word = values.get("relation", "").strip().lower()
    relation = RELATION_WORDS.get(word)
    if relation is None:
        raise ValueError(f"relation {word!r} is not ownership, control or director")
    try:
        share = parse_share(values.get("share", ""))
    except ShareError as exc:
        raise ValueError(str(exc)) from None
    if share is not None and relation != "ownership":
        raise ValueError(
            f"a share ({share.text}) only goes with relation ownership, not {relation}"
        )
    owner_schema = _schema(values.get("owner_schema", ""), "owner_schema", owner=True)
    owned_schema = _schema(values.get("owned_schema", ""), "owned_schema", owner=False)
    when = values.get("date", "")
    cleaned = registry.date.clean(when) if when else None
    if when and cleaned is None:
        raise ValueError(f"date {when!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return relation, share, owner_schema, owned_schema, cleaned


def _schema(value: str, column: str, owner: bool) -> str:
    if not value:
        return "LegalEntity"
    schema = model.get(value.strip()) or model.get(value.strip().capitalize())
    allowed = ("LegalEntity",) if owner else ("LegalEntity", "Asset")
    if schema is None or not any(schema.is_a(a) for a in allowed):
        kinds = "Person, Company, Organization, LegalEntity" + (
            "" if owner else ", Vessel, Airplane"
        )
        raise ValueError(f"{column} {value!r} is not a party schema ({kinds})")
    return schema.name


# -- followthemoney JSON lines -----------------------------------------------------------

_RELATIONSHIPS = {
    "Ownership": ("owner", "asset", "ownership"),
    "Directorship": ("director", "organization", "director"),
    "UnknownLink": ("subject", "object", "control"),
}


def _read_ftm(name: str, text: str, parties: _Parties) -> OwnershipData:
    data = OwnershipData(files=[name])
    problems: list[str] = []
    entities: dict[str, tuple[int, Any]] = {}
    links: list[tuple[int, Any]] = []
    ignored: dict[str, int] = {}
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
            if not isinstance(obj, dict) or "schema" not in obj:
                raise ValueError("not a followthemoney entity (no 'schema')")
            if model.get(obj["schema"]) is None:
                raise ValueError(f"unknown schema {obj['schema']!r}")
            proxy = model.get_proxy(obj)
        except (ValueError, TypeError, FollowTheMoneyException) as exc:
            problems.append(f"{name}, line {line}: {exc}")
            continue
        if not proxy.id:
            problems.append(f"{name}, line {line}: {proxy.schema.name} entity without an id")
            continue
        schema = proxy.schema
        if schema.name in _RELATIONSHIPS:
            if schema.name == "UnknownLink" and not any(
                "control" in r.lower() for r in proxy.get("role")
            ):
                label = "UnknownLink (role not 'control')"
                ignored[label] = ignored.get(label, 0) + 1
                continue
            links.append((line, proxy))
        elif schema.is_a("LegalEntity") or schema.is_a("Asset"):
            entities[proxy.id] = (line, proxy)
        else:
            ignored[schema.name] = ignored.get(schema.name, 0) + 1
    if ignored:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(ignored.items()))
        data.warnings.append(
            f"{name}: ignored {counts}; read are Ownership, Directorship and UnknownLink "
            "with role 'control'"
        )
    resolved: dict[str, tuple[str, tuple[dict[str, Any], ...]]] = {}
    parsed = []
    for line, link in links:
        source_prop, target_prop, relation = _RELATIONSHIPS[link.schema.name]
        try:
            share = _ftm_share(link) if relation == "ownership" else None
            ends = [_endpoint(link, p, entities, parties) for p in (source_prop, target_prop)]
            ended = _ended(link)
        except ValueError as exc:
            problems.append(f"{name}, line {line}: {exc}")
            continue
        parsed.append((line, link, relation, share, ends, ended))
    if problems:
        raise OwnershipInputError(problems)
    if not parsed:
        raise OwnershipInputError([f"{name}: no Ownership or Directorship entities"])
    for line, link, relation, share, ends, ended in parsed:
        if ended:
            data.warnings.append(f"{name}, line {line}: {link.id} ended on {ended}; not used")
            continue
        (source_value, source_entity), (target_value, target_entity) = ends
        pair = []
        for value, entity in ((source_value, source_entity), (target_value, target_entity)):
            if value not in resolved:
                resolved[value] = _resolve_entity(value, entity, parties, data)
            pair.append(resolved[value])
        (owner, owner_match), (owned, owned_match) = pair
        if owner == owned:
            data.warnings.append(f"{name}, line {line}: {link.id} links a party to itself")
            continue
        dates = link.get("startDate", quiet=True) or link.get("date", quiet=True)
        evidence = Evidence(
            kind="user",
            source=(
                link.get("publisher", quiet=True) or link.get("sourceUrl", quiet=True) or [None]
            )[0],
            file=name,
            line=line,
            entity_id=link.id,
            date=dates[0] if dates else None,
            text="; ".join(link.get("role", quiet=True)) or None,
            match=owner_match + owned_match,
        )
        data.edges.append(Edge(owner, owned, relation, share, None, (evidence,)))
    return data


def _ftm_share(link: Any) -> Share | None:
    for value in link.get("percentage", quiet=True):
        try:
            share = parse_share(value)
        except ShareError as exc:
            raise ValueError(f"percentage: {exc}") from None
        if share is not None:
            return share
    return None


def _endpoint(
    link: Any, prop: str, entities: dict[str, tuple[int, Any]], parties: _Parties
) -> tuple[str, Any]:
    values = link.get(prop)
    if not values:
        raise ValueError(f"{link.schema.name} {link.id} has no {prop}")
    value = values[0]
    if value in entities:
        return value, entities[value][1]
    matcher = parties.matcher
    if matcher is not None and matcher.resolver.by_id(value) is not None:
        return value, None
    raise ValueError(
        f"{link.schema.name} {link.id}: {prop} {value!r} is neither an entity in this file "
        "nor a listed entity id"
    )


def _resolve_entity(
    value: str, entity: Any, parties: _Parties, data: OwnershipData
) -> tuple[str, tuple[dict[str, Any], ...]]:
    if entity is None:
        return parties.party(value, "LegalEntity", data)
    caption = entity.caption
    query = None
    if parties.matcher is not None:
        try:
            query = Query.from_properties(entity.schema.name, _query_props(entity))
        except QueryError:
            query = None
    return parties.party(caption, entity.schema.name, data, query)


_QUERY_PROPS = (
    "name",
    "alias",
    "previousName",
    "weakAlias",
    "firstName",
    "middleName",
    "lastName",
    "fatherName",
    "birthDate",
    "country",
    "nationality",
    "jurisdiction",
    "imoNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
)


def _query_props(entity: Any) -> dict[str, list[str]]:
    """The properties of an entity that the screening query uses."""
    return {
        p: entity.get(p) for p in _QUERY_PROPS if p in entity.schema.properties and entity.get(p)
    }


def _ended(link: Any) -> str | None:
    today = date.today().isoformat()
    for value in link.get("endDate", quiet=True):
        if value and value[:10] < today:
            return str(value)
    return None


def read_many(
    paths: Iterable[Path],
    matcher: PartyMatcher | None = None,
    lookup: NodeLookup = lambda _id: None,
) -> OwnershipData:
    """Several files as one body of data (problems of every file reported together)."""
    merged = OwnershipData()
    problems: list[str] = []
    for path in paths:
        try:
            merged.extend(read_ownership(path, matcher, lookup))
        except OwnershipInputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise OwnershipInputError(problems)
    return merged
