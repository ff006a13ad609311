"""US Consolidated Screening List (trade.gov CSV): fixture, faults and the real file."""

from __future__ import annotations

import csv
import gzip
import io
import time
from collections import Counter
from pathlib import Path

import pytest

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import Publication, read_publication
from sanctionsnet.sources.us_csl import UsCslSource

FIXTURE = "us_csl/consolidated_fictional.csv"
REAL = "lists/us_csl/consolidated.csv.gz"


def by_id(pub: Publication) -> dict[str, dict]:
    return {e.entity.id: e.entity.to_dict()["properties"] for e in pub.entities}


def refs(pub: Publication) -> dict[str, str | None]:
    return {str(e.entity.id): e.ref for e in pub.entities}


def of_schema(pub: Publication, schema: str) -> list:
    return [e.entity for e in pub.entities if e.entity.schema.name == schema]


# --- fictional fixture ---------------------------------------------------------------


@pytest.fixture
def fixture_pub(fixtures: Path) -> Publication:
    return read_publication("us_csl", [fixtures / FIXTURE])


def test_fixture_counts_and_format(fixture_pub: Publication) -> None:
    info = fixture_pub.info
    assert info.format == "csl-csv"
    assert info.published is None
    assert info.extra["records"] == 11
    assert info.extra["lists"] == {"SDN": 5, "CMIC": 2, "DPL": 1, "DTC": 1, "EL": 1, "SSI": 1}
    counts = Counter(e.entity.schema.name for e in fixture_pub.entities)
    # 990002 is on SDN and SSI (one party, two sanctions); 990006 is repeated on CMIC
    # (one party, one sanction).
    assert counts == {
        "Sanction": 10,
        "Person": 1,
        "Company": 3,
        "Organization": 1,
        "LegalEntity": 2,
        "Vessel": 1,
        "Airplane": 1,
        "CryptoWallet": 1,
        "UnknownLink": 3,
    }
    assert fixture_pub.warnings == []


def test_fixture_individual(fixture_pub: Publication) -> None:
    person = by_id(fixture_pub)["us-csl-990001"]
    assert person["name"] == ["FICTIONAL TEST, Person One"]
    assert person["alias"] == ["FICTIONAL, P. One", "TEST ALIAS, One"]
    # exact date, "circa 1965" and the range "1971 to 1972"
    assert sorted(person["birthDate"]) == ["1965", "1970-01-02", "1971", "1972"]
    assert "Date of birth: circa 1965" in person["notes"]
    assert person["birthPlace"] == ["Testville, Iran"]
    assert person["nationality"] == ["ir"]
    assert person["citizenship"] == ["iq"]
    # "IR, 2019-01-01, 2014-01-02, X0000001, Passport": country and dates stripped
    assert person["passportNumber"] == ["X0000001"]
    assert person["gender"] == ["male"]
    assert person["position"] == ["Fictional Test Official"]
    assert person["address"] == ["1 Test Street, Testville, IR"]
    assert person["programId"] == ["SDN"]
    assert refs(fixture_pub)["us-csl-990001"] == "990001"
    wallet = by_id(fixture_pub)["us-csl-990001-wallet-1fictionalxtestxwalletx00000001"]
    assert wallet["publicKey"] == ["1FICTIONALxTESTxWALLETx00000001"]
    assert wallet["currencySymbol"] == ["XBT"]
    assert wallet["holder"] == ["us-csl-990001"]
    sanction = by_id(fixture_pub)["us-csl-990001-sdn-sanction"]
    assert sanction["entity"] == ["us-csl-990001"]
    assert sanction["authority"] == ["US Department of the Treasury"]
    assert sanction["program"] == ["SDGT", "IRGC"]
    assert sanction["programId"] == ["SDN"]
    assert sanction["authorityId"] == ["990001"]
    assert "Specially Designated Nationals (SDN)" in sanction["provisions"]
    assert (
        "Additional Sanctions Information: Subject to Secondary Sanctions"
        in (sanction["provisions"])
    )
    assert sanction["sourceUrl"] == ["http://example.invalid/sdn"]


