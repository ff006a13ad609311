"""The W3C Reconciliation Service API as OpenRefine uses it: manifest, queries, suggest, preview."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient


def test_manifest(client: TestClient) -> None:
    data = client.get("/reconcile/default").json()
    assert data["versions"] == ["0.2"]
    for key in ("name", "identifierSpace", "schemaSpace", "view", "preview", "suggest", "defaultTypes"):  # fmt: skip
        assert key in data
    assert data["view"]["url"] == "http://testserver/entities/{{id}}"
    assert data["preview"]["url"] == "http://testserver/reconcile/default/preview?id={{id}}"
    assert data["preview"]["width"] > 0 and data["preview"]["height"] > 0
    suggest = data["suggest"]["entity"]
    assert suggest == {
        "service_url": "http://testserver/reconcile/default",
        "service_path": "/suggest/entity",
    }
    types = [t["id"] for t in data["defaultTypes"]]
    assert types[0] == "LegalEntity" and {"Person", "Company", "Vessel"} <= set(types)
    assert client.get("/reconcile/nope").status_code == 404


def test_manifest_hands_the_api_key_on(client: TestClient) -> None:
    data = client.get("/reconcile/un_sc", params={"api_key": "k1"}).json()
    assert data["suggest"]["type"]["service_path"] == "/suggest/type?api_key=k1"
    assert data["preview"]["url"].endswith("preview?id={{id}}&api_key=k1")
    assert data["view"]["url"].endswith("/entities/{{id}}?api_key=k1")
    assert [t["id"] for t in data["defaultTypes"]] == ["Company", "Person"]


def test_form_encoded_queries_as_openrefine_sends_them(client: TestClient) -> None:
    queries = {
        "q0": {
            "query": "Ivan Testovich Fictionalov",
            "type": "Person",
            "type_strict": "should",
            "properties": [
                {"pid": "Person:birthDate", "v": "1970-05-12"},
                {"pid": "nationality", "v": ["ru"]},
            ],
        },
        "q1": {
            "query": "FICTIONAL TEST VESSEL",
            "type": "Vessel",
            "limit": 2,
            "properties": [{"pid": "imoNumber", "v": 1234567}],
        },
        "q2": {"query": "Xavier Quondam Yellowhammer"},
    }
    response = client.post("/reconcile/default", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    assert response.headers["x-batch-size"] == "3"
    data = response.json()
    top = data["q0"]["result"][0]
    assert top["id"] == "uk-fcdo-tst0001" and top["match"] is True and top["score"] > 0.95
    assert top["name"] == "Ivan Testovich FICTIONALOV"
    assert top["type"][0]["id"] == "Person" and "uk_fcdo" in top["description"]
    vessels = data["q1"]["result"]
    assert (
        len(vessels) == 2 and vessels[0]["id"] == "ofac-sdn-9000003" and vessels[0]["score"] == 1.0
    )
    assert data["q2"]["result"] == []


def test_json_body_and_get_queries_give_the_same_answer(client: TestClient) -> None:
    queries = {"a": {"query": "Pak Chol Sample", "type": "Person"}}
    form = client.post("/reconcile/un_sc", data={"queries": json.dumps(queries)}).json()
    body = client.post("/reconcile/un_sc", json={"queries": queries}).json()
    got = client.get("/reconcile/un_sc", params={"queries": json.dumps(queries)}).json()
    assert form == body == got
    assert form["a"]["result"][0]["id"] == "un-sc-kpi.901"


def test_bad_reconcile_queries_name_the_field(client: TestClient) -> None:
    def errors(queries: object) -> list[dict[str, object]]:
        response = client.post("/reconcile/default", data={"queries": json.dumps(queries)})
        assert response.status_code == 422, response.text
        detail: list[dict[str, object]] = response.json()["detail"]
        return detail

    assert errors({"q": {"query": "x", "type": "Unicorn"}})[0]["loc"] == ["body", "queries", "q", "type"]  # fmt: skip
    bad_pid = errors({"q": {"query": "x", "type": "Person", "properties": [{"pid": "wingspan", "v": "1"}]}})  # fmt: skip
    assert bad_pid[0]["loc"] == ["body", "queries", "q", "properties", 0, "pid"]
    assert errors({"q": {"query": "x", "limit": 0}})[0]["loc"][-1] == "limit"
    assert errors({"q": {"query": ""}})[0]["msg"] == "a query needs a name"
    assert errors(["not", "an", "object"])[0]["loc"] == ["body", "queries"]
    missing = client.post("/reconcile/default", data={"other": "1"})
    assert missing.status_code == 422 and "queries" in missing.json()["detail"][0]["msg"]
    broken = client.post("/reconcile/default", data={"queries": "{not json"})
    assert broken.status_code == 422 and broken.json()["detail"][0]["type"] == "json_invalid"


def test_suggest_entity_type_property(client: TestClient) -> None:
    entity = client.get("/reconcile/default/suggest/entity", params={"prefix": "testov"}).json()
    assert entity["prefix"] == "testov"
    assert "uk-fcdo-tst0001" in [r["id"] for r in entity["result"]]  # "Ivan Testovich ..."
    cyrillic = client.get("/reconcile/default/suggest/entity", params={"prefix": "Фикцио"}).json()
    assert "uk-fcdo-tst0001" in [r["id"] for r in cyrillic["result"]]
    scoped = client.get("/reconcile/un_sc/suggest/entity", params={"prefix": "fict"}).json()
    assert scoped["result"] and all(r["id"].startswith("un-sc-") for r in scoped["result"])
    paged = client.get("/reconcile/default/suggest/entity", params={"prefix": "fict", "limit": 2, "cursor": 2}).json()  # fmt: skip
    first = client.get("/reconcile/default/suggest/entity", params={"prefix": "fict", "limit": 4}).json()  # fmt: skip
    assert [r["id"] for r in paged["result"]] == [r["id"] for r in first["result"]][2:4]
    types = client.get("/reconcile/default/suggest/type", params={"prefix": "ves"}).json()
    assert [t["id"] for t in types["result"]] == ["Vessel"]
    props = client.get("/reconcile/default/suggest/property", params={"prefix": "birth"}).json()
    assert "Person:birthDate" in [p["id"] for p in props["result"]]
    assert client.get("/reconcile/default/suggest/entity").status_code == 422  # prefix required


def test_preview_is_escaped_html(client: TestClient) -> None:
    response = client.get("/reconcile/default/preview", params={"id": "un-sc-kpi.901"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "PAK CHOL SAMPLE" in response.text and "DPRK" in response.text
    assert "People&#x27;s Republic" in response.text  # the place of birth, escaped
    assert client.get("/reconcile/default/preview", params={"id": "nope"}).status_code == 404


def test_jsonp_callback(client: TestClient) -> None:
    response = client.get("/reconcile/default", params={"callback": "jQuery123_cb"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.text.startswith('jQuery123_cb({"versions":["0.2"]') and response.text.endswith(");")  # fmt: skip
    evil = client.get("/reconcile/default", params={"callback": "alert(1)//"})
    assert evil.status_code == 422
