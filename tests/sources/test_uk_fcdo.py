"""FCDO UK Sanctions List (uk_fcdo): the XML and CSV editions of one fictional publication."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import Publication, get_source, read_publication

FIXTURES = Path(__file__).parents[1] / "fixtures" / "uk_fcdo"
XML = FIXTURES / "UK-Sanctions-List.xml"
CSV = FIXTURES / "UK-Sanctions-List.csv"


def by_id(pub: Publication) -> dict[str, dict]:
    return {e.entity.id: e.entity.to_dict() for e in pub.entities}


def props(pub: Publication, entity_id: str) -> dict[str, list[str]]:
    for emitted in pub.entities:
        if emitted.entity.id == entity_id:
            return emitted.entity.to_dict()["properties"]
    raise AssertionError(f"{entity_id} not emitted")


@pytest.fixture(scope="module")
def from_xml() -> Publication:
    return read_publication("uk_fcdo", [XML])


@pytest.fixture(scope="module")
def from_csv() -> Publication:
    return read_publication("uk_fcdo", [CSV])


def test_xml_and_csv_give_the_same_ids_and_facts(
    from_xml: Publication, from_csv: Publication
) -> None:
    assert from_xml.info.format == "uksl-xml"
    assert from_csv.info.format == "uksl-csv"
    assert from_xml.info.published == from_csv.info.published == date(2026, 2, 14)
    assert by_id(from_xml) == by_id(from_csv)
    assert Counter(e.entity.schema.name for e in from_xml.entities) == {
        "Person": 2,
        "Company": 1,
        "Vessel": 1,
        "Sanction": 4,
    }
    refs = {e.entity.id: e.ref for e in from_xml.entities}
    assert refs["uk-fcdo-tst0001"] == "TST0001"
    assert refs["uk-fcdo-tst0001-sanction"] == "TST0001"
    assert from_xml.warnings == [] and from_csv.warnings == []


def test_both_editions_together_merge(from_xml: Publication) -> None:
    both = read_publication("uk_fcdo", [XML, CSV])
    assert both.info.format == "uksl-xml+uksl-csv"
    assert by_id(both) == by_id(from_xml)


def test_individual(from_xml: Publication) -> None:
    person = props(from_xml, "uk-fcdo-tst0001")
    assert person["name"] == ["Ivan Testovich FICTIONALOV"]
    assert person["firstName"] == ["Ivan"] and person["lastName"] == ["FICTIONALOV"]
    assert person["alias"] == [
        "Iwan FIKTIONALOW",  # primary name variation
        "FICTIONAL TEST PERSON",  # good quality a.k.a
        "Иван Тестович ФИКЦИОНАЛОВ",  # non-Latin name
    ]
    assert person["weakAlias"] == ["VANYA FICTION"]  # low quality a.k.a
    assert person["birthDate"] == ["1970-05-12", "1971"]  # 12/05/1970 and dd/mm/1971
    assert person["birthPlace"] == ["Testgrad"] and person["birthCountry"] == ["ru"]
    assert person["nationality"] == ["ru", "cy"]
    assert person["passportNumber"] == ["FX1234567"]
    assert person["idNumber"] == ["770000000001"]
    assert person["gender"] == ["male"]
    assert person["title"] == ["Mr"]
    assert person["address"] == ["1 Fictional Street, Moscow, 101000, Russia"]
    assert person["phone"] == ["+442079460018"]
    assert "Passport: FX1234567 (Fictional passport issued in Moscow)" in person["notes"]
    sanction = props(from_xml, "uk-fcdo-tst0001-sanction")
    assert sanction["entity"] == ["uk-fcdo-tst0001"]
    assert sanction["authority"] == ["UK Foreign, Commonwealth & Development Office"]
    assert sanction["program"] == ["The Russia (Sanctions) (EU Exit) Regulations 2019"]
    assert sanction["listingDate"] == sanction["startDate"] == ["2022-02-24"]
    assert sanction["modifiedAt"] == ["2026-02-10"]
    assert sanction["provisions"] == ["Asset freeze", "Travel Ban"]
    # UniqueID, and the OFSI Group ID that links the designation to its uk_ofsi history
    assert sanction["authorityId"] == ["TST0001", "99001"]
    assert sanction["reason"] == ["Fictional statement of reasons, written for testing."]
    assert sanction["description"] == ["Designation source: UK"]


def test_entity(from_xml: Publication) -> None:
    company = props(from_xml, "uk-fcdo-tst0002")
    assert company["name"] == ["FICTIONAL TEST TRADING LLC"]
    assert set(company["alias"]) == {
        "FTT LLC",
        "ООО ФИКЦИОНАЛЬНАЯ ТЕСТОВАЯ ТОРГОВЛЯ",
        "虚构测试贸易有限公司",
    }
    assert company["weakAlias"] == ["FICTEST"]
    assert len(company["address"]) == 2 and company["country"] == ["ru", "ae"]
    assert company["email"] == ["info@example.com", "sales@example.org"]
    assert company["innCode"] == ["7700000009"] and company["ogrnCode"] == ["1027700000008"]
    assert company["classification"] == ["Limited Liability Company"]
    assert "Parent company: Fictional Parent Holding" in company["notes"]
    sanction = props(from_xml, "uk-fcdo-tst0002-sanction")
    assert sanction["unscId"] == ["XXe.001"]
    assert sanction["authorityId"] == ["TST0002", "99002"]


def test_ship(from_xml: Publication) -> None:
    ship = props(from_xml, "uk-fcdo-tst0003")
    assert ship["name"] == ["FICTIONAL TEST VESSEL"]
    assert ship["alias"] == ["FICTIONAL VESSEL ONE"]
    assert ship["imoNumber"] == ["IMO9876543"]
    assert ship["flag"] == ["cm"] and ship["pastFlags"] == ["pa"]
    assert ship["type"] == ["Crude Oil Tanker"]
    assert ship["tonnage"] == ["81000"] and ship["buildDate"] == ["2004"]
    assert "Current owner/operator: Fictional Shipping Co" in ship["notes"]
    sanction = props(from_xml, "uk-fcdo-tst0003-sanction")
    assert sanction["authorityId"] == ["TST0003"]  # designated after OFSI: no group id
    assert sanction["provisions"] == ["Ship specification", "Prohibition of port entry"]


def test_un_designation(from_xml: Publication) -> None:
    person = props(from_xml, "uk-fcdo-tst0004")
    assert person["birthDate"] == ["1965"]
    assert props(from_xml, "uk-fcdo-tst0004-sanction")["unscId"] == ["XXi.002"]


def test_select_official_prefers_the_xml() -> None:
    source = get_source("uk_fcdo")
    assert source.select_official(list(source.official_files)) == ["UK-Sanctions-List.xml"]
    assert source.select_official(["UK-Sanctions-List.csv"]) == ["UK-Sanctions-List.csv"]


# -- faults ----------------------------------------------------------------------------


def xml_text() -> str:
    return XML.read_bytes().decode("utf-8")


def csv_text() -> str:
    return CSV.read_bytes().decode("utf-8-sig")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_truncated_xml_names_file_and_line(tmp_path: Path) -> None:
    text = xml_text()
    path = write(tmp_path, "UK-Sanctions-List.xml", text[: text.index("<UniqueID>TST0003")])
    with pytest.raises(SourceError) as err:
        read_publication("uk_fcdo", [path])
    assert err.value.file == "UK-Sanctions-List.xml"
    assert err.value.line is not None and err.value.line >= 170
    assert "malformed XML" in str(err.value)


def test_wrong_root(tmp_path: Path) -> None:
    path = write(tmp_path, "list.xml", '<?xml version="1.0"?>\n<sdnList><x/></sdnList>')
    with pytest.raises(SourceError, match="root element <sdnList>") as err:
        read_publication("uk_fcdo", [path])
    assert err.value.line == 2


def test_designation_without_unique_id(tmp_path: Path) -> None:
    path = write(tmp_path, "list.xml", xml_text().replace("<UniqueID>TST0002</UniqueID>", ""))
    with pytest.raises(SourceError, match="without UniqueID") as err:
        read_publication("uk_fcdo", [path])
    assert err.value.line == 106  # the <Designation> line


def test_unknown_designation_type(tmp_path: Path) -> None:
    text = xml_text().replace(">Ship</IndividualEntityShip>", ">Aircraft</IndividualEntityShip>")
    path = write(tmp_path, "list.xml", text)
    with pytest.raises(SourceError, match="unknown designation type 'Aircraft'") as err:
        read_publication("uk_fcdo", [path])
    assert err.value.record == "TST0003"


def test_truncated_csv_names_file_and_line(tmp_path: Path) -> None:
    text = csv_text()
    path = write(tmp_path, "UK-Sanctions-List.csv", text[: text.index("FICTIONAL VESSEL ONE")])
    with pytest.raises(SourceError) as err:
        read_publication("uk_fcdo", [path])
    assert err.value.file == "UK-Sanctions-List.csv" and err.value.line == 11
    assert "fields where the header has 58" in str(err.value)


def test_csv_with_open_quote(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", csv_text().replace("TST0004,", '"TST0004,'))
    with pytest.raises(SourceError, match="malformed CSV") as err:
        read_publication("uk_fcdo", [path])
    assert err.value.line == 12


def test_csv_missing_unique_id_column(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", csv_text().replace("Unique ID", "Identifier", 1))
    with pytest.raises(SourceError, match="'Unique ID'") as err:
        read_publication("uk_fcdo", [path])
    assert err.value.line == 2


def test_conflicting_types_are_a_warning(tmp_path: Path) -> None:
    text = csv_text()
    lines = text.split("\r\n")
    lines[10] = lines[10].replace(",Ship,", ",Entity,")  # second row of TST0003
    pub = read_publication("uk_fcdo", [write(tmp_path, "list.csv", "\r\n".join(lines))])
    assert pub.warnings == [
        "list.csv: designation TST0003 states conflicting types Ship, Entity; read as 'Ship'"
    ]
    assert props(pub, "uk-fcdo-tst0003")["imoNumber"] == ["IMO9876543"]


def test_editions_of_different_dates_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", csv_text().replace("14-Feb-2026", "15-Feb-2026", 1))
    with pytest.raises(SourceError, match="not one publication"):
        read_publication("uk_fcdo", [XML, path])


def test_spreadsheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "UK-Sanctions-List.ods"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(SourceError, match="XML or CSV edition"):
        read_publication("uk_fcdo", [path])
