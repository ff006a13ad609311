"""`sanctionsnet check` and `sanctionsnet regime ...` as users run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctionsnet.cli import app
from sanctionsnet.regime.hs import HS_DIR_ENV
from sanctionsnet.store import Store

runner = CliRunner()


@pytest.fixture
def sample_home(sample_store: Store, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SANCTIONSNET_HOME", str(sample_store.home))
    return sample_store.home


def test_check_json_report(sample_home: Path, regime_fixtures: Path, hs_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "check",
            str(regime_fixtures / "dprk_cases.csv"),
            "--json",
            "--tally",
            "--hs-dir",
            str(hs_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["regime"]["id"] == "un_dprk"
    assert report["hs"]["available"] and report["hs"]["editions"] == ["HS2017", "HS2022"]
    assert report["screening"]["available"] and "un_sc" in report["screening"]["versions"]
    assert report["notes"] == []
    summary = report["summary"]
    assert summary["transactions"] == 15 and summary["clear"] == 1
    assert len(report["results"]) == 14  # clear transactions are left out without --all
    garment = next(r for r in report["results"] if r["id"] == "GARMENT-2018")
    assert garment["line"] == 2 and garment["outcome"] == "breach"
    assert garment["hs"]["heading"]["code"] == "6204"
    assert "Trousers" in garment["hs"]["subheading"]["description"]
    textiles = next(f for f in garment["findings"] if f["measure"] == "UN-TEXTILES")
    assert textiles["why"][0].startswith(
        "hs_code 620462 is in HS 62 (Apparel and clothing accessories"
    )
    (use,) = [u for u in report["tally"] if u["cap"] == "REFINED-2018-ANNUAL"]
    assert use["limits"][0]["delivered"] == 9000 and use["transactions"] == ["PETROL-NAMPO"]


def test_check_text_report_and_fail_on(
    sample_home: Path, regime_fixtures: Path, hs_dir: Path
) -> None:
    path = regime_fixtures / "dprk_cases.jsonl"
    result = runner.invoke(app, ["check", str(path), "--hs-dir", str(hs_dir), "--tally"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "STS-DESIGNATED vessel_event 2019-07-01 line 6  BREACH" in out
    assert "UN-VESSEL-DESIGNATION  S/RES/2321 (2016), para. 12" in out
    assert (
        "listed  counterparty_vessel_imo 'IMO 1234567' ~ 'FICTIONAL TEST VESSEL' (ofac_sdn" in out
    )
    assert "8 transactions checked: 6 breach, 0 notify, 1 review, 1 exempt, 0 clear" in out
    assert "Tally: no delivery under a capped measure." in out
    failed = runner.invoke(
        app, ["check", str(path), "--fail-on", "breach", "--hs-dir", str(hs_dir)]
    )
    assert failed.exit_code == 2


def test_check_without_lists_or_hs_says_so(
    home: Path, regime_fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HS_DIR_ENV, str(tmp_path / "no-hs"))
    result = runner.invoke(app, ["check", str(regime_fixtures / "dprk_cases.csv"), "--json"])
    assert result.exit_code == 1 and "HS nomenclature directory not found" in result.output
    monkeypatch.delenv(HS_DIR_ENV)
    empty = tmp_path / "empty-hs"
    empty.mkdir()
    result = runner.invoke(
        app, ["check", str(regime_fixtures / "dprk_cases.csv"), "--hs-dir", str(empty)]
    )
    assert result.exit_code == 1 and "no HS table found" in result.output


def test_check_without_lists_still_checks(home: Path, regime_fixtures: Path, hs_dir: Path) -> None:
    result = runner.invoke(
        app, ["check", str(regime_fixtures / "dprk_cases.csv"), "--json", "--hs-dir", str(hs_dir)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["screening"] == {"available": False}
    assert any("no list imported" in n for n in report["notes"])
    assert report["summary"]["breach"] >= 8


def test_check_bad_file_exits_1_naming_rows_and_prints_no_findings(
    home: Path, regime_fixtures: Path
) -> None:
    result = runner.invoke(
        app, ["check", str(regime_fixtures / "bad_transactions.csv"), "--no-screen"]
    )
    assert result.exit_code == 1
    assert "line 3 (id B2): hs_code: an HS code has 6 to 10 digits" in result.output
    assert "transactions checked" not in result.output
    result = runner.invoke(app, ["check", str(regime_fixtures / "nope.csv"), "--no-screen"])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_regime_validate_list_and_show(regime_fixtures: Path, hs_dir: Path) -> None:
    good = runner.invoke(
        app,
        [
            "regime",
            "validate",
            str(regime_fixtures / "fictional_regime.yaml"),
            "--hs-dir",
            str(hs_dir),
        ],
    )
    assert good.exit_code == 0 and "valid: 4 measures" in good.output
    bad = runner.invoke(
        app,
        ["regime", "validate", str(regime_fixtures / "bad_regime.yaml"), "--hs-dir", str(hs_dir)],
    )
    assert bad.exit_code == 1
    assert "bad_regime.yaml:43: measures[3] (M-BAD-DATE).action: unknown action 'ban'" in bad.output
    as_json = runner.invoke(
        app, ["regime", "validate", str(regime_fixtures / "bad_regime.yaml"), "--json"]
    )
    assert as_json.exit_code == 1 and json.loads(as_json.output)["valid"] is False
    listing = runner.invoke(app, ["regime", "list", "--json"])
    assert listing.exit_code == 0 and json.loads(listing.output)[0]["id"] == "un_dprk"
    shown = runner.invoke(
        app,
        [
            "regime",
            "show",
            "un_dprk",
            "--measure",
            "UN-TEXTILES",
            "--json",
            "--hs-dir",
            str(hs_dir),
        ],
    )
    assert shown.exit_code == 0, shown.output
    textiles = json.loads(shown.output)
    assert textiles["citation"]["text"] == "S/RES/2375 (2017), para. 16"
    assert textiles["scope"][0]["hs"][12] == {
        "code": "62",
        "description": "Apparel and clothing accessories; not knitted or crocheted",
    }
    missing = runner.invoke(app, ["regime", "show", "un_dprk", "--measure", "NOPE"])
    assert missing.exit_code == 1 and "no measure 'NOPE'" in missing.output
