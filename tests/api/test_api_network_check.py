"""GET /entities/{id}/network, POST /exposure and POST /check over the fictional samples.

The API answers must be the library's answers (network.entity_network, network.exposure,
regime.service.check_records), with bad input a 4xx that says what is wrong.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from sanctionsnet.network.exposure import entity_network
from sanctionsnet.store import Store


def test_entity_network_is_the_library_network(client: TestClient, engine) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/entities/ofac-sdn-9000002/network", params={"hops": 2})
    assert response.status_code == 200
    data = response.json()
    ids = {n["id"] for n in data["nodes"]}
    # The Linked To remarks of the fictional OFAC sample: the person, the vessel, the foundation.
    assert {"ofac-sdn-9000001", "ofac-sdn-9000003", "ofac-sdn-9000005"} <= ids
    assert data == entity_network(Store(engine.store.home), "ofac-sdn-9000002", hops=2)
    assert all(edge.get("evidence") for edge in data["edges"])


def test_entity_network_errors(client: TestClient) -> None:
    missing = client.get("/entities/no-such-entity/network")
    assert missing.status_code == 404 and "no-such-entity" in missing.json()["detail"]
    assert client.get("/entities/ofac-sdn-9000002/network", params={"hops": 0}).status_code == 422
    assert client.get("/entities/ofac-sdn-9000002/network", params={"hops": 99}).status_code == 422


def test_exposure_paths_with_evidence(client: TestClient) -> None:
    response = client.post("/exposure", json={"ids": ["ofac-sdn-9000001"], "hops": 2})
    assert response.status_code == 200
    data = response.json()
    assert [p["target"]["id"] for p in data["paths"]] == ["ofac-sdn-9000002"]
    step = data["paths"][0]["steps"][0]
    assert step["evidence"], step
    by_name = client.post("/exposure", json={"name": "FICTIONAL TEST VESSEL", "hops": 1}).json()
    assert any(p["target"]["id"] == "ofac-sdn-9000002" for p in by_name["paths"])


def test_exposure_errors(client: TestClient) -> None:
    assert client.post("/exposure", json={}).status_code == 422  # neither name nor ids
    unknown = client.post("/exposure", json={"ids": ["nope"]})
    assert unknown.status_code == 404 and "nope" in unknown.json()["detail"]
    bad_schema = client.post("/exposure", json={"name": "X", "schema": "Spaceship"})
    assert bad_schema.status_code == 422
    assert "Spaceship" in bad_schema.json()["detail"][0]["msg"]


GARMENTS = {
    "id": "t1",
    "type": "shipment",
    "date": "2018-03-01",
    "hs_code": "620342",
    "description": "cotton trousers",
    "origin": "KP",
    "destination": "CN",
    "port_of_loading": "Nampo",
}


def test_check_cites_the_resolution(client: TestClient) -> None:
    response = client.post("/check", json={"transactions": [GARMENTS]})
    assert response.status_code == 200
    data = response.json()
    text = str(data)
    # Textiles from the DPRK after 11 September 2017: resolution 2375, paragraph 16.
    assert "2375" in text and "16" in text
    before = dict(GARMENTS, id="t0", date="2017-06-01")
    earlier = client.post("/check", json={"transactions": [before]}).json()
    assert "2375" not in str(earlier.get("results", earlier))


def test_check_bad_rows_name_row_and_field(client: TestClient) -> None:
    bad = dict(GARMENTS)
    del bad["hs_code"]
    response = client.post("/check", json={"transactions": [GARMENTS | {"id": "ok"}, bad]})
    assert response.status_code == 422
    issues = response.json()["detail"]
    assert any(i["row"] == 2 and i["field"] == "hs_code" for i in issues), issues
    assert any(i["loc"] == ["body", "transactions", 1, "hs_code"] for i in issues), issues
    assert (
        client.post("/check", params={"regime": "nope"}, json={"transactions": []}).status_code
        == 404
    )
    assert client.post("/check", json={"transactions": [{"id": {"x": 1}}]}).status_code == 422
