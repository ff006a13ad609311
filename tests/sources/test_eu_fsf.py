"""EU Financial Sanctions Files (FSF) XML v1.1 parser."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sanctionsnet.errors import SourceError
from sanctionsnet.sources import Publication, get_source, read_publication
from sanctionsnet.sources.base import Emitter

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "eu_fsf" / "eu_fsf_fictional.xml"
EXCERPT = "EXCERPT_2020-04-15_EU_FSF_v1.1_7-entities.xml"


def eid(*parts: str) -> str:
    return Emitter("eu_fsf").make_id(*parts)


def by_id(pub: Publication) -> dict[str, dict]:
    """Entity id -> its properties, plus "_schema" and "_ref"."""
    out = {}
    for e in pub.entities:
        props = dict(e.entity.to_dict()["properties"])
        props["_schema"] = e.entity.schema.name
        props["_ref"] = e.ref
        out[e.entity.id] = props
    return out


def sanction_of(pub: Publication, ref: str) -> dict:
    """Properties of the one Sanction emitted for list entry `ref` (euReferenceNumber)."""
    found = [
        e.entity.to_dict()["properties"]
        for e in pub.entities
        if e.ref == ref and e.entity.schema.name == "Sanction"
    ]
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def fictional() -> Publication:
    return read_publication("eu_fsf", [FIXTURE])


@pytest.fixture(scope="module")
def excerpt(shared_data: Path) -> Publication:
    return read_publication("eu_fsf", [shared_data / "lists" / "eu" / EXCERPT])


def test_source_metadata() -> None:
    source = get_source("eu_fsf")
    assert source.authority == "European Union"
    [(name, url)] = source.official_files.items()
    assert name == "eu_fsf.xml"
    assert "xmlFullSanctionsList_1_1/content?token=" in url


# -- fictional fixture -------------------------------------------------------------------


def test_fictional_counts(fictional: Publication) -> None:
    counts = Counter(e.entity.schema.name for e in fictional.entities)
    assert counts == {"Company": 1, "Person": 1, "Sanction": 2, "Passport": 1}
    assert fictional.info.published == date(2024, 3, 1)
    assert fictional.info.format == "eu-fsf-xml-1.1"
    assert fictional.info.extra == {"sanction_entities": 2, "global_file_id": "999001"}
    assert fictional.warnings == []


def test_fictional_enterprise_with_cyrillic_aliases(fictional: Publication) -> None:
    company = by_id(fictional)[eid("900001")]
    assert company["_schema"] == "Company"  # "LLC"
    assert company["_ref"] == "EU.9999.01"
    assert company["name"] == ["FICTIONAL TEST ENTERPRISE LLC"]
    assert set(company["alias"]) == {
        "ООО «ВЫМЫШЛЕННОЕ ТЕСТОВОЕ ПРЕДПРИЯТИЕ»",
        "Вымышленное предприятие",
    }
    assert company["weakAlias"] == ["FTE"]  # strong="false"
    assert company["registrationNumber"] == ["1000000000001"]
    assert company["taxNumber"] == ["7700000001"]
    assert company["address"] == ["Fictional Street 1, Moscow, 100000, RUSSIAN FEDERATION"]
    assert company["country"] == ["ru"]
    assert company["phone"] == ["+442079460000"]
    assert company["email"] == ["info@example.invalid"]
    assert company["program"] == ["RUS", "UKR"]
    assert "FICTIONAL TEST ENTITY: date of registration 1 January 2001." in company["notes"]

    sanction = sanction_of(fictional, "EU.9999.01")
    assert sanction["authority"] == ["European Union"]
    assert sanction["entity"] == [eid("900001")]
    assert sanction["program"] == ["RUS", "UKR"]
    assert sanction["listingDate"] == ["2022-02-28"]  # designationDate
    assert sanction["modifiedAt"] == ["2023-06-23"]  # the later amendment
    assert sanction["authorityId"] == ["EU.9999.01"]
    assert sanction["reason"] == ["Fictional reason: supplies a fictional test programme."]
    assert "unscId" not in sanction  # unitedNationId=""


def test_fictional_person_with_circa_year_and_passport(fictional: Publication) -> None:
    ents = by_id(fictional)
    person = ents[eid("900002")]
    assert person["_ref"] == "EU.9999.02"
    assert person["name"] == ["Hana Fictional TESTOVA"]
    assert person["firstName"] == ["Hana"]
    assert person["middleName"] == ["Fictional"]
    assert person["lastName"] == ["TESTOVA"]
    assert person["alias"] == ["Hana Testova"]
    assert person["weakAlias"] == ["Madame Test"]
    assert person["gender"] == ["female"]
    assert person["title"] == ["Dr"]
    assert person["position"] == ["Fictional director of a test bureau"]
    assert person["nationality"] == ["kp"]
    # circa -> the year, and the fact in notes; day/month parts keep their precision;
    # the Islamic-calendar year is not a Gregorian date
    assert set(person["birthDate"]) == {"1972", "1973-02-03", "1974-07"}
    assert "Date of birth: circa 1972" in person["notes"]
    assert "Date of birth: 1392 (islamic calendar)" in person["notes"]
    assert person["birthPlace"] == [
        "Fictional City, KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF (NORTH KOREA)"
    ]
    assert person["birthCountry"] == ["kp"]
    assert person["passportNumber"] == ["FX1234567"]
    assert "National identification card: number not known" in person["notes"]

    passport = ents[eid("900002", "id", "990241")]
    assert passport["_schema"] == "Passport"
    assert passport["holder"] == [eid("900002")]
    assert passport["number"] == ["FX1234567"]
    assert passport["country"] == ["kp"]
    assert passport["startDate"] == ["2015-01-02"]
    assert passport["authority"] == ["Fictional Ministry of Foreign Affairs"]
    assert "knownExpired" in passport["summary"]

    sanction = sanction_of(fictional, "EU.9999.02")
    assert sanction["unscId"] == ["ZZi.001"]  # the UN reference, to link EU and UN entries
    assert sanction["program"] == ["PRK"]
    # no designationDate: the earliest publication of a regulation naming the entry
    assert sanction["listingDate"] == ["2017-08-05"]
    assert sanction["modifiedAt"] == ["2020-09-10"]


# -- real excerpt ------------------------------------------------------------------------


def test_excerpt(excerpt: Publication) -> None:
    counts = Counter(e.entity.schema.name for e in excerpt.entities)
    # 7 sanctionEntity elements, two of which share logicalId 5468 (the excerpt's
    # publisher appended a test record under an existing id): merged, with a warning
    assert counts["Person"] == 6 and counts["Sanction"] == 6
    assert counts["Passport"] == 2 and counts["Identification"] == 1
    assert excerpt.info.published == date(2020, 4, 15)
    assert excerpt.info.extra == {"sanction_entities": 7, "global_file_id": "123465"}
    [warning] = excerpt.warnings
    assert "logicalId 5468" in warning and "line 110" in warning


def test_excerpt_hand_checked(excerpt: Publication) -> None:
    ents = by_id(excerpt)
    abid = ents[eid("5295")]
    assert abid["_ref"] == "EU.2026.82"
    assert abid["name"] == ["Abid Hammadou"]
    assert set(abid["alias"]) == {
        "Abdelhamid Abou Zeid",
        "Youcef Adel",
        "Amor Mohamed Ghedeir",
        "Abou Abdellah",
    }
    assert set(abid["birthDate"]) == {"1965-12-12", "1958"}  # the second is circa
    assert "Date of birth: circa 1958" in abid["notes"]
    assert abid["nationality"] == ["dz"]
    sanction = sanction_of(excerpt, "EU.2026.82")
    assert sanction["program"] == ["TAQA"]
    assert sanction["listingDate"] == ["2008-07-03"]
    assert sanction["modifiedAt"] == ["2019-04-08"]

    aouadi = ents[eid("927")]
    assert aouadi["passportNumber"] == ["L191609"]
    assert aouadi["idNumber"] == ["04643632"]
    assert aouadi["birthDate"] == ["1974-12-11"]
    assert aouadi["address"] == ["23 50th Street, Zehrouni, Tunis, TUNISIA"]
    assert "Italian Fiscal Code: DAOMMD74T11Z352Z" in aouadi["notes"]
    assert ents[eid("927", "id", "68")]["holder"] == [eid("927")]

    manzi = ents[eid("5807")]
    assert set(manzi["birthDate"]) == {"1953", "1954"}
    assert manzi["country"] == ["cd"]

    khalid = ents[eid("191")]
    assert khalid["gender"] == ["male"]
    assert len(khalid["alias"]) == 4
    # no designationDate: the earliest regulation publication naming the entry (2005),
    # not its latest amendment regulation (2020)
    assert sanction_of(excerpt, "EU.3579.2")["listingDate"] == ["2005-11-30"]

    hwang = ents[eid("5468")]
    assert "Sok-hwa Hwang" in hwang["name"]
    assert hwang["position"][0] == "Director of the General Bureau of Atomic Energy (GBAE)"


# -- errors ------------------------------------------------------------------------------


def test_truncated_names_file_and_line(tmp_path: Path) -> None:
    data = FIXTURE.read_bytes()
    cut = tmp_path / "eu_fsf.xml"
    cut.write_bytes(data[: data.index(b"<birthdate")])
    with pytest.raises(SourceError, match="malformed XML") as info:
        read_publication("eu_fsf", [cut])
    assert info.value.file == "eu_fsf.xml"
    assert info.value.line == data[: data.index(b"<birthdate")].count(b"\n") + 1


def test_truncated_excerpt(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "lists" / "eu" / EXCERPT).read_bytes()
    cut = tmp_path / EXCERPT
    cut.write_bytes(data[:-30])
    with pytest.raises(SourceError) as info:
        read_publication("eu_fsf", [cut])
    assert info.value.file == EXCERPT and info.value.line is not None


def test_un_file_is_not_eu(shared_data: Path) -> None:
    un = shared_data / "lists" / "un" / "2018-10-29_UN_consolidated.xml"
    with pytest.raises(SourceError, match="not an EU FSF v1.1 export") as info:
        read_publication("eu_fsf", [un])
    assert info.value.file == un.name and info.value.line == 1


@pytest.mark.parametrize(
    "content",
    [
        "<?xml version='1.0'?>\n<catalog><book id='1'/></catalog>",
        # right element name, wrong namespace
        "<?xml version='1.0'?>\n<export xmlns='urn:example:other'><sanctionEntity/></export>",
        # right root, no entries
        "<?xml version='1.0'?>\n<export xmlns='http://eu.europa.ec/fpi/fsd/export'/>",
    ],
)
def test_non_eu_xml(tmp_path: Path, content: str) -> None:
    path = tmp_path / "other.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match="not an EU FSF v1.1 export") as info:
        read_publication("eu_fsf", [path])
    assert info.value.file == "other.xml" and info.value.line == 2


def test_entry_without_subject_type(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "eu_fsf.xml"
    path.write_text(
        text.replace('<subjectType code="person" classificationCode="P"/>', ""), encoding="utf-8"
    )
    with pytest.raises(SourceError, match="without subjectType") as info:
        read_publication("eu_fsf", [path])
    assert info.value.record == "EU.9999.02"
    assert info.value.line is not None
    line = text.splitlines()[info.value.line - 1]
    assert 'logicalId="900002"' in line


def test_entry_without_logical_id(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "eu_fsf.xml"
    path.write_text(
        text.replace('euReferenceNumber="EU.9999.01" logicalId="900001"', ""), encoding="utf-8"
    )
    with pytest.raises(SourceError, match="sanctionEntity without logicalId") as info:
        read_publication("eu_fsf", [path])
    assert info.value.file == "eu_fsf.xml" and info.value.line == 5