def test_fixture_company_on_two_lists(fixture_pub: Publication) -> None:
    entities = by_id(fixture_pub)
    company = entities["us-csl-990002"]
    assert company["programId"] == ["SDN", "SSI"]
    assert company["address"] == [
        "Office 1, 2 Fiction Prospekt, Moscow, 101000, RU",
        "3 Example Road, Limassol, CY",
    ]
    assert company["country"] == ["ru", "cy"]
    assert company["taxNumber"] == ["7700000001"]
    assert company["registrationNumber"] == ["1027700000001"]
    assert company["swiftBic"] == ["FICTRUMM"]
    assert company["website"] == ["http://www.fictional-test.example/"]
    assert company["incorporationDate"] == ["2017-01-16"]
    ssi = entities["us-csl-990002-ssi-sanction"]
    assert ssi["entity"] == ["us-csl-990002"]
    assert ssi["programId"] == ["SSI"]
    assert (
        "Executive Order 13662 Directive Determination: Subject to Directive 1"
        in (ssi["provisions"])
    )
    assert entities["us-csl-990002-sdn-sanction"]["programId"] == ["SDN"]


def test_fixture_vessel_aircraft_and_links(fixture_pub: Publication) -> None:
    entities = by_id(fixture_pub)
    vessel = entities["us-csl-990003"]
    assert vessel["imoNumber"] == ["IMO9999993"]
    assert vessel["mmsi"] == ["999999999"]
    assert vessel["callSign"] == ["ZZZZ9"]
    assert vessel["flag"] == ["pa"]
    assert vessel["pastFlags"] == ["tz"]
    assert vessel["type"] == ["Crude Oil Tanker"]
    assert vessel["grossRegisteredTonnage"] == ["12345"]
    assert "Vessel owner: FICTIONAL TEST TRADING LLC" in vessel["notes"]
    plane = entities["us-csl-990004"]
    assert plane["model"] == ["A000-FICTION"]
    assert plane["buildDate"] == ["1999-02-01"]
    assert plane["serialNumber"] == ["4242"]
    links = {
        (link.first("subject"), link.first("object"), link.first("role"))
        for link in of_schema(fixture_pub, "UnknownLink")
    }
    assert links == {
        ("us-csl-990001", "us-csl-990002", "Linked To"),
        ("us-csl-990003", "us-csl-990002", "Linked To"),
        ("us-csl-990004", "us-csl-990005", "Aircraft operator"),
    }


def test_fixture_bis_state_and_cmic(fixture_pub: Publication) -> None:
    entities = by_id(fixture_pub)
    el_id = "us-csl-f1c710a1000000000000000000000000000000e1"
    el = entities[el_id]
    assert fixture_pub.entities[0].file.name == "consolidated_fictional.csv"
    assert refs(fixture_pub)[el_id] == "f1c710a1000000000000000000000000000000e1"
    assert el["address"] == [
        "1 Fiction Road, Shenzhen, Guangdong, CN",
        "2 Example Avenue, Kowloon, Hong Kong, HK",
    ]
    assert el["topics"] == ["sanction", "export.control"]
    assert "Federal Register notice: 99 FR 12345" in el["notes"]
    el_sanction = entities[el_id + "-el-sanction"]
    assert el_sanction["authority"] == [
        "US Department of Commerce, Bureau of Industry and Security"
    ]
    assert el_sanction["listingDate"] == ["2020-05-22"]
    assert "License policy: Presumption of denial." in el_sanction["provisions"]
    # blank type: a person or an organisation, we cannot tell
    dpl_id = "us-csl-f1c710a1000000000000000000000000000000d2"
    assert dpl_id in {e.entity.id for e in fixture_pub.entities}
    dpl = next(e.entity for e in fixture_pub.entities if e.entity.id == dpl_id)
    assert dpl.schema.name == "LegalEntity"
    assert dpl.get("name") == ["FICTIONAL I. DENIED"]
    assert entities[dpl_id + "-dpl-sanction"]["endDate"] == ["2029-01-02"]
    assert entities["us-csl-f1c710a1000000000000000000000000000000c3"]["topics"] == [
        "sanction",
        "debarment",
    ]
    cmic = entities["us-csl-990006-cmic-sanction"]
    assert cmic["listingDate"] == ["2021-06-03"]
    assert cmic["startDate"] == ["2021-08-02"]
    assert entities["us-csl-990006"]["isinCode"] == ["CNE000000FIC"]


