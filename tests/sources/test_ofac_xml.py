"""OFAC XML formats: the legacy ``sdnList`` XML (sdn.xml / consolidated.xml) and the
enhanced XML (SDN_ENHANCED / CONS_ENHANCED, plain or zipped).

Fixtures under tests/fixtures/ofac_xml are fictional; real files come from the shared
data folder (`shared_data`) and are never copied.
"""

from __future__ import annotations

import csv
import time
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import ofac_remarks, read_publication
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo
from sanctionsnet.sources.ofac_enhanced import parse_enhanced_xml
from sanctionsnet.sources.ofac_xml import parse_sdnlist_xml, xml_remarks

CONS = "lists/ofac_cons"
CONS_2018 = f"{CONS}/2018-04-06_perchrh"
XML_2018 = f"{CONS_2018}/consolidated.xml"
XML_2020 = f"{CONS}/2020-03-17_consolidated.xml"
ENHANCED_2025 = f"{CONS}/2025-01_CONS_ENHANCED/CONS_ENHANCED.ZIP"
CSV_2025 = f"{CONS}/2025-12_moov-watchman/cons_prim.csv"

PARTY_SCHEMATA = {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}
SDN_LIST = "Specially Designated Nationals and Blocked Persons List (SDN List)"
#: Facts that must not depend on the format an OFAC entry was read from.
CORE_PROPS = (
    "name",
    "firstName",
    "lastName",
    "alias",
    "weakAlias",
    "previousName",
    "birthDate",
    "birthPlace",
    "birthCountry",
    "nationality",
    "citizenship",
    "gender",
    "position",
    "passportNumber",
    "idNumber",
    "taxNumber",
    "innCode",
    "registrationNumber",
    "swiftBic",
    "website",
    "email",
    "address",
    "country",
    "imoNumber",
    "mmsi",
    "callSign",
    "flag",
    "pastFlags",
    "type",
    "tonnage",
    "grossRegisteredTonnage",
    "serialNumber",
    "model",
    "buildDate",
    "program",
)


def parse(fn: Any, path: Path, source_id: str = "ofac_sdn") -> tuple[ParseInfo, Emitter]:
    emit = Emitter(source_id)
    info = fn(InputFile.from_path(path), emit, source_id)
    return info, emit


def props(emit: Emitter, ent_id: str) -> dict[str, list[str]]:
    found = emit.entities[ent_id].entity.to_dict()["properties"]
    return {k: sorted(v) for k, v in found.items()}


def parties(entities: Any) -> dict[str, Any]:
    return {
        e.entity.id: e.entity
        for e in (entities.values() if isinstance(entities, dict) else entities)
        if e.entity.schema.name in PARTY_SCHEMATA
    }


def core(entity: Any) -> dict[str, list[str]]:
    return {p: sorted(entity.get(p, quiet=True)) for p in CORE_PROPS if entity.get(p, quiet=True)}


def sanction_id(emit: Emitter, ent_id: str) -> str:
    return f"{ent_id}-sanction"


def edges(entities: Any) -> dict[str, tuple[str, dict[str, list[str]]]]:
    found = {}
    for e in entities.values() if isinstance(entities, dict) else entities:
        if e.entity.schema.edge:
            props = e.entity.to_dict()["properties"]
            found[e.entity.id] = (e.entity.schema.name, {k: sorted(v) for k, v in props.items()})
    return found


# ---------------------------------------------------------------- remarks


@pytest.mark.parametrize(
    ("xml", "csv_form"),
    [
        (
            "(Linked To: NATIONAL IRANIAN TANKER COMPANY)",
            "Linked To: NATIONAL IRANIAN TANKER COMPANY",
        ),
        (
            "all offices worldwide; (Linked To: NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED)",
            "all offices worldwide; Linked To: NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED",
        ),
        (
            "Telephone (357)(22660766); Fax (357)(22668608)",
            "Telephone (357)(22660766); Fax (357)(22668608)",
        ),
        ("HAMAS - Hebron", "HAMAS - Hebron"),
    ],
)
def test_xml_remarks_in_csv_notation(xml: str, csv_form: str) -> None:
    assert xml_remarks(xml) == csv_form


# ------------------------------------------------------------- legacy XML


