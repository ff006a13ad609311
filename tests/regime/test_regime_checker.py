"""The UN DPRK measures applied to the fictional cases the issue lists, and a few more."""

from __future__ import annotations

import json

import pytest
from regime_helpers import finding, measures

from sanctionsnet.regime.checker import Checker, Result
from sanctionsnet.regime.loader import load_regime
from sanctionsnet.regime.service import check_records, load_checker
from sanctionsnet.regime.transactions import TransactionError, parse_records


def test_garment_shipment_from_nampo_after_2375_breaches_para_16(
    dprk_results: dict[str, Result],
) -> None:
    result = dprk_results["GARMENT-2018"]
    assert result.outcome == "breach"
    textiles = finding(result, "UN-TEXTILES")
    assert textiles["citation"] == {
        "resolution": "2375",
        "paragraph": "16",
        "text": "S/RES/2375 (2017), para. 16",
    }
    assert (
        textiles["outcome"] == "breach"
        and textiles["action"] == "refuse"
        and textiles["severity"] == "high"
    )
    why = " | ".join(textiles["why"])
    assert "hs_code 620462 is in HS 62" in why
    assert "port_of_loading 'Nampo' is a port of Democratic People's Republic of Korea" in why
    assert "2017-09-11" in why
    # The transition exemption is listed, and why it does not apply.
    (transition,) = textiles["exemptions"]
    assert transition["id"] == "EX-TEXTILE-TRANSITION" and transition["status"] == "not_met"
    assert "contract_date" in transition["unmet"]
    # Unknown columns are kept, not checked.
    assert result.tx.extra == {"internal_ref": "FICTIONAL-PO-1"}


def test_same_garment_shipment_before_11_september_2017_is_not_that_finding(
    dprk_results: dict[str, Result],
) -> None:
    result = dprk_results["GARMENT-2017"]
    assert "UN-TEXTILES" not in measures(result)
    assert result.outcome == "review"  # only the cargo inspection duty remains
    assert measures(result) == {"UN-CARGO-INSPECTION"}


def test_russian_coal_through_rajin_with_notice_is_exempt(dprk_results: dict[str, Result]) -> None:
    coal = finding(dprk_results["COAL-RU-NOTICE"], "UN-COAL")
    assert coal["outcome"] == "exempt"
    met = {e["id"] for e in coal["exemptions"] if e["status"] == "met"}
    assert "EX-RAJIN-KHASAN-RUSSIAN-COAL" in met
    assert any("notification_ref is given (1718-NOTE-FICTIONAL-001)" in w for w in coal["why"])
    assert dprk_results["COAL-RU-NOTICE"].outcome != "breach"


def test_russian_coal_without_notice_and_dprk_coal_with_notice_breach(
    dprk_results: dict[str, Result],
) -> None:
    no_notice = finding(dprk_results["COAL-RU-NO-NOTICE"], "UN-COAL")
    assert no_notice["outcome"] == "breach"
    khasan = next(e for e in no_notice["exemptions"] if e["id"] == "EX-RAJIN-KHASAN-RUSSIAN-COAL")
    assert khasan["status"] == "not_met" and khasan["unmet"] == ["notification_ref"]
    dprk_coal = finding(dprk_results["COAL-KP-NOTICE"], "UN-COAL")
    assert dprk_coal["outcome"] == "breach"
    assert all(e["status"] != "met" for e in dprk_coal["exemptions"])


def test_refined_petroleum_to_nampo_requires_notification_and_names_the_cap(
    dprk_results: dict[str, Result],
) -> None:
    result = dprk_results["PETROL-NAMPO"]
    assert result.outcome == "notify"
    oil = finding(result, "UN-REFINED-PETROLEUM")
    assert oil["action"] == "notify_1718_committee"
    assert oil["citation"]["text"] == "S/RES/2397 (2017), para. 5"
    (cap,) = oil["caps"]
    assert cap["id"] == "REFINED-2018-ANNUAL"
    assert cap["limits"] == [{"quantity": 500000.0, "unit": "barrel"}]
    assert cap["period"] == {"start": "2019-01-01", "end": "2019-12-31"}
    assert any("every 30 days" in c for c in oil["conditions"])
    assert "UN-AVFUEL" not in measures(result)


