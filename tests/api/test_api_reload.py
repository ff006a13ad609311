"""New list versions are picked up while the service runs: no downtime, no failed request."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from api_support import FICTIONAL_FTM, person
from fastapi.testclient import TestClient

from sanctionsnet.api import Engine, ServiceSettings, create_app
from sanctionsnet.api import engine as engine_module
from sanctionsnet.ingest import import_files
from sanctionsnet.screen import Query
from sanctionsnet.store import Store

ZEBULON = {"queries": {"z": person("Zebulon Fictitious Reloadson")}}


def add_fictional_list(store: Store, tmp_path: Path, name: str = "fict_extra", extra: str = "") -> None:  # fmt: skip
    path = tmp_path / f"{name}-{time.monotonic_ns()}.ftm.json"
    path.write_text(FICTIONAL_FTM + extra)
    import_files(store, "ftm", [path], dataset=name)


def test_hot_reload_under_load(home_copy: Path, tmp_path: Path) -> None:
    store = Store(home_copy)
    engine = Engine(store, reload_interval=0.1)
    settings = ServiceSettings(home=home_copy, audit_log=tmp_path / "audit.jsonl", reload_interval=0.1)  # fmt: skip
    statuses: list[int] = []
    failures: list[str] = []
    stop = threading.Event()
    with TestClient(create_app(settings, engine)) as client:
        assert engine.wait_ready(30)
        first = engine.snapshot

        def hammer() -> None:
            while not stop.is_set():
                try:
                    response = client.post("/match/default", json={"queries": {"p": person("Pak Chol Sample")}})  # fmt: skip
                    statuses.append(response.status_code)
                    if response.json()["responses"]["p"]["results"][0]["id"] != "un-sc-kpi.901":
                        failures.append(response.text[:200])
                except Exception as exc:  # pragma: no cover - the assertion below reports it
                    failures.append(repr(exc))

        workers = [threading.Thread(target=hammer) for _ in range(3)]
        for w in workers:
            w.start()
        time.sleep(0.3)
        before = client.post("/match/default", json=ZEBULON).json()
        assert before["responses"]["z"]["results"] == []
        add_fictional_list(store, tmp_path)
        deadline = time.monotonic() + 30
        found: list[dict[str, object]] = []
        while time.monotonic() < deadline and not found:
            found = client.post("/match/default", json=ZEBULON).json()["responses"]["z"]["results"]
            time.sleep(0.05)
        time.sleep(0.3)
        stop.set()
        for w in workers:
            w.join()
        assert found and found[0]["id"] == "fict-reload-0001", "new list never served"
        assert engine.snapshot is not first and engine.reloads == 2
        assert failures == [] and statuses and set(statuses) == {200}
        catalog = client.get("/catalog").json()
        assert "fict_extra" in catalog["datasets"][0]["children"]
        assert client.post("/match/fict_extra", json=ZEBULON).status_code == 200
        # The audit log tells which requests saw which versions.
        assert "fict_extra" in client.post("/match/default", json=ZEBULON).json()["versions"]


def test_in_flight_snapshot_is_untouched_by_a_swap(home_copy: Path, tmp_path: Path) -> None:
    store = Store(home_copy)
    engine = Engine(store, reload_interval=0)
    assert engine.refresh()
    old = engine.snapshot
    assert old is not None
    add_fictional_list(store, tmp_path)
    assert engine.refresh() and engine.snapshot is not old
    query = Query.build("Zebulon Fictitious Reloadson", schema="Person")
    assert old.screeners["default"].match(query) == []  # still complete, still the old lists
    assert "fict_extra" not in old.versions
    new = engine.snapshot
    assert (
        new is not None
        and new.screeners["fict_extra"].match(query)[0].record.id == "fict-reload-0001"
    )
    assert engine.refresh() is False  # nothing changed since


def test_failed_load_keeps_serving_the_previous_lists(
    home_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(home_copy)
    engine = Engine(store, reload_interval=0)
    assert engine.refresh()
    old = engine.snapshot
    settings = ServiceSettings(home=home_copy, audit_log=tmp_path / "a.jsonl", reload_interval=0)
    client = TestClient(create_app(settings, engine))

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(engine_module, "load_index", broken)
    add_fictional_list(store, tmp_path)
    assert engine.refresh() is False
    assert engine.snapshot is old and "disk on fire" in str(engine.last_error)
    assert client.get("/readyz").status_code == 200
    assert client.post("/match/default", json={"queries": {"p": person("Pak Chol Sample")}}).status_code == 200  # fmt: skip
    catalog = client.get("/catalog").json()
    extra = next(d for d in catalog["datasets"] if d["name"] == "fict_extra")
    assert extra["index_version"] is None and catalog["index_stale"] is True
    monkeypatch.undo()
    assert engine.refresh() is False  # the same versions are not retried at once
    assert engine.refresh(force=True) and engine.last_error is None
    assert "fict_extra" in engine.snapshot.versions  # type: ignore[union-attr]
