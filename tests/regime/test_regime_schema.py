"""Regime files: the packaged UN DPRK rules, a second regime, and bad rules reported by line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.regime.checker import Checker
from sanctionsnet.regime.hs import HSNomenclature, load_hs
from sanctionsnet.regime.loader import load_regime, packaged_regimes, read_regime, regime_path
from sanctionsnet.regime.schema import RegimeError
from sanctionsnet.regime.transactions import parse_records

RESOLUTIONS = {"1718", "1874", "2087", "2094", "2270", "2321", "2371", "2375", "2397"}


def _issues(path: Path, hs: HSNomenclature | None = None) -> list[tuple[int | None, str]]:
    with pytest.raises(RegimeError) as caught:
        read_regime(path, hs)
    return [(i.line, i.message) for i in caught.value.issues]


def test_packaged_un_dprk_rules_are_valid_against_the_hs_nomenclature(hs_dir: Path) -> None:
    hs = load_hs(hs_dir)
    regime = read_regime(packaged_regimes()["un_dprk"], hs)
    assert regime.id == "un_dprk"
    cited = {m.resolution for m in regime.measures}
    assert cited >= RESOLUTIONS, RESOLUTIONS - cited
    for measure in regime.measures:
        assert measure.title and measure.paragraph and measure.authority == "UN Security Council"
        assert measure.direction in (
            "export_from",
            "import_into",
            "services",
            "finance",
            "persons",
            "vessels",
        )
        assert measure.verified in ("text", "secondary", "unverified")
        if measure.superseded is not None:
            assert measure.superseded > measure.in_force
    caps = {c.id: c for c in regime.caps.values()}
    refined = caps["REFINED-2018-ANNUAL"]
    assert (refined.quantity, refined.unit, refined.resolution, refined.paragraph) == (
        500000,
        "barrel",
        "2397",
        "5",
    )
    crude = caps["CRUDE-2397"]
    assert crude.limits() == [(4000000, "barrel"), (525000, "tonne")]
    assert (crude.resolution, crude.paragraph) == ("2397", "4")
    assert caps["REFINED-2017Q4"].resolution == "2375"


def test_measures_history_is_linked_and_supersessions_do_not_overlap() -> None:
    regime = load_regime("un_dprk")
    by_id = {m.id: m for m in regime.measures}
    for measure in regime.measures:
        if measure.superseded_by:
            successor = by_id[measure.superseded_by]
            assert successor.in_force <= measure.superseded, measure.id
    assert by_id["UN-LABOUR-NO-INCREASE"].superseded_by == "UN-LABOUR-NO-NEW"
    assert by_id["UN-REFINED-PETROLEUM-2375"].superseded.isoformat() == "2017-12-22"


def test_bad_rules_are_reported_by_line(regime_fixtures: Path, hs_dir: Path) -> None:
    issues = _issues(regime_fixtures / "bad_regime.yaml", load_hs(hs_dir))
    by_line: dict[int | None, list[str]] = {}
    for line, message in issues:
        by_line.setdefault(line, []).append(message)
    assert "unknown key (did you mean 'verified'?)" in by_line[20]
    assert any("bad HS code '6204.62'" in m for m in by_line[28])
    assert any("'010199' is not in HS2017/HS2022" in m for m in by_line[28])
    assert by_line[30] == ["missing citation: paragraph"]
    assert any("bad date '2020-02-30'" in m for m in by_line[41])
    assert any("unknown action 'ban'" in m for m in by_line[43])
    assert any("did you mean 'worker_nationality'" in m for m in by_line[46])


def test_without_the_nomenclature_hs_codes_are_checked_for_form_only(regime_fixtures: Path) -> None:
    messages = [m for _, m in _issues(regime_fixtures / "bad_regime.yaml", None)]
    assert any("bad HS code '6204.62'" in m for m in messages)
    assert not any("010199" in m for m in messages)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


HEAD = """\
schema_version: 1
regime:
  id: t
  title: T
  authority: A
  target: {name: Ruritania, countries: [ZZ]}
  actions: {refuse: {severity: high}}
  resolutions: [{id: "1", symbol: "R 1", verified: text}]
"""


def test_yaml_errors_and_repeated_keys_name_their_line(tmp_path: Path) -> None:
    bad = _write(tmp_path, HEAD + "measures:\n  - id: A\n    id: B\n")
    assert _issues(bad) == [(11, "key 'id' repeated (first at line 10)")]
    broken = _write(tmp_path, HEAD + "measures: [\n")
    ((line, message),) = _issues(broken)
    assert line is not None and message.startswith("not valid YAML")


def test_rules_referring_to_unknown_things(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEAD
        + """\