def test_gzip_reads_the_same(fixtures: Path, tmp_path: Path) -> None:
    plain = read_publication("us_csl", [fixtures / FIXTURE])
    gz = tmp_path / "consolidated.csv.gz"
    gz.write_bytes(gzip.compress((fixtures / FIXTURE).read_bytes()))
    packed = read_publication("us_csl", [gz])
    assert {e.entity.id: e.entity.to_dict() for e in packed.entities} == {
        e.entity.id: e.entity.to_dict() for e in plain.entities
    }


# --- faults ----------------------------------------------------------------------------


def _rows(fixtures: Path) -> list[str]:
    return (fixtures / FIXTURE).read_text(encoding="utf-8").splitlines(keepends=True)


def test_wrong_header(fixtures: Path, tmp_path: Path) -> None:
    lines = _rows(fixtures)
    bad = tmp_path / "consolidated.csv"
    bad.write_text(lines[0].replace("_id,source,", "id,list,") + "".join(lines[1:]))
    with pytest.raises(SourceError) as err:
        read_publication("us_csl", [bad])
    assert err.value.file == "consolidated.csv"
    assert err.value.line == 1
    assert "missing column(s) _id, source" in str(err.value)


def test_other_csv_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "sdn.csv"
    bad.write_text('36,"AEROCARIBBEAN AIRLINES",-0-,"CUBA"\n')
    with pytest.raises(SourceError, match=r"sdn\.csv, line 1: not a Consolidated Screening"):
        read_publication("us_csl", [bad])


def test_truncated_row(fixtures: Path, tmp_path: Path) -> None:
    lines = _rows(fixtures)
    # physical line 4 is the 990002 SDN row (the 990001 row spans lines 2-3)
    assert lines[3].startswith("990002,")
    cut = lines[3][: lines[3].index(",,,,")] + "\r\n"
    bad = tmp_path / "consolidated.csv"
    bad.write_text("".join(lines[:3]) + cut + "".join(lines[4:]))
    with pytest.raises(SourceError) as err:
        read_publication("us_csl", [bad])
    assert err.value.file == "consolidated.csv"
    assert err.value.line == 4
    assert "fields, expected 29" in str(err.value)


def test_file_cut_inside_quoted_field(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / FIXTURE).read_text(encoding="utf-8")
    cut = text.index('"FICTIONAL TEST, Person One"') + 5
    bad = tmp_path / "consolidated.csv"
    bad.write_text(text[:cut])
    with pytest.raises(SourceError) as err:
        read_publication("us_csl", [bad])
    assert err.value.file == "consolidated.csv"
    assert err.value.line == 2


def test_truncated_gzip(fixtures: Path, tmp_path: Path) -> None:
    data = gzip.compress((fixtures / FIXTURE).read_bytes())
    bad = tmp_path / "consolidated.csv.gz"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(
        SourceError, match=r"consolidated\.csv\.gz, line \d+: unreadable or truncated"
    ):
        read_publication("us_csl", [bad])