def test_jet_fuel_is_banned_not_capped(dprk_results: dict[str, Result]) -> None:
    result = dprk_results["JET-FUEL"]
    avfuel = finding(result, "UN-AVFUEL")
    assert avfuel["outcome"] == "breach"
    assert avfuel["citation"]["text"] == "S/RES/2270 (2016), para. 31"
    assert any("transshipment_ports include 'Rajin'" in w for w in avfuel["why"])
    assert "UN-REFINED-PETROLEUM" not in measures(result)


def test_seafood_from_the_dprk_breaches_2371_para_9(dprk_results: dict[str, Result]) -> None:
    seafood = finding(dprk_results["SEAFOOD-KP"], "UN-SEAFOOD")
    assert seafood["outcome"] == "breach"
    assert seafood["citation"]["text"] == "S/RES/2371 (2017), para. 9"
    assert seafood["verification"]["paragraph_seen"] is False  # recalled, and said so


def test_machinery_to_the_dprk_breaches_2397_para_7_from_its_adoption(
    dprk_results: dict[str, Result],
) -> None:
    machinery = finding(dprk_results["MACHINERY-TO-KP"], "UN-2397-P7-INDUSTRIAL")
    assert machinery["outcome"] == "breach"
    assert machinery["goods"] == "Industrial machinery (HS 84 and 85)"
    before = dprk_results["MACHINERY-TO-KP-2017"]
    assert "UN-2397-P7-INDUSTRIAL" not in measures(before)
    # Before 2397 the catch-all still asks for a review.
    assert finding(before, "UN-CATCHALL-MIL")["outcome"] == "review"


def test_new_work_authorisation_for_dprk_nationals_in_2018(dprk_results: dict[str, Result]) -> None:
    result = dprk_results["WORKERS-2018"]
    labour = finding(result, "UN-LABOUR-NO-NEW")
    assert labour["outcome"] == "breach"
    assert labour["citation"]["text"] == "S/RES/2375 (2017), para. 17"
    assert any(
        "authorisation_date 2018-03-20 is on or after 2017-09-11" in w for w in labour["why"]
    )
    repatriation = finding(result, "UN-LABOUR-REPATRIATION")
    assert repatriation["outcome"] == "review"  # before the 22 December 2019 deadline
    assert "UN-LABOUR-NO-INCREASE" not in measures(result)  # superseded by 2375


def test_work_contract_signed_before_2375_is_exempt_and_repatriation_bites_after_deadline(
    dprk_results: dict[str, Result],
) -> None:
    old = finding(dprk_results["WORKERS-OLD-CONTRACT"], "UN-LABOUR-NO-NEW")
    assert old["outcome"] == "exempt"
    late = finding(dprk_results["WORKERS-2020"], "UN-LABOUR-REPATRIATION")
    assert late["outcome"] == "breach" and late["action"] == "refuse"
    assert any("deadline of 2019-12-22" in w for w in late["why"])
    # Authorised in 2016, before 2371 and 2375: no work-authorisation finding.
    assert "UN-LABOUR-NO-NEW" not in measures(dprk_results["WORKERS-2020"])


def test_joint_venture_with_a_dprk_entity(dprk_results: dict[str, Result]) -> None:
    jv = finding(dprk_results["JV-SEAFOOD"], "UN-JOINT-VENTURES")
    assert jv["outcome"] == "breach"
    assert jv["citation"]["text"] == "S/RES/2375 (2017), para. 18"
    hydro = finding(dprk_results["JV-HYDRO"], "UN-JOINT-VENTURES")
    assert hydro["outcome"] == "exempt"
    assert any(e["id"] == "EX-JV-HYDRO" and e["status"] == "met" for e in hydro["exemptions"])


