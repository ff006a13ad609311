"""The `ofac` algorithm reproduces OFAC Sanctions List Search scores.

Unit tests use made-up names with values worked out by hand from the rules in
`sanctionsnet.screen.ofac_sls` (Jaro = (m/|a| + m/|b| + (m - t)/m) / 3, then a prefix bonus
of 0.1 per common leading letter, at most 5, with no 0.7 threshold). The fixture test scores
the real SLS output collected by OpenSanctions, read from ../shared/data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sanctionsnet.screen.ofac_sls import (
    ALGORITHM_NAME,
    ALGORITHM_VERSION,
    ofac_explain,
    ofac_score,
)


def test_algorithm_is_named_and_versioned() -> None:
    assert ALGORITHM_NAME == "ofac"
    assert ALGORITHM_VERSION == "1"


def test_word_order_does_not_matter_for_name_parts() -> None:
    # The brief's example: the whole strings differ (VLADIMIRPUTIN vs PUTINVLADIMIR), the
    # name parts match one for one, and OFAC reports the higher technique.
    assert ofac_score("VLADIMIR PUTIN", "PUTIN, Vladimir") == 1.0
    explanation = ofac_explain("VLADIMIR PUTIN", "PUTIN, Vladimir")
    assert explanation.technique == "name parts"
    assert explanation.whole_name_score < 0.7
    assert ofac_score("JOHN DOE", "DOE, John") == 1.0


def test_punctuation_case_and_diacritics_are_ignored() -> None:
    assert ofac_score("o'brien-smith, j.p.", "OBRIEN SMITH JP") == 1.0
    assert ofac_score("José Müller", "JOSE MULLER") == 1.0
    explanation = ofac_explain("o'brien-smith, j.p.", "OBRIEN SMITH JP")
    # Apostrophes and full stops are deleted, hyphens separate name parts...
    assert explanation.query_parts == ("OBRIEN", "SMITH", "JP")
    # ...but stay in the whole-name string, which has no spaces.
    assert explanation.query == "OBRIEN-SMITHJP"
    assert explanation.candidate == "OBRIENSMITHJP"


def test_first_letter_rule() -> None:
    # OSKAR may not pair with USKAR (O vs U), so it counts 0: (1 + 0) / 2 = 0.50. The whole
    # names BRANDTOSKAR / USKARBRANDT share only 4 letters in reach: Jaro
    # (4/11 + 4/11 + 4/4) / 3 = 0.41, no prefix bonus.
    assert ofac_score("BRANDT OSKAR", "USKAR, Brandt") == 0.5
    pairing = ofac_explain("BRANDT OSKAR", "USKAR, Brandt").pairings[1]
    assert (pairing.query_part, pairing.listed_part, pairing.status) == (
        "OSKAR",
        None,
        "first letter",
    )
    assert "no listed name part starts with O" in pairing.describe()
    # Same first letter: OSKAR pairs with OSCAR, Jaro 13/15, prefix OS: 0.8933;
    # (1 + 0.8933) / 2 = 0.9467 -> 95.
    assert ofac_score("BRANDT OSKAR", "OSCAR, Brandt") == 0.95


def test_parts_that_differ_too_much_do_not_pair() -> None:
    # BLUM and BRONISLAWA share the B but are more than half edited apart and have different
    # Soundex codes (B450, B652): BLUM counts 0.
    assert ofac_score("ANNA BLUM", "BRONISLAWA, Anna") == 0.5
    assert ofac_explain("ANNA BLUM", "BRONISLAWA, Anna").pairings[1].status == "too different"
    # KASPER and KOSPRA are exactly half edited apart (3 of 6) but sound alike (K216): they
    # pair. Jaro: K, S, P, R match in order, (4/6 + 4/6 + 4/4) / 3 = 0.7778, prefix K: 0.80;
    # parts (0.80 + 1) / 2 = 0.90, above the whole names KASPEROLGA / KOSPRAOLGA (0.87).
    explanation = ofac_explain("KASPER OLGA", "KOSPRA, Olga")
    assert explanation.pairings[0].listed_part == "KOSPRA"
    assert explanation.pairings[0].jaro_winkler == pytest.approx(0.8)
    assert explanation.technique == "name parts"
    assert ofac_score("KASPER OLGA", "KOSPRA, Olga") == 0.9


def test_missing_and_extra_parts() -> None:
    # A query part the listed name lacks counts 0: (1 + 0 + 1) / 3 = 0.667 -> 67 (the whole
    # names JOHNROBERTDOE / DOEJOHN score lower, Jaro-Winkler 0.61).
    assert ofac_score("JOHN ROBERT DOE", "DOE, John") == 0.67
    # Extra listed parts cost nothing: only the query's parts are averaged.
    assert ofac_score("JOHN DOE", "DOE, John Robert") == 1.0


def test_short_query_parts_are_ignored() -> None:
    # OH has two letters: ignored, so PARK and JUN decide alone.
    assert ofac_score("PARK JUN OH", "PARK, Jun Ki") == 1.0
    assert ofac_explain("PARK JUN OH", "PARK, Jun Ki").pairings[2].status == "ignored"
    # A query made only of short parts keeps them.
    assert ofac_score("Z", "ALPHA Z") == 1.0


def test_asymmetric_query_against_listed_name() -> None:
    # Query DOE against DOE, John: its one part matches -> 100.
    assert ofac_score("DOE", "DOE, John") == 1.0
    # Reversed, JOHN finds nothing: parts (1 + 0) / 2 = 0.5; the whole names DOEJOHN / DOE
    # give Jaro (3/7 + 3/3 + 3/3) / 3 = 0.8095, prefix DOE: 0.8095 + 0.3 x 0.1905 = 0.867 -> 87.
    assert ofac_score("DOE JOHN", "DOE") == 0.87


def test_jaro_winkler_prefix_of_five_without_threshold() -> None:
    # MAXIMILIAN / MAXIMUS: m = 5, Jaro (5/10 + 5/7 + 1) / 3 = 0.7381. A 5-letter prefix gives
    # 0.7381 + 0.5 x 0.2619 = 0.869 -> 87 (Winkler's 4 would give 84).
    assert ofac_score("MAXIMILIAN", "MAXIMUS") == 0.87
    # Jaro below Winkler's 0.7 threshold still earns the bonus: MARIANOWAK against
    # MARIANNEOLGAPETROVNASIDOROVA, m = 8, t = 0: (8/10 + 8/28 + 1) / 3 = 0.6952; prefix
    # MARIA: 0.6952 + 0.5 x 0.3048 = 0.848 -> 85 (standard Jaro-Winkler stays at 0.70).
    explanation = ofac_explain("MARIA NOWAK", "MARIANNE, Olga Petrovna Sidorova")
    assert explanation.technique == "whole name"
    assert explanation.raw_score == pytest.approx(0.6952381 + 0.5 * (1 - 0.6952381))
    assert explanation.score == 0.85


def test_first_pass_drops_names_without_a_similar_part() -> None:
    # The whole strings are identical, but no listed part shares VANDERBERG's first letter
    # and half its letters: SLS would not return the name at all.
    assert ofac_score("VANDERBERG", "VAN DER BERG") == 0.0
    explanation = ofac_explain("VANDERBERG", "VAN DER BERG")
    assert not explanation.first_pass
    assert "first pass" in explanation.describe()


def test_no_transliteration_and_empty_names() -> None:
    assert ofac_score("Иван Петров", "PETROV, Ivan") == 0.0
    assert ofac_score("", "JOHN DOE") == 0.0
    assert ofac_score("JOHN DOE", "...") == 0.0
    assert ofac_explain("", "JOHN DOE").score == 0.0


def test_scores_are_whole_percentages() -> None:
    for query, candidate in [("ALI BASHAR", "ALI BUSHRA"), ("MARIA NOWAK", "MARIANNE OLGA")]:
        score = ofac_score(query, candidate)
        assert round(score * 100) == pytest.approx(score * 100)


def test_explanation_reads_as_sentences() -> None:
    lines = ofac_explain("JOHN ROBERT DOE", "DOE, John").features()
    assert lines[0] == "OFAC Sanctions List Search score 67 (algorithm ofac)"
    assert "name part JOHN matches JOHN exactly" in lines
    assert "name part ROBERT counts 0: no listed name part starts with R" in lines
    assert lines[-1] == "OFAC reports the higher of the two: the name parts score"


def _fixture(shared_data: Path) -> list[tuple[str, str, int]]:
    path = shared_data / "eval" / "nomenklatura_ofac_search_fixtures.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            (row["query_name"], row["result_name"], int(row["ofac_score"]))
            for row in csv.DictReader(handle)
        ]


def test_reproduces_ofac_scores_on_the_fixture(shared_data: Path) -> None:
    rows = _fixture(shared_data)
    scored = [(q, c, e) for q, c, e in rows if e >= 0]
    unreturned = [(q, c) for q, c, e in rows if e < 0]
    assert (len(rows), len(scored), len(unreturned)) == (170, 164, 6)
    diffs = [abs(ofac_score(q, c) * 100 - e) for q, c, e in scored]
    mean = sum(diffs) / len(diffs)
    assert mean <= 2.0, f"mean |diff| {mean:.2f} points"
    # Measured when written: 0.52 points, 152 of 164 within 1 point.
    assert sum(d <= 1 for d in diffs) >= 145
    # OFAC did not return these at its 80 slider: they stay below 80 here too.
    assert all(ofac_score(q, c) < 0.8 for q, c in unreturned)


def test_explanation_agrees_with_score_on_the_fixture(shared_data: Path) -> None:
    for query, candidate, _ in _fixture(shared_data):
        explanation = ofac_explain(query, candidate)
        assert explanation.score == ofac_score(query, candidate), (query, candidate)
        assert explanation.features()[0].startswith("OFAC Sanctions List Search score")
