"""Which input column feeds which followthemoney property, and one row turned into a `Query`.

A customer book rarely uses followthemoney's names, so the mapping is resolved once per
file from the header: columns named like a screening property (``name``, ``birthDate``,
``nationality``, ``imoNumber``...; case, spaces, ``_`` and ``-`` ignored) or like a common
synonym (``full_name``, ``date_of_birth``, ``dob``, ``imo``...) map on their own, and
``--map "Customer Name=name"`` adds or overrides. Only properties that take part in
screening are mapped automatically, so a ``status`` or ``notes`` column never turns into a
property that some schema lacks. A ``schema`` column sets each row's schema.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from followthemoney import model

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.identifiers import PROPERTY_KINDS
from sanctionsnet.screen import Query, QueryError

#: Name of the pseudo-property that sets a row's schema.
SCHEMA = "schema"

#: Properties that take part in screening (what `Query.from_properties` reads).
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
NAME_PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag", "birthCountry")
SCREENING_PROPS: tuple[str, ...] = (
    *NAME_PROPS,
    *NAME_PART_PROPS,
    "birthDate",
    *COUNTRY_PROPS,
    *PROPERTY_KINDS,
)

#: Common column names in customer books, by their key (lower case, separators removed).
SYNONYMS: dict[str, str] = {
    "fullname": "name",
    "customername": "name",
    "partyname": "name",
    "entityname": "name",
    "vesselname": "name",
    "aka": "alias",
    "othername": "alias",
    "formername": "previousName",
    "givenname": "firstName",
    "forename": "firstName",
    "surname": "lastName",
    "familyname": "lastName",
    "dateofbirth": "birthDate",
    "dob": "birthDate",
    "birthdate": "birthDate",
    "countryofbirth": "birthCountry",
    "imo": "imoNumber",
    "passport": "passportNumber",
    "bic": "swiftBic",
    "swift": "swiftBic",
    "lei": "leiCode",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "taxid": "taxNumber",
    "vat": "vatCode",
    "registration": "registrationNumber",
    "walletaddress": "publicKey",
    "cryptoaddress": "publicKey",
    "type": SCHEMA,
    "entitytype": SCHEMA,
}


class MappingError(SanctionsNetError):
    """The column mapping cannot work: a --map names a missing column or an unknown property."""


def column_key(name: str) -> str:
    """A column name as compared for automatic mapping: lower case, no separators."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


_NAMED = frozenset((*NAME_PROPS, *NAME_PART_PROPS))
_PROP_KEYS: dict[str, str] = {column_key(p): p for p in SCREENING_PROPS}
_ALL_PROPS: frozenset[str] = frozenset(p for s in model.schemata.values() for p in s.properties)
_SCHEMAS: dict[str, str] = {name.lower(): name for name in model.schemata}


@dataclass(frozen=True)
class ColumnMap:
    """Input columns, the property each screening column feeds, and the schema column."""

    columns: tuple[str, ...]
    properties: tuple[tuple[int, str], ...]  # (column position, property)
    schema_column: int | None
    default_schema: str

    def query(self, values: Sequence[Any]) -> Query:
        """The row as a query; raises `QueryError` (unknown schema, bad date, no name...)."""
        schema = self.default_schema
        if self.schema_column is not None:
            given = as_texts(values[self.schema_column])
            if given:
                schema = _SCHEMAS.get(given[0].strip().lower(), given[0].strip())
        schema_obj = model.get(schema)
        props: dict[str, list[str]] = {}
        for position, prop in self.properties:
            texts = as_texts(values[position])
            if not texts:
                continue
            if schema_obj is not None and prop not in schema_obj.properties:
                raise QueryError(
                    f"{self.columns[position]} ({prop}) does not apply to a {schema}: "
                    "give the row a schema (a schema column or --schema)"
                )
            props.setdefault(prop, []).extend(texts)
        if not _NAMED.intersection(props):
            empty = ", ".join(self.columns[i] for i, p in self.properties if p in _NAMED)
            raise QueryError(f"no name to screen ({empty}: empty)")
        return Query.from_properties(schema, props)

    def describe(self) -> str:
        """'full_name → name, dob → birthDate, type → schema' for the run's header line."""
        parts = [f"{self.columns[i]} → {p}" for i, p in self.properties]
        if self.schema_column is not None:
            parts.append(f"{self.columns[self.schema_column]} → schema")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "properties": [[self.columns[i], p] for i, p in self.properties],
            "schema_column": (
                None if self.schema_column is None else self.columns[self.schema_column]
            ),
            "default_schema": self.default_schema,
        }


def parse_map_options(options: Iterable[str]) -> dict[str, str]:
    """`--map "Customer Name=name"` options as {column: property}; an empty property ignores
    the column. The last '=' separates, so column names may contain '='."""
    out: dict[str, str] = {}
    for option in options:
        if "=" not in option:
            raise MappingError(f"--map needs COLUMN=PROPERTY, got {option!r}")
        column, prop = option.rsplit("=", 1)
        column, prop = column.strip(), prop.strip()
        if not column:
            raise MappingError(f"--map needs a column name before '=', got {option!r}")
        if prop and prop != SCHEMA and prop not in _ALL_PROPS:
            known = ", ".join(SCREENING_PROPS)
            raise MappingError(
                f"--map {option!r}: {prop!r} is not a followthemoney property "
                f"(screening uses: {known}; or 'schema')"
            )
        out[column] = prop
    return out


def resolve_mapping(
    columns: Sequence[str], explicit: Mapping[str, str], default_schema: str = "LegalEntity"
) -> ColumnMap:
    """The mapping for a file with these columns: automatic, then `explicit` on top."""
    if model.get(default_schema) is None:
        raise MappingError(f"unknown schema {default_schema!r}")
    positions = {name: i for i, name in enumerate(columns)}
    missing = [c for c in explicit if c not in positions]
    if missing:
        raise MappingError(
            f"--map names column(s) not in the input: {', '.join(map(repr, missing))} "
            f"(columns: {', '.join(columns)})"
        )
    chosen: dict[int, str] = {}
    for i, name in enumerate(columns):
        if name in explicit:
            continue
        key = column_key(name)
        prop = _PROP_KEYS.get(key) or SYNONYMS.get(key) or (SCHEMA if key == SCHEMA else None)
        if prop:
            chosen[i] = prop
    for name, prop in explicit.items():
        if prop:
            chosen[positions[name]] = prop
    schema_columns = [i for i, p in chosen.items() if p == SCHEMA]
    if len(schema_columns) > 1:
        names = ", ".join(columns[i] for i in schema_columns)
        raise MappingError(f"more than one schema column ({names}); keep one with --map COL=")
    props = tuple((i, p) for i, p in sorted(chosen.items()) if p != SCHEMA)
    if not _NAMED.intersection(p for _, p in props):
        raise MappingError(
            "no column gives a name to screen (columns: "
            f"{', '.join(columns) or 'none'}); map one with --map COLUMN=name"
        )
    return ColumnMap(
        columns=tuple(columns),
        properties=props,
        schema_column=schema_columns[0] if schema_columns else None,
        default_schema=default_schema,
    )


def as_texts(value: Any) -> list[str]:
    """A cell as property values: lists give several, dates their ISO form, nulls none."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        return [text] if text else []
    if isinstance(value, list | tuple):
        return [t for v in value for t in as_texts(v)]
    return [as_text(value)]


def as_text(value: Any) -> str:
    """One non-text cell as text: 9123456.0 → '9123456', a date → '2001-02-03'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return str(value)
