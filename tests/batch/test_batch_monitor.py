"""Daily monitoring (--changes-since): a book against what changed between two list versions.

The list is FICTIONAL, written for this test, in two versions: one entry unchanged, one
changed (an alias and a program added), one removed, one added.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from batch_book import read_csv, write_csv
from typer.testing import CliRunner

from sanctionsnet.batch import BatchOptions, run_batch
from sanctionsnet.batch.monitor import MonitorError, versions_since
from sanctionsnet.cli import app
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store

DATASET = "fictional_list"


def entity(eid: str, schema: str, **props: list[str]) -> dict:
    return {"id": eid, "schema": schema, "properties": {**props, "notes": ["FICTIONAL"]}}


A = entity("FIC-A", "Person", name=["Alberto Fittizio Esempio"], birthDate=["1960"])
B1 = entity("FIC-B", "Person", name=["Bianca Prova Campione"], birthDate=["1970-03-04"])
B2 = entity(
    "FIC-B",
    "Person",
    name=["Bianca Prova Campione"],
    alias=["Bianca Campioni"],
    birthDate=["1970-03-04"],
)
C = entity("FIC-C", "Company", name=["Cordata Finta Holdings"], jurisdiction=["it"])
D = entity("FIC-D", "Vessel", name=["Delfino Immaginario"], imoNumber=["9000015"])
SANCTION_1 = entity("FIC-S1", "Sanction", entity=["FIC-B"], program=["FIC-PROGRAM-1"])
SANCTION_2 = entity("FIC-S1", "Sanction", entity=["FIC-B"], program=["FIC-PROGRAM-2"])

BOOK_HEADER = ["cid", "name", "schema", "imo"]
BOOK = [
    ["r1", "Alberto Fittizio Esempio", "Person", ""],
    ["r2", "Bianca Prova Campione", "Person", ""],
    ["r3", "Cordata Finta Holdings", "Company", ""],
    ["r4", "Delfino Immaginario", "Vessel", "9000015"],
    ["r5", "Nessuno Qualcuno", "Person", ""],
]


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, str, str]:
    home = tmp_path / "home"
    monkeypatch.setenv("SANCTIONSNET_HOME", str(home))
    store = Store(home)
    ids = []
    for name, entities, day in (
        ("v1.json", [A, B1, C, SANCTION_1], date(2026, 1, 10)),
        ("v2.json", [A, B2, D, SANCTION_2], date(2026, 2, 10)),
    ):
        path = tmp_path / name
        path.write_text("".join(json.dumps(e) + "\n" for e in entities))
        result = import_files(
            store, "ftm", [path], dataset=DATASET, published=day, allow_shrink=True
        )
        ids.append(result.version.id)
    return store, ids[0], ids[1]


def monitor(store: Store, tmp_path: Path, since: str) -> list[dict[str, str]]:
    book = write_csv(tmp_path / "book.csv", BOOK_HEADER, BOOK)
    out = tmp_path / "changes.csv"
    run_batch(BatchOptions(input=book, out=out, changes_since=since), store)
    return read_csv(out)


def test_changes_since_a_date(two_versions: tuple[Store, str, str], tmp_path: Path) -> None:
    store, v1, v2 = two_versions
    rows = monitor(store, tmp_path, "2026-01-15")
    found = {(r["cid"], r["match_id"]): r for r in rows}
    assert set(found) == {("r2", "FIC-B"), ("r3", "FIC-C"), ("r4", "FIC-D")}
    changed, removed, added = found["r2", "FIC-B"], found["r3", "FIC-C"], found["r4", "FIC-D"]
    assert changed["change"] == "changed"
    assert float(changed["match_score"]) >= 0.95 and float(changed["previous_score"]) >= 0.95
    assert changed["match_version"] == v2 and changed["match_programs"] == "FIC-PROGRAM-2"
    assert removed["change"] == "removed"
    assert removed["match_score"] == "" and float(removed["previous_score"]) >= 0.9
    assert removed["match_version"] == v1
    assert added["change"] == "added" and added["previous_score"] == ""
    assert added["match_schema"] == "Vessel"
    # The same command with the version id gives the same rows.
    assert monitor(store, tmp_path, v1[:12]) == rows


def test_monitoring_reports_what_a_full_run_reports_for_changed_entries(
    two_versions: tuple[Store, str, str], tmp_path: Path
) -> None:
    store, _, _ = two_versions
    changes = monitor(store, tmp_path, "2026-01-15")
    book = tmp_path / "book.csv"
    run_batch(BatchOptions(input=book, out=tmp_path / "full.csv"), store)
    full = read_csv(tmp_path / "full.csv")
    now = {(r["cid"], r["match_id"]): r["match_score"] for r in changes if r["match_score"]}
    expected = {
        (r["cid"], r["match_id"]): r["match_score"]
        for r in full
        if r["match_id"] in ("FIC-B", "FIC-D")  # changed or added since
    }
    assert expected and now == expected


def test_nothing_changed_since(two_versions: tuple[Store, str, str], tmp_path: Path) -> None:
    store, _, v2 = two_versions
    assert versions_since(store, "2026-03-01") == {}
    assert versions_since(store, v2) == {}
    assert monitor(store, tmp_path, "2026-03-01") == []


def test_before_the_first_version_everything_is_added(
    two_versions: tuple[Store, str, str], tmp_path: Path
) -> None:
    store, _, _ = two_versions
    rows = monitor(store, tmp_path, "2025-12-31")
    assert {(r["cid"], r["change"]) for r in rows} == {
        ("r1", "added"),
        ("r2", "added"),
        ("r4", "added"),
    }


def test_cli_explains_changes_and_bad_values(
    two_versions: tuple[Store, str, str], tmp_path: Path
) -> None:
    book = write_csv(tmp_path / "book.csv", BOOK_HEADER, BOOK)
    runner = CliRunner()
    result = runner.invoke(app, ["screen", str(book), "--changes-since", "2026-01-15"])
    assert result.exit_code == 0, result.output
    assert f"{DATASET}: " in result.stderr and "1 added, 1 changed, 1 removed" in result.stderr
    header = result.stdout.splitlines()[0].split(",")
    assert header[4] == "change" and header[-1] == "previous_score"
    result = runner.invoke(app, ["screen", str(book), "--changes-since", "zzz"])
    assert result.exit_code == 1 and "not a date" in result.stderr
    with pytest.raises(MonitorError, match="not a date"):
        versions_since(two_versions[0], "2026-13-45")
