"""HM Treasury OFSI Consolidated List (uk_ofsi): CSV and XLSX, 2020 and 2022 layouts."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import Publication, get_source, read_publication
from sanctionsnet.sources.uk_ofsi import split_items, uk_date, un_reference

REAL_CSV = "lists/uk/2020-04-27_OFSI_ConList.csv"
REAL_XLSX = "lists/uk/2025-04-10_OFSI_ConList_UK_Sanctions_List.xlsx"
PARTIES = {"Person", "Organization", "Company", "LegalEntity", "Vessel"}


def by_id(pub: Publication) -> dict[str, dict]:
    return {e.entity.id: e.entity.to_dict() for e in pub.entities}


def props(pub: Publication, entity_id: str) -> dict[str, list[str]]:
    for emitted in pub.entities:
        if emitted.entity.id == entity_id:
            return emitted.entity.to_dict()["properties"]
    raise AssertionError(f"{entity_id} not emitted")


def schemata(pub: Publication) -> Counter[str]:
    return Counter(e.entity.schema.name for e in pub.entities)


# -- helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("27/04/2020", "2020-04-27"),
        ("00/00/1960", "1960"),
        ("dd/mm/1945", "1945"),
        ("00/08/1961", "1961-08"),
        ("05/1973", "1973-05"),
        ("1951", "1951"),
        ("13-Feb-2026", "2026-02-13"),
        ("31/02/1970", None),
        ("unknown", None),
    ],
)
def test_uk_date(raw: str, expected: str | None) -> None:
    assert uk_date(raw) == expected


def test_split_items_and_un_reference() -> None:
    assert split_items("(1) Iraq (2) Jordan") == ["Iraq", "Jordan"]
    assert split_items("1) Saudi Arabia 2) Qatar") == ["Saudi Arabia", "Qatar"]
    assert split_items("(1) 20645897 (2) -") == ["20645897"]
    assert split_items("Congo (Democratic Republic)") == ["Congo (Democratic Republic)"]
    assert un_reference("KPI.067.") == "KPi.067"
    assert un_reference("QE.A.146.14") == "QE.A.146.14"


# -- fictional fixtures: the same publication as CSV and XLSX --------------------------


@pytest.fixture(scope="module")
def fixture_csv() -> Publication:
    return read_publication("uk_ofsi", [Path(__file__).parents[1] / "fixtures/uk_ofsi/ConList.csv"])


@pytest.fixture(scope="module")
def fixture_xlsx() -> Publication:
    path = Path(__file__).parents[1] / "fixtures/uk_ofsi/ConList.xlsx"
    return read_publication("uk_ofsi", [path])


def test_csv_and_xlsx_of_one_publication_give_the_same_entities(
    fixture_csv: Publication, fixture_xlsx: Publication
) -> None:
    assert fixture_csv.info.format == "ofsi-conlist-csv"
    assert fixture_xlsx.info.format == "ofsi-conlist-xlsx"
    assert fixture_csv.info.published == fixture_xlsx.info.published == date(2025, 3, 10)
    assert by_id(fixture_csv) == by_id(fixture_xlsx)
    assert schemata(fixture_csv) == {
        "Person": 1,
        "Company": 1,
        "Organization": 1,
        "Vessel": 1,
        "Sanction": 4,
        "Ownership": 1,
    }
    # one record per Group ID, referenced by it
    refs = {e.entity.id: e.ref for e in fixture_csv.entities}
    assert refs["uk-ofsi-90001"] == "90001"


def test_person_facts(fixture_csv: Publication) -> None:
    person = props(fixture_csv, "uk-ofsi-90001")
    assert person["name"] == ["Abu Testing FICTIONAL-PERSON"]
    assert person["firstName"] == ["Abu"] and person["lastName"] == ["FICTIONAL-PERSON"]
    assert set(person["alias"]) == {"Abu TESTER", "أبو الاختبار"}  # Good quality + non-Latin
    assert person["weakAlias"] == ["TESTY"]  # Low quality
    assert person["previousName"] == ["Old FICTIONAL-NAME"]  # FKA
    assert person["birthDate"] == ["1960", "1961-08"]  # 00/00/1960 and 00/08/1961
    assert person["nationality"] == ["iq", "jo"]  # "(1) Iraq (2) Jordan"
    assert person["passportNumber"] == ["T123456", "T654321"]
    assert person["idNumber"] == ["99-1234567"]
    assert person["gender"] == ["male"]
    assert person["title"] == ["Dr"]
    assert person["address"] == ["1 Test Street, Baghdad, Iraq"]
    assert "Fictional narrative, written for tests." in person["notes"]
    sanction = props(fixture_csv, "uk-ofsi-90001-sanction")
    assert sanction["entity"] == ["uk-ofsi-90001"]
    assert sanction["authority"] == ["HM Treasury OFSI"]
    assert sanction["program"] == ["ISIL (Da'esh) and Al-Qaida"]
    assert sanction["listingDate"] == ["2010-02-01"]
    assert sanction["startDate"] == ["2020-12-31"]
    assert sanction["modifiedAt"] == ["2025-03-05"]
    assert sanction["unscId"] == ["XXi.901"]
    # Group ID and the UK Sanctions List reference, which uk_fcdo uses as its id
    assert sanction["authorityId"] == ["90001", "TST0901"]
    assert sanction["reason"] == ["FICTIONAL TEST ENTRY, reasons invented for testing."]


def test_entity_ship_and_ownership(fixture_csv: Publication) -> None:
    company = props(fixture_csv, "uk-ofsi-90002")
    assert company["alias"] == ["FICTIONAL TEST EXPORT LLC"]  # primary name variation
    assert company["phone"] == ["+442079460020", "+442079460021"]
    assert company["email"] == ["info@example.com"]
    assert company["innCode"] == ["7700000016"]  # from "(2) INN: 7700000016"
    assert company["ogrnCode"] == ["1027700000019"]
    sanction = props(fixture_csv, "uk-ofsi-90002-sanction")
    assert sanction["program"] == ["Russia", "Belarus"]
    assert sanction["listingDate"] == ["2022-03-15", "2022-04-01"]

    ship = props(fixture_csv, "uk-ofsi-90003")
    assert ship["imoNumber"] == ["IMO9876543"]
    assert ship["flag"] == ["pa"] and ship["pastFlags"] == ["lr"]
    assert ship["type"] == ["Oil tanker"] and ship["buildDate"] == ["1999"]
    # "UN Reference Number: UN Ref XXe.902" names the owner, not the ship
    assert "unscId" not in props(fixture_csv, "uk-ofsi-90003-sanction")
    ownership = props(fixture_csv, "uk-ofsi-ownership-90002-90003")
    assert ownership["owner"] == ["uk-ofsi-90002"]
    assert ownership["asset"] == ["uk-ofsi-90003"]


def test_conflicting_group_type_is_a_warning(fixture_csv: Publication) -> None:
    assert props(fixture_csv, "uk-ofsi-90004")["name"] == ["FICTIONAL CONFLICT GROUP"]
    entity = next(e for e in fixture_csv.entities if e.entity.id == "uk-ofsi-90004")
    assert entity.entity.schema.name == "Organization"  # the type of its primary-name row
    assert fixture_csv.warnings == [
        "ConList.csv: group 90004 (lines 13, 14) has conflicting Group Types "
        "entity, individual; read as 'entity'"
    ]


def test_2020_layout() -> None:
    path = Path(__file__).parents[1] / "fixtures/uk_ofsi/ConList-2020-layout.csv"
    pub = read_publication("uk_ofsi", [path])  # Windows-1252 text
    assert pub.info.published == date(2020, 2, 1)
    person = props(pub, "uk-ofsi-80001")
    assert person["name"] == ["Mohammed FICTIONAL"]  # "Prime Alias"
    assert person["birthDate"] == ["1975", "1976"]
    assert person["passportNumber"] == ["X1234567"]  # from "Passport No: X1234567 (...)"
    assert person["idNumber"] == ["12345678"]
    assert person["nationality"] == ["iq", "sy"]  # "1) Iraq 2) Syria"
    assert any("Mother\u2019s name" in n for n in person["notes"])
    assert props(pub, "uk-ofsi-80001-sanction")["unscId"] == ["QDi.901"]
    ship = next(e.entity for e in pub.entities if e.entity.id == "uk-ofsi-80002")
    assert ship.schema.name == "Vessel"  # an "Entity" whose information starts with its IMO
    assert ship.get("imoNumber") == ["IMO9876543"] and ship.get("mmsi") == ["123456789"]
    company = next(e.entity for e in pub.entities if e.entity.id == "uk-ofsi-80003")
    assert company.schema.name == "Company"  # "IMO Number" mid-text is a company number
    assert props(pub, "uk-ofsi-80003-sanction")["unscId"] == ["KPe.901"]


def test_select_official_prefers_the_csv() -> None:
    source = get_source("uk_ofsi")
    assert source.select_official(["ConList.csv", "ConList.xlsx"]) == ["ConList.csv"]
    assert source.select_official(["ConList.xlsx"]) == ["ConList.xlsx"]


# -- faults ----------------------------------------------------------------------------


def fixture_text() -> str:
    path = Path(__file__).parents[1] / "fixtures/uk_ofsi/ConList.csv"
    return path.read_bytes().decode("utf-8")  # keeps the CRLF line ends


def test_truncated_csv_names_file_and_line(tmp_path: Path) -> None:
    text = fixture_text()
    cut = text.index("FICTIONAL TEST TANKER") + 10  # in the middle of line 11
    path = tmp_path / "ConList.csv"
    path.write_bytes(text[:cut].encode("utf-8"))
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.file == "ConList.csv" and err.value.line == 11
    assert "fields where the header has 36" in str(err.value)


def test_csv_with_open_quote_is_malformed(tmp_path: Path) -> None:
    lines = fixture_text().split("\r\n")
    lines[3] = lines[3].replace("Abu,", '"Abu,', 1)
    path = tmp_path / "ConList.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.file == "ConList.csv" and err.value.line is not None


def test_csv_missing_group_id_column(tmp_path: Path) -> None:
    lines = fixture_text().split("\r\n")
    lines[1] = lines[1].replace("Group ID", "Group Number")
    path = tmp_path / "ConList.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.line == 2 and "'Group ID'" in str(err.value)


def test_csv_row_without_group_id(tmp_path: Path) -> None:
    lines = fixture_text().split("\r\n")
    assert lines[4].endswith(",90001")
    lines[4] = lines[4][: -len("90001")]
    path = tmp_path / "ConList.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.line == 5 and "Group ID" in str(err.value)


def test_not_a_conlist(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\r\n1,2,3\r\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.file == "other.csv" and err.value.line == 1


def test_non_xlsx_file_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "ConList.xlsx"
    path.write_text(fixture_text(), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.file == "ConList.xlsx" and "not an XLSX workbook" in str(err.value)


def test_truncated_xlsx(tmp_path: Path, fixtures: Path) -> None:
    data = (fixtures / "uk_ofsi/ConList.xlsx").read_bytes()
    path = tmp_path / "ConList.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.file == "ConList.xlsx" and "unreadable XLSX" in str(err.value)


def test_xlsx_with_truncated_sheet_names_the_row(tmp_path: Path, fixtures: Path) -> None:
    source = zipfile.ZipFile(fixtures / "uk_ofsi/ConList.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b'<row r="9"') + 40]
            target.writestr(item, data)
    path = tmp_path / "ConList.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(SourceError) as err:
        read_publication("uk_ofsi", [path])
    assert err.value.file == "ConList.xlsx"
    assert err.value.line == 9 and "sheet row 8" in str(err.value)


def test_csv_and_xlsx_of_different_dates_are_refused(tmp_path: Path, fixtures: Path) -> None:
    csv_path = tmp_path / "ConList.csv"
    csv_path.write_bytes(fixture_text().replace("10/03/2025", "11/03/2025", 1).encode("utf-8"))
    xlsx_path = tmp_path / "ConList.xlsx"
    shutil.copy(fixtures / "uk_ofsi/ConList.xlsx", xlsx_path)
    with pytest.raises(SourceError, match="not one publication"):
        read_publication("uk_ofsi", [xlsx_path, csv_path])


def test_conlist_xml_is_not_supported(tmp_path: Path) -> None:
    path = tmp_path / "ConList.xml"
    path.write_text('<?xml version="1.0"?><ArrayOfFinancialSanctionsTarget/>', encoding="utf-8")
    with pytest.raises(SourceError, match="XML format is not supported"):
        read_publication("uk_ofsi", [path])


# -- real publications -----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_2025(shared_data: Path) -> Publication:
    return read_publication("uk_ofsi", [shared_data / REAL_XLSX])


@pytest.fixture(scope="module")
def real_2020(shared_data: Path) -> Publication:
    return read_publication("uk_ofsi", [shared_data / REAL_CSV])


def test_real_2025_xlsx_counts(real_2025: Publication) -> None:
    assert real_2025.info.format == "ofsi-conlist-xlsx"
    assert real_2025.info.published == date(2025, 4, 10)
    counts = schemata(real_2025)
    parties = sum(n for schema, n in counts.items() if schema in PARTIES)
    assert parties == counts["Sanction"] == 4686  # one per Group ID
    assert counts["Vessel"] == 15  # the "Ship" groups
    assert counts["Ownership"] == 15  # ships "Listed as asset of ... (OFSI ID: n)"
    assert real_2025.warnings == []


def test_real_2025_hand_checked_entries(real_2025: Publication) -> None:
    # Group 13194: DOB "00/00/1984", aliases of good and low quality, two passports
    person = props(real_2025, "uk-ofsi-13194")
    assert person["name"] == ["ASHRAF MUHAMMAD YUSUF 'UTHMAN 'ABD AL-SALAM"]
    assert person["birthDate"] == ["1984"]
    assert set(person["weakAlias"]) == {"Ibn AL-KHATTAB", "KHATTAB"}
    assert "Ashraf Muhammad Yusuf ABD-AL-SALAM" in person["alias"]
    assert "اشرف محمد يوسف عثمان عبد السلام" in person["alias"]
    assert person["passportNumber"] == ["K048787", "486298"]
    assert person["nationality"] == ["jo"]
    sanction = props(real_2025, "uk-ofsi-13194-sanction")
    assert sanction["unscId"] == ["QDi.343"]
    assert sanction["authorityId"] == ["13194", "AQD0149"]
    assert sanction["listingDate"] == ["2015-02-03"]
    # Group 13651: a DPRK tanker, asset of group 13635
    ship = props(real_2025, "uk-ofsi-13651")
    assert ship["name"] == ["SAM JONG 2"]
    assert ship["imoNumber"] == ["IMO7408873"]
    assert ship["flag"] == ["kp"] and ship["buildDate"] == ["1975"]
    assert "AKTIVA" in ship["alias"]
    ownership = props(real_2025, "uk-ofsi-ownership-13635-13651")
    assert ownership["owner"] == ["uk-ofsi-13635"]
    # Group 13340 is a shipping company whose information names its "IMO Number": no ship
    company = next(e.entity for e in real_2025.entities if e.entity.id == "uk-ofsi-13340")
    assert company.schema.name == "Company"


def test_real_2020_csv(real_2020: Publication) -> None:
    assert real_2020.info.format == "ofsi-conlist-csv"
    assert real_2020.info.published == date(2020, 4, 27)
    counts = schemata(real_2020)
    parties = sum(n for schema, n in counts.items() if schema in PARTIES)
    assert parties == counts["Sanction"] == 2114
    assert counts["Vessel"] == 26  # 2020 ships are "Entity" rows starting with their IMO
    # Group 13349: two "00/00/" years of birth, passport number in free text, UN ref
    person = props(real_2020, "uk-ofsi-13349")
    assert person["birthDate"] == ["1980", "1981"]
    assert person["passportNumber"] == ["592667"]
    assert person["nationality"] == ["sa", "qa"]
    assert "Sheikh Farooq AL-QAHTANI" in person["alias"]
    assert props(real_2020, "uk-ofsi-13349-sanction")["unscId"] == ["QDe.004"]
    ship = props(real_2020, "uk-ofsi-13556")
    assert ship["name"] == ["TONG SAN 2"]
    assert ship["imoNumber"] == ["IMO8937675"] and ship["mmsi"] == ["445539000"]