def test_not_gzip_data_behind_gzip_magic(tmp_path: Path) -> None:
    bad = tmp_path / "consolidated.csv.gz"
    bad.write_bytes(b"\x1f\x8b" + b"not really gzip" * 10)
    with pytest.raises(SourceError, match=r"consolidated\.csv\.gz"):
        read_publication("us_csl", [bad])


def test_unknown_type_names_line_and_record(fixtures: Path, tmp_path: Path) -> None:
    lines = _rows(fixtures)
    assert lines[5].startswith("990003,")
    bad = tmp_path / "consolidated.csv"
    bad.write_text(
        "".join(lines[:5]) + lines[5].replace(",Vessel,", ",Spaceship,") + "".join(lines[6:])
    )
    with pytest.raises(SourceError) as err:
        read_publication("us_csl", [bad])
    assert (err.value.line, err.value.record) == (6, "990003")
    assert "unknown entry type 'Spaceship'" in str(err.value)


def test_row_without_name(fixtures: Path, tmp_path: Path) -> None:
    lines = _rows(fixtures)
    bad = tmp_path / "consolidated.csv"
    bad.write_text(
        "".join(lines[:5]) + lines[5].replace("FICTIONAL TEST VESSEL", "") + "".join(lines[6:])
    )
    with pytest.raises(SourceError, match=r"line 6, record 990003: row without name"):
        read_publication("us_csl", [bad])


def test_header_only_is_no_publication(fixtures: Path, tmp_path: Path) -> None:
    bad = tmp_path / "consolidated.csv"
    bad.write_text(_rows(fixtures)[0])
    with pytest.raises(SourceError, match="no entities found"):
        read_publication("us_csl", [bad])


def test_official_file() -> None:
    source = UsCslSource()
    assert source.official_files == {
        "consolidated.csv": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
    }


# --- the real file (trade.gov CSL, ~May 2022) ------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data: Path) -> tuple[Publication, float]:
    start = time.perf_counter()
    pub = read_publication("us_csl", [shared_data / REAL])
    return pub, time.perf_counter() - start


@pytest.fixture(scope="module")
def real_props(real: tuple[Publication, float]) -> dict[str, dict]:
    return by_id(real[0])


@pytest.fixture(scope="module")
def real_rows(shared_data: Path) -> list[dict[str, str]]:
    with gzip.open(shared_data / REAL, "rb") as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        return list(csv.DictReader(text))


def test_real_counts(real: tuple[Publication, float], real_rows: list[dict[str, str]]) -> None:
    pub, seconds = real
    assert len(real_rows) == 14160
    assert pub.info.extra["records"] == 14160
    sanctions = of_schema(pub, "Sanction")
    # one Sanction per (party, list): the file repeats 71 OFAC parties on several
    # Treasury lists (112 extra rows) and one CAPTA row twice.
    pairs = {(r["_id"], r["source"]) for r in real_rows}
    assert len(sanctions) == len(pairs) == 14159
    parties = {e.first("entity") for e in sanctions}
    assert len(parties) == len({r["_id"] for r in real_rows}) == 14048
    assert pub.warnings == []
    print(f"us_csl real parse: {seconds:.2f}s, lists {pub.info.extra['lists']}")


def test_real_counts_per_list(
    real: tuple[Publication, float], real_rows: list[dict[str, str]]
) -> None:
    pub, _ = real
    by_source = Counter(r["source"] for r in real_rows)
    expected = {
        "EL": by_source["Entity List (EL) - Bureau of Industry and Security"],
        "DPL": by_source["Denied Persons List (DPL) - Bureau of Industry and Security"],
        "SSI": by_source["Sectoral Sanctions Identifications List (SSI) - Treasury Department"],
        "SDN": by_source["Specially Designated Nationals (SDN) - Treasury Department"],
    }
    # hand-checked with `zcat consolidated.csv.gz | grep -c "Entity List (EL) - Bureau"` etc.
    assert expected == {"EL": 2001, "DPL": 462, "SSI": 290, "SDN": 10026}
    per_list = Counter(s.first("programId") for s in of_schema(pub, "Sanction"))
    for code, count in expected.items():
        assert pub.info.extra["lists"][code] == count
        assert per_list[code] == count
    assert sum(pub.info.extra["lists"].values()) == 14160
    assert set(pub.info.extra["lists"]) == {
        "SDN", "EL", "DTC", "DPL", "SSI", "UVL", "ISN", "PLC", "MEU", "CMIC", "CAP", "MBS", "FSE"
    }  # fmt: skip


