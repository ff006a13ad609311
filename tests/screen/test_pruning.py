"""Pruning never changes a result: a listed party skipped because its score provably stays
below the threshold would not have been returned, and the bound behind it is a bound.

Checked on the real UN list (names in Latin and Arabic script, many aliases) with real
negative and perturbed positive queries, against scoring every candidate in full.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from sanctionsnet.index import ScreeningIndex
from sanctionsnet.index.index import analyse_query_names
from sanctionsnet.ingest import import_files
from sanctionsnet.names.analyze import analyze_name
from sanctionsnet.names.translit import joined_similarity_bound, token_similarity
from sanctionsnet.screen import Query, QueryError, Screener
from sanctionsnet.screen.names import (
    compare_profiled,
    name_profile,
    party_bound,
    party_profile,
    score_bound,
)
from sanctionsnet.screen.screener import get_algorithm, query_schema, schema_compatible
from sanctionsnet.store import Store

UN_LIST = "lists/un/2026-02-27_UN_consolidated.xml"
NEGATIVES = "eval/yente_validation_negatives_global.csv"


@pytest.fixture(scope="module")
def index(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> ScreeningIndex:
    store = Store(tmp_path_factory.mktemp("prune") / "home")
    import_files(store, "un_sc", [shared_data / UN_LIST])
    return ScreeningIndex.from_store(store)


def perturbed(name: str, rng: random.Random) -> str:
    """A listed name as a customer file might hold it: a part dropped, parts swapped, a
    letter lost."""
    parts = name.replace(",", " ").split()
    roll = rng.random()
    if roll < 0.3 and len(parts) > 2:
        parts.pop(rng.randrange(len(parts)))
    elif roll < 0.6 and len(parts) > 1:
        parts.reverse()
    elif parts:
        i = rng.randrange(len(parts))
        word = parts[i]
        if len(word) > 3:
            j = rng.randrange(len(word))
            parts[i] = word[:j] + word[j + 1 :]
    return " ".join(parts)


@pytest.fixture(scope="module")
def queries(index: ScreeningIndex, shared_data: Path) -> list[Query]:
    rng = random.Random(7)
    out: list[Query] = []
    for record in rng.sample(index.records, 150):
        for entry in record.names[:2]:
            out.append(Query.build(perturbed(entry.text, rng) or entry.text, schema=record.schema))
    with (shared_data / NEGATIVES).open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            if n >= 200:
                break
            try:
                out.append(
                    Query.build(
                        row["full_name"],
                        schema="Person",
                        birth_date=row["date_of_birth"] or None,
                        country=row["nationality"] or None,
                    )
                )
            except QueryError:
                out.append(Query.build(row["full_name"], schema="Person"))
    return out


def in_full(
    screener: Screener, query: Query, threshold: float, limit: int, pruned: list[int]
) -> list[tuple]:
    """What `Screener.match` returns when every candidate is scored in full; counts in
    `pruned` the candidates the cutoff lets the scorer skip."""
    algo = get_algorithm("default")
    names = analyse_query_names(query.names, query.schema)
    schema = query_schema(query, names)
    found = []
    index = screener.index
    for number in index.candidates(names, query.identifiers, limit=max(12, limit)):
        record = index.records[number]
        if not schema_compatible(schema, record.schema):
            continue
        scored = algo.score(query, names, record, index.names[number], 0.0)
        assert scored is not None  # no cutoff: never pruned
        pruned[0] += algo.score(query, names, record, index.names[number], threshold) is None
        if scored.score >= threshold:
            found.append(
                (
                    record.id,
                    scored.score,
                    tuple(f.to_json()["explanation"] for f in scored.features),
                )
            )
    found.sort(key=lambda t: (-t[1], t[0]))
    return found[:limit]


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.85])
def test_pruned_matching_equals_full_scoring(
    index: ScreeningIndex, queries: list[Query], threshold: float
) -> None:
    screener = Screener(index)
    alerts = 0
    pruned = [0]
    for query in queries:
        got = [
            (m.record.id, m.score, tuple(f.explanation for f in m.features))
            for m in screener.match(query, threshold=threshold, limit=20)
        ]
        assert got == in_full(screener, query, threshold, 20, pruned), query.names
        alerts += bool(got)
    # The comparison means something only if alerting and quiet queries were checked and
    # candidates were in fact pruned.
    assert 0 < alerts < len(queries)
    assert pruned[0] > len(queries)


def test_name_bound_is_never_below_the_score(index: ScreeningIndex, queries: list[Query]) -> None:
    listed = [name for names in index.names[:400] for name, _ in names]
    checked = 0
    for query in queries[::3]:
        q = analyze_name(query.names[0], query.schema)
        qp = name_profile(q)
        for c in listed:
            cp = name_profile(c)
            bound = score_bound(qp, cp)
            if bound >= 1.0:
                continue
            score = compare_profiled(q, qp, c, cp).score
            # Scores are rounded to 4 places; the bound is not.
            assert score <= bound + 5e-5, (q.original, c.original, score, bound)
            checked += 1
    assert checked > 10_000


def test_party_bound_is_never_below_a_name_bound(
    index: ScreeningIndex, queries: list[Query]
) -> None:
    """The bound over all of a party's names at once holds for each of them, and it
    settles parties on its own: the case a screener meets most."""
    parties = [[name for name, _ in names] for names in index.names[:3000]]
    checked = settled = 0
    for query in queries[::5]:
        qp = name_profile(analyze_name(query.names[0], query.schema))
        for names in parties:
            party = party_profile(names)
            bound = party_bound(qp, party)
            for cp in party.profiles:
                assert score_bound(qp, cp) <= bound + 1e-9, (query.names[0], cp.key)
            checked += 1
            settled += bound < 0.7
    assert checked > 10_000
    assert settled > checked // 2


def test_a_bound_loosened_for_a_need_still_bounds(
    index: ScreeningIndex, queries: list[Query]
) -> None:
    """With a `need`, `score_bound` may stop early, but what it returns still bounds the
    score, and it stays below `need` exactly when the full bound does."""
    listed = [name for names in index.names[:400] for name, _ in names]
    for query in queries[::6]:
        q = analyze_name(query.names[0], query.schema)
        qp = name_profile(q)
        for c in listed:
            cp = name_profile(c)
            full = score_bound(qp, cp)
            for need in (0.6, 0.9):
                loosened = score_bound(qp, cp, need)
                assert full <= loosened + 1e-9
                assert (loosened < need) == (full < need), (q.original, c.original, need)


def test_joined_bound_is_never_below_the_similarity(shared_data: Path) -> None:
    """A one-word name against several words run together: the bound holds on real names
    (and on the spellings the comparison exists for), and it is tight enough to matter."""
    with (shared_data / NEGATIVES).open(encoding="utf-8") as fh:
        words = [w.lower() for row in csv.DictReader(fh) for w in row["full_name"].split()]
    rng = random.Random(3)
    pairs = [("abdurrahman", "abdul rahman"), ("mohammedali", "mohammed ali")]
    for _ in range(5000):
        several = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4)))
        pairs.append((rng.choice(words), several))
    low = 0
    for word, several in pairs:
        bound = joined_similarity_bound(word, several)
        assert token_similarity(word, several) <= bound + 1e-9, (word, several)
        low += bound < 0.6
    assert low > len(pairs) // 5