def test_ship_to_ship_transfer_with_a_designated_vessel(dprk_results: dict[str, Result]) -> None:
    result = dprk_results["STS-DESIGNATED"]
    assert result.outcome == "breach"
    designation = finding(result, "UN-VESSEL-DESIGNATION")
    assert designation["outcome"] == "breach"
    (party,) = [p for p in designation["parties"] if p["field"] == "counterparty_vessel_imo"][:1]
    assert party["caption"] == "FICTIONAL TEST VESSEL"
    assert "DPRK" in party["programs"] and party["dataset"] == "ofac_sdn"
    # The flag of the counterparty is unknown: the STS paragraph asks for a review.
    assert finding(result, "UN-STS")["outcome"] == "review"
    assert any(h.caption == "FICTIONAL TEST VESSEL" for h in result.listed)
    assert finding(result, "UN-ASSET-FREEZE")["outcome"] == "breach"


def test_ship_to_ship_with_dprk_flag_and_reflagging_to_the_dprk(
    dprk_results: dict[str, Result],
) -> None:
    assert finding(dprk_results["STS-KP-FLAG"], "UN-STS")["outcome"] == "breach"
    flag = finding(dprk_results["FLAG-TO-KP"], "UN-DPRK-FLAG-SERVICES")
    assert flag["outcome"] == "breach"
    assert flag["citation"]["text"] == "S/RES/2321 (2016), para. 9"


def test_goods_named_in_words_but_coded_outside_the_measure(
    dprk_results: dict[str, Result],
) -> None:
    result = dprk_results["COAL-AS-STONE"]
    misdescribed = finding(result, "UN-COAL", kind="misdescribed")
    assert misdescribed["outcome"] == "review"
    assert "description names 'Anthracite'" in misdescribed["why"][0]
    assert (
        "hs_code 251749" in misdescribed["why"][1] and "2701, 2702, 2704" in misdescribed["why"][1]
    )
    # The declared code is itself banned from the DPRK (earth and stone, 2397 para 6).
    assert finding(result, "UN-2397-P6")["outcome"] == "breach"


def test_luxury_rug_valued_in_another_currency_is_a_review(dprk_results: dict[str, Result]) -> None:
    rug = finding(dprk_results["RUG-EUR"], "UN-LUXURY")
    assert rug["outcome"] == "review"
    assert any("800.00 EUR cannot be compared with the 500 USD threshold" in w for w in rug["why"])
    # KPNAM is a UN/LOCODE of a DPRK port.
    assert any("port_of_discharge 'KPNAM' is a port of" in w for w in rug["why"])


def test_trade_that_does_not_touch_the_dprk_is_clear(dprk_results: dict[str, Result]) -> None:
    result = dprk_results["CLEAN-TRADE"]
    assert result.findings == [] and result.listed == [] and result.outcome == "clear"


def test_payments_charter_to_the_dprk_and_a_listed_payee(dprk_results: dict[str, Result]) -> None:
    charter = dprk_results["CHARTER-KP"]
    assert finding(charter, "UN-LEASE-CHARTER-CREW")["outcome"] == "breach"
    assert finding(charter, "UN-FIN-SERVICES")["outcome"] == "review"
    listed = dprk_results["LISTED-PAYEE"]
    freeze = finding(listed, "UN-ASSET-FREEZE")
    assert freeze["outcome"] == "breach"
    assert freeze["citation"]["text"] == "S/RES/1718 (2006), para. 8(d)"
    assert {p["caption"] for p in freeze["parties"]} >= {"FICTIONAL OCEAN TRADING CORPORATION"}
    assert {p["dataset"] for p in freeze["parties"]} >= {"un_sc"}


