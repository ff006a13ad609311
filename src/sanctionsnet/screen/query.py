"""What a user knows about the party to screen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from followthemoney import model, registry

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.identifiers import PROPERTY_KINDS, Identifier, canonical, kind_for

_COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag", "birthCountry")


@lru_cache(maxsize=100_000)
def clean_date(value: str) -> str | None:
    """A date as followthemoney normalises it (YYYY, YYYY-MM or YYYY-MM-DD), or None.
    Cached: a book of customers repeats birth dates, and parsing one is not free."""
    return registry.date.clean(value)


@lru_cache(maxsize=10_000)
def clean_country(value: str) -> str | None:
    """A country name or code as its followthemoney code, or None; cached like dates."""
    return registry.country.clean(value)


class QueryError(SanctionsNetError):
    """A query that cannot be screened: no name, unknown schema, malformed identifier."""


@dataclass(frozen=True)
class Query:
    """A party to screen: names, and whatever else is known."""

    names: tuple[str, ...]
    schema: str = "LegalEntity"
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = field(default_factory=tuple)

    @classmethod
    def build(
        cls,
        name: str | Iterable[str],
        *,
        schema: str = "LegalEntity",
        birth_date: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        ids: Iterable[str] | Mapping[str, str] = (),
    ) -> Query:
        """From simple values; `ids` as 'TYPE:VALUE' strings or a {type: value} mapping."""
        names = (name,) if isinstance(name, str) else tuple(name)
        names = tuple(n.strip() for n in names if n and n.strip())
        if not names:
            raise QueryError("a query needs a name")
        if model.get(schema) is None:
            raise QueryError(f"unknown schema {schema!r}")
        dates = _as_tuple(birth_date)
        for d in dates:
            if clean_date(d) is None:
                raise QueryError(f"not a date: {d!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        countries = []
        for c in _as_tuple(country):
            code = clean_country(c)
            if code is None:
                raise QueryError(f"unknown country {c!r}")
            countries.append(code)
        identifiers = []
        pairs = ids.items() if isinstance(ids, Mapping) else (_split_id(i) for i in ids)
        for kind_name, value in pairs:
            kind = kind_for(kind_name)
            if kind is None:
                raise QueryError(f"unknown identifier type {kind_name!r}")
            canon = canonical(kind, value)
            if not canon:
                raise QueryError(f"empty identifier value for {kind_name!r}")
            identifiers.append(Identifier(kind, canon))
        return cls(
            names=names,
            schema=schema,
            birth_dates=tuple(clean_date(d) or d for d in dates),
            countries=tuple(countries),
            identifiers=tuple(identifiers),
        )

    @classmethod
    def from_properties(cls, schema: str, properties: Mapping[str, Iterable[str]]) -> Query:
        """From a followthemoney-style example entity (what the yente API receives)."""
        schema_obj = model.get(schema)
        if schema_obj is None:
            raise QueryError(f"unknown schema {schema!r}")
        names: list[str] = []
        for prop in ("name", "alias", "previousName", "weakAlias"):
            names.extend(properties.get(prop, ()))
        if not names:
            parts = [
                " ".join(properties.get(p, ()))
                for p in ("firstName", "secondName", "middleName", "fatherName", "lastName")
            ]
            joined = " ".join(p for p in parts if p)
            if joined:
                names.append(joined)
        for prop in properties:
            if prop not in schema_obj.properties:
                raise QueryError(f"unknown property {prop!r} for schema {schema}")
        countries = [v for p in _COUNTRY_PROPS for v in properties.get(p, ())]
        id_pairs: list[tuple[str, str]] = []
        for prop, kind in PROPERTY_KINDS.items():
            for value in properties.get(prop, ()):
                id_pairs.append((kind, value))
        return cls.build(
            names,
            schema=schema,
            birth_date=list(properties.get("birthDate", ())),
            country=countries,
            ids=[f"{k}:{v}" for k, v in id_pairs],
        )


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(v for v in value if v and v.strip())


def _split_id(text: str) -> tuple[str, str]:
    if ":" not in text:
        raise QueryError(f"identifier must be TYPE:VALUE, got {text!r}")
    kind, value = text.split(":", 1)
    return kind, value
