"""Name comparison (sanctionsnet.screen.names): the rules that keep namesakes apart.

Each case is a pair a screening analyst meets: the expected side of the default
threshold (0.7) is the point, and the explanation must say why.
"""

from __future__ import annotations

import pytest

from sanctionsnet.names.analyze import analyze_name
from sanctionsnet.screen.names import (
    SYLLABLE_MISMATCH_CAP,
    NameComparison,
    compare_names,
)

THRESHOLD = 0.7


def compare(a: str, b: str, schema: str = "Person") -> NameComparison:
    return compare_names(analyze_name(a, schema), analyze_name(b, schema))


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kim Jong Un", "KIM, Jong-un"),
        ("김정은", "Kim Jong Un"),
        ("Sergei Ivanov", "Sergey Ivanovich IVANOV"),
        ("Mohammed Al Hashimi", "Muhammad al-Hashimi"),
        ("Ali Khan", "Ali Khan"),
    ],
)
def test_variants_of_one_name_match(query: str, listed: str) -> None:
    assert compare(query, listed).score >= THRESHOLD


def test_one_han_character_counts_only_as_one_of_its_readings() -> None:
    # 静 reads jing (ching); "jinghe" shares its phonetic code but is another given name.
    assert compare("林静", "Lin Jing").score >= THRESHOLD
    assert compare("静 林", "LIN, Jinghe").score < THRESHOLD


def test_a_syllable_more_makes_another_chinese_or_korean_name() -> None:
    result = compare("慧 申", "Hui Sheng Shen")
    assert result.score <= SYLLABLE_MISMATCH_CAP
    assert result.syllables_differ
    assert "syllable" in result.describe()
    # Same syllables, any order and script: still the same name.
    assert compare("申慧", "Shen Hui").score >= THRESHOLD


def test_fuzzy_pair_with_listed_extra_parts_is_two_discrepancies() -> None:
    # Exact parts with a middle name the query lacks: the list knows more of the name.
    exact = compare("Maria Lopez", "Maria Isabel Lopez")
    # A misspelt part *and* a part the query lacks: another person, most likely.
    fuzzy = compare("Andrea Mills", "Miles Andrew Maynard")
    assert exact.score >= THRESHOLD
    assert fuzzy.score < THRESHOLD
    assert fuzzy.unmatched_candidate == ("maynard",)


def test_weak_cross_script_pairs_do_not_lift_a_name() -> None:
    # david / ضوا (dawa) is a loose phonetic resemblance: it must not pair up.
    result = compare("David Ali", "علي ضوا")
    assert result.score < THRESHOLD
    assert [p.query for p in result.pairs] == ["ali"]


def test_names_sharing_no_key_are_zero_and_say_so() -> None:
    result = compare("Viktor Petrov", "Ahmad Shah Massoud")
    assert result.score == 0.0
    assert result.pairs == ()
    assert result.describe().startswith("no parts in common")


def test_relatives_remain_apart() -> None:
    assert compare("Kim Jong Un", "Kim Jong Il").score < THRESHOLD
    assert compare("Kim Jong Un", "Kim Yo Jong").score < THRESHOLD
