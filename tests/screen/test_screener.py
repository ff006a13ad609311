"""The screening engine on a small fictional index: ranking, evidence, and its explanations."""

from __future__ import annotations

import pytest

from sanctionsnet.identifiers import Identifier
from sanctionsnet.index import Record, ScreeningIndex
from sanctionsnet.index.records import NameEntry
from sanctionsnet.screen import Query, QueryError, Screener
from sanctionsnet.screen.scoring import WEAK_NAME_CAP


def record(
    rid: str,
    schema: str,
    *names: str,
    dates: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    ids: tuple[Identifier, ...] = (),
    aliases: tuple[str, ...] = (),
) -> Record:
    entries = [NameEntry(n, "name") for n in names] + [NameEntry(a, "alias") for a in aliases]
    return Record(
        id=rid,
        dataset="test",
        source="test",
        ref=rid.upper(),
        schema=schema,
        caption=names[0],
        names=entries,
        birth_dates=dates,
        countries=countries,
        identifiers=ids,
    )


# All FICTIONAL parties, written for these tests.
RECORDS = [
    record("p1", "Person", "KIM, Jong Un", dates=("1984-01-08",), countries=("kp",)),
    record("p2", "Person", "KIM, Jong Il", dates=("1941-02-16",), countries=("kp",)),
    record("p3", "Person", "KIM, Yo Jong", dates=("1987-09-26",), countries=("kp",)),
    record(
        "p4",
        "Person",
        "PETROV, Dmitriy Sergeyevich",
        dates=("1970",),
        countries=("ru",),
        ids=(Identifier("passport", "FX1234567", "ru"),),
    ),
    record("v1", "Vessel", "WAN HENG 11", ids=(Identifier("imo", "9990011"),)),
    record("v2", "Vessel", "WAN HENG 12", ids=(Identifier("imo", "9990012"),)),
    record("o1", "Company", "FICTIONAL OCEAN SHIPPING CO., LTD.", countries=("kp",)),
    record("o2", "Organization", "KOREA FICTIONAL GENERAL CORPORATION", countries=("kp",)),
    record("o3", "Organization", "KOREA SAMPLE GENERAL CORPORATION", countries=("kp",)),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(ScreeningIndex(RECORDS))


def ids(results: list) -> list[str]:
    return [m.record.id for m in results]


def test_name_order_and_punctuation(screener: Screener) -> None:
    results = screener.match(Query.build("Kim Jong-un", schema="Person"))
    assert ids(results)[0] == "p1"
    assert results[0].score >= 0.95


def test_relatives_stay_apart(screener: Screener) -> None:
    results = screener.match(Query.build("Kim Jong Un", schema="Person"))
    assert ids(results)[:1] == ["p1"]
    scores = {
        m.record.id: m.score
        for m in screener.match(Query.build("Kim Jong Un", schema="Person"), threshold=0.0)
    }
    assert scores.get("p2", 0) < 0.7
    assert scores.get("p3", 0) < 0.7


def test_cyrillic_query_finds_latin_listing(screener: Screener) -> None:
    results = screener.match(Query.build("Дмитрий Сергеевич Петров", schema="Person"))
    assert ids(results)[:1] == ["p4"]


def test_hangul_query_finds_listing(screener: Screener) -> None:
    results = screener.match(Query.build("김정은", schema="Person"))
    assert ids(results)[:1] == ["p1"]


def test_strong_identifier_is_decisive(screener: Screener) -> None:
    results = screener.match(
        Query.build("Completely Other Name", schema="Vessel", ids=["imo:IMO 9990011"])
    )
    assert ids(results)[:1] == ["v1"]
    assert results[0].score >= 0.97
    assert any(f.name == "identifier_match" for f in results[0].features)


def test_conflicting_identifier_lowers_the_score(screener: Screener) -> None:
    name = "Petrov Dmitriy Sergeevich"
    plain = screener.match(Query.build(name, schema="Person"), threshold=0.0)
    conflict = screener.match(
        Query.build(name, schema="Person", ids=["passport:ZZ0000000"]), threshold=0.0
    )
    before = {m.record.id: m.score for m in plain}["p4"]
    after = {m.record.id: m.score for m in conflict}["p4"]
    assert after < before - 0.2
    feature = next(
        f
        for m in conflict
        if m.record.id == "p4"
        for f in m.features
        if f.name == "identifier_conflict"
    )
    assert "FX1234567" in feature.explanation


def test_vessels_differing_by_number(screener: Screener) -> None:
    results = screener.match(Query.build("M/V WAN HENG 11", schema="Vessel"), threshold=0.0)
    scores = {m.record.id: m.score for m in results}
    assert ids(results)[0] == "v1"
    assert scores["v1"] >= 0.95
    assert scores.get("v2", 0) <= 0.5


def test_birth_date_precision(screener: Screener) -> None:
    def dob(birth_date: str) -> tuple[float, float]:
        query = Query.build("Kim Jong Un", schema="Person", birth_date=birth_date)
        best = screener.match(query, threshold=0.0)[0]
        assert best.record.id == "p1"
        feature = next(f for f in best.features if f.name == "birth_date")
        return best.score, feature.contribution

    exact, year, wrong = dob("1984-01-08"), dob("1984"), dob("1950")
    assert exact[1] > year[1] > 0 > wrong[1]
    assert wrong[0] < year[0] <= exact[0]


def test_schema_excludes_incompatible_parties(screener: Screener) -> None:
    results = screener.match(Query.build("WAN HENG 11", schema="Person"), threshold=0.0)
    assert "v1" not in ids(results)


def test_generic_company_words_do_not_match(screener: Screener) -> None:
    results = screener.match(
        Query.build("Korea Fictional General Corporation", schema="Organization"), threshold=0.0
    )
    scores = {m.record.id: m.score for m in results}
    assert ids(results)[0] == "o2"
    assert scores.get("o3", 0) < 0.7


def test_org_forms_are_equivalent(screener: Screener) -> None:
    results = screener.match(
        Query.build("Fictional Ocean Shipping Company Limited", schema="Company")
    )
    assert ids(results)[:1] == ["o1"]
    assert results[0].score >= 0.9


def test_every_result_explains_itself(screener: Screener) -> None:
    for m in screener.match(Query.build("Kim Jong Un", schema="Person", country="North Korea")):
        names = [f.name for f in m.features]
        assert names[0] == "name"
        assert all(f.explanation for f in m.features)
        assert "country" in names
        total = sum(f.contribution for f in m.features)
        assert m.score == pytest.approx(min(1.0, max(0.0, total)), abs=1e-3)


def test_ofac_algorithm_scores_names(screener: Screener) -> None:
    results = screener.match(Query.build("Jong Un Kim", schema="Person"), algorithm="ofac")
    assert ids(results)[:1] == ["p1"]


def test_query_errors() -> None:
    with pytest.raises(QueryError, match="name"):
        Query.build("  ")
    with pytest.raises(QueryError, match="schema"):
        Query.build("x", schema="Spaceship")
    with pytest.raises(QueryError, match="identifier type"):
        Query.build("x", ids=["shoe:42"])
    with pytest.raises(QueryError, match="TYPE:VALUE"):
        Query.build("x", ids=["9990011"])
    with pytest.raises(QueryError, match="date"):
        Query.build("x", birth_date="yesterday")
    with pytest.raises(QueryError, match="algorithm"):
        Screener(ScreeningIndex(RECORDS)).match(Query.build("x"), algorithm="magic")


def test_weak_name_alone_does_not_alert(screener: Screener) -> None:
    # "Petrov Dmitriy" is two of the commonest Russian names: alone, it singles out no one.
    weak = screener.match(Query.build("Dmitriy Petrov", schema="Person"), threshold=0.0)
    top = {m.record.id: m for m in weak}["p4"]
    assert top.score <= WEAK_NAME_CAP
    assert any(f.name == "weak_name" and f.contribution < 0 for f in top.features)
    # A birth date that agrees is the corroboration the name needs.
    dated = screener.match(Query.build("Dmitriy Petrov", schema="Person", birth_date="1970"))
    assert [m.record.id for m in dated] == ["p4"]
    assert not any(f.name == "weak_name" for f in dated[0].features)
    # A single name part is weak too, but a fuller name stands on its own.
    assert not screener.match(Query.build("Petrov", schema="Person"))
    full = screener.match(Query.build("Dmitriy Sergeyevich Petrov", schema="Person"))
    assert [m.record.id for m in full] == ["p4"]


def test_query_names_stay_out_of_the_listed_names_profiles(screener: Screener) -> None:
    from sanctionsnet.screen import names as profiles

    # FICTIONAL customers, each screened once: their profiles are kept among the latest
    # queries only, never in the cache of listed names, which a book would flood.
    queries = [f"Kim Jong Fictional{n}" for n in range(30)]
    for text in queries:
        screener.match(Query.build(text, schema="Person"))
    listed = {original for by_name in profiles._PROFILES.values() for original in by_name}
    recent = {original for _, original in profiles._RECENT_QUERIES}
    assert not listed.intersection(queries)
    assert set(queries) <= recent
    assert len(profiles._RECENT_QUERIES) <= profiles._RECENT_QUERIES_MAX
