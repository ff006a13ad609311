"""Free-text screening: listed names found inside a sentence, and the everyday words of a
sentence that are also parts of listed names left alone."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sanctionsnet.index import Record, ScreeningIndex
from sanctionsnet.index.records import NameEntry
from sanctionsnet.screen import QueryError, Screener
from sanctionsnet.screen.text import MAX_TEXT_CHARS, match_text, text_words


def record(rid: str, schema: str, name: str, *aliases: str) -> Record:
    return Record(
        id=rid,
        dataset="test",
        source="test",
        ref=rid.upper(),
        schema=schema,
        caption=name,
        names=[NameEntry(name, "name"), *(NameEntry(a, "alias") for a in aliases)],
    )


# All FICTIONAL parties, written for these tests, shaped like real listings whose words
# are everyday words too.
RECORDS = [
    record("p1", "Person", "BIN ZAFAR, Usman bin Khalid", "Usman bin Zafir"),
    record("p2", "Person", "PETROVSKY, Dmitry Sergeyevich"),
    record("o1", "Company", "FICTIONAL COMPANY FOR OIL TRANSPORT"),
    record("o2", "Company", "ZANTRO BANK PUBLIC JOINT STOCK COMPANY", "ZANTRO BANK PJSC"),
    record("o3", "Organization", "AL-FICTIONA", "The Base"),
    record("o4", "Company", "NORTHERN FREIGHT SERVICES LIMITED"),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(ScreeningIndex(RECORDS))


def found(screener: Screener, text: str) -> list[str]:
    return [m.record.id for m in match_text(screener, text)]


def test_words_of_a_remittance_line() -> None:
    assert text_words("INV/2291: payment (for) Usman bin Zafar, thanks.") == [
        "INV",
        "2291",
        "payment",
        "for",
        "Usman",
        "bin",
        "Zafar",
        "thanks",
    ]


def test_a_listed_name_inside_a_sentence(screener: Screener) -> None:
    results = match_text(screener, "PAYMENT FOR USMAN BIN ZAFAR INV 2291")
    assert [m.record.id for m in results] == ["p1"]
    (where,) = [f for f in results[0].features if f.name == "free_text"]
    assert "USMAN BIN ZAFAR" in where.explanation
    assert results[0].score >= 0.9


def test_a_patronymic_or_legal_form_may_be_left_out(screener: Screener) -> None:
    assert found(screener, "consulting fee dmitry petrovsky march") == ["p2"]
    assert found(screener, "transfer to Zantro Bank re contract 12/2024") == ["o2"]


def test_everyday_words_that_are_parts_of_listed_names_do_not_alert(screener: Screener) -> None:
    # "for oil" and "freight services" are most of a listed name by weight, "base" a whole
    # listed alias: in a sentence they are the sentence's own words.
    for text in (
        "payment for oil services",
        "freight services invoice 44",
        "payment for base salary",
        "PAYMENT FOR INVOICE 1234 THANK YOU",
    ):
        assert found(screener, text) == [], text


def test_the_same_name_screened_as_a_name_would_alert(screener: Screener) -> None:
    """What free text leaves alone is not what name screening does: the contrast is the
    point of the mode."""
    from sanctionsnet.screen import Query

    assert screener.match(Query.build("for oil transport", schema="Company"))


def test_bad_free_text(screener: Screener) -> None:
    with pytest.raises(QueryError, match="at least one word"):
        match_text(screener, " ,;: ")
    with pytest.raises(QueryError, match="characters"):
        match_text(screener, "x" * (MAX_TEXT_CHARS + 1))


def test_cli_free_text(home: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from sanctionsnet.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["quickstart"]).exit_code == 0
    text = "payment to Pak Chol Sample for fuel, inv 12"
    done = runner.invoke(app, ["match", text, "--free-text", "--json"])
    assert done.exit_code == 0, done.output
    results = json.loads(done.output)["results"]
    assert results[0]["caption"] == "PAK CHOL SAMPLE"  # the quickstart's fictional UN entry
    assert any(f["feature"] == "free_text" for f in results[0]["features"])
    as_name = runner.invoke(app, ["match", text, "--json"])
    assert json.loads(as_name.output)["results"] == []  # the other words sink it as a name
    refused = runner.invoke(app, ["match", "x y", "--free-text", "--country", "ru"])
    assert refused.exit_code == 1
    assert "--free-text screens names only" in refused.output
