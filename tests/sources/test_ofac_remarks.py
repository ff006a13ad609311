"""The OFAC remarks parser on remarks written for these tests (all names fictional)."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from sanctionsnet.sources.base import Emitter, InputFile
from sanctionsnet.sources.ofac_remarks import (
    Remarks,
    apply_fact,
    apply_remarks,
    link_entities,
    name_key,
    parse_date_expr,
    split_id,
    split_remarks,
)

FILE = InputFile(path=Path("sdn.csv"), name="sdn.csv", sha256="0" * 64, size=0)


@pytest.fixture
def emit() -> Emitter:
    return Emitter("ofac_sdn")


def parse(
    emit: Emitter, schema: str, remarks: str, ref: str = "900"
) -> tuple[EntityProxy, Remarks]:
    entity = emit.make(schema, ref)
    entity.add("name", "FICTIONAL TEST PARTY")
    result = apply_remarks(entity, remarks, emit, FILE, ref)
    emit.emit(entity, ref, FILE)
    return entity, result


# ----------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "values", "lost"),
    [
        ("01 Jan 1960", ["1960-01-01"], False),
        ("Feb 1970", ["1970-02"], False),
        ("1962", ["1962"], False),
        ("circa 1951", ["1951"], True),
        ("circa 07 Jul 1966", ["1966-07-07"], True),
        ("1960 to 1962", ["1960", "1961", "1962"], True),
        ("01 Jan 1953 to 31 Dec 1954", ["1953", "1954"], True),
        ("circa 1979-1982", ["1979", "1980", "1981", "1982"], True),
        ("31 Feb 1960", ["1960-02"], False),
        ("sometime", [], True),
    ],
)
def test_date_expressions(text: str, values: list[str], lost: bool) -> None:
    assert parse_date_expr(text) == (values, lost)


def test_person_facts(emit: Emitter) -> None:
    person, result = parse(
        emit,
        "Person",
        "DOB 01 Jan 1960; alt. DOB 1962; alt. DOB circa Feb 1958; alt. DOB 1940 to 1941; "
        "POB Testville, Tehran Province, Iran; alt. POB Fictiograd, Russia; "
        "nationality Iran; alt. nationality Korea, North; citizen Syria; Gender Female; "
        "Residency Lebanon; Position: Fictional Deputy Minister.",
    )
    assert person.get("birthDate") == ["1960-01-01", "1962", "1958-02", "1940", "1941"]
    assert person.get("birthPlace") == ["Testville, Tehran Province, Iran", "Fictiograd, Russia"]
    assert person.get("birthCountry") == ["ir", "ru"]
    assert person.get("nationality") == ["ir", "kp"]
    assert person.get("citizenship") == ["sy"]
    assert person.get("gender") == ["female"]
    assert person.get("country") == ["lb"]
    assert person.get("position") == ["Fictional Deputy Minister"]
    assert result == Remarks()


def test_raw_remarks_kept_in_notes(emit: Emitter) -> None:
    remarks = "DOB 1960; Fictional free text nobody can parse."
    person, result = parse(emit, "Person", remarks)
    assert person.get("notes") == [remarks]
    assert result.unparsed == ["Fictional free text nobody can parse"]


def test_identity_documents(emit: Emitter) -> None:
    person, _ = parse(
        emit,
        "Person",
        "Passport A1234567 (Iran) issued 02 Feb 2010 expires 01 Feb 2020; "
        "alt. Passport B 7654321; Diplomatic Passport D000001 (Iran); "
        "National ID No. 123-456 (Iran); Cedula No. 7777777 (Colombia); "
        "C.U.R.P. FICT600101HDFXXX01 (Mexico); Identification Number D489833(9) (Hong Kong); "
        "SSN 000-00-0000 (United States); Tax ID No. FICT1234 (Mexico); "
        "R.F.C. FICT-600101-AB1 (Mexico); NIT # 900000000-1 (Colombia); "
        "Driver's License No. 0001 (Mexico); Fictional Voter Card Number 4242 (Peru).",
    )
    assert person.get("passportNumber") == ["A1234567", "B 7654321", "D000001"]
    assert person.get("idNumber") == [
        "123-456",
        "7777777",
        "FICT600101HDFXXX01",
        "D489833(9)",
        "0001",
        "4242",  # an unknown "... Number" label still gives an identifier
    ]
    assert person.get("taxNumber") == ["FICT1234", "FICT-600101-AB1", "900000000-1"]
    # FtM validates SSNs: an all-zero one is rejected
    assert person.get("socialSecurityNumber") == []


def test_split_id() -> None:
    assert split_id("A1234567 (Iran) issued 02 Feb 2010 expires 01 Feb 2020") == (
        "A1234567",
        "Iran",
        "02 Feb 2010",
        "01 Feb 2020",
    )
    assert split_id("HRA 738077 (Stuttgart) (Germany)") == (
        "HRA 738077 (Stuttgart)",
        "Germany",
        None,
        None,
    )
    assert split_id("KE007776 expires Aug 2009") == ("KE007776", None, None, "Aug 2009")


def test_company_registers_and_russian_codes(emit: Emitter) -> None:
    company, result = parse(
        emit,
        "Company",
        "Tax ID No. 7700000000 (Russia); Registration Number 1027700000000 (Russia); "
        "Government Gazette Number 00000001 (Russia); Registration ID 123456 (Cyprus); "
        "Unified Social Credit Code (USCC) 91110000MA0FCT1X0L (China); "
        "D-U-N-S Number 000000001; V.A.T. Number FI00000000 (Finland); "
        "SWIFT/BIC FICTRUMM; Website www.fictional-company.example.org; "
        "alt. Website http://fictional.example.net; Email Address info@fictional.example.org; "
        "Phone Number 982100000000; alt. Phone Number 0097142345678; "
        "Organization Established Date 15 Mar 2001; Organization Type: Wholesale of fictional goods; "
        "Target Type Private Company; Nationality of Registration Cyprus.",
    )
    assert company.get("taxNumber") == ["7700000000"]
    assert company.get("innCode") == ["7700000000"]
    assert company.get("ogrnCode") == ["1027700000000"]
    assert company.get("okpoCode") == ["00000001"]
    assert company.get("registrationNumber") == [
        "1027700000000",
        "00000001",
        "123456",
        "91110000MA0FCT1X0L",
    ]
    assert company.get("uscCode") == ["91110000MA0FCT1X0L"]
    assert company.get("dunsCode") == ["000000001"]
    assert company.get("vatCode") == ["FI00000000"]
    assert company.get("swiftBic") == ["FICTRUMM"]
    assert company.get("website") == [
        "http://www.fictional-company.example.org/",
        "http://fictional.example.net/",
    ]
    assert company.get("email") == ["info@fictional.example.org"]
    assert company.get("phone") == ["+982100000000", "+97142345678"]
    assert company.get("incorporationDate") == ["2001-03-15"]
    assert company.get("sector") == ["Wholesale of fictional goods"]
    assert company.get("classification") == ["Private Company"]
    assert company.get("jurisdiction") == ["cy"]
    assert result.unparsed == []


def test_vessel_facts(emit: Emitter) -> None:
    vessel, result = parse(
        emit,
        "Vessel",
        "Vessel Registration Identification IMO 1234567; MMSI 123456789; Call Sign FICT1; "
        "Vessel Type Crude Oil Tanker; Flag Panama; Former Vessel Flag Malta; "
        "alt. Former Vessel Flag None Identified; Tonnage 1,000; Vessel Year of Build 1999; "
        "Other Vessel Call Sign FICT2; Linked To: FICTIONAL SHIPPING CO., LTD.",
    )
    assert vessel.get("imoNumber") == ["IMO1234567"]
    assert vessel.get("mmsi") == ["123456789"]
    assert vessel.get("callSign") == ["FICT1", "FICT2"]
    assert vessel.get("type") == ["Crude Oil Tanker"]
    assert vessel.get("flag") == ["pa"]
    assert vessel.get("pastFlags") == ["mt"]
    assert vessel.get("tonnage") == ["1000"]
    assert vessel.get("buildDate") == ["1999"]
    assert result.linked_to == ["FICTIONAL SHIPPING CO., LTD"]


def test_invalid_imo_number_rejected(emit: Emitter) -> None:
    vessel, _ = parse(emit, "Vessel", "Vessel Registration Identification IMO 1234568.")
    assert vessel.get("imoNumber") == []  # wrong check digit


def test_company_imo_number(emit: Emitter) -> None:
    company, _ = parse(
        emit, "Company", "Company Number IMO 1234567; Identification Number IMO 7654321."
    )
    assert company.get("imoNumber") == ["IMO1234567"]
    assert company.get("registrationNumber") == []


def test_aircraft_facts(emit: Emitter) -> None:
    plane, _ = parse(
        emit,
        "Airplane",
        "Aircraft Construction Number (also called L/N or S/N or F/N) 8401; "
        "Aircraft Manufacture Date Sep 1984; Aircraft Model Fictional FX-76; "
        "Aircraft Operator FICTIONAL AIR; Aircraft Manufacturer's Serial Number (MSN) 1000001; "
        "Aircraft Tail Number EP-FIC; Aircraft Mode S Transponder Code 00FFAA.",
    )
    assert plane.get("serialNumber") == ["8401", "1000001"]
    assert plane.get("buildDate") == ["1984-09"]
    assert plane.get("model") == ["Fictional FX-76"]
    assert plane.get("registrationNumber") == ["EP-FIC"]
    assert plane.get("icaoCode") == ["00FFAA"]
    assert "Aircraft Operator: FICTIONAL AIR" in plane.get("notes")


def test_names(emit: Emitter) -> None:
    company, _ = parse(
        emit,
        "Company",
        "a.k.a. 'FICTO'; a.k.a. 'ABU FICT'AL'; f.k.a. 'OLD FICTIONAL CO'; "
        "n.k.a. 'NEW FICTIONAL CO'; d.b.a. 'FICTIONAL SHOP'; a.k.a., weak 'FCT'.",
    )
    # quoted a.k.a.s in the remarks are OFAC's weak (low-quality) aliases
    assert company.get("weakAlias") == ["FICTO", "ABU FICT'AL", "FCT"]
    assert company.get("previousName") == ["OLD FICTIONAL CO"]
    assert company.get("alias") == ["NEW FICTIONAL CO", "FICTIONAL SHOP"]


def test_crypto_wallets(emit: Emitter) -> None:
    org, result = parse(
        emit,
        "Organization",
        "Digital Currency Address - XBT 1FictionalAddress000000000000000; "
        "alt. Digital Currency Address - ETH 0xFICTIONAL00000000000000000000000000000000; "
        "Digital Currency Address - USDT TFictionalTron0000000000000000000.",
        ref="901",
    )
    wallets = {
        item.entity.first("publicKey"): item
        for item in emit.entities.values()
        if item.entity.schema.name == "CryptoWallet"
    }
    assert set(wallets) == {
        "1FictionalAddress000000000000000",
        "0xFICTIONAL00000000000000000000000000000000",
        "TFictionalTron0000000000000000000",
    }
    xbt = wallets["1FictionalAddress000000000000000"]
    assert xbt.entity.get("currency") == ["XBT"]
    assert xbt.entity.get("holder") == [org.id]
    assert xbt.ref == "901"
    assert xbt.file is FILE
    assert xbt.entity.id == "ofac-sdn-901-wallet-1fictionaladdress000000000000000"
    assert result.unparsed == []


def test_sanction_notes(emit: Emitter) -> None:
    _, result = parse(
        emit,
        "Company",
        "Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by "
        "Executive Order 13886; Transactions Prohibited For Persons Owned or Controlled By "
        "U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; "
        "Executive Order 13846 information: LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS; "
        "alt. Executive Order 13662 Directive Determination - Subject to Directive 2; "
        "Effective Date (EO 14024 Directive 2): 26 Mar 2022.",
    )
    assert result.secondary_sanctions == [
        "Additional Sanctions Information - Subject to Secondary Sanctions",
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by "
        "Executive Order 13886",
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
        "Institutions: North Korea Sanctions Regulations section 510.214",
        "Executive Order 13846 information: LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS",
        "Executive Order 13662 Directive Determination - Subject to Directive 2",
        "Effective Date (EO 14024 Directive 2): 26 Mar 2022",
    ]


def test_linked_to_names(emit: Emitter) -> None:
    _, result = parse(
        emit,
        "Person",
        "Linked To: FICTIONAL HOLDING S.A. DE C.V.; Linked To: DOE, Jane Fictional.",
    )
    # the final '.' of the remarks and of each name is dropped
    assert result.linked_to == ["FICTIONAL HOLDING S.A. DE C.V", "DOE, Jane Fictional"]


def test_truncated_remarks_drop_last_segment(emit: Emitter) -> None:
    entity = emit.make("Person", "902")
    result = apply_remarks(
        entity,
        "DOB 1960; nationality Iran; a.k.a. 'FICTIONAL CU",
        emit,
        FILE,
        "902",
        truncated=True,
    )
    assert result.truncated
    assert entity.get("birthDate") == ["1960"]
    assert entity.get("weakAlias") == []  # the cut name is not taken


def test_split_remarks() -> None:
    assert split_remarks("DOB 1960;  POB Testville, Iran ; a.k.a. 'X. Y.'.") == [
        "DOB 1960",
        "POB Testville, Iran",
        "a.k.a. 'X. Y.'",
    ]
    assert split_remarks("") == []


def test_schema_without_property_ignores_fact(emit: Emitter) -> None:
    vessel, _ = parse(emit, "Vessel", "Email Address fictional@example.org; Gender Male; DOB 1960.")
    assert vessel.get("email", quiet=True) == []
    assert "gender" not in vessel.properties


def test_apply_fact_for_xml_labels(emit: Emitter) -> None:
    entity = emit.make("Person", "903")
    result = Remarks()
    assert apply_fact(entity, "Passport", "P0000001 (Iran)", emit, FILE, "903", result)
    assert apply_fact(
        entity, "Digital Currency Address - XBT", "1FictionalXml0000000", emit, FILE, "903", result
    )
    assert apply_fact(
        entity, "Secondary sanctions risk:", "Fictional Regulations", emit, FILE, "903", result
    )
    assert not apply_fact(entity, "Fictional Unknown Label", "abc", emit, FILE, "903", result)
    assert entity.get("passportNumber") == ["P0000001"]
    assert result.secondary_sanctions == ["Secondary sanctions risk: Fictional Regulations"]
    assert any(i.entity.schema.name == "CryptoWallet" for i in emit.entities.values())


# ----------------------------------------------------------------------- links


def test_name_key() -> None:
    assert name_key("FICTIONAL CO., LTD.") == name_key("Fictional Co Ltd")
    assert name_key("AL-FICTIONAL, Test") == "al fictional test"


def test_link_entities(emit: Emitter) -> None:
    source, _ = parse(emit, "Person", "Linked To: FICTIONAL CO., LTD.", ref="10")
    target, _ = parse(emit, "Company", "", ref="20")
    other, _ = parse(emit, "Company", "", ref="30")
    assert source.id and target.id and other.id
    pending = [
        (source.id, "FICTIONAL CO., LTD", "10", FILE),
        (source.id, "fictional co ltd.", "10", FILE),  # same target again: one link
        (source.id, "FICTIONAL ALIAS", "10", FILE),
        (source.id, "NOBODY FICTIONAL", "10", FILE),
        (source.id, "DOE, John", "10", FILE),
    ]
    by_name = {"FICTIONAL CO., LTD.": target.id, "fictional alias": other.id}
    link_entities(emit, pending, by_name)
    links = {
        i.entity.id: (i.entity.first("subject"), i.entity.first("object"), i.entity.first("role"))
        for i in emit.entities.values()
        if i.entity.schema.name == "UnknownLink"
    }
    assert links == {
        "ofac-sdn-10-linked-20": (source.id, target.id, "Linked To"),
        "ofac-sdn-10-linked-30": (source.id, other.id, "Linked To"),
    }
    assert emit.entities["ofac-sdn-10-linked-20"].ref == "10"
    notes = source.get("notes")
    assert "Linked To: NOBODY FICTIONAL (not found in this publication)" in notes
    assert "Linked To: DOE, John (not found in this publication)" in notes
    assert len(emit.warnings) == 1
    assert emit.warnings[0].startswith("2 'Linked To' name(s) match no name")


def test_link_to_shared_name_prefers_common_program(emit: Emitter) -> None:
    source = emit.make("Person", "500")
    source.add("program", "FICT-A")
    emit.emit(source, "500", FILE)
    ids = []
    for ref, program in (("501", "FICT-B"), ("900", "FICT-A")):
        target = emit.make("Organization", ref)
        target.add("program", program)
        emit.emit(target, ref, FILE)
        ids.append(target.id)
    assert source.id
    link_entities(
        emit,
        [(source.id, "FICTIONAL MINISTRY", "500", FILE)],
        {"FICTIONAL MINISTRY": ids[0]},
        {"FICTIONAL MINISTRY": ids},
    )
    assert "ofac-sdn-500-linked-900" in emit.entities
    assert "ofac-sdn-500-linked-501" not in emit.entities
