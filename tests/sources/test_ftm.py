"""Generic followthemoney JSON (OpenSanctions exports): fixture, variants, faults, real files."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import Publication, read_publication

FIXTURE = "ftm/fictional_entities.ftm.json"
ZALA = "lists/opensanctions/yente_zala_entities.ftm.json"
T1 = "lists/opensanctions/yente_t1_entities.ftm.json"
SENZING = "lists/opensanctions/us_congress_senzing.json"


def dicts(pub: Publication) -> dict[str, dict]:
    return {str(e.entity.id): e.entity.to_dict() for e in pub.entities}


# --- fictional fixture ---------------------------------------------------------------


@pytest.fixture
def fixture_pub(fixtures: Path) -> Publication:
    return read_publication("ftm", [fixtures / FIXTURE], dataset="fictional")


def test_fixture_keeps_ids_and_refs(fixture_pub: Publication) -> None:
    assert fixture_pub.dataset == "fictional"
    ids = [e.entity.id for e in fixture_pub.entities]
    assert ids == [
        "NK-FICTIONAL-PERSON-1",
        "Q999999999",
        "fic-sanction-1",
        "fic-ownership-1",
        "fic-link-1",
    ]
    assert all(e.ref == e.entity.id for e in fixture_pub.entities)
    assert {e.file.name for e in fixture_pub.entities} == {"fictional_entities.ftm.json"}
    assert fixture_pub.info.format == "ftm-jsonl"
    assert fixture_pub.info.extra["schemata"] == {
        "Company": 1,
        "Ownership": 1,
        "Person": 1,
        "Sanction": 1,
        "UnknownLink": 1,
    }
    assert fixture_pub.warnings == []


def test_fixture_entities_as_they_are(fixture_pub: Publication) -> None:
    data = dicts(fixture_pub)
    person = data["NK-FICTIONAL-PERSON-1"]
    assert person["schema"] == "Person"
    assert person["properties"]["name"] == ["Fictional Test Person", "Фиктивный Тест"]
    assert person["properties"]["birthDate"] == ["1980-02-03"]
    assert person["properties"]["passportNumber"] == ["FIC0000001"]
    # the export's metadata stays with the entity
    assert person["datasets"] == ["fictional_sanctions"]
    assert person["referents"] == ["fic-src-person-1"]
    assert person["target"] is True
    assert person["last_change"] == "2024-06-10T08:00:00"
    assert data["Q999999999"]["properties"]["innCode"] == ["9900000017"]
    sanction = data["fic-sanction-1"]["properties"]
    assert sanction["entity"] == ["NK-FICTIONAL-PERSON-1"]
    assert sanction["authority"] == ["Fictional Ministry of Tests"]
    ownership = data["fic-ownership-1"]["properties"]
    assert (ownership["owner"], ownership["asset"]) == (["NK-FICTIONAL-PERSON-1"], ["Q999999999"])
    link = data["fic-link-1"]["properties"]
    assert (link["subject"], link["object"]) == (["NK-FICTIONAL-PERSON-1"], ["Q999999999"])


def test_published_is_latest_last_change(fixture_pub: Publication) -> None:
    # last_change values: 2024-06-10, 2025-02-14, 2024-01-05, 2023-05-01, 2024-01-05
    assert fixture_pub.info.published == date(2025, 2, 14)


def test_published_falls_back_to_last_seen(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    rows = [
        {"id": "fic-a", "schema": "Person", "properties": {"name": ["Fictional A"]}},
        {
            "id": "fic-b",
            "schema": "Person",
            "properties": {"name": ["Fictional B"]},
            "last_seen": "2023-09-30T23:00:00",
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    pub = read_publication("ftm", [path], dataset="fic")
    assert pub.info.published == date(2023, 9, 30)
    path.write_text(json.dumps(rows[0]) + "\n")
    assert read_publication("ftm", [path], dataset="fic").info.published is None


def test_array_gzip_and_extensions_read_the_same(fixtures: Path, tmp_path: Path) -> None:
    source = fixtures / FIXTURE
    expected = dicts(read_publication("ftm", [source], dataset="fictional"))
    lines = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    array = tmp_path / "entities.json"
    array.write_text(json.dumps(lines, indent=2, ensure_ascii=False), encoding="utf-8")
    jsonl = tmp_path / "entities.jsonl"
    jsonl.write_bytes(source.read_bytes())
    packed = tmp_path / "entities.ftm.json.gz"
    packed.write_bytes(gzip.compress(source.read_bytes()))
    for path, fmt in ((array, "ftm-json-array"), (jsonl, "ftm-jsonl"), (packed, "ftm-jsonl")):
        pub = read_publication("ftm", [path], dataset="fictional")
        assert pub.info.format == fmt
        assert dicts(pub) == expected


def test_dataset_name_is_required(fixtures: Path) -> None:
    with pytest.raises(SourceError, match="needs a dataset name"):
        read_publication("ftm", [fixtures / FIXTURE])


def test_unknown_property_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    row = {
        "id": "fic-a",
        "schema": "Person",
        "properties": {"name": ["Fictional A"], "favouriteColour": ["blue"]},
    }
    path.write_text(json.dumps(row) + "\n")
    pub = read_publication("ftm", [path], dataset="fic")
    assert pub.warnings == ["ignored unknown property Person:favouriteColour (1 values)"]


# --- faults ----------------------------------------------------------------------------


def _write_with(tmp_path: Path, fixtures: Path, line_no: int, text: str) -> Path:
    """The fixture with line `line_no` (1-based) replaced by `text`."""
    lines = (fixtures / FIXTURE).read_text(encoding="utf-8").splitlines()
    lines[line_no - 1] = text
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_invalid_json_names_file_and_line(fixtures: Path, tmp_path: Path) -> None:
    path = _write_with(tmp_path, fixtures, 3, '{"id": "fic-sanction-1", "schema": "Sanction",')
    with pytest.raises(SourceError) as err:
        read_publication("ftm", [path], dataset="fic")
    assert (err.value.file, err.value.line) == ("entities.ftm.json", 3)
    assert "invalid JSON" in str(err.value)


def test_truncated_file(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / FIXTURE).read_text(encoding="utf-8")
    path = tmp_path / "entities.ftm.json"
    path.write_text(text[: text.index('"Fictional Test Holding"')], encoding="utf-8")
    with pytest.raises(SourceError, match=r"line 2: invalid JSON \(truncated file\?\)"):
        read_publication("ftm", [path], dataset="fic")


def test_truncated_gzip(fixtures: Path, tmp_path: Path) -> None:
    data = gzip.compress((fixtures / FIXTURE).read_bytes() * 50)
    path = tmp_path / "entities.ftm.json.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match=r"entities\.ftm\.json\.gz"):
        read_publication("ftm", [path], dataset="fic")


def test_line_without_id(fixtures: Path, tmp_path: Path) -> None:
    row = {"schema": "Person", "properties": {"name": ["Fictional Nobody"]}}
    path = _write_with(tmp_path, fixtures, 2, json.dumps(row))
    with pytest.raises(SourceError, match=r"entities\.ftm\.json, line 2: entity without id"):
        read_publication("ftm", [path], dataset="fic")


def test_unknown_schema(fixtures: Path, tmp_path: Path) -> None:
    row = {"id": "fic-x", "schema": "Spaceship", "properties": {"name": ["Fictional"]}}
    path = _write_with(tmp_path, fixtures, 4, json.dumps(row))
    with pytest.raises(SourceError, match=r"line 4: entity fic-x: unknown schema 'Spaceship'"):
        read_publication("ftm", [path], dataset="fic")


def test_not_an_object(fixtures: Path, tmp_path: Path) -> None:
    path = _write_with(tmp_path, fixtures, 5, '["fic-x", "Person"]')
    with pytest.raises(SourceError, match=r"line 5: expected a JSON object, got list"):
        read_publication("ftm", [path], dataset="fic")


def test_array_item_fault_names_the_item(fixtures: Path, tmp_path: Path) -> None:
    lines = [json.loads(line) for line in (fixtures / FIXTURE).read_text().splitlines()]
    del lines[2]["id"]
    path = tmp_path / "entities.json"
    path.write_text(json.dumps(lines))
    with pytest.raises(SourceError, match=r"entities\.json, record #3: entity without id"):
        read_publication("ftm", [path], dataset="fic")


def test_conflicting_schemata_for_one_id(fixtures: Path, tmp_path: Path) -> None:
    row = {"id": "Q999999999", "schema": "Person", "properties": {"name": ["Fictional"]}}
    path = _write_with(tmp_path, fixtures, 3, json.dumps(row))
    with pytest.raises(SourceError, match=r"line 3: entity Q999999999 conflicts"):
        read_publication("ftm", [path], dataset="fic")


def test_senzing_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "senzing.json"
    record = {
        "DATA_SOURCE": "FICTIONAL",
        "RECORD_ID": "fic-1",
        "RECORD_TYPE": "PERSON",
        "NAMES": [{"NAME_TYPE": "PRIMARY", "NAME_FULL": "Fictional Test Person"}],
    }
    path.write_text(json.dumps(record) + "\n")
    with pytest.raises(SourceError) as err:
        read_publication("ftm", [path], dataset="fic")
    assert err.value.line == 1
    assert "not followthemoney JSON: looks like Senzing" in str(err.value)


# --- real OpenSanctions exports -----------------------------------------------------------


def test_real_zala(shared_data: Path) -> None:
    path = shared_data / ZALA
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    pub = read_publication("ftm", [path], dataset="zala")
    assert len(raw) == 91
    assert len(pub.entities) == 91
    assert pub.dataset == "zala"
    expected = Counter(r["schema"] for r in raw)
    assert Counter(e.entity.schema.name for e in pub.entities) == expected
    assert expected["Sanction"] == 41 and expected["Ownership"] == 14
    assert {e.entity.id for e in pub.entities} == {r["id"] for r in raw}
    assert pub.info.published == date.fromisoformat(max(r["last_change"] for r in raw)[:10])
    assert pub.info.published == date(2026, 4, 29)
    # one value the export carries is not a valid phone number for FtM: reported, not silent
    assert len(pub.warnings) == 1 and "Company:phone" in pub.warnings[0]

    data = dicts(pub)
    person = data["NK-2Tbri3s6GgNtAwsSXh4qpL"]
    assert person["schema"] == "Person"
    assert "Maria Aleksandrovna Osetrova" in person["properties"]["name"]
    assert person["properties"]["birthDate"] == ["1988-01-07"]
    assert person["properties"]["innCode"] == ["183116181362"]
    assert person["caption"] == "Maria Aleksandrovna Osetrova"
    sanction = data["au-dfat-56600015954691cece058c2a3b0e3b27740701e6"]["properties"]
    assert sanction["entity"] == ["NK-abdzbEBkqyT29GyREbiURZ"]
    assert sanction["programId"] == ["AU-RUSSIA"]
    ownership = data["NK-3NyeuT6JeJDLhGEyH3JD52"]["properties"]
    assert ownership["owner"] == ["NK-nR5AXM9AVPq4pQaSPSaVam"]
    assert ownership["asset"] == ["NK-abdzbEBkqyT29GyREbiURZ"]


def test_real_t1(shared_data: Path) -> None:
    path = shared_data / T1
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    pub = read_publication("ftm", [path], dataset="t1")
    # 7 records; the file has no newline after the last one
    assert len(raw) == len(pub.entities) == 7
    assert Counter(e.entity.schema.name for e in pub.entities) == Counter(r["schema"] for r in raw)
    assert pub.info.published == date(2024, 3, 28)


def test_real_senzing_is_refused(shared_data: Path) -> None:
    with pytest.raises(SourceError) as err:
        read_publication("ftm", [shared_data / SENZING], dataset="us_congress")
    assert (err.value.file, err.value.line) == ("us_congress_senzing.json", 1)
    assert "looks like Senzing" in str(err.value)
