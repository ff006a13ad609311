"""The command line as users run it: quick start, lists, diff, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctionsnet.cli import app
from sanctionsnet.samples import SAMPLES, sample_paths
from sanctionsnet.store import Store

runner = CliRunner()


def test_quickstart_imports_every_shipped_sample(home: Path) -> None:
    result = runner.invoke(app, ["quickstart"])
    assert result.exit_code == 0, result.output
    store = Store(home)
    assert store.datasets() == sorted(SAMPLES)
    for dataset in SAMPLES:
        current = store.current(dataset)
        assert current is not None and current.entries > 0, dataset
        assert dataset in result.output
    # A second run changes nothing.
    catalog = store.catalog_path.read_bytes()
    assert runner.invoke(app, ["quickstart"]).exit_code == 0
    assert store.catalog_path.read_bytes() == catalog


def test_samples_are_marked_fictional() -> None:
    for source_id in SAMPLES:
        for path in sample_paths(source_id):
            text = path.read_bytes().decode("utf-8", errors="replace").upper()
            assert "FICTIONAL" in text or not text.strip(), path


def test_lists_json_reports_counts(home: Path) -> None:
    runner.invoke(app, ["import", "un_sc", str(sample_paths("un_sc")[0])])
    result = runner.invoke(app, ["lists", "--json"])
    assert result.exit_code == 0
    (entry,) = json.loads(result.output)
    version = entry["versions"][0]
    assert entry["current"] == version["id"]
    assert version["stats"]["by_schema"]["Person"] == 2
    assert version["stats"]["with_birth_date"] == 2
    assert version["files"][0]["name"] == "consolidated.xml"
    assert len(version["files"][0]["sha256"]) == 64


def test_unknown_source_and_missing_file(home: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "nope", str(tmp_path)])
    assert result.exit_code == 1 and "unknown source 'nope'" in result.output
    result = runner.invoke(app, ["import", "un_sc", str(tmp_path / "absent.xml")])
    assert result.exit_code == 1 and "absent.xml" in result.output


def test_ftm_requires_a_dataset_name(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{}\n")
    result = runner.invoke(app, ["import", "ftm", str(path)])
    assert result.exit_code == 1 and "--dataset" in result.output


def test_diff_needs_two_versions(home: Path) -> None:
    runner.invoke(app, ["import", "un_sc", str(sample_paths("un_sc")[0])])
    result = runner.invoke(app, ["diff", "un_sc"])
    assert result.exit_code == 1 and "need two versions" in result.output


def test_bad_published_date(home: Path) -> None:
    result = runner.invoke(
        app, ["import", "un_sc", str(sample_paths("un_sc")[0]), "--published", "soon"]
    )
    assert result.exit_code == 2 and "soon" in result.output


def test_match_json_after_quickstart(home: Path) -> None:
    assert runner.invoke(app, ["quickstart"]).exit_code == 0
    result = runner.invoke(app, ["match", "Fictional Test Trading LLC", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    top = data["results"][0]
    assert top["caption"] == "FICTIONAL TEST TRADING LLC"
    assert top["source"] == "ofac_sdn" and top["ref"] == "9000002"
    assert top["score"] >= 0.9
    assert top["features"][0]["feature"] == "name"
    assert set(data["versions"]) == set(SAMPLES)


def test_match_text_and_bad_identifier(home: Path) -> None:
    assert runner.invoke(app, ["quickstart"]).exit_code == 0
    result = runner.invoke(app, ["match", "FICTIONAL TEST VESSEL", "--schema", "Vessel"])
    assert result.exit_code == 0 and "FICTIONAL TEST VESSEL" in result.output
    result = runner.invoke(app, ["match", "x", "--id", "9990011"])
    assert result.exit_code == 1 and "TYPE:VALUE" in result.output


def test_compare_pairs_file(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "id,name1,name2,schema\n"
        "1,Kim Jong Un,KIM Jong-un,Person\n"
        "2,Kim Jong Un,Kim Jong Il,Person\n"
        "3,Дмитрий Петров,Dmitriy PETROV,Person\n",
        encoding="utf-8",
    )
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["compare", "--pairs", str(pairs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    scores = {r["id"]: float(r["score"]) for r in rows}
    assert scores["1"] >= 0.95 and scores["3"] >= 0.9
    assert scores["2"] < 0.7
    assert all(r["features"].startswith("name") for r in rows)


def test_compare_reports_bad_rows(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,other\nx,y\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", "--pairs", str(pairs)])
    assert result.exit_code == 1 and "name2" in result.output
    pairs.write_text("name1,name2\nx,\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", "--pairs", str(pairs)])
    assert result.exit_code == 1 and "line 2" in result.output
