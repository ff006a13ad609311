"""API keys (off by default, 401 without a valid one) and the append-only audit log."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from api_support import person
from fastapi.testclient import TestClient

from sanctionsnet.api import Engine, ServiceSettings, create_app
from sanctionsnet.api.audit import AuditLog
from sanctionsnet.api.auth import key_id
from sanctionsnet.api.settings import SettingsError, read_keys_file

KEY = "s3cret-key-for-tests"
BODY = {"queries": {"pak": person("Pak Chol Sample", birthDate="1966")}}


@pytest.fixture
def keyed(settings: ServiceSettings, engine: Engine, tmp_path: Path) -> TestClient:
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(f"# analysts\n{KEY}\n\nother-key\n")
    secured = ServiceSettings(
        home=settings.home, audit_log=tmp_path / "audit.jsonl", reload_interval=0
    ).with_keys_file(keys_file)
    return TestClient(create_app(secured, engine))


def test_keys_are_off_by_default(client: TestClient) -> None:
    assert client.post("/match/default", json=BODY).status_code == 200


def test_without_a_valid_key_401(keyed: TestClient) -> None:
    missing = keyed.post("/match/default", json=BODY)
    assert missing.status_code == 401
    assert missing.json()["detail"].startswith("missing API key")
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = keyed.post("/match/default", json=BODY, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["detail"].startswith("invalid API key")
    for path in ("/search/default?q=pak", "/entities/un-sc-kpi.901", "/catalog", "/reconcile/default"):  # fmt: skip
        assert keyed.get(path).status_code == 401, path


def test_every_way_of_sending_the_key(keyed: TestClient) -> None:
    for headers in (
        {"Authorization": f"Bearer {KEY}"},
        {"Authorization": f"ApiKey {KEY}"},
        {"authorization": f"apikey {KEY}"},
        {"X-API-Key": KEY},
        {"X-API-Key": "other-key"},
    ):
        assert keyed.post("/match/default", json=BODY, headers=headers).status_code == 200, headers
    assert keyed.post("/match/default", json=BODY, params={"api_key": KEY}).status_code == 200


def test_health_and_docs_stay_open(keyed: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/docs", "/openapi.json"):
        assert keyed.get(path).status_code == 200, path
    spec = keyed.get("/openapi.json").json()
    assert "Bearer" in spec["components"]["securitySchemes"]


def test_audit_line_per_screening_request(
    keyed: TestClient, engine: Engine, tmp_path: Path
) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    response = keyed.post("/match/default", json=BODY, headers=headers, params={"threshold": 0.8})
    keyed.get("/search/un_sc", params={"q": "pak chol"}, headers=headers)
    keyed.post("/reconcile/default", data={"queries": json.dumps({"r": {"query": "Pak Chol"}})}, headers=headers)  # fmt: skip
    keyed.get("/entities/un-sc-kpi.901", headers=headers)  # not a screening request
    keyed.post("/match/default", json=BODY)  # refused: never reaches the log
    text = (tmp_path / "audit.jsonl").read_text()
    assert KEY not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["endpoint"] for line in lines] == [
        "POST /match/default",
        "GET /search/un_sc",
        "POST /reconcile/default",
    ]
    match = lines[0]
    assert match["key"] == key_id(KEY) and match["key"].startswith("key-")
    assert match["request_id"] == response.headers["x-request-id"]
    assert match["ts"].endswith("Z") and match["dataset"] == "default"
    assert match["versions"] == {d: v.id for d, v in engine.snapshot.versions.items()}
    assert match["algorithm"] == {"name": "default", "version": "1"}
    assert match["threshold"] == 0.8 and match["limit"] == 5
    assert match["queries"]["pak"]["properties"]["name"] == ["Pak Chol Sample"]
    returned = response.json()["responses"]["pak"]["results"]
    assert match["results"]["pak"] == [
        {"id": r["id"], "score": r["score"], "match": r["match"]} for r in returned
    ]
    assert lines[1]["versions"] == {"un_sc": engine.snapshot.versions["un_sc"].id}
    assert lines[1]["results"]["q"][0]["id"] == "un-sc-kpi.901"
    assert lines[2]["results"]["r"][0]["id"] == "un-sc-kpi.901"


def test_audit_lines_from_many_threads_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    logs = [AuditLog(path) for _ in range(4)]  # like several workers with their own descriptor
    big = "x" * 20_000

    def write(log: AuditLog, n: int) -> None:
        for i in range(200):
            log.write({"writer": n, "i": i, "payload": big})

    threads = [threading.Thread(target=write, args=(log, n)) for n, log in enumerate(logs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_bytes().splitlines()
    assert len(lines) == 800
    assert all(json.loads(line)["payload"] == big for line in lines)
    # Rotation by rename: the next write starts a new file.
    path.rename(tmp_path / "audit.jsonl.1")
    logs[0].write({"after": "rotation"})
    assert json.loads(path.read_text())["after"] == "rotation"


def test_unwritable_audit_log_refuses_the_request(settings: ServiceSettings, engine: Engine, tmp_path: Path) -> None:  # fmt: skip
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    broken = ServiceSettings(home=settings.home, audit_log=blocker / "audit.jsonl", reload_interval=0)  # fmt: skip
    client = TestClient(create_app(broken, engine))
    response = client.post("/match/default", json=BODY)
    assert response.status_code == 503
    assert "audit log unavailable" in response.json()["detail"]


def test_keys_file_errors_name_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n")
    with pytest.raises(SettingsError, match="no API keys"):
        read_keys_file(empty)
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("good\nbad key\n")
    with pytest.raises(SettingsError, match="line 2"):
        read_keys_file(spaced)
    with pytest.raises(SettingsError, match="cannot read"):
        read_keys_file(tmp_path / "missing.txt")