def test_fixture_sdnlist_xml(fixtures: Path) -> None:
    info, emit = parse(parse_sdnlist_xml, fixtures / "ofac_xml" / "sdn.xml")
    assert info.format == "sdnlist-xml"
    assert info.published == date(2024, 1, 15)
    assert info.extra["record_count"] == 4
    schemata = {i: e.schema.name for i, e in parties(emit.entities).items()}
    assert schemata == {
        "ofac-sdn-990001": "Person",
        "ofac-sdn-990002": "Company",
        "ofac-sdn-990003": "Vessel",
        "ofac-sdn-990004": "Airplane",
    }
    assert emit.entities["ofac-sdn-990001"].ref == "990001"

    person = props(emit, "ofac-sdn-990001")
    assert person["name"] == ["FICTIONAL-TESTPERSON, Alpha Beta"]
    assert person["firstName"] == ["Alpha Beta"]
    assert person["lastName"] == ["FICTIONAL-TESTPERSON"]
    assert person["alias"] == ["TESTPERSON, Alfa"]
    assert person["weakAlias"] == ["ALPHIE"]
    assert person["birthDate"] == ["1958", "1960-01-01"]
    assert "DOB circa 1958" in person["notes"]
    assert person["birthPlace"] == ["Exampleton, Iran"]
    assert person["birthCountry"] == ["ir"]
    assert person["nationality"] == ["ir"]
    assert person["citizenship"] == ["lb"]
    assert person["gender"] == ["male"]
    assert person["passportNumber"] == ["X0000001"]
    assert person["idNumber"] == ["000-000001"]
    assert person["email"] == ["alpha@fictional-test.example.com"]
    assert person["position"] == ["Fictional Minister of Testing"]
    assert person["address"] == ["1 Fictional Street, Tehran, Iran"]
    assert person["program"] == ["IRAN-EO13876", "SDGT"]

    wallets = [e.entity for e in emit.entities.values() if e.entity.schema.name == "CryptoWallet"]
    assert len(wallets) == 1
    assert wallets[0].get("publicKey") == ["1FictionalTestWalletAddressXXXXXXX"]
    assert wallets[0].get("currency") == ["XBT"]
    assert wallets[0].get("holder") == ["ofac-sdn-990001"]

    sanction = props(emit, sanction_id(emit, "ofac-sdn-990001"))
    assert sanction["entity"] == ["ofac-sdn-990001"]
    assert sanction["authority"] == ["US Treasury OFAC"]
    assert sanction["program"] == ["IRAN-EO13876", "SDGT"]
    assert sanction["provisions"] == [
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, "
        "as amended by Executive Order 13886",
        SDN_LIST,
    ]

    company = props(emit, "ofac-sdn-990002")
    assert company["alias"] == ["FTT LLC"]
    assert company["previousName"] == ["FICTIONAL OLD TRADING CO"]
    assert company["registrationNumber"] == ["FT-12345"]
    assert company["swiftBic"] == ["FICTAEAD"]
    assert company["taxNumber"] == ["7700000000"]
    assert company["innCode"] == ["7700000000"]  # a Russian tax id is an INN
    assert company["website"] == ["http://www.fictional-test-trading.example.com/"]
    # Addresses are written as OFAC's CSV writes them, so both formats agree.
    assert company["address"] == [
        "Moscow, Moscow Region 100000, Russia",
        "Office 9, Fictional Tower, Test Road, Dubai 00000, United Arab Emirates",
    ]
    assert company["country"] == ["ae", "ru"]

    vessel = props(emit, "ofac-sdn-990003")
    assert vessel["imoNumber"] == ["IMO9999993"]
    assert vessel["mmsi"] == ["123456789"]
    assert vessel["callSign"] == ["9XTST"]
    assert vessel["type"] == ["Crude Oil Tanker"]
    assert vessel["flag"] == ["pa"]
    assert vessel["pastFlags"] == ["lr"]
    assert vessel["tonnage"] == ["1000"]
    assert vessel["grossRegisteredTonnage"] == ["800"]
    assert vessel["previousName"] == ["FICTIONAL OLD VESSEL"]
    assert "Vessel Owner: FICTIONAL TEST TRADING LLC" in vessel["notes"]

    plane = props(emit, "ofac-sdn-990004")
    assert plane["serialNumber"] == ["0000", "0000000001"]
    assert plane["model"] == ["IL-76TD"]
    assert plane["buildDate"] == ["1991"]
    assert "Aircraft Operator: FICTIONAL TEST AIR" in plane["notes"]

    # "(Linked To: X)" in the remarks, resolved against the names of the publication.
    assert edges(emit.entities) == {
        f"ofac-sdn-{uid}-linked-990002": (
            "UnknownLink",
            {"subject": [f"ofac-sdn-{uid}"], "object": ["ofac-sdn-990002"], "role": ["Linked To"]},
        )
        for uid in ("990001", "990003", "990004")
    }
    assert emit.warnings == []


