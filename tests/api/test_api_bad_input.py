"""Bad input gets a 4xx that names what is wrong; never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import person
from fastapi.testclient import TestClient

from sanctionsnet.api import Engine, ServiceSettings, create_app

JSON = {"content-type": "application/json"}


def detail(response: object) -> list[dict[str, object]]:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    out: list[dict[str, object]] = response.json()["detail"]  # type: ignore[attr-defined]
    return out


def test_invalid_json_names_line_and_column(client: TestClient) -> None:
    errors = detail(client.post("/match/default", content=b'{"queries": {"a": }', headers=JSON))
    assert errors[0]["type"] == "json_invalid" and errors[0]["loc"] == ["body"]
    assert "line 1 column 19" in str(errors[0]["msg"])


@pytest.mark.parametrize(
    "raw",
    [
        b'{"queries": {"a": {"schema": "Person", "properties": {"name": ["\\ud800 x"]}}}}',
        b'{"queries": {"a": {"schema": "Person", "properties": {"name": ["\xff\xfe x"]}}}}',
        b'{"queries": {"a": {"schema": "Person", "properties": {"name": ["\xed\xa0\x80"]}}}}',
    ],
    ids=["lone-surrogate-escape", "invalid-utf8", "encoded-surrogate"],
)
def test_malformed_unicode_names_the_field(client: TestClient, raw: bytes) -> None:
    errors = detail(client.post("/match/default", content=raw, headers=JSON))
    assert errors[0]["type"] == "unicode_invalid"
    assert errors[0]["loc"] == ["body", "queries", "a", "properties", "name", 0]


def test_malformed_unicode_in_a_key_and_in_a_form(client: TestClient) -> None:
    raw = b'{"queries": {"\xc3": {"schema": "Person", "properties": {"name": ["x"]}}}}'
    assert detail(client.post("/match/default", content=raw, headers=JSON))[0]["loc"][:2] == ["body", "queries"]  # fmt: skip
    form = b"queries=" + b'{"q": {"query": "\\udc80"}}'
    errors = detail(client.post("/reconcile/default", content=form, headers={"content-type": "application/x-www-form-urlencoded"}))  # fmt: skip
    assert errors[0]["type"] == "unicode_invalid" and errors[0]["loc"][-1] == "query"


def test_unknown_schema_and_property_name_the_query(client: TestClient) -> None:
    body = {
        "queries": {
            "ok": person("Pak Chol Sample"),
            "a": {"schema": "Unicorn", "properties": {"name": ["x"]}},
            "b": {"schema": "Person", "properties": {"name": ["x"], "wingspan": ["3 m"]}},
            "c": {"schema": "Person", "properties": {"name": ["x"], "birthDate": ["yesterday"]}},
            "d": {"schema": "Person", "properties": {"birthDate": ["1970"]}},
        }
    }
    errors = detail(client.post("/match/default", json=body))
    assert [e["loc"] for e in errors] == [
        ["body", "queries", "a", "schema"],
        ["body", "queries", "b", "properties", "wingspan"],
        ["body", "queries", "c", "properties", "birthDate"],
        ["body", "queries", "d", "properties", "name"],
    ]
    assert "unknown schema 'Unicorn'" in str(errors[0]["msg"])


def test_shapes_that_are_not_a_match_request(client: TestClient) -> None:
    assert detail(client.post("/match/default", json=[1, 2]))[0]["loc"] == ["body"]
    assert (
        detail(client.post("/match/default", json={"queries": {}}))[0]["msg"] == "no queries given"
    )
    missing = detail(client.post("/match/default", json={"query": {}}))
    assert missing[0]["loc"] == ["body", "queries"]
    wrong_type = client.post("/match/default", content=b'{"queries": {}}', headers={"content-type": "text/plain"})  # fmt: skip
    assert wrong_type.status_code == 422
    deep = b"[" * 5000 + b"]" * 5000
    assert client.post("/match/default", content=deep, headers=JSON).status_code == 422
    nested = {"queries": {"a": {"schema": "Person", "properties": {"name": [["x"]]}}}}
    assert client.post("/match/default", json=nested).status_code == 422


def test_bad_parameters(client: TestClient) -> None:
    body = {"queries": {"a": person("x")}}
    for params in ({"limit": 0}, {"limit": 501}, {"threshold": 2}, {"cutoff": "high"}, {"limit": "many"}):  # fmt: skip
        errors = detail(client.post("/match/default", json=body, params=params))
        assert errors[0]["loc"] == ["query", next(iter(params))], params


@pytest.fixture(scope="module")
def tight(sample_home: Path, engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:  # fmt: skip
    settings = ServiceSettings(
        home=sample_home,
        audit_log=tmp_path_factory.mktemp("tight") / "audit.jsonl",
        reload_interval=0,
        max_body_bytes=20_000,
        max_queries=10,
        max_value_chars=100,
        max_values=5,
    )
    yield TestClient(create_app(settings, engine))


def test_oversized_body_is_413_before_parsing(tight: TestClient) -> None:
    big = (
        b'{"queries": {"a": {"schema": "Person", "properties": {"name": ["'
        + b"x" * 30_000
        + b'"]}}}}'
    )
    response = tight.post("/match/default", content=big, headers=JSON)
    assert response.status_code == 413
    assert "at most 20,000" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield big[:10_000]
        yield big[10_000:]

    chunked = tight.post("/match/default", content=chunks(), headers=JSON)
    assert chunked.status_code == 413
    small = tight.post("/match/default", json={"queries": {"a": person("Pak Chol Sample")}})
    assert small.status_code == 200


def test_too_many_queries_and_values(tight: TestClient) -> None:
    many = {"queries": {f"q{i}": person("x") for i in range(11)}}
    errors = detail(tight.post("/match/default", json=many))
    assert errors[0]["loc"] == ["body", "queries"]
    assert "too many queries in one request: 11 (at most 10)" in str(errors[0]["msg"])
    long_value = detail(tight.post("/match/default", json={"queries": {"a": person("y" * 101)}}))
    assert long_value[0]["loc"] == ["body", "queries", "a", "properties", "name", 0]
    values = detail(tight.post("/match/default", json={"queries": {"a": person("x", alias=["a"] * 5)}}))  # fmt: skip
    assert "more than 5 property values" in str(values[0]["msg"])
    reconcile = tight.post(
        "/reconcile/default", json={"queries": {f"q{i}": "x" for i in range(11)}}
    )
    assert reconcile.status_code == 422
