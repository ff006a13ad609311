"""OFAC legacy CSV sets (ofac_sdn, ofac_cons): real publications end to end, and faults.

Real files are read from the shared data folder; the fault cases use the small
fictional sets under tests/fixtures/ofac_sdn and tests/fixtures/ofac_cons.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import Publication, get_source, read_publication
from sanctionsnet.sources.ofac import OfacConsSource, OfacSdnSource

SDN_2021 = "lists/ofac_sdn/2021-07_complete_moov-watchman-bench"
SDN_2019 = "lists/ofac_sdn/2019-01_complete_moov-watchman"
SDN_2024 = "lists/ofac_sdn/2024-05-03_sdn-only_jackdwyer/sdn.csv"
SDN_2025_PARTIAL = "lists/ofac_sdn/2025-12_partial_no-sdn_moov-watchman"
CONS_2025 = "lists/ofac_cons/2025-12_moov-watchman"
CONS_2018 = "lists/ofac_cons/2018-04-06_perchrh"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def csvs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def schemata(pub: Publication) -> Counter[str]:
    return Counter(item.entity.schema.name for item in pub.entities)


def by_id(pub: Publication) -> dict[str, object]:
    return {item.entity.id: item for item in pub.entities}


def entity(pub: Publication, entity_id: str):  # noqa: ANN201 - EntityProxy
    for item in pub.entities:
        if item.entity.id == entity_id:
            return item.entity
    raise AssertionError(f"{entity_id} not emitted")


def links_from(pub: Publication, ref: str) -> dict[str, str]:
    """UnknownLink id -> object id for the links of entry `ref`."""
    return {
        item.entity.id: item.entity.first("object")
        for item in pub.entities
        if item.entity.schema.name == "UnknownLink" and item.ref == ref
    }


def listed(pub: Publication) -> int:
    """Listed parties: entities that are not Sanctions, links or wallets, with a Sanction each."""
    parties = {
        item.entity.id
        for item in pub.entities
        if item.entity.schema.name in {"Person", "Organization", "Company", "Vessel", "Airplane"}
    }
    sanctioned = {
        item.entity.first("entity")
        for item in pub.entities
        if item.entity.schema.name == "Sanction"
    }
    assert parties == sanctioned
    return len(parties)


# ---------------------------------------------------------------- real publications


@pytest.fixture(scope="module")
def sdn_2021(shared_data: Path) -> Publication:
    return read_publication("ofac_sdn", csvs(shared_data / SDN_2021))


@pytest.fixture(scope="module")
def sdn_2024(shared_data: Path) -> tuple[Publication, float]:
    # One-time costs (imports, FtM's country tables: about 2 s) are not the parser's.
    read_publication("ofac_sdn", [FIXTURES / "ofac_sdn/valid/sdn.csv"])
    started = time.process_time()
    pub = read_publication("ofac_sdn", [shared_data / SDN_2024])
    return pub, time.process_time() - started


def test_2021_complete_set_counts(sdn_2021: Publication) -> None:
    counts = schemata(sdn_2021)
    assert listed(sdn_2021) == 8976
    assert counts["Sanction"] == 8976
    assert counts["Person"] == 4620
    assert counts["Vessel"] == 406
    assert counts["Airplane"] == 277
    assert counts["Organization"] + counts["Company"] == 3673
    assert sdn_2021.info.format == "ofac-legacy-csv"
    assert sdn_2021.info.published is None
    assert sdn_2021.info.records == 8976
    # all ent_nums of add/alt/sdn_comments resolve: no warning about companions
    assert not any("imported without" in w for w in sdn_2021.warnings)


def test_2021_dprk_vessel(sdn_2021: Publication) -> None:
    vessel = entity(sdn_2021, "ofac-sdn-17069")
    assert vessel.schema.name == "Vessel"
    assert vessel.get("name") == ["CHONG CHON GANG"]
    assert vessel.get("imoNumber") == ["IMO7937317"]
    assert vessel.get("flag") == ["kp"]
    assert vessel.get("type") == ["General Cargo"]
    assert vessel.get("program") == ["DPRK"]
    sanction = entity(sdn_2021, "ofac-sdn-17069-sanction")
    assert sanction.get("authority") == ["US Treasury OFAC"]
    assert sanction.get("authorityId") == ["17069"]
    provisions = sanction.get("provisions")
    assert any(p.startswith("Secondary sanctions risk: North Korea") for p in provisions)


def test_2021_individual_with_dob_pob_passport(sdn_2021: Publication) -> None:
    person = entity(sdn_2021, "ofac-sdn-6944")
    assert person.schema.name == "Person"
    assert person.get("lastName") == ["AL-SHARIF"]
    assert person.get("firstName") == ["Sa'd Abdullah Hussein"]
    assert sorted(person.get("birthDate")) == ["1963", "1964-02-11", "1969"]
    assert person.get("birthPlace") == ["Al-Medinah, Saudi Arabia"]
    assert person.get("nationality") == ["sa"]
    assert sorted(person.get("passportNumber")) == ["B 960789", "G 649385"]


def test_2021_vessel_columns_aliases_and_link(sdn_2021: Publication) -> None:
    vessel = entity(sdn_2021, "ofac-sdn-15036")
    assert vessel.get("callSign") == ["T2EU4"]
    assert vessel.get("tonnage") == ["99144"]
    assert vessel.get("grossRegisteredTonnage") == ["56068"]
    assert vessel.get("mmsi") == ["572469210"]
    assert set(vessel.get("pastFlags")) >= {"mt", "tv", "tz"}
    # f.k.a. from alt.csv and from the remarks
    assert {"ABADAN", "SHONA", "ALPHA"} <= set(vessel.get("previousName"))
    # "Linked To: NATIONAL IRANIAN TANKER COMPANY." -> ent_num 15117
    assert links_from(sdn_2021, "15036") == {"ofac-sdn-15036-linked-15117": "ofac-sdn-15117"}


def test_2021_crypto_wallets(sdn_2021: Publication) -> None:
    wallets = {
        item.entity.first("publicKey"): item.entity
        for item in sdn_2021.entities
        if item.entity.schema.name == "CryptoWallet" and item.ref == "31164"
    }
    assert set(wallets) == {
        "t1MMXtBrSp1XG38Lx9cePcNUCJj5vdWfUWL",
        "XyARKoupuArYtToA2S6yMdnoquDCDaBsaT",
    }
    zec = wallets["t1MMXtBrSp1XG38Lx9cePcNUCJj5vdWfUWL"]
    assert zec.get("currency") == ["ZEC"]
    assert zec.get("holder") == ["ofac-sdn-31164"]
    org = entity(sdn_2021, "ofac-sdn-31164")
    assert org.get("email") == ["Africonline@protonmail.com"]
    assert org.get("weakAlias") == ["AFRIC"]
    # "Linked To: PRIGOZHIN, Yevgeniy Viktorovich." -> ent_num 21171
    assert links_from(sdn_2021, "31164") == {"ofac-sdn-31164-linked-21171": "ofac-sdn-21171"}


def test_2021_remarks_continued_in_sdn_comments(sdn_2021: Publication) -> None:
    # sdn.csv cuts TIAN Yinyin's remarks in "a.k.a. 'snowsjo"; sdn_comments.csv
    # continues "hn'; Linked To: LAZARUS GROUP."
    person = entity(sdn_2021, "ofac-sdn-28263")
    assert set(person.get("weakAlias")) == {"tianyinyin0404", "snowsjohn"}
    assert person.get("phone") == ["+8613621583465"]
    assert person.get("idNumber") == ["321284198607120616"]
    assert (
        len(
            [
                w
                for w in sdn_2021.entities
                if w.ref == "28263" and w.entity.schema.name == "CryptoWallet"
            ]
        )
        == 8
    )
    assert links_from(sdn_2021, "28263") == {"ofac-sdn-28263-linked-27307": "ofac-sdn-27307"}


def test_2021_ambiguous_linked_name_resolved_by_program(sdn_2021: Publication) -> None:
    # Two entries are called MINISTRY OF STATE SECURITY: 20129 (DPRK3) and 25437 (CAATSA - RUSSIA)
    assert links_from(sdn_2021, "20130") == {"ofac-sdn-20130-linked-20129": "ofac-sdn-20129"}
    assert links_from(sdn_2021, "25436") == {"ofac-sdn-25436-linked-25437": "ofac-sdn-25437"}


def test_2024_sdn_csv_alone(sdn_2024: tuple[Publication, float]) -> None:
    pub, seconds = sdn_2024
    assert listed(pub) == 14965
    assert schemata(pub)["Sanction"] == 14965
    missing = [w for w in pub.warnings if "imported without" in w]
    assert len(missing) == 1
    assert "add.csv" in missing[0] and "alt.csv" in missing[0] and "addresses" in missing[0]
    # 18 remarks reach the 1000-character cut and cannot be completed
    assert any(w.startswith("18 remarks in sdn.csv reach") for w in pub.warnings)
    # no address can come from anywhere but add.csv
    assert not any(item.entity.get("address", quiet=True) for item in pub.entities)
    print(f"\n2024-05-03 sdn.csv: {seconds:.2f} s CPU for 14,965 entries")


def test_2024_parse_time(sdn_2024: tuple[Publication, float]) -> None:
    _pub, seconds = sdn_2024
    assert seconds < 3.0, f"parsing the 2024-05-03 sdn.csv took {seconds:.2f} s CPU"


def test_2024_ambiguous_linked_name_resolved_by_entry_number(
    sdn_2024: tuple[Publication, float],
) -> None:
    pub, _ = sdn_2024
    # BASOV (SSIDES) shares no program with either MINISTRY OF STATE SECURITY:
    # the one designated with him (next ent_num) is chosen
    assert links_from(pub, "25436") == {"ofac-sdn-25436-linked-25437": "ofac-sdn-25437"}
    company = entity(pub, "ofac-sdn-16806")
    assert company.get("innCode") == ["7718989383"]
    assert company.get("ogrnCode") == ["1147746803049"]


def test_2019_complete_set(shared_data: Path) -> None:
    pub = read_publication("ofac_sdn", csvs(shared_data / SDN_2019))
    assert listed(pub) == 7379
    assert schemata(pub)["Sanction"] == 7379
    # the repository that kept this set cut the last "-0- " of add.csv to "-0"
    assert any("add.csv line 11696" in w for w in pub.warnings)


def test_2025_companions_without_sdn_csv_refused(shared_data: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", csvs(shared_data / SDN_2025_PARTIAL))
    message = str(info.value)
    assert "add.csv, alt.csv, sdn_comments.csv given without sdn.csv" in message


def test_cons_2025_set(shared_data: Path) -> None:
    pub = read_publication("ofac_cons", csvs(shared_data / CONS_2025))
    assert listed(pub) == 442
    assert schemata(pub)["Sanction"] == 442
    assert all(i.entity.id.startswith("ofac-cons-") for i in pub.entities)
    sanction = next(i.entity for i in pub.entities if i.entity.schema.name == "Sanction")
    assert "Consolidated Sanctions List (non-SDN lists)" in sanction.get("provisions")


def test_cons_2018_set_with_empty_comments(shared_data: Path) -> None:
    folder = shared_data / CONS_2018
    assert (folder / "cons_comments.csv").stat().st_size == 0
    pub = read_publication("ofac_cons", csvs(folder))
    assert listed(pub) == 639
    assert schemata(pub)["Sanction"] == 639
    assert not any("imported without" in w for w in pub.warnings)


def test_cons_csv_and_xml_of_one_publication_merge(shared_data: Path) -> None:
    folder = shared_data / CONS_2018
    pub = read_publication("ofac_cons", [*csvs(folder), folder / "consolidated.xml"])
    assert listed(pub) == 639
    assert pub.info.format == "ofac-legacy-csv+sdnlist-xml"
    assert pub.info.published is not None and pub.info.published.isoformat() == "2018-04-06"


def test_cons_csv_and_xml_of_different_publications_refused(shared_data: Path) -> None:
    csv_files = csvs(shared_data / CONS_2018)
    xml = shared_data / "lists/ofac_cons/2020-03-17_consolidated.xml"
    with pytest.raises(SourceError, match="are not the same publication"):
        read_publication("ofac_cons", [*csv_files, xml])


def test_un_xml_given_to_ofac_sdn_refused(shared_data: Path) -> None:
    un_xml = shared_data / "lists/un/2026-02-27_UN_consolidated.xml"
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [un_xml])
    assert info.value.file == un_xml.name
    assert "<CONSOLIDATED_LIST>" in str(info.value)


# ---------------------------------------------------------------- fictional fixtures


def test_fixture_set(fixtures: Path) -> None:
    pub = read_publication("ofac_sdn", csvs(fixtures / "ofac_sdn/valid"))
    assert listed(pub) == 5
    person = entity(pub, "ofac-sdn-9000001")
    assert person.get("alias") == ["FICTIONAL, Testy"]
    assert person.get("weakAlias") == ["TESTER"]
    assert person.get("position") == ["Fictional Test Minister"]
    assert person.get("address") == ["1 Fictional Street, Testville 12345, Iran"]
    company = entity(pub, "ofac-sdn-9000002")
    assert company.schema.name == "Company"
    assert company.get("previousName") == ["FICTIONAL OLD TRADING LLC"]
    # an address row with only a country gives a country, not an address "Panama"
    assert company.get("address") == ["Fictional City, Panama"]
    assert any("NO SUCH FICTIONAL PARTY (not found" in n for n in company.get("notes"))
    assert any("1 'Linked To' name(s) match no name" in w for w in pub.warnings)
    vessel = entity(pub, "ofac-sdn-9000003")
    assert any(n == "Vessel Owner: Fictional Owner Ltd" for n in vessel.get("notes"))
    aircraft = entity(pub, "ofac-sdn-9000004")
    assert aircraft.schema.name == "Airplane"
    assert aircraft.get("serialNumber") == ["0000001"]
    # remarks cut at 1000 characters and continued in sdn_comments.csv: the
    # "Linked To" at their end is found, and the website cut in two is whole
    foundation = entity(pub, "ofac-sdn-9000005")
    assert len(foundation.get("website")) == 39
    assert links_from(pub, "9000005") == {"ofac-sdn-9000005-linked-9000002": "ofac-sdn-9000002"}


def test_primary_file_alone_warns(fixtures: Path) -> None:
    pub = read_publication("ofac_sdn", [fixtures / "ofac_sdn/valid/sdn.csv"])
    assert listed(pub) == 5
    warning = next(w for w in pub.warnings if "imported without" in w)
    assert "add.csv, alt.csv, sdn_comments.csv" in warning
    assert "aliases" in warning
    # without the continuation the cut last segment is not read
    assert any("their last segment was not interpreted" in w for w in pub.warnings)
    assert links_from(pub, "9000005") == {}


def test_file_names_are_case_insensitive(fixtures: Path, tmp_path: Path) -> None:
    for path in csvs(fixtures / "ofac_sdn/valid"):
        shutil.copy(path, tmp_path / path.name.upper())
    pub = read_publication("ofac_sdn", sorted(tmp_path.iterdir()))
    assert listed(pub) == 5
    assert not any("imported without" in w for w in pub.warnings)


def test_cons_fixture_with_empty_comments_file(fixtures: Path) -> None:
    pub = read_publication("ofac_cons", csvs(fixtures / "ofac_cons/valid"))
    assert listed(pub) == 2
    bank = entity(pub, "ofac-cons-9100001")
    assert bank.get("innCode") == ["7700000000"]
    assert bank.get("okpoCode") == ["00000001"]
    assert bank.get("alias") == ["FICTIONAL NSB"]


def test_truncated_sdn_csv(fixtures: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [fixtures / "ofac_sdn/truncated/sdn.csv"])
    assert info.value.file == "sdn.csv"
    assert info.value.line == 3
    assert "expected 12 fields, found 6" in str(info.value)
    assert str(info.value).startswith("sdn.csv, line 3:")


def test_unterminated_quote(fixtures: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [fixtures / "ofac_sdn/unterminated/sdn.csv"])
    assert info.value.file == "sdn.csv"
    assert info.value.line == 4
    assert "unterminated quote" in str(info.value)


def test_add_row_with_unknown_ent_num(fixtures: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", csvs(fixtures / "ofac_sdn/incoherent"))
    assert info.value.file == "add.csv"
    assert info.value.line == 3
    assert info.value.record == "9000099"
    assert str(info.value).startswith("add.csv, line 3, record 9000099:")
    assert "not in sdn.csv" in str(info.value)


def test_non_numeric_ent_num(fixtures: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [fixtures / "ofac_sdn/non_numeric/sdn.csv"])
    assert (info.value.file, info.value.line) == ("sdn.csv", 2)
    assert "'90000X2' is not a number" in str(info.value)


def test_text_file_named_sdn_csv(fixtures: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [fixtures / "ofac_sdn/wrong_format/sdn.csv"])
    assert (info.value.file, info.value.line) == ("sdn.csv", 1)
    assert "not an OFAC legacy CSV file" in str(info.value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("un_style.xml", "root element <CONSOLIDATED_LIST> is neither"),
        ("notes.txt", "not a file of the OFAC Specially Designated Nationals"),
    ],
)
def test_wrong_kind_of_file(fixtures: Path, name: str, expected: str) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [fixtures / "ofac_sdn/wrong_format" / name])
    assert info.value.file == name
    assert expected in str(info.value)


def test_cons_files_given_to_ofac_sdn(fixtures: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", csvs(fixtures / "ofac_cons/valid"))
    assert info.value.file is not None and info.value.file.startswith("cons_")
    assert "import it as ofac_cons" in str(info.value)


def test_companion_without_primary(fixtures: Path) -> None:
    folder = fixtures / "ofac_sdn/valid"
    with pytest.raises(SourceError, match=r"add\.csv, alt\.csv given without sdn\.csv"):
        read_publication("ofac_sdn", [folder / "alt.csv", folder / "add.csv"])


def test_truncated_add_csv_names_its_line(fixtures: Path, tmp_path: Path) -> None:
    folder = fixtures / "ofac_sdn/valid"
    shutil.copy(folder / "sdn.csv", tmp_path / "sdn.csv")
    data = (folder / "add.csv").read_bytes()
    (tmp_path / "add.csv").write_bytes(data[: data.index(b"\r\n", 10) + 20])
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [tmp_path / "sdn.csv", tmp_path / "add.csv"])
    assert (info.value.file, info.value.line) == ("add.csv", 2)


def test_sources_registered_with_official_files() -> None:
    sdn = get_source("ofac_sdn")
    cons = get_source("ofac_cons")
    assert isinstance(sdn, OfacSdnSource) and isinstance(cons, OfacConsSource)
    assert sdn.authority == cons.authority == "US Treasury OFAC"
    assert sdn.official_files["sdn.csv"].endswith("/exports/SDN.CSV")
    assert cons.official_files["cons_comments.csv"].endswith("/exports/CONS_COMMENTS.CSV")
    # a mirror holding both formats is read as the CSV set
    assert sdn.select_official(["SDN.XML", "SDN.CSV", "ADD.CSV"]) == ["SDN.CSV", "ADD.CSV"]
    assert cons.select_official(["consolidated.xml"]) == ["consolidated.xml"]


def test_malformed_xml_named(tmp_path: Path) -> None:
    bad = tmp_path / "sdn.xml"
    bad.write_text("this fictional file is not XML\n")
    with pytest.raises(SourceError) as info:
        read_publication("ofac_sdn", [bad])
    assert info.value.file == "sdn.xml"
    assert info.value.line == 1
    assert "not well-formed XML" in str(info.value)


def test_zip_without_xml_refused(tmp_path: Path) -> None:
    archive = tmp_path / "SDN_XML.ZIP"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "fictional")
    with pytest.raises(SourceError, match="expected exactly one .xml file") as info:
        read_publication("ofac_sdn", [archive])
    assert info.value.file == "SDN_XML.ZIP"