def test_remarks_are_handed_to_ofac_remarks(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Free-text remarks go through ofac_remarks; Linked To names are resolved once."""
    seen: list[tuple[str, str]] = []
    calls: list[tuple[list[Any], dict[str, str]]] = []

    def fake_apply(entity: Any, remarks: str, emit: Emitter, file: InputFile, ref: str) -> Any:
        seen.append((ref, remarks))
        linked = ["FICTIONAL TEST TRADING LLC"] if "Linked To" in remarks else []
        return ofac_remarks.Remarks(linked_to=linked, secondary_sanctions=["FAKE NOTE"])

    def fake_link(emit: Emitter, pending: list[Any], by_name: dict[str, str]) -> None:
        calls.append((list(pending), dict(by_name)))

    monkeypatch.setattr(ofac_remarks, "apply_remarks", fake_apply)
    monkeypatch.setattr(ofac_remarks, "link_entities", fake_link)
    _, emit = parse(parse_sdnlist_xml, fixtures / "ofac_xml" / "sdn.xml")

    assert seen == [
        ("990001", "FICTIONAL TEST ENTRY; Linked To: FICTIONAL TEST TRADING LLC"),
        ("990002", "FICTIONAL TEST ENTRY"),
        ("990003", "Linked To: FICTIONAL TEST TRADING LLC"),
        ("990004", "FICTIONAL TEST ENTRY; Linked To: FICTIONAL TEST TRADING LLC"),
    ]
    assert len(calls) == 1
    pending, by_name = calls[0]
    assert [(p[0], p[1], p[2]) for p in pending] == [
        ("ofac-sdn-990001", "FICTIONAL TEST TRADING LLC", "990001"),
        ("ofac-sdn-990003", "FICTIONAL TEST TRADING LLC", "990003"),
        ("ofac-sdn-990004", "FICTIONAL TEST TRADING LLC", "990004"),
    ]
    # Primary names and every aka resolve to their entry.
    key = ofac_remarks.name_key
    assert by_name[key("FICTIONAL TEST TRADING LLC")] == "ofac-sdn-990002"
    assert by_name[key("FTT LLC")] == "ofac-sdn-990002"
    assert by_name[key("FICTIONAL OLD TRADING CO")] == "ofac-sdn-990002"
    assert by_name[key("TESTPERSON, Alfa")] == "ofac-sdn-990001"
    assert by_name[key("EP-TST")] == "ofac-sdn-990004"
    # Secondary sanctions notes from the remarks land on the Sanction.
    sanction = props(emit, sanction_id(emit, "ofac-sdn-990002"))
    assert sanction["provisions"] == ["FAKE NOTE", SDN_LIST]


def test_namespace_is_optional(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "ofac_xml" / "sdn.xml").read_text(encoding="utf-8")
    bare = tmp_path / "sdn.xml"
    bare.write_text(text.replace(' xmlns="http://tempuri.org/sdnList.xsd"', ""), "utf-8")
    _, with_ns = parse(parse_sdnlist_xml, fixtures / "ofac_xml" / "sdn.xml")
    _, without = parse(parse_sdnlist_xml, bare)
    assert {k: core(v) for k, v in parties(with_ns.entities).items()} == {
        k: core(v) for k, v in parties(without.entities).items()
    }


def test_zipped_sdnlist_xml(fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "SDN_XML.ZIP"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(fixtures / "ofac_xml" / "sdn.xml", "SDN.XML")
    info, emit = parse(parse_sdnlist_xml, archive)
    assert info.published == date(2024, 1, 15)
    assert len(parties(emit.entities)) == 4


def _truncate(source: Path, target: Path, marker: str) -> Path:
    text = source.read_text(encoding="utf-8")
    cut = text.index(marker) + len(marker)
    target.write_text(text[:cut], encoding="utf-8")
    return target


def test_truncated_sdnlist_xml(fixtures: Path, tmp_path: Path) -> None:
    path = _truncate(fixtures / "ofac_xml" / "sdn.xml", tmp_path / "sdn.xml", "<uid>990003</uid>")
    with pytest.raises(SourceError) as err:
        parse(parse_sdnlist_xml, path)
    assert err.value.file == "sdn.xml"
    expected_line = path.read_text(encoding="utf-8").count("\n") + 1
    assert err.value.line == expected_line
    assert "truncated" in str(err.value)
    assert str(err.value).startswith(f"sdn.xml, line {expected_line}: ")


def test_truncated_zip_member(fixtures: Path, tmp_path: Path) -> None:
    path = _truncate(fixtures / "ofac_xml" / "sdn.xml", tmp_path / "SDN.XML", "<sdnEntry>")
    archive = tmp_path / "SDN_XML.ZIP"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(path, "SDN.XML")
    with pytest.raises(SourceError) as err:
        parse(parse_sdnlist_xml, archive)
    assert err.value.file == "SDN_XML.ZIP:SDN.XML"
    assert err.value.line is not None


def test_record_count_mismatch(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "ofac_xml" / "sdn.xml").read_text(encoding="utf-8")
    path = tmp_path / "sdn.xml"
    path.write_text(text.replace("<Record_Count>4<", "<Record_Count>5<"), encoding="utf-8")
    with pytest.raises(SourceError, match="Record_Count says 5 entries but the file has 4"):
        parse(parse_sdnlist_xml, path)


def test_record_count_catches_missing_entries(fixtures: Path, tmp_path: Path) -> None:
    """A well-formed file that lost entries (cut at an entry boundary) is still an error."""
    text = (fixtures / "ofac_xml" / "sdn.xml").read_text(encoding="utf-8")
    start = text.index("  <sdnEntry>\n    <uid>990004</uid>")
    end = text.index("</sdnList>")
    path = tmp_path / "sdn.xml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(SourceError, match="Record_Count says 4 entries but the file has 3"):
        parse(parse_sdnlist_xml, path)


def test_wrong_root_element(fixtures: Path) -> None:
    with pytest.raises(SourceError, match="not an OFAC sdnList XML") as err:
        parse(parse_sdnlist_xml, fixtures / "ofac_xml" / "sdn_enhanced.xml")
    assert err.value.file == "sdn_enhanced.xml"
    with pytest.raises(SourceError, match="not an OFAC enhanced XML"):
        parse(parse_enhanced_xml, fixtures / "ofac_xml" / "sdn.xml")


def test_duplicate_uid(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "ofac_xml" / "sdn.xml").read_text(encoding="utf-8")
    path = tmp_path / "sdn.xml"
    path.write_text(text.replace("<uid>990004</uid>", "<uid>990003</uid>"), encoding="utf-8")
    with pytest.raises(SourceError, match="duplicate sdnEntry uid") as err:
        parse(parse_sdnlist_xml, path)
    assert err.value.record == "990003"
    assert err.value.line is not None


def test_zip_must_hold_one_xml(fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "TWO.ZIP"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(fixtures / "ofac_xml" / "sdn.xml", "A.XML")
        zf.write(fixtures / "ofac_xml" / "sdn.xml", "B.XML")
    with pytest.raises(SourceError, match="exactly one .xml file") as err:
        parse(parse_enhanced_xml, archive)
    assert err.value.file == "TWO.ZIP"


def test_corrupt_and_truncated_zip(fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "SDN_ENHANCED.ZIP"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(fixtures / "ofac_xml" / "sdn_enhanced.xml", "SDN_ENHANCED.XML")
    data = bytearray(archive.read_bytes())
    corrupt = tmp_path / "CORRUPT.ZIP"
    corrupt.write_bytes(data[:200] + bytes(b ^ 0xFF for b in data[200:260]) + data[260:])
    with pytest.raises(SourceError, match="corrupt zip archive") as err:
        parse(parse_enhanced_xml, corrupt)
    assert err.value.file == "CORRUPT.ZIP"
    cut = tmp_path / "CUT.ZIP"
    cut.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(SourceError, match="not a readable zip archive") as err:
        parse(parse_enhanced_xml, cut)
    assert err.value.file == "CUT.ZIP"


# ----------------------------------------------------------- enhanced XML


def test_fixture_enhanced_matches_legacy_xml(fixtures: Path) -> None:
    """The same fictional entries give the same ids and core facts in both XML formats."""
    _, legacy = parse(parse_sdnlist_xml, fixtures / "ofac_xml" / "sdn.xml")
    info, enhanced = parse(parse_enhanced_xml, fixtures / "ofac_xml" / "sdn_enhanced.xml")
    assert info.format == "ofac-enhanced-xml"
    assert info.published == date(2024, 1, 15)
    old, new = parties(legacy.entities), parties(enhanced.entities)
    assert set(old) == set(new)
    for ent_id in old:
        assert old[ent_id].schema == new[ent_id].schema
        facts = core(new[ent_id])
        # The enhanced format adds the non-Latin spelling of the name.
        if ent_id == "ofac-sdn-990001":
            assert "ФИКТИВНЫЙ-ТЕСТ, АЛЬФА БЕТА" in facts["alias"]
            facts["alias"].remove("ФИКТИВНЫЙ-ТЕСТ, АЛЬФА БЕТА")
        assert facts == core(old[ent_id]), ent_id
    wallet_ids = {i for i, e in legacy.entities.items() if e.entity.schema.name == "CryptoWallet"}
    assert wallet_ids == {
        i for i, e in enhanced.entities.items() if e.entity.schema.name == "CryptoWallet"
    }
    assert len(wallet_ids) == 1
    # The sdnList remarks' "Linked To" becomes an UnknownLink; the enhanced XML says
    # what the link is.
    assert set(edges(legacy.entities)) == {
        "ofac-sdn-990001-linked-990002",
        "ofac-sdn-990003-linked-990002",
        "ofac-sdn-990004-linked-990002",
    }
    for ent_id in old:
        sid = sanction_id(enhanced, ent_id)
        assert legacy.entities[sid].entity.get("program") == enhanced.entities[sid].entity.get(
            "program"
        )
    assert enhanced.warnings == []


def test_fixture_enhanced_relationships(fixtures: Path) -> None:
    info, emit = parse(parse_enhanced_xml, fixtures / "ofac_xml" / "sdn_enhanced.xml")
    assert edges(emit.entities) == {
        "ofac-sdn-990001-director-990002": (
            "Directorship",
            {
                "director": ["ofac-sdn-990001"],
                "organization": ["ofac-sdn-990002"],
                "role": ["Leader or official of"],
            },
        ),
        "ofac-sdn-990002-owns-990003": (
            "Ownership",
            {
                "owner": ["ofac-sdn-990002"],
                "asset": ["ofac-sdn-990003"],
                "role": ["Owned or Controlled By"],
            },
        ),
        "ofac-sdn-990002-owns-990004": (
            "Ownership",
            {
                "owner": ["ofac-sdn-990002"],
                "asset": ["ofac-sdn-990004"],
                "role": ["Owned or Controlled By"],
            },
        ),
    }
    # A party on another list cannot be linked; the fact stays on the entity.
    assert (
        "Owned or Controlled By: FICTIONAL ENTRY ON ANOTHER LIST (OFAC id 990999)"
        in props(emit, "ofac-sdn-990004")["notes"]
    )
    assert info.extra == {"entries": 4, "relationships": 4, "relationships_to_other_lists": 1}
    sanction = props(emit, sanction_id(emit, "ofac-sdn-990001"))
    assert sanction["listingDate"] == ["2020-05-01"]
    assert sanction["reason"] == ["Executive Order 13224 (Terrorism)"]
    assert sanction["provisions"] == sorted(
        [
            SDN_LIST,
            "Block",
            "Secondary sanctions risk: section 1(b) of Executive Order 13224, "
            "as amended by Executive Order 13886",
        ]
    )


def test_truncated_enhanced_xml(fixtures: Path, tmp_path: Path) -> None:
    path = _truncate(
        fixtures / "ofac_xml" / "sdn_enhanced.xml",
        tmp_path / "SDN_ENHANCED.XML",
        '<entity id="990003">',
    )
    with pytest.raises(SourceError, match="malformed or truncated XML") as err:
        parse(parse_enhanced_xml, path)
    assert err.value.file == "SDN_ENHANCED.XML"
    assert err.value.line == path.read_text(encoding="utf-8").count("\n") + 1


def test_enhanced_entity_without_primary_name(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "ofac_xml" / "sdn_enhanced.xml").read_text(encoding="utf-8")
    path = tmp_path / "SDN_ENHANCED.XML"
    path.write_text(
        text.replace(
            "<isPrimary>true</isPrimary>\n          <isLowQuality>",
            "<isPrimary>false</isPrimary>\n          <isLowQuality>",
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="without a primary name") as err:
        parse(parse_enhanced_xml, path)
    assert err.value.record == "990001"


# ------------------------------------------------------------ legacy CSV


def test_fixture_xml_and_csv_agree(fixtures: Path) -> None:
    """sdn.xml and the legacy CSV set of the same (fictional) publication agree:
    same entity ids (parties, sanctions, wallets, links) and the same facts."""
    csv_dir = fixtures / "ofac_xml" / "csv"
    paths = [csv_dir / n for n in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
    from_csv = read_publication("ofac_sdn", paths)
    from_xml = read_publication("ofac_sdn", [fixtures / "ofac_xml" / "sdn.xml"])
    assert from_xml.info.format == "sdnlist-xml"
    assert from_xml.info.published == date(2024, 1, 15)
    assert from_csv.info.format == "ofac-legacy-csv"
    csv_all = {e.entity.id: e.entity for e in from_csv.entities}
    xml_all = {e.entity.id: e.entity for e in from_xml.entities}
    assert set(csv_all) == set(xml_all)
    assert len(csv_all) == 4 + 4 + 1 + 3  # parties, sanctions, wallet, links
    for ent_id, entity in xml_all.items():
        other = csv_all[ent_id]
        assert entity.schema == other.schema, ent_id
        mine = {k: sorted(v) for k, v in entity.to_dict()["properties"].items() if k != "notes"}
        theirs = {k: sorted(v) for k, v in other.to_dict()["properties"].items() if k != "notes"}
        assert mine == theirs, ent_id


# -------------------------------------------------------------- real data


def test_consolidated_xml_2018(shared_data: Path) -> None:
    started = time.perf_counter()
    info, emit = parse(parse_sdnlist_xml, shared_data / XML_2018, "ofac_cons")
    elapsed = time.perf_counter() - started
    assert info.published == date(2018, 4, 6)
    assert info.extra == {"record_count": 639, "entries": 639}
    counts = Counter(e.entity.schema.name for e in emit.entities.values())
    assert counts == Counter(
        {
            "Sanction": 639,
            "Company": 374,
            "UnknownLink": 365,
            "Organization": 97,
            "Person": 94,
            "Vessel": 74,
        }
    )
    assert emit.warnings == []

    bank = props(emit, "ofac-cons-4632")
    assert bank["name"] == ["BANK MARKAZI JOMHOURI ISLAMI IRAN"]
    assert bank["alias"] == [
        "BANK MARKAZI IRAN",
        "CENTRAL BANK OF IRAN",
        "CENTRAL BANK OF THE ISLAMIC REPUBLIC OF IRAN",
    ]
    assert bank["address"] == [
        "213 Ferdowsi Avenue, Tehran 11365, Iran",
        "PO Box 15875/7177, 144 Mirdamad Blvd, Tehran, Iran",
    ]
    assert bank["notes"] == [
        "For more information, please see: "
        "https://www.treasury.gov/resource-center/sanctions/Programs/Documents/jcpoa_faqs.pdf"
    ]
    sanction = props(emit, sanction_id(emit, "ofac-cons-4632"))
    assert sanction["program"] == ["IRAN"]
    # The id's text holds two remarks segments, split as the CSV parser splits them.
    assert sanction["provisions"] == [
        "Additional Sanctions Information - Not on the SDN List and Not Subject to "
        "Secondary Sanctions",
        "Consolidated Sanctions List (non-SDN lists)",
        "U.S. Persons Must Continue to Block the Property and Interests in Property of "
        "this Person Pursuant to Executive Order 13599",
    ]

    person = props(emit, "ofac-cons-15719")
    assert person["name"] == ["CAMBIS, Dimitris"]
    assert person["alias"] == ["KAMPIS, Dimitrios Alexandros"]
    assert person["weakAlias"] == ["KLIMT, Gustav"]
    assert person["birthDate"] == ["1963-10-14"]

    ghalebani = props(emit, "ofac-cons-15960")
    assert ghalebani["passportNumber"] == ["H20676140"]
    assert ghalebani["birthDate"] == ["1953", "1954"]
    assert "DOB 01 Jan 1953 to 31 Dec 1954" in ghalebani["notes"]
    assert ghalebani["position"][0].startswith("Managing Director, National Iranian Oil Company")

    vtb = props(emit, "ofac-cons-17013")
    assert vtb["name"] == ["VTB BANK OAO"]
    assert vtb["innCode"] == ["7702070139"]
    assert vtb["ogrnCode"] == ["1027739609391"]
    assert vtb["okpoCode"] == ["00032520"]
    assert vtb["swiftBic"] == ["VTBRRUMM"]
    assert "VNESHTORGBANK" in vtb["previousName"]
    assert props(emit, sanction_id(emit, "ofac-cons-17013"))["provisions"] == [
        "Consolidated Sanctions List (non-SDN lists)",
        "Executive Order 13662 Directive Determination - Subject to Directive 1",
    ]

    vessel = props(emit, "ofac-cons-15036")
    assert vessel["name"] == ["SHONA"]
    assert vessel["imoNumber"] == ["IMO9187629"]
    assert vessel["mmsi"] == ["572469210"]
    assert vessel["callSign"] == ["T2EU4"]
    assert vessel["flag"] == ["tz"]
    assert vessel["pastFlags"] == ["mt", "tv"]
    assert vessel["previousName"] == ["ABADAN", "ALPHA"]
    assert props(emit, "ofac-cons-15036-linked-15117") == {
        "subject": ["ofac-cons-15036"],
        "object": ["ofac-cons-15117"],
        "role": ["Linked To"],
    }
    assert props(emit, "ofac-cons-15117")["name"] == ["NATIONAL IRANIAN TANKER COMPANY"]
    assert elapsed < 10


def test_consolidated_xml_2020(shared_data: Path) -> None:
    info, emit = parse(parse_sdnlist_xml, shared_data / XML_2020, "ofac_cons")
    assert info.published == date(2020, 3, 17)
    assert info.extra == {"record_count": 375, "entries": 375}
    assert len(parties(emit.entities)) == 375
    haniya = props(emit, "ofac-cons-9639")
    assert haniya["name"] == ["HANIYA, Ismail Abdul Salah"]
    assert haniya["alias"] == ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert haniya["birthDate"] == ["1962"]
    assert haniya["birthPlace"] == ["Shati"]
    males = [
        i for i, e in parties(emit.entities).items() if e.get("gender", quiet=True) == ["male"]
    ]
    assert males == ["ofac-cons-26182"]


def test_consolidated_enhanced_2025(shared_data: Path) -> None:
    started = time.perf_counter()
    info, emit = parse(parse_enhanced_xml, shared_data / ENHANCED_2025, "ofac_cons")
    elapsed = time.perf_counter() - started
    assert info.format == "ofac-enhanced-xml"
    assert info.published == date(2025, 1, 10)
    assert info.extra == {"entries": 443, "relationships": 283, "relationships_to_other_lists": 1}
    assert emit.warnings == []  # every feature and document type of the file is mapped
    counts = Counter(e.entity.schema.name for e in emit.entities.values())
    assert counts["Sanction"] == 443
    assert len(parties(emit.entities)) == 443
    assert counts["Person"] == 80
    assert counts["Ownership"] + counts["UnknownLink"] == 282

    haniya = props(emit, "ofac-cons-9639")
    assert haniya["name"] == ["HANIYA, Ismail Abdul Salah"]
    assert haniya["alias"] == ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert haniya["birthDate"] == ["1962"]

    zahhar = props(emit, "ofac-cons-9647")
    assert zahhar["weakAlias"] == ["AL-ZAHAR, Mahmoud", "ZAHAR, Mahmoud"]
    assert zahhar["gender"] == ["male"]
    assert zahhar["nationality"] == ["ps"]
    assert zahhar["address"] == ["Region: Gaza"]
    # HAMAS (4695) is on the SDN list, not in this file.
    assert zahhar["notes"] == ["Acting for or on behalf of: HAMAS (OFAC id 4695)"]
    sanction = props(emit, sanction_id(emit, "ofac-cons-9647"))
    assert sanction["program"] == ["NS-PLC", "SDGT"]
    assert sanction["listingDate"] == ["2006-04-12"]

    vtb = props(emit, "ofac-cons-17013")
    assert vtb["name"] == ["VTB BANK PUBLIC JOINT STOCK COMPANY"]
    assert "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО" in vtb["alias"]
    assert "VNESHTORGBANK" in vtb["previousName"]
    assert vtb["innCode"] == ["7702070139"]
    assert "253400V1H6ART1UQ0N98" in vtb["registrationNumber"]  # its "Legal Entity Number"
    assert vtb["incorporationDate"] == ["1990-10-17"]
    assert vtb["classification"] == ["Financial Institution"]
    owned = props(emit, "ofac-cons-17022-owns-18284")
    assert owned == {
        "owner": ["ofac-cons-17022"],
        "asset": ["ofac-cons-18284"],
        "role": ["Owned or Controlled By"],
    }
    assert elapsed < 10


def test_enhanced_ids_are_legacy_ent_nums(shared_data: Path) -> None:
    """The enhanced `entity id` is the legacy ent_num: compare with the CSV of late 2025."""
    _, emit = parse(parse_enhanced_xml, shared_data / ENHANCED_2025, "ofac_cons")
    names = {k: e.get("name")[0] for k, e in parties(emit.entities).items()}
    with (shared_data / CSV_2025).open(encoding="latin-1", newline="") as fh:
        rows = {f"ofac-cons-{r[0].strip()}": r[1] for r in csv.reader(fh) if len(r) > 3}
    assert len(rows) == 442
    assert set(rows) <= set(names)
    renamed = {k for k in rows if rows[k] != names[k]}
    assert renamed == {"ofac-cons-18284"}  # renamed by OFAC between the two publications


def test_2018_xml_and_csv_give_the_same_entities(shared_data: Path) -> None:
    """consolidated.xml and the CSV set of the same publication (2018-04-06)."""
    csv_paths = [
        shared_data / CONS_2018 / n
        for n in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
    ]
    from_csv = read_publication("ofac_cons", csv_paths)
    from_xml = read_publication("ofac_cons", [shared_data / XML_2018])
    csv_all = {e.entity.id: e.entity for e in from_csv.entities}
    xml_all = {e.entity.id: e.entity for e in from_xml.entities}
    # every id: parties, their sanctions and the "Linked To" links
    assert set(csv_all) == set(xml_all)
    assert len(parties(from_xml.entities)) == 639
    differing: Counter[str] = Counter()
    for ent_id, entity in xml_all.items():
        other = csv_all[ent_id]
        assert entity.schema == other.schema, ent_id
        for prop in CORE_PROPS:
            if sorted(entity.get(prop, quiet=True)) != sorted(other.get(prop, quiet=True)):
                differing[prop] += 1
    # Only where the two files themselves differ: the CSV turns double quotes into
    # single ones (one alias, one address) and writes tonnages with thousands
    # separators; one f.k.a. is marked weak in the XML only.
    assert set(differing) <= {
        "alias",
        "address",
        "weakAlias",
        "previousName",
        "tonnage",
        "grossRegisteredTonnage",
    }
    assert differing["alias"] == differing["address"] == differing["weakAlias"] == 1


@pytest.mark.parametrize(
    ("path", "published", "count"),
    [
        (XML_2018, date(2018, 4, 6), 639),
        (XML_2020, date(2020, 3, 17), 375),
        (ENHANCED_2025, date(2025, 1, 10), 443),
    ],
)
def test_read_publication_ofac_cons(
    shared_data: Path, path: str, published: date, count: int
) -> None:
    pub = read_publication("ofac_cons", [shared_data / path])
    assert pub.info.published == published
    assert len(parties(pub.entities)) == count
    assert sum(1 for e in pub.entities if e.entity.schema.name == "Sanction") == count


def test_csv_given_to_xml_parsers(fixtures: Path) -> None:
    for fn in (parse_sdnlist_xml, parse_enhanced_xml):
        with pytest.raises(SourceError, match="malformed or truncated XML") as err:
            parse(fn, fixtures / "ofac_xml" / "csv" / "sdn.csv")
        assert err.value.file == "sdn.csv"
        assert err.value.line == 1