def test_real_entity_list_company(
    real: tuple[Publication, float], real_props: dict[str, dict]
) -> None:
    pub, _ = real
    uid = "c6c7dd84ff2c585b1363c79ffa8a2f36beab5c53"
    entities = real_props
    adcom = entities[f"us-csl-{uid}"]
    assert adcom["name"] == ["AdCom Systems"]
    assert adcom["alias"] == ["Sky Global Communications", "Sky Global Communication Systems"]
    assert adcom["address"] == [
        "Industrial City of Abu Dhabi - ICAD1, Mussafah, Abu Dhabi, AE",
        "#2 Mezzanine Level, Block 19, Sharq 40 Al Morour Street, Abu Dhabi Island, Abu Dhabi, AE",
    ]
    assert adcom["country"] == ["ae"]
    assert refs(pub)[f"us-csl-{uid}"] == uid
    sanction = entities[f"us-csl-{uid}-el-sanction"]
    assert sanction["listingDate"] == ["2016-03-21"]
    assert sanction["programId"] == ["EL"]
    assert "License policy: Presumption of denial." in sanction["provisions"]


def test_real_sdn_vessel(real: tuple[Publication, float], real_props: dict[str, dict]) -> None:
    pub, _ = real
    vessel = next(e for e in pub.entities if e.entity.id == "us-csl-31920")
    assert vessel.entity.schema.name == "Vessel"
    assert vessel.ref == "31920"  # the OFAC ent_num, as in ofac_sdn-31920
    props = vessel.entity.to_dict()["properties"]
    assert props["name"] == ["AKADEMIK CHERSKIY"]
    assert props["imoNumber"] == ["IMO8770261"]
    assert props["callSign"] == ["UDQB"]
    assert props["flag"] == ["ru"]
    assert props["type"] == ["Pipe-laying Vessel"]
    assert props["alias"] == ["AKADEMIK CHERSKY", "AKADEMIK CZERSKY"]
    sanction = real_props["us-csl-31920-sdn-sanction"]
    assert sanction["program"] == ["PEESA-EO14039"]


def test_real_individual(real: tuple[Publication, float], real_props: dict[str, dict]) -> None:
    pub, _ = real
    person = real_props["us-csl-29816"]
    assert person["name"] == ["ABEDSHAHI, Omid"]
    assert person["birthDate"] == ["1983-01-21"]
    assert person["passportNumber"] == ["B30739724"]
    assert person["gender"] == ["male"]
    assert person["birthPlace"] == ["Mashhad, Iran"]
    assert person["nationality"] == ["ir"]
    links = [
        link.first("object")
        for link in of_schema(pub, "UnknownLink")
        if link.first("subject") == "us-csl-29816"
    ]
    # "(Linked To: IRANIAN MINISTRY OF INTELLIGENCE AND SECURITY)"
    assert [real_props[obj]["name"] for obj in links] == [
        ["IRANIAN MINISTRY OF INTELLIGENCE AND SECURITY"]
    ]


def test_real_one_party_on_three_lists(
    real: tuple[Publication, float], real_props: dict[str, dict]
) -> None:
    pub, _ = real
    entities = real_props
    assert entities["us-csl-18725"]["programId"] == ["CAP", "SDN", "SSI"]
    for code in ("cap", "sdn", "ssi"):
        assert entities[f"us-csl-18725-{code}-sanction"]["entity"] == ["us-csl-18725"]
