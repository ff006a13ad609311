"""Reading transactions: types and columns, CSV and JSON lines, errors naming row and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.regime.loader import load_regime
from sanctionsnet.regime.transactions import (
    TYPES,
    TransactionError,
    TransactionReader,
    imo_is_valid,
    parse_records,
)

ISSUE_COLUMNS = {
    "shipment": [
        "hs_code", "description", "quantity", "unit", "value", "currency", "origin", "destination",
        "port_of_loading", "port_of_discharge", "transshipment_ports", "shipper", "consignee",
        "notify_party", "vessel_name", "vessel_imo",
    ],
    "payment": ["payer", "payee", "payer_country", "payee_country", "amount", "currency", "purpose"],
    "service": ["payer", "payee", "payer_country", "payee_country", "amount", "currency", "purpose"],
    "employment": ["worker_nationality", "employer", "work_country", "workers", "authorisation_date"],
    "joint_venture": ["parties", "countries", "sector"],
    "vessel_event": ["vessel_name", "vessel_imo", "event", "counterparty_vessel_imo", "port", "flag"],
}  # fmt: skip


def test_types_and_columns_are_exactly_the_issues() -> None:
    assert {t: list(cols) for t, cols in TYPES.items()} == ISSUE_COLUMNS
    assert TYPES["vessel_event"]["event"].choices == ("port_call", "ship_to_ship", "flag_change")


def test_bad_file_reports_every_bad_row_and_field(regime_fixtures: Path) -> None:
    reader = TransactionReader(regime_fixtures / "bad_transactions.csv")
    assert list(reader) == []
    with pytest.raises(TransactionError) as caught:
        reader.raise_for_issues()
    issues = {(i.line, i.id, i.column): i.message for i in caught.value.issues}
    assert issues[(2, "B1", "date")] == "not a date (YYYY-MM-DD): '2019-02-30'"
    assert issues[(3, "B2", "hs_code")] == "an HS code has 6 to 10 digits, got 4: '6204'"
    assert (
        issues[(4, "B3", "origin")]
        == "not an ISO 3166 alpha-2 country code: 'PRK' (did you mean KP?)"
    )
    assert issues[(4, "B3", "vessel_imo")] == "IMO number 1234568 fails its check digit"
    assert issues[(5, "B4", "payee")] == "missing required column 'payee' for a payment"
    assert issues[(5, "B4", "amount")] == "not a number: '12.5.3'"
    assert issues[(6, "B5", "type")].startswith("unknown type 'barter'")
    assert issues[(7, "B1", "origin")] == "missing required column 'origin' for a shipment"
    text = str(caught.value)
    assert "bad_transactions.csv: 8 invalid transaction values" in text
    assert "line 4 (id B3): vessel_imo: IMO number 1234568 fails its check digit" in text
    as_json = caught.value.to_json()
    assert as_json["count"] == 8 and as_json["issues"][0] == {
        "row": 1, "line": 2, "id": "B1", "field": "date", "message": "not a date (YYYY-MM-DD): '2019-02-30'",
    }  # fmt: skip


def test_mappings_are_validated_before_anything_is_checked() -> None:
    with pytest.raises(TransactionError) as caught:
        parse_records(
            [
                {
                    "id": "1",
                    "type": "employment",
                    "date": "2018-01-01",
                    "worker_nationality": "KP",
                    "employer": "E",
                    "work_country": "RU",
                },
                {
                    "id": "1",
                    "type": "joint_venture",
                    "date": "2018-01-01",
                    "parties": ["A"],
                    "countries": ["CN", "Narnia"],
                },
                {"id": "3", "type": "vessel_event", "date": "2018-01-01", "event": "anchoring"},
                "not an object",
            ]
        )
    issues = [(i.row, i.column, i.message) for i in caught.value.issues]
    assert (
        1,
        "authorisation_date",
        "missing required column 'authorisation_date' for an employment",
    ) in issues
    assert (2, "countries", "not an ISO 3166 alpha-2 country code: 'Narnia'") in issues
    assert (3, "event", "'anchoring' is not one of port_call, ship_to_ship, flag_change") in issues
    assert (3, "vessel_imo", "a vessel_event needs vessel_imo or vessel_name") in issues
    assert (4, None, "a transaction is an object of columns") in issues


def test_duplicate_ids_are_errors() -> None:
    with pytest.raises(TransactionError, match="id repeated"):
        parse_records(
            [
                {
                    "id": "T",
                    "type": "payment",
                    "date": "2018-01-01",
                    "payer": "A",
                    "payee": "B",
                    "payer_country": "CN",
                    "payee_country": "RU",
                },
                {
                    "id": "T",
                    "type": "payment",
                    "date": "2018-01-02",
                    "payer": "A",
                    "payee": "B",
                    "payer_country": "CN",
                    "payee_country": "RU",
                },
            ]
        )


def test_values_are_parsed_to_their_kinds(regime_fixtures: Path) -> None:
    regime = load_regime("un_dprk")
    reader = TransactionReader(regime_fixtures / "dprk_cases.jsonl", regime.columns)
    rows = {tx.id: tx for tx in reader}
    reader.raise_for_issues()
    jv = rows["JV-HYDRO"].values
    assert jv["parties"] == ("Fictional Yalu Power Co", "Fictional Sup'ung Hydro Works")
    assert jv["countries"] == ("CN", "KP")
    assert rows["JV-SEAFOOD"].values["countries"] == ("CN", "KP")  # JSON arrays too
    sts = rows["STS-DESIGNATED"]
    assert (
        sts.values["vessel_imo"] == "1000007" and sts.values["counterparty_vessel_imo"] == "1234567"
    )
    worker = rows["WORKERS-OLD-CONTRACT"]
    assert worker.values["workers"] == 12 and worker.values["contract_date"] == date(2017, 7, 1)
    assert worker.line == 2 and worker.date == date(2018, 1, 10)


def test_csv_header_without_id_and_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("ref,type,date\nA,shipment,2019-01-01\n", encoding="utf-8")
    with pytest.raises(SanctionsNetError, match=r"line 1: the header has no 'id' column"):
        list(TransactionReader(path))
    path.write_bytes(b"id,type,date\n\xff\xfe,shipment,2019-01-01\n")
    with pytest.raises(SanctionsNetError, match="not UTF-8"):
        list(TransactionReader(path))
    with pytest.raises(SanctionsNetError, match="cannot read"):
        list(TransactionReader(tmp_path / "absent.csv"))


def test_json_lines_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"id": "A", "type": "payment", "date": "2019-01-01", "payer": "P", "payee": "Q", "payer_country": "CN", "payee_country": "RU"}\n'
        "\n"
        "{not json\n"
        "[1, 2]\n",
        encoding="utf-8",
    )
    reader = TransactionReader(path)
    assert [tx.id for tx in reader] == ["A"]
    messages = {(i.line, i.message.split(":")[0]) for i in reader.issues}
    assert messages == {(3, "not JSON"), (4, "each line is a JSON object")}


def test_imo_check_digit() -> None:
    assert imo_is_valid("9074729") and imo_is_valid("1234567")
    assert not imo_is_valid("9074728")


def test_tab_separated_files(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text(
        "id\ttype\tdate\tparties\tcountries\tsector\n"
        "J1\tjoint_venture\t2018-02-01\tFictional A Ltd; Fictional B Corp\tCN;KP\tmining, quarrying\n",
        encoding="utf-8",
    )
    (tx,) = TransactionReader(path)
    assert tx.values["parties"] == ("Fictional A Ltd", "Fictional B Corp")
    assert tx.values["sector"] == "mining, quarrying"
