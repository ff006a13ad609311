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
