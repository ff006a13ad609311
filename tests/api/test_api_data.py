"""GET /search, /entities, /catalog, /algorithms, /healthz, /readyz."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sanctionsnet.api import Engine, ServiceSettings, create_app
from sanctionsnet.store import Store

COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag", "birthCountry")


def test_search_ranks_by_name_in_any_script(client: TestClient) -> None:
    for q in ("Ivan Fictionalov", "Фикционалов Иван", "FICTIONALOV, Ivan"):
        data = client.get("/search/default", params={"q": q}).json()
        assert data["results"][0]["id"] == "uk-fcdo-tst0001", q
        assert data["results"][0]["score"] >= data["results"][-1]["score"]
    data = client.get("/search/default", params={"q": "Ivan Fictionalov"}).json()
    assert set(data) == {"limit", "offset", "total", "results", "facets"}
    assert data["limit"] == 10 and data["offset"] == 0
    assert data["total"]["relation"] == "eq" and data["total"]["value"] >= 1
    assert set(data["facets"]) == {"countries", "topics", "datasets"}
    countries = {v["name"]: v for v in data["facets"]["countries"]["values"]}
    assert countries["ru"]["label"] == "Russia" and countries["ru"]["count"] >= 1


def test_search_filters_and_pages(client: TestClient) -> None:
    params = {"q": "fictional test", "limit": 3}
    everything = client.get("/search/default", params={**params, "limit": 100}).json()
    total = everything["total"]["value"]
    assert total > 6
    ids = [r["id"] for r in everything["results"]]
    page2 = client.get("/search/default", params={**params, "offset": 3}).json()
    assert [r["id"] for r in page2["results"]] == ids[3:6]
    assert page2["total"]["value"] == total
    vessels = client.get("/search/default", params={**params, "schema": "Vessel"}).json()
    assert vessels["results"] and all(r["schema"] == "Vessel" for r in vessels["results"])
    legal = client.get("/search/default", params={**params, "schema": "LegalEntity", "limit": 50})
    assert {"Person", "Company"} <= {r["schema"] for r in legal.json()["results"]}
    assert "Vessel" not in {r["schema"] for r in legal.json()["results"]}
    in_ru = client.get("/search/default", params={**params, "countries": "ru", "limit": 50}).json()
    assert in_ru["results"]
    for r in in_ru["results"]:
        countries = {c for p in COUNTRY_PROPS for c in r["properties"].get(p, [])}
        assert "ru" in countries, r["id"]
    assert {v["name"] for v in in_ru["facets"]["countries"]["values"]} >= {"ru"}
    one_list = client.get("/search/uk_ofsi", params={**params, "limit": 50}).json()
    assert one_list["results"] and {r["datasets"][0] for r in one_list["results"]} == {"uk_ofsi"}


def test_search_without_text_lists_the_dataset(client: TestClient, engine: Engine) -> None:
    data = client.get("/search/un_sc", params={"limit": 2, "facets": ["schema"]}).json()
    un = [r for r in engine.snapshot.index.records if r.dataset == "un_sc"]
    assert data["total"]["value"] == len(un)
    assert [r["id"] for r in data["results"]] == [r.id for r in un[:2]]
    assert data["facets"]["schema"]["values"][0]["name"] == "Person"


def test_search_bad_input_is_422_or_404(client: TestClient) -> None:
    assert client.get("/search/nope", params={"q": "x"}).status_code == 404
    bad = client.get("/search/default", params={"q": "x", "schema": "Unicorn"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "schema"]
    assert client.get("/search/default", params={"countries": "Atlantis"}).status_code == 422
    assert client.get("/search/default", params={"facets": "colour"}).status_code == 422
    assert client.get("/search/default", params={"limit": 501}).status_code == 422
    assert client.get("/search/default", params={"q": "x" * 3000}).status_code == 422


def test_entity_is_ftm_with_nested_adjacent_entities(client: TestClient) -> None:
    data = client.get("/entities/un-sc-kpi.901").json()
    assert data["id"] == "un-sc-kpi.901" and data["schema"] == "Person"
    assert data["caption"] == "PAK CHOL SAMPLE" and data["target"] is True
    assert data["datasets"] == ["un_sc"] and data["ref"] == "KPi.901"
    assert len(data["checksum"]) == 64 and data["file"]
    assert "1966-04-12" in data["properties"]["birthDate"]
    sanction = data["properties"]["sanctions"][0]
    assert sanction["schema"] == "Sanction" and sanction["target"] is False
    assert sanction["properties"]["program"] == ["DPRK"]
    assert "entity" not in sanction["properties"]  # the back-reference is dropped
    plain = client.get("/entities/un-sc-kpi.901", params={"nested": False}).json()
    assert "sanctions" not in plain["properties"]
    # Side entities can be fetched by their own ids, too.
    side = client.get(f"/entities/{sanction['id']}").json()
    assert side["schema"] == "Sanction" and side["target"] is False
    holder = side["properties"]["entity"][0]  # the forward reference, nested
    assert holder["id"] == "un-sc-kpi.901" and holder["caption"] == "PAK CHOL SAMPLE"


def test_unknown_entity_is_404(client: TestClient) -> None:
    response = client.get("/entities/no-such-entity")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such entity: 'no-such-entity'"}


def test_catalog(client: TestClient, engine: Engine) -> None:
    data = client.get("/catalog").json()
    names = [d["name"] for d in data["datasets"]]
    assert names[0] == "default" and set(names[1:]) == set(engine.snapshot.versions)
    default = data["datasets"][0]
    assert default["children"] == sorted(engine.snapshot.versions)
    un = next(d for d in data["datasets"] if d["name"] == "un_sc")
    assert un["version"] == un["index_version"] == engine.snapshot.versions["un_sc"].id
    assert un["index_current"] is True and un["load"] is True
    assert un["title"] == "UN Security Council Consolidated List"
    assert un["published"] == "2026-03-02" and un["entries"] == 3
    assert data["outdated"] == [] and data["index_stale"] is False
    assert "un_sc" in data["current"] and "default" in data["current"]


def test_algorithms(client: TestClient) -> None:
    data = client.get("/algorithms").json()
    assert data["default"] == "default" and data["best"] == "default"
    by_name = {a["name"]: a for a in data["algorithms"]}
    assert set(by_name) == {"default", "ofac"}
    assert by_name["default"]["default_threshold"] == 0.7
    assert set(by_name["default"]["features"]) >= {"name", "birth_date", "country"}
    doc = by_name["default"]["features"]["name"]
    assert set(doc) == {"description", "coefficient", "url"}


def test_health_and_readiness(sample_home: Path, tmp_path: Path) -> None:
    engine = Engine(Store(sample_home), reload_interval=0)
    settings = ServiceSettings(home=sample_home, audit_log=tmp_path / "a.jsonl", reload_interval=0)
    client = TestClient(create_app(settings, engine))  # no lifespan: nothing loads
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    busy = client.post("/match/default", json={"queries": {"q": {"schema": "Person", "properties": {"name": "x"}}}})  # fmt: skip
    assert busy.status_code == 503 and "loading" in busy.json()["detail"]
    assert engine.wait_ready(30)
    assert client.get("/readyz").json() == {"status": "ok"}
