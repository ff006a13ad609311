"""Counts that tell a user what a publication holds: by schema, and how rich its entries are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from followthemoney import registry
from followthemoney.proxy import EntityProxy

# Side entities that carry facts about a listed party through a `holder` link.
_IDENTITY_SCHEMATA = {"Passport", "Identification", "CryptoWallet"}
# Identifier-typed properties that describe the listing, not the party.
_NOT_IDENTIFIERS = {"programId", "wikidataId"}


_PARTY_SCHEMATA = ("LegalEntity", "Vessel", "Airplane")


def is_party(entity: EntityProxy) -> bool:
    """A listed party: a person, organisation, company, vessel or aircraft."""
    return any(entity.schema.is_a(name) for name in _PARTY_SCHEMATA)


def compute_stats(entities: Iterable[EntityProxy]) -> dict[str, Any]:
    """Counts by schema and, over listed parties, those with a birth date, alias, identifier, address."""
    by_schema: Counter[str] = Counter()
    parties: dict[str, EntityProxy] = {}
    with_identity_entity: set[str] = set()
    for entity in entities:
        by_schema[entity.schema.name] += 1
        if is_party(entity):
            parties[entity.id or ""] = entity
        if entity.schema.name in _IDENTITY_SCHEMATA:
            with_identity_entity.update(entity.get("holder"))
    sanctioned = by_schema.get("Sanction", 0)
    with_birth = with_alias = with_identifier = with_address = 0
    for pid, entity in parties.items():
        props = entity.properties
        if props.get("birthDate"):
            with_birth += 1
        if props.get("alias") or props.get("weakAlias") or props.get("previousName"):
            with_alias += 1
        if pid in with_identity_entity or _has_identifier(entity):
            with_identifier += 1
        if props.get("address") or props.get("addressEntity"):
            with_address += 1
    return {
        "entities": sum(by_schema.values()),
        "entries": sanctioned or len(parties),
        "parties": len(parties),
        "by_schema": dict(sorted(by_schema.items())),
        "with_birth_date": with_birth,
        "with_alias": with_alias,
        "with_identifier": with_identifier,
        "with_address": with_address,
    }


def _has_identifier(entity: EntityProxy) -> bool:
    for prop_name, values in entity.properties.items():
        if not values:
            continue
        prop = entity.schema.properties.get(prop_name)
        if (
            prop is not None
            and prop.type == registry.identifier
            and prop_name not in _NOT_IDENTIFIERS
        ):
            return True
    return False
