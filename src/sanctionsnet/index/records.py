"""From stored followthemoney entities to flat screening records.

The index never holds followthemoney objects: each listed party becomes one
`Record` of plain strings and tuples (names, dates, countries, identifiers),
with the side entities that describe it (its Sanction, passports, wallets)
folded in. This is the only module of the index that knows the FtM model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from followthemoney import registry
from followthemoney.proxy import EntityProxy

from sanctionsnet.identifiers import PROPERTY_KINDS, Identifier, canonical
from sanctionsnet.store.snapshot import StoredEntity
from sanctionsnet.store.stats import is_party

#: Name properties, with the strength of the evidence a match on them gives.
NAME_PROPS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("alias", "alias"),
    ("previousName", "previous name"),
    ("weakAlias", "weak alias"),
)
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag", "birthCountry")


@dataclass(slots=True)
class NameEntry:
    text: str
    origin: str  # "name", "alias", "previous name", "weak alias"


@dataclass(slots=True)
class Record:
    """One listed party as the screening engine sees it."""

    id: str
    dataset: str
    source: str
    ref: str | None
    schema: str
    caption: str
    names: list[NameEntry] = field(default_factory=list)
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    version: str = ""
    # Raw FtM properties, for API responses (kept as plain dict of lists).
    properties: dict[str, list[str]] = field(default_factory=dict)


def _identifiers(entity: EntityProxy) -> list[Identifier]:
    out: list[Identifier] = []
    for prop, kind in PROPERTY_KINDS.items():
        if prop not in entity.schema.properties:
            continue
        for value in entity.get(prop):
            canon = canonical(kind, value)
            if canon:
                out.append(Identifier(kind, canon))
    return out


def records_from_entities(
    rows: Iterable[StoredEntity], dataset: str, source: str, version: str
) -> list[Record]:
    """Listed parties of one snapshot as records, side entities folded in."""
    parties: dict[str, tuple[EntityProxy, str | None]] = {}
    side: list[EntityProxy] = []
    for row in rows:
        if is_party(row.entity):
            parties[row.entity.id or ""] = (row.entity, row.ref)
        else:
            side.append(row.entity)

    extra_ids: dict[str, list[Identifier]] = {}
    programs: dict[str, set[str]] = {}
    for entity in side:
        schema = entity.schema.name
        if schema == "Sanction":
            for pid in entity.get("entity"):
                programs.setdefault(pid, set()).update(entity.get("program"))
        elif schema in ("Passport", "Identification"):
            number = entity.first("number")
            if not number:
                continue
            kind = "passport" if schema == "Passport" else "national_id"
            country = entity.first("country")
            for pid in entity.get("holder"):
                extra_ids.setdefault(pid, []).append(
                    Identifier(kind, canonical(kind, number), country)
                )
        elif schema == "CryptoWallet":
            key = entity.first("publicKey")
            if not key:
                continue
            for pid in entity.get("holder"):
                extra_ids.setdefault(pid, []).append(Identifier("crypto", canonical("crypto", key)))

    records: list[Record] = []
    for pid, (entity, ref) in parties.items():
        names = [
            NameEntry(value, origin)
            for prop, origin in NAME_PROPS
            if prop in entity.schema.properties
            for value in entity.get(prop)
        ]
        if not names:
            continue
        ids = _identifiers(entity)
        seen = {(i.kind, i.value) for i in ids}
        for ident in extra_ids.get(pid, []):
            if (ident.kind, ident.value) not in seen:
                seen.add((ident.kind, ident.value))
                # Replace a country-less copy of the same number with the one that knows its country.
                ids.append(ident)
        ids = _prefer_with_country(ids)
        countries: list[str] = []
        for prop in COUNTRY_PROPS:
            if prop in entity.schema.properties:
                countries.extend(entity.get(prop))
        dates = (
            entity.get("birthDate", quiet=True) if "birthDate" in entity.schema.properties else []
        )
        records.append(
            Record(
                id=pid,
                dataset=dataset,
                source=source,
                ref=ref,
                schema=entity.schema.name,
                caption=entity.caption,
                names=names,
                birth_dates=tuple(sorted(set(dates))),
                countries=tuple(dict.fromkeys(countries)),
                identifiers=tuple(ids),
                programs=tuple(sorted(programs.get(pid, ()))),
                topics=tuple(entity.get("topics", quiet=True)),
                version=version,
                properties={k: list(v) for k, v in entity.properties.items() if v},
            )
        )
    return records


def _prefer_with_country(ids: list[Identifier]) -> list[Identifier]:
    with_country = {(i.kind, i.value) for i in ids if i.country}
    return [i for i in ids if i.country or (i.kind, i.value) not in with_country]


def country_codes(values: Iterable[str]) -> tuple[str, ...]:
    """ISO codes for user-given countries ('North Korea', 'KP', 'kp')."""
    out = []
    for value in values:
        code = registry.country.clean(value)
        if code:
            out.append(code)
    return tuple(dict.fromkeys(out))
