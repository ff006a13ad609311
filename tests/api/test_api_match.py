"""POST /match: yente's request and response shapes, and the very scores `Screener.match` gives."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import person
from fastapi.testclient import TestClient

from sanctionsnet.api import Engine
from sanctionsnet.screen import Query

QUERIES: dict[str, dict[str, Any]] = {
    "ivan": person("Ivan Testovich Fictionalov", birthDate=["1970"], nationality=["ru"]),
    "cyrillic": person("Иван Тестович Фикционалов"),
    "pak": person("Pak Chol Sample", birthDate="1966-04-12"),
    "vessel": {
        "schema": "Vessel",
        "properties": {"name": ["Fictional Test Vessel"], "imoNumber": ["1234567"]},
    },
    "company": {"schema": "Company", "properties": {"name": ["Fictional Test Trading LLC"]}},
    "nobody": person("Xavier Quondam Yellowhammer"),
}


def post_match(client: TestClient, body: dict[str, Any], path: str = "/match/default", **params: Any) -> Any:  # fmt: skip
    response = client.post(path, json=body, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_response_has_yente_shape(client: TestClient, engine: Engine) -> None:
    data = post_match(client, {"queries": {"ivan": QUERIES["ivan"]}})
    assert set(data) >= {"responses", "matcher", "limit"}
    assert data["limit"] == 5 and data["algorithm"] == "default" and data["threshold"] == 0.7
    assert data["versions"] == {d: v.id for d, v in engine.snapshot.versions.items()}
    assert data["matcher"]["name"]["coefficient"] == 1.0
    entry = data["responses"]["ivan"]
    assert entry["status"] == 200
    assert entry["total"] == {"value": len(entry["results"]), "relation": "eq"}
    assert entry["query"]["schema"] == "Person"
    assert entry["query"]["properties"]["birthDate"] == ["1970"]
    top = entry["results"][0]
    assert top["id"] == "uk-fcdo-tst0001"
    for key in ("caption", "schema", "properties", "datasets", "referents", "target", "score",
                "features", "match", "explanations", "source", "ref", "version"):  # fmt: skip
        assert key in top, key
    assert top["schema"] == "Person" and top["datasets"] == ["uk_fcdo"] and top["target"] is True
    assert top["ref"] == "TST0001" and top["source"] == "uk_fcdo"
    assert top["properties"]["name"] == ["Ivan Testovich FICTIONALOV"]
    assert top["match"] is True
    assert top["last_seen"] == "2026-02-14T00:00:00Z"
    # yente's features: name -> contribution; ours explain each one.
    assert top["features"]["name"] == pytest.approx(1.0)
    assert "birth_date" in top["features"]
    assert {e["feature"] for e in top["explanations"]} == set(top["features"])
    assert all(e["explanation"] for e in top["explanations"])


def test_scores_equal_screener_match(client: TestClient, engine: Engine) -> None:
    screener = engine.snapshot.screeners["default"]
    for algorithm in ("default", "ofac"):
        data = post_match(client, {"queries": QUERIES}, algorithm=algorithm, limit=10, cutoff=0.3)
        for name, example in QUERIES.items():
            query = Query.from_properties(example["schema"], _lists(example["properties"]))
            expected = screener.match(query, threshold=0.3, limit=10, algorithm=algorithm)
            got = data["responses"][name]["results"]
            assert [(r["id"], r["score"]) for r in got] == [
                (m.record.id, m.score) for m in expected
            ], (algorithm, name)
        if algorithm == "default":
            assert data["responses"]["nobody"]["results"] == []
            assert data["responses"]["cyrillic"]["results"][0]["id"] == "uk-fcdo-tst0001"


def test_threshold_sets_match_and_cutoff_hides(client: TestClient) -> None:
    body = {"queries": {"v": QUERIES["vessel"]}}
    scores = [r["score"] for r in post_match(client, body, cutoff=0.0)["responses"]["v"]["results"]]
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True)
    middle = (scores[0] + scores[-1]) / 2
    results = post_match(client, body, cutoff=0.0, threshold=middle)["responses"]["v"]["results"]
    assert [r["match"] for r in results] == [s >= middle for s in scores]
    kept = post_match(client, body, cutoff=middle)["responses"]["v"]["results"]
    assert [r["score"] for r in kept] == [s for s in scores if s >= middle]
    assert len(post_match(client, body, cutoff=0.0, limit=1)["responses"]["v"]["results"]) == 1


def test_dataset_restricts_results_and_keeps_scores(client: TestClient) -> None:
    body = {"queries": {"c": QUERIES["company"]}}
    everywhere = post_match(client, body, limit=20, cutoff=0.3)["responses"]["c"]["results"]
    datasets = {r["datasets"][0] for r in everywhere}
    assert len(datasets) >= 3
    for dataset in datasets:
        only = post_match(client, body, f"/match/{dataset}", limit=20, cutoff=0.3)
        results = only["responses"]["c"]["results"]
        assert results and {r["datasets"][0] for r in results} == {dataset}
        assert set(only["versions"]) == {dataset}
        expected = [(r["id"], r["score"]) for r in everywhere if r["datasets"][0] == dataset]
        assert [(r["id"], r["score"]) for r in results] == expected


def test_result_filters(client: TestClient) -> None:
    body = {"queries": {"c": QUERIES["company"]}}
    base = post_match(client, body, limit=20, cutoff=0.3)["responses"]["c"]["results"]
    no_csl = post_match(client, body, limit=20, cutoff=0.3, exclude_dataset="us_csl")
    assert {r["id"] for r in no_csl["responses"]["c"]["results"]} == {
        r["id"] for r in base if r["datasets"] != ["us_csl"]
    }
    only = post_match(client, body, limit=20, cutoff=0.3, include_dataset=["uk_fcdo", "uk_ofsi"])
    assert {r["datasets"][0] for r in only["responses"]["c"]["results"]} <= {"uk_fcdo", "uk_ofsi"}
    export = post_match(client, body, limit=20, cutoff=0.0, topics="export.control")
    assert export["responses"]["c"]["results"]
    assert all("us-csl-f1c7" in r["id"] for r in export["responses"]["c"]["results"])
    no_company = post_match(client, body, limit=20, cutoff=0.3, exclude_schema="Company")
    assert all(r["schema"] != "Company" for r in no_company["responses"]["c"]["results"])


def test_thing_schema_screens_every_kind_of_party(client: TestClient) -> None:
    body = {"queries": {"t": {"schema": "Thing", "properties": {"name": "Fictional Test Vessel"}}}}
    results = post_match(client, body, limit=10)["responses"]["t"]["results"]
    schemata = {r["schema"] for r in results}
    assert "Vessel" in schemata


def test_batch_header_and_ids_echoed(client: TestClient) -> None:
    body = {"queries": {f"row-{i}": {**QUERIES["pak"], "id": f"customer-{i}"} for i in range(7)}}
    response = client.post("/match/default", json=body)
    assert response.status_code == 200
    assert response.headers["x-batch-size"] == "7"
    assert len(response.headers["x-request-id"]) == 32
    data = response.json()["responses"]
    assert data["row-3"]["query"]["id"] == "customer-3"
    assert data["row-6"]["results"][0]["id"] == "un-sc-kpi.901"


def test_best_is_an_alias_and_unknown_algorithm_is_422(client: TestClient) -> None:
    body = {"queries": {"p": QUERIES["pak"]}}
    assert post_match(client, body, algorithm="best")["algorithm"] == "default"
    response = client.post("/match/default", json=body, params={"algorithm": "logic-v9"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "algorithm"]
    assert "unknown algorithm" in response.json()["detail"][0]["msg"]


def test_unknown_dataset_is_404(client: TestClient) -> None:
    response = client.post("/match/nope", json={"queries": {"p": QUERIES["pak"]}})
    assert response.status_code == 404
    assert "No such dataset: 'nope'" in response.json()["detail"]
    assert "ofac_sdn" in response.json()["detail"]


def _lists(props: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in props.items()}
