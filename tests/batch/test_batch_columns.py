"""Column mapping: which column feeds which property, and a row as the query it stands for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanctionsnet.batch.columns import (
    MappingError,
    as_texts,
    parse_map_options,
    resolve_mapping,
)
from sanctionsnet.screen import Query, QueryError


def props(columns: list[str], maps: list[str] | None = None, schema: str = "LegalEntity"):
    mapping = resolve_mapping(columns, parse_map_options(maps or []), schema)
    return {mapping.columns[i]: p for i, p in mapping.properties}, mapping


def test_property_names_and_synonyms_map_on_their_own() -> None:
    found, mapping = props(
        [
            "Customer ID",
            "full_name",
            "Date of Birth",
            "NATIONALITY",
            "imo",
            "passport_number",
            "Status",
        ]
    )
    assert found == {
        "full_name": "name",
        "Date of Birth": "birthDate",
        "NATIONALITY": "nationality",
        "imo": "imoNumber",
        "passport_number": "passportNumber",
    }
    assert mapping.schema_column is None
    assert "full_name → name" in mapping.describe()


def test_explicit_maps_add_override_and_ignore() -> None:
    found, mapping = props(
        ["Customer Name", "name", "Kind", "dob"],
        ["Customer Name=name", "name=alias", "Kind=schema", "dob="],
    )
    assert found == {"Customer Name": "name", "name": "alias"}
    assert mapping.columns[mapping.schema_column or 0] == "Kind"


def test_column_names_may_contain_equals_signs() -> None:
    assert parse_map_options(["a=b=name"]) == {"a=b": "name"}


@pytest.mark.parametrize(
    ("columns", "maps", "message"),
    [
        (["name"], ["Missing=name"], "not in the input"),
        (["name"], ["name=fullName"], "not a followthemoney property"),
        (["name"], ["name"], "COLUMN=PROPERTY"),
        (["id", "email"], [], "no column gives a name"),
        (["name", "schema", "type"], [], "more than one schema column"),
    ],
)
def test_mappings_that_cannot_work_fail_before_any_row(
    columns: list[str], maps: list[str], message: str
) -> None:
    with pytest.raises(MappingError, match=message):
        props(columns, maps)


def test_unknown_default_schema() -> None:
    with pytest.raises(MappingError, match="unknown schema 'Robot'"):
        props(["name"], schema="Robot")


def test_row_query_equals_the_query_from_properties() -> None:
    _, mapping = props(["name", "alias", "birthDate", "country", "imoNumber", "schema"])
    query = mapping.query(["M/V Sample Star", "Star Sample", None, "Panama", 9123456, "vessel"])
    assert query == Query.from_properties(
        "Vessel",
        {
            "name": ["M/V Sample Star"],
            "alias": ["Star Sample"],
            "country": ["Panama"],
            "imoNumber": ["9123456"],
        },
    )


def test_empty_schema_cell_takes_the_default_and_bad_rows_raise() -> None:
    _, mapping = props(["name", "birthDate", "type"], schema="Person")
    assert mapping.query(["Jo Fictional", "1970", None]).schema == "Person"
    with pytest.raises(QueryError, match="no name to screen"):
        mapping.query(["", "1970", "Person"])
    with pytest.raises(QueryError, match="unknown schema 'Robot'"):
        mapping.query(["Jo Fictional", None, "Robot"])
    with pytest.raises(QueryError, match="not a date"):
        mapping.query(["Jo Fictional", "yesterday", None])


def test_cell_values_as_property_values() -> None:
    assert as_texts(None) == []
    assert as_texts("  ") == []
    assert as_texts(["A", "", None, "B"]) == ["A", "B"]
    assert as_texts(9123456.0) == ["9123456"]
    assert as_texts(Decimal("9123456")) == ["9123456"]
    assert as_texts(dt.date(1970, 5, 12)) == ["1970-05-12"]
    assert as_texts(dt.datetime(1970, 5, 12)) == ["1970-05-12"]
    assert as_texts(12) == ["12"]