measures:
  - id: A
    title: t
    resolution: "2"
    paragraph: "1"
    in_force: 2020-01-01
    direction: sideways
    action: refuse
    caps: [NOPE]
    superseded_by: GHOST
    verified: maybe
    match:
      - type: [shipment, barter]
        where: {origin: {in: [XX, $elsewhere]}, quantity: {mentions: [x]}, hs_code: {in: ["62"]}}
  - id: A
    title: t
    resolution: "1"
    paragraph: "1"
    in_force: 2020-01-01
    direction: finance
    action: refuse
    verified: text
    scope: {hs: ["62"]}
""",
    )
    messages = " | ".join(m for _, m in _issues(path))
    for expected in (
        "resolution '2' is not declared",
        "'sideways' is not one of",
        "unknown cap 'NOPE'",
        "unknown measure 'GHOST'",
        "'maybe' is not one of text, secondary, unverified",
        "unknown transaction type 'barter'",
        "not an ISO 3166 alpha-2 code: 'XX'",
        "unknown variable '$elsewhere'",
        "'mentions' does not apply to 'quantity'",
        "measure id 'A' used twice",
        "goods scope needs direction export_from or import_into",
    ):
        assert expected in messages, expected


def test_a_second_regime_is_a_new_file_not_new_code(regime_fixtures: Path, hs_dir: Path) -> None:
    path = regime_fixtures / "fictional_regime.yaml"
    regime = read_regime(path, load_hs(hs_dir))
    assert regime_path(str(path)) == path
    checker = Checker(regime)
    rows = parse_records(
        [
            {
                "id": "steel",
                "type": "shipment",
                "date": "2021-01-01",
                "hs_code": "720839",
                "origin": "ZZ",
                "destination": "DE",
            },
            {
                "id": "scrap",
                "type": "shipment",
                "date": "2021-01-01",
                "hs_code": "720410",
                "origin": "ZZ",
                "destination": "DE",
            },
            {
                "id": "scrap-words",
                "type": "shipment",
                "date": "2021-01-01",
                "hs_code": "720410",
                "description": "stainless steel coils",
                "origin": "ZZ",
                "destination": "DE",
            },
            {
                "id": "ring",
                "type": "shipment",
                "date": "2021-01-01",
                "hs_code": "711319",
                "value": "1500",
                "currency": "EUR",
                "origin": "FR",
                "destination": "ZZ",
                "port_of_discharge": "Strelsau Harbour",
            },
            {
                "id": "ring-late",
                "type": "shipment",
                "date": "2023-01-01",
                "hs_code": "711319",
                "value": "1500",
                "currency": "EUR",
                "origin": "FR",
                "destination": "ZZ",
            },
            {
                "id": "oil",
                "type": "shipment",
                "date": "2023-01-01",
                "hs_code": "270900",
                "quantity": "10",
                "unit": "t",
                "origin": "ZZ",
                "destination": "NL",
            },
            {
                "id": "oil-licensed",
                "type": "shipment",
                "date": "2023-01-01",
                "hs_code": "270900",
                "origin": "ZZ",
                "destination": "NL",
                "licence_number": "FU-LIC-1",
            },
            {
                "id": "bank",
                "type": "payment",
                "date": "2023-01-01",
                "payer": "X",
                "payee": "Y",
                "payer_country": "DE",
                "payee_country": "ZZ",
                "amount": 25000,
            },
            {
                "id": "small",
                "type": "payment",
                "date": "2023-01-01",
                "payer": "X",
                "payee": "Y",
                "payer_country": "DE",
                "payee_country": "ZZ",
                "amount": 250,
            },
        ],
        regime.columns,
    )
    results = {r.tx.id: r for r in checker.check_all(rows)}
    outcome = {
        k: (r.outcome, sorted(f"{f.kind}:{f.measure.id}" for f in r.findings))
        for k, r in results.items()
    }
    assert outcome["steel"] == ("breach", ["measure:FU-IRON-STEEL"])
    assert outcome["scrap"] == ("clear", [])  # excluded heading 7204
    assert outcome["scrap-words"] == ("review", ["misdescribed:FU-IRON-STEEL"])
    assert outcome["ring"] == ("breach", ["measure:FU-JEWELLERY"])
    assert outcome["ring-late"] == ("clear", [])  # superseded
    assert outcome["oil"] == ("notify", ["measure:FU-OIL"])
    assert outcome["oil-licensed"] == ("exempt", ["measure:FU-OIL"])
    assert outcome["bank"] == ("review", ["measure:FU-BANKS"])
    assert outcome["small"] == ("clear", [])
    cited = results["steel"].findings[0].to_json()["citation"]
    assert cited == {
        "resolution": "R-1/2020",
        "paragraph": "Art. 3(1)",
        "text": "Fictional Regulation 1/2020, para. Art. 3(1)",
    }


def test_unknown_regime_names_the_packaged_ones() -> None:
    with pytest.raises(SanctionsNetError, match="unknown regime 'nope'.*un_dprk"):
        regime_path("nope")
    with pytest.raises(SanctionsNetError, match="regime file not found"):
        regime_path("missing.yaml")
