"""Human names for the things pages show: lists, schemata, properties, identifier types."""

from __future__ import annotations

from functools import cache

from followthemoney import model

from sanctionsnet.identifiers import KIND_LABELS

#: Schemata the screening form offers, with what they mean to an analyst.
SCHEMAS = (
    ("LegalEntity", "Any party"),
    ("Person", "Person"),
    ("Organization", "Organisation"),
    ("Company", "Company"),
    ("Vessel", "Vessel"),
    ("Airplane", "Aircraft"),
)
ID_TYPES = tuple(sorted(KIND_LABELS.items()))


@cache
def source_title(source: str) -> str:
    """The publication's own title ("UN Security Council Consolidated List")."""
    try:
        from sanctionsnet.sources import get_source

        title = getattr(get_source(source), "title", None)
    except Exception:  # an unknown source id in an old store: show the id
        title = None
    return str(title or source)


@cache
def property_label(schema: str, prop: str) -> str:
    schema_obj = model.get(schema)
    found = schema_obj.get(prop) if schema_obj is not None else None
    return str(found.label) if found is not None else prop


@cache
def schema_label(schema: str) -> str:
    schema_obj = model.get(schema)
    return str(schema_obj.label) if schema_obj is not None else schema
