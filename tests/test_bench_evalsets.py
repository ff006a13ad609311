"""The benchmark harness's loaders, ground-truth rules and metrics (bench/evalsets.py, common.py).

The quality figures are only as good as these: row counts must be the files' own, the Wikidata
sample must be the same on every run, a negative pair must never be a true pair, and the
metrics must compute what their names say.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import common  # noqa: E402
import evalsets  # noqa: E402
from evalsets import Listed  # noqa: E402

# --- metrics ---------------------------------------------------------------------------


def test_prf_from_scores_on_a_hand_made_example() -> None:
    # 4 true pairs, 2 scored at or above 0.7; 1 false pair above 0.7 (0.7 itself counts).
    m = common.prf_from_scores([0.9, 0.7, 0.4, 0.1], [0.75, 0.69, 0.0], 0.7)
    assert (m.tp, m.fp, m.fn) == (2, 1, 2)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(0.5)
    assert m.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


def test_prf_is_zero_not_an_error_when_nothing_is_predicted() -> None:
    m = common.PRF(tp=0, fp=0, fn=3)
    assert (m.precision, m.recall, m.f1) == (0.0, 0.0, 0.0)


def test_percentile_is_nearest_rank_and_power_fit_recovers_exponents() -> None:
    values = [float(v) for v in range(1, 101)]
    assert common.percentile(values, 50) == 50.0
    assert common.percentile(values, 99) == 99.0
    assert common.percentile([3.0], 99) == 3.0
    assert common.power_fit([10, 100, 1000], [2, 20, 200]) == pytest.approx(1.0)
    assert common.power_fit([10, 100, 1000], [5, 5, 5]) == pytest.approx(0.0)
    assert math.isnan(common.power_fit([10], [1]))


# --- ground-truth rules (fictional entries) ---------------------------------------------


FICTIONAL_UN = [
    Listed("un-fict-1", ("FICTIONAL ALPHA BETA", "Alpha Bita"), ("1965-03-02",)),
    Listed("un-fict-2", ("FICTIONAL GAMMA",), ("1970",)),
    Listed("un-fict-3", ("FICTIONAL GAMMA",), ("1971",)),
]


def _row(name: str, dob: str) -> evalsets.PersonRow:
    return evalsets.PersonRow(2, name, "", "", "", "", dob, "", "")


def test_un_mapping_needs_the_exact_normalised_name_and_a_compatible_birth_date() -> None:
    rows = [
        _row("Fictional  Alpha-Beta", "1965"),  # case, punctuation, spacing: same name; year fits
        _row("FICTIONAL GAMMA", "1971-05-05"),  # two namesakes, the date picks one
        _row("FICTIONAL GAMMA", ""),  # no date: both namesakes
        _row("FICTIONAL ALPHA BETA", "1966"),  # birth date conflicts: unmapped
        _row("BETA FICTIONAL ALPHA", "1965"),  # other order: not the exact name
    ]
    got = evalsets.map_un_positives(rows, FICTIONAL_UN)
    assert got == [
        frozenset({"un-fict-1"}),
        frozenset({"un-fict-3"}),
        frozenset({"un-fict-2", "un-fict-3"}),
        frozenset(),
        frozenset(),
    ]


def test_found_first_counts_the_un_entry_and_the_same_name_on_another_list() -> None:
    expected = frozenset({"un-fict-1"})
    ofac_twin = Listed("ofac-fict-9", ("ALPHA BETA, Fictional",))
    namesake = Listed("uk-fict-4", ("FICTIONAL ALPHA",))
    assert evalsets.found_first(FICTIONAL_UN[0], expected, "FICTIONAL ALPHA BETA") == "un"
    assert evalsets.found_first(ofac_twin, expected, "FICTIONAL ALPHA BETA") == "other"
    assert evalsets.found_first(namesake, expected, "FICTIONAL ALPHA BETA") is None
    assert evalsets.found_first(None, expected, "FICTIONAL ALPHA BETA") is None
    # In a tie for first place the UN entry is preferred, wherever it sits.
    how, pos = evalsets.found_among_tied([namesake, ofac_twin, FICTIONAL_UN[0]], expected, "FICTIONAL ALPHA BETA")  # fmt: skip
    assert (how, pos) == ("un", 2)
    assert evalsets.found_among_tied([namesake], expected, "FICTIONAL ALPHA BETA") == (None, None)


# --- Wikidata sampling -------------------------------------------------------------------


def test_wikidata_negatives_never_pair_a_row_with_itself_or_its_own_native_form() -> None:
    # Fictional rows; two spellings share one native form, as the real files do.
    rows = [("fictiona", "ФИКЦ"), ("fiktiona", "ФИКЦ"), ("testova", "ТЕСТ"), ("probova", "ПРОБ")]
    for seed in range(20):
        pos, neg = evalsets.wikidata_pairs(rows, n=4, seed=seed)
        assert len(neg) == len(pos) == 4
        for (latin, native), (neg_latin, neg_native) in zip(pos, neg, strict=True):
            assert neg_latin == latin
            assert neg_native != native
        assert not set(neg) & set(rows)


def test_wikidata_sample_is_deterministic(shared_data: Path) -> None:
    first = evalsets.wikidata(shared_data, 500, 0)
    again = evalsets.wikidata(shared_data, 500, 0)
    assert first == again
    assert list(first) == ["russian", "korean", "chinese", "arabic", "hebrew", "japanese"]
    pos, neg = first["russian"]
    assert len(pos) == len(neg) == 500
    # Hand-checked: the first pair random.Random(0) draws from wd_russian_20.tsv.
    assert pos[0] == ("špinarová", "шпинарова")
    assert neg[0] == ("špinarová", pos[1][1])
    assert evalsets.wikidata(shared_data, 500, 1)["russian"][0] != pos


def test_wikidata_files_row_counts(shared_data: Path) -> None:
    base = shared_data / "eval" / evalsets.WIKIDATA_DIR
    counts = {
        s: len(evalsets.read_wikidata(base / f)) for s, f in evalsets.WIKIDATA_SCRIPTS.items()
    }
    assert counts == {
        "russian": 32927,
        "korean": 8251,
        "chinese": 12261,
        "arabic": 12994,
        "hebrew": 10007,
        "japanese": 19763,
    }
    korean = evalsets.read_wikidata(base / "wd_korean_20.tsv")
    assert all(" " not in native for _, native in korean)  # characters joined


# --- yente, watchman, OFAC, rigour files ------------------------------------------------


def test_yente_person_files_row_counts(shared_data: Path) -> None:
    pairs = evalsets.un_positives(shared_data)
    assert len(pairs) == 683
    treated, untreated = pairs[0]
    assert (treated.full_name, untreated.full_name) == ("SALEK, ABDULHAI", "ABDULHAI SALEK")
    assert (treated.line, treated.date_of_birth, treated.nationality) == (2, "1965", "af")
    negs = evalsets.validation_negatives(shared_data)
    assert {k: len(v) for k, v in negs.items()} == {"global": 1000, "us": 1000}
    assert len(evalsets.congress(shared_data)) == 1254
    assert negs["us"][0].full_name == "Ingeborg Abrahamsen"


def test_fixed_seed_sample_of_the_50k_negatives(shared_data: Path) -> None:
    rows = evalsets.negatives_50k(shared_data)
    assert len(rows) == 50000
    sample = evalsets.sample_rows(rows, 2000, 0)
    assert sample == evalsets.sample_rows(rows, 2000, 0)
    assert len({r.line for r in sample}) == 2000
    assert [r.line for r in sample] == sorted(r.line for r in sample)


def test_watchman_and_ofac_and_rigour_files(shared_data: Path) -> None:
    pairs = evalsets.watchman_pairs(shared_data)
    assert len(pairs) == 22  # comment and blank lines skipped
    assert (pairs[0].query, pairs[0].expected, pairs[0].min_score) == (
        "محمد علي",
        "Mohamed Ali",
        0.9,
    )
    cases = evalsets.watchman_cases(shared_data)
    assert len(cases) == 34
    by_outcome: dict[str, int] = {}
    for case in cases:
        by_outcome[case.expected_outcome] = by_outcome.get(case.expected_outcome, 0) + 1
    assert by_outcome == {"must_alert": 8, "should_alert": 17, "must_not_alert": 5, "may_alert": 2, "context_dependent": 2}  # fmt: skip
    first = cases[0]
    assert (first.test_id, first.fuzzy_threshold, first.expects_alert) == ("EX-001", 1.0, True)
    fixture = evalsets.ofac_fixture(shared_data)
    assert len(fixture) == 170
    assert sum(score < 0 for _, _, score in fixture) == 6
    assert fixture[0] == ("VLADIMIR PUTIN", "PUTIN, Vladimir", 100)
    assert len(evalsets.rigour_names(shared_data)) == 482


def test_parse_score_reads_fractions_and_percents() -> None:
    assert evalsets.parse_score("0.85") == 0.85
    assert evalsets.parse_score("85") == 0.85
    assert evalsets.parse_score(" 92% ") == 0.92
    assert evalsets.parse_score("0") == 0.0


def test_un_positives_map_to_the_2026_un_list(shared_data: Path) -> None:
    """680 of 683 rows map; the 3 others were delisted before the 2026-02-27 list."""
    from peer import listed

    from sanctionsnet.sources import read_publication
    from sanctionsnet.store.stats import is_party

    pub = read_publication("un_sc", [shared_data / "lists/un/2026-02-27_UN_consolidated.xml"])
    un = [listed(e.entity) for e in pub.entities if is_party(e.entity)]
    untreated = [u for _, u in evalsets.un_positives(shared_data)]
    mapped = evalsets.map_un_positives(untreated, un)
    assert sum(bool(m) for m in mapped) == 680
    assert {u.full_name for u, m in zip(untreated, mapped, strict=True) if not m} == {
        "ANAS HASAN KHATTAB",
        "MUNIR AL QUBAYSI",
        "ABU MOHAMMED AL-JAWLANI",
    }
    # HASSAN DAHIR AWEYS is listed twice by the UN (two regimes): both entries count.
    aweys = [
        m for u, m in zip(untreated, mapped, strict=True) if u.full_name == "HASSAN DAHIR AWEYS"
    ]
    assert aweys and all(len(m) == 2 for m in aweys)
