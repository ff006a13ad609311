"""Candidate retrieval: the records sharing most with a query, and who wins a tie at the cut.

Checked against a plain-Python reference on an index of FICTIONAL names, built from a
small vocabulary so that many records tie (as parties on several lists, or relatives
sharing a family name, do on the real lists).
"""

from __future__ import annotations

import random

import pytest

from sanctionsnet.index import Record, ScreeningIndex
from sanctionsnet.index.index import MIN_RELATIVE_RETRIEVAL, analyse_query_names
from sanctionsnet.index.records import NameEntry
from sanctionsnet.names.phonetic import token_key_sets

# FICTIONAL name parts, written for this test.
GIVEN = ["Ivar", "Marek", "Tolvan", "Edrik", "Salim", "Yunor", "Bastien", "Orlo"]
MIDDLE = ["", "Petrovan", "Quill", "Amadou", "Renz"]
FAMILY = ["Korlov", "Vantasse", "Drummel", "Oyelaru", "Hafferk", "Zentrova"]


def person(number: int, name: str) -> Record:
    return Record(
        id=f"fictional-{number}",
        dataset="test",
        source="test",
        ref=str(number),
        schema="Person",
        caption=name,
        names=[NameEntry(name, "name")],
    )


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    rng = random.Random(7)
    names = [" ".join(p for p in (g, m, f) if p) for g in GIVEN for m in MIDDLE for f in FAMILY]
    # Repeats (the same party on several lists) and a shuffled order, so ties abound and
    # record numbers say nothing about the names.
    names = names * 3 + rng.sample(names, 40)
    rng.shuffle(names)
    return ScreeningIndex([person(i, n) for i, n in enumerate(names)])


def reference(index: ScreeningIndex, query: str, limit: int) -> list[int]:
    """Each record's summed IDF, the near-best kept, the best `limit` of them; ties go
    to the shortest name, then the lowest record number."""
    sums: dict[int, float] = {}
    for name in analyse_query_names([query], "Person"):
        for keys, weight in token_key_sets(name.tokens):
            found = index._token_hits(keys)
            if found is None:
                continue
            for number, value in zip(found[0].tolist(), found[1].tolist(), strict=True):
                sums[number] = sums.get(number, 0.0) + value * weight
    if not sums:
        return []
    floor = max(sums.values()) * MIN_RELATIVE_RETRIEVAL
    kept = [n for n, s in sums.items() if s >= floor]
    kept.sort(key=lambda n: (-sums[n], int(index.shortest_name[n]), n))
    return sorted(kept[:limit])


def test_candidates_equal_the_reference(index: ScreeningIndex) -> None:
    rng = random.Random(11)
    vocabulary = GIVEN + [m for m in MIDDLE if m] + FAMILY
    checked = 0
    for _ in range(400):
        query = " ".join(rng.sample(vocabulary, rng.randint(1, 3)))
        for limit in (3, 12, 40):
            names = analyse_query_names([query], "Person")
            got = index.candidates(names, limit=limit)
            assert sorted(got) == reference(index, query, limit), (query, limit)
            assert len(got) == len(set(got))
            checked += 1
    assert checked == 1200


def test_a_tie_at_the_cut_goes_to_the_shortest_name(index: ScreeningIndex) -> None:
    # Every "Ivar ... Korlov" ties on what it shares with the query; with room for only
    # three, the listed names that are exactly "Ivar Korlov" come first.
    names = analyse_query_names(["Ivar Korlov"], "Person")
    exact = [n for n, r in enumerate(index.records) if r.caption == "Ivar Korlov"]
    longer = [
        n
        for n, r in enumerate(index.records)
        if r.caption.startswith("Ivar ") and r.caption.endswith(" Korlov") and n not in exact
    ]
    assert len(exact) >= 3 and longer and min(longer) < max(exact)
    got = index.candidates(names, limit=3)
    assert set(got) <= set(exact)
    assert len(got) == 3


def test_candidates_best_first(index: ScreeningIndex) -> None:
    names = analyse_query_names(["Salim Renz Hafferk"], "Person")
    got = index.candidates(names, limit=40)
    full = [n for n in got if index.records[n].caption == "Salim Renz Hafferk"]
    assert full and got[: len(full)] == full