def test_rows_given_as_mappings_like_the_api(screening_checker: Checker) -> None:
    rows = [
        {
            "id": "A",
            "type": "shipment",
            "date": "2018-03-05",
            "hs_code": "620462",
            "origin": "kp",
            "destination": "CN",
        },
        {
            "id": "B",
            "type": "vessel_event",
            "date": "2019-01-01",
            "vessel_imo": 1000007,
            "event": "port_call",
            "port": "Nampho",
        },
    ]
    a, b = screening_checker.check_all(parse_records(rows, screening_checker.regime.columns))
    assert "UN-TEXTILES" in measures(a)
    assert b.tx.values["vessel_imo"] == "1000007"
    # A port call alone is not prohibited: a review under the seizure paragraph.
    assert [(f.measure.id, f.outcome) for f in b.findings] == [("UN-VESSEL-SEIZURE", "review")]


def test_checks_work_without_hs_tables_and_without_lists() -> None:
    checker = Checker(load_regime("un_dprk"), hs=None, parties=None)
    (tx,) = parse_records(
        [
            {
                "id": "X",
                "type": "shipment",
                "date": "2019-01-01",
                "hs_code": "0306.17.10",
                "origin": "KP",
                "destination": "JP",
            }
        ]
    )
    result = checker.check(tx)
    seafood = finding(result, "UN-SEAFOOD")
    assert seafood["why"][0] == "hs_code 03061710 is in HS 03"  # matched by prefix, no description
    assert result.hs is None and result.listed == []


def test_check_records_gives_a_json_ready_report_or_a_typed_error(
    screening_checker: Checker,
) -> None:
    checker = load_checker("un_dprk", screener=screening_checker.parties.screener, hs_dir=None)  # type: ignore[union-attr]
    report = check_records(
        [
            {
                "id": "1",
                "type": "shipment",
                "date": "2019-05-02",
                "hs_code": "271019",
                "quantity": 1000,
                "unit": "bbl",
                "origin": "SG",
                "destination": "KP",
            },
            {
                "id": "2",
                "type": "payment",
                "date": "2019-05-02",
                "payer": "Fictional Singapore Traders Pte Ltd",
                "payee": "Fictional Ocean Trading Corporation",
                "payer_country": "SG",
                "payee_country": "HK",
            },
        ],
        checker,
        tally=True,
    )
    assert json.loads(json.dumps(report)) == report
    assert report["summary"] == {
        "transactions": 2, "breach": 1, "notify": 1, "review": 0, "exempt": 0, "clear": 0, "with_listed_party": 1,
    }  # fmt: skip
    assert [r["id"] for r in report["results"]] == ["1", "2"]
    assert report["tally"][0]["limits"][0]["delivered"] == 1000
    with pytest.raises(TransactionError) as caught:
        check_records(
            [
                {
                    "id": "X",
                    "type": "shipment",
                    "date": "2019-01-01",
                    "origin": "KP",
                    "destination": "CN",
                }
            ],
            checker,
        )
    assert caught.value.to_json()["issues"] == [
        {
            "row": 1,
            "line": None,
            "id": "X",
            "field": "hs_code",
            "message": "missing required column 'hs_code' for a shipment",
        }
    ]


def test_committee_humanitarian_exemption_reference_makes_machinery_exempt() -> None:
    checker = Checker(load_regime("un_dprk"))
    row = {"id": "H", "type": "shipment", "date": "2019-09-01", "hs_code": "841370", "description": "water pumps", "origin": "SE", "destination": "KP"}  # fmt: skip
    (plain,) = parse_records([row], checker.regime.columns)
    (approved,) = parse_records(
        [{**row, "notification_ref": "1718-HUM-FICTIONAL-9"}], checker.regime.columns
    )
    assert finding(checker.check(plain), "UN-2397-P7-INDUSTRIAL")["outcome"] == "breach"
    result = checker.check(approved)
    industrial = finding(result, "UN-2397-P7-INDUSTRIAL")
    assert industrial["outcome"] == "exempt"
    assert any(
        e["id"] == "EX-HUMANITARIAN-2397-25" and e["status"] == "met"
        for e in industrial["exemptions"]
    )
    assert result.outcome == "review"  # the inspection duty remains
