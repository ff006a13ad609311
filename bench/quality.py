"""Screening quality on the dev sets: sanctionsnet beside nomenklatura's logic-v2, in one run.

Usage:
    python bench/quality.py [--home DIR] [--sets un,negatives,...] [--no-peer]
                            [--peer-50k-sample 2000] [--n50k N] [--show-misses] [--json FILE]

Both engines screen the newest publication of every real list (bench/ingest.py LATEST),
imported once into a store (kept in --home if given, so a re-run skips the import). Ours runs
at its algorithm's default threshold, logic-v2 at 0.7 (the threshold of the issue's figures).

Sets and what is measured (the rules are in bench/evalsets.py's docstring):
- un: UN positives, treated (perturbed names) and untreated; rows mapped to their UN entry by
  exact normalised name and compatible birth date; "found first" = the top result above the
  threshold is that UN entry or a record listing the untreated name exactly (same person on
  another list). Queries: Person, name + birth date + nationality (invalid dates dropped).
- negatives: the 2,000 validation negatives (1,000 global, 1,000 US); a query "alerts" when any
  result is at or above the threshold. Also a screening P/R/F1 over mapped treated positives +
  the 2,000 negatives: TP = found first; FN = other positives; FP = negatives that alert plus
  positives whose top result above the threshold is someone else.
- congress: US Congress members (PEPs, not sanctioned): alert rate, a false-positive curiosity.
- n50k: the 50k global negatives: ours on all of them (or --n50k), the peer on a fixed-seed
  sample (--peer-50k-sample, seed 0), ours on the same sample beside it.
- wikidata: per script 500 positive Latin/native pairs (random.Random(0)) and 500 negatives,
  scored as two Person names (ours: compare_pair; peer: logic-v2 on name-only entities).
- watchman: moov-watchman cross-script pairs: passes when score >= its Min Score.
- cases: watchman-java OFAC screening cases against the real lists: must/should_alert pass when
  the query alerts, must_not_alert when it does not; may_alert/context_dependent are shown only.
  Free-text fields (MT103 field 70) go through `match --free-text`; the peer, which has no
  such mode, screens them as names.
- ofac: OFAC SLS fixture: mean absolute difference (points of 100) of our `ofac` score vs
  OFAC's over the pairs OFAC scored; peer column: nomenklatura's own OFAC emulation.
- rigour: rigour's sample names through analysis and screening: crashes and time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import evalsets  # noqa: E402
from common import PRF, fmt_pct, prf_from_scores, rate, table  # noqa: E402
from evalsets import Listed, PersonRow  # noqa: E402
from followthemoney import registry  # noqa: E402

from sanctionsnet.index import ScreeningIndex, records_from_entities  # noqa: E402
from sanctionsnet.index.records import Record  # noqa: E402
from sanctionsnet.names.analyze import analyze_name  # noqa: E402
from sanctionsnet.names.translit import token_similarity  # noqa: E402
from sanctionsnet.screen import Query, Screener, get_algorithm  # noqa: E402
from sanctionsnet.screen.compare import compare_pair  # noqa: E402
from sanctionsnet.screen.ofac_sls import ofac_score  # noqa: E402
from sanctionsnet.screen.text import match_text  # noqa: E402
from sanctionsnet.store.stats import is_party  # noqa: E402

ALL_SETS = (
    "un",
    "negatives",
    "congress",
    "n50k",
    "wikidata",
    "watchman",
    "cases",
    "ofac",
    "rigour",
)
MISSES = 20
SCAN = 30  # results asked of each engine per query, to see where the expected entity ranked
TIE = 1e-9  # results within this of the top score share first place


# --- the two engines behind one interface ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    listed: Listed
    caption: str
    score: float


@dataclass
class QueryInput:
    name: str
    schema: str = "Person"
    birth_date: str | None = None
    country: str | None = None


def person_input(row: PersonRow) -> tuple[QueryInput, bool]:
    """Name, birth date, nationality of a fixture row; False when a value had to be dropped."""
    date = registry.date.clean(row.date_of_birth) if row.date_of_birth else None
    country = registry.country.clean(row.nationality) if row.nationality else None
    clean = (date is not None or not row.date_of_birth) and (
        country is not None or not row.nationality
    )
    return QueryInput(row.full_name, "Person", date, country), clean


class Ours:
    label = "sanctionsnet"

    def __init__(self, lists: common.Lists) -> None:
        started = time.perf_counter()
        records: list[Record] = []
        for dataset, rows in lists.rows.items():
            records.extend(
                records_from_entities(
                    rows, dataset, lists.sources[dataset], lists.versions[dataset]
                )
            )
        self.index = ScreeningIndex(records, lists.versions)
        self.screener = Screener(self.index)
        self.algorithm = get_algorithm("default")
        self.threshold = self.algorithm.default_threshold
        self.seconds = time.perf_counter() - started
        self._name_keys: set[str] | None = None

    def screen(self, q: QueryInput) -> list[Hit]:
        query = Query.build(q.name, schema=q.schema, birth_date=q.birth_date, country=q.country)
        out = []
        for m in self.screener.match(query, threshold=0.0, limit=SCAN, candidates=SCAN):
            r = m.record
            out.append(
                Hit(Listed(r.id, tuple(n.text for n in r.names), r.birth_dates), r.caption, m.score)
            )
        return out

    def pair(self, name1: str, name2: str, schema: str = "Person") -> float:
        return compare_pair(name1, name2, schema).score

    def screen_text(self, text: str) -> list[Hit]:
        """Listed names found in a free text (`sanctionsnet match --free-text`)."""
        out = []
        for m in match_text(self.screener, text, threshold=0.0, limit=SCAN):
            r = m.record
            out.append(
                Hit(Listed(r.id, tuple(n.text for n in r.names), r.birth_dates), r.caption, m.score)
            )
        return out

    @property
    def diagnostic_pair_scorers(self) -> dict[str, Callable[[str, str], float]]:
        """Other views of the Wikidata pairs, to tell the name analysis from the token matcher."""
        return {
            "as LegalEntity": lambda a, b: compare_pair(a, b, "LegalEntity").score,
            "token_similarity": token_similarity,
        }

    def listed_exactly(self, name: str) -> bool:
        """Whether some listed name has exactly these tokens (after normalisation, any order)."""
        if self._name_keys is None:
            self._name_keys = {
                evalsets.name_key(n.text) for r in self.index.records for n in r.names
            }
        return evalsets.name_key(name) in self._name_keys

    def un_listed(self) -> list[Listed]:
        return [
            Listed(r.id, tuple(n.text for n in r.names), r.birth_dates)
            for r in self.index.records
            if r.source == "un_sc"
        ]


class PeerEngine:
    label = "logic-v2"

    def __init__(self, lists: common.Lists) -> None:
        import peer

        self.mod = peer
        started = time.perf_counter()
        entities = [r.entity for rows in lists.rows.values() for r in rows if is_party(r.entity)]
        self.index = peer.PeerIndex(entities)
        self.peer = peer.Peer(self.index)
        self.threshold = common.PEER_THRESHOLD
        self.seconds = time.perf_counter() - started
        self.version = peer.peer_version()
        # Warm up: the first comparisons load rigour's reference data.
        self.screen(QueryInput("Vladimir Putin"))

    def screen(self, q: QueryInput) -> list[Hit]:
        entity = self.mod.query_entity(q.name, q.schema, q.birth_date, q.country)
        return [
            Hit(self.mod.listed(m.entity), m.entity.caption, m.score)
            for m in self.peer.match(entity, SCAN)
        ]

    def pair(self, name1: str, name2: str, schema: str = "Person") -> float:
        return self.peer.compare_names(name1, name2, schema)

    def screen_text(self, text: str) -> list[Hit]:
        """The peer has no free-text mode: the text is screened as a name, as yente would."""
        return self.screen(QueryInput(text, "LegalEntity"))


Engine = Ours | PeerEngine


def top_above(hits: Sequence[Hit], threshold: float) -> Hit | None:
    return hits[0] if hits and hits[0].score >= threshold else None


# --- results -------------------------------------------------------------------------


@dataclass
class SetResult:
    """Figures of one engine on one set, and its misses (for --show-misses)."""

    figures: dict[str, Any] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    seconds: float = 0.0


def timed(func: Callable[[], SetResult]) -> SetResult:
    started = time.perf_counter()
    result = func()
    result.seconds = time.perf_counter() - started
    return result


def run_un(
    engine: Engine,
    pairs: list[tuple[PersonRow, PersonRow]],
    expected: list[frozenset[str]],
    use: str,
) -> SetResult:
    """Found-first rate over the mapped rows; `use` is 'treated' or 'untreated'."""
    res = SetResult()
    kinds: Counter[str] = Counter()
    dropped = 0
    for (treated, untreated), exp in zip(pairs, expected, strict=True):
        if not exp:
            continue
        row = treated if use == "treated" else untreated
        q, clean = person_input(row)
        dropped += not clean
        hits = engine.screen(q)
        top = top_above(hits, engine.threshold)
        tied = [h.listed for h in hits if top and h.score >= top.score - TIE]
        how, _ = evalsets.found_among_tied(tied, exp, untreated.full_name)
        rank = next(
            (
                i
                for i, h in enumerate(hits)
                if evalsets.found_first(h.listed, exp, untreated.full_name)
            ),
            None,
        )
        kinds["mapped"] += 1
        kinds["candidate"] += rank is not None
        kinds["in_results"] += rank is not None and hits[rank].score >= engine.threshold
        if how:
            kinds["found"] += 1
            kinds[f"found_{how}"] += 1
            # Counted only when the rank-1 result alone would not have qualified.
            kinds["found_in_tie"] += evalsets.found_first(tied[0], exp, untreated.full_name) is None
            continue
        kinds["wrong_top" if top else "no_alert"] += 1
        if len(res.misses) < MISSES:
            best = f"{top.caption!r} {top.score:.3f}" if top else "nothing above threshold"
            where = (
                f"expected at rank {rank + 1} with {hits[rank].score:.3f}"
                if rank is not None
                else f"expected not among the {SCAN} best"
            )
            res.misses.append(
                f"line {row.line}: {row.full_name!r} (dob {row.date_of_birth or '-'}, "
                f"{row.nationality or '-'}; untreated {untreated.full_name!r}): top {best}; {where}"
            )
    n = kinds["mapped"]
    res.figures = {
        "mapped": n,
        "found_first": kinds["found"],
        "found_first_rate": rate(kinds["found"], n),
        "found_via_un_entry": kinds["found_un"],
        "found_via_other_list": kinds["found_other"],
        "found_in_a_tie_not_at_rank_1": kinds["found_in_tie"],
        "wrong_top_above_threshold": kinds["wrong_top"],
        "nothing_above_threshold": kinds["no_alert"],
        "expected_in_results_above_threshold": kinds["in_results"],
        "expected_among_candidates": kinds["candidate"],
        "queries_with_dropped_date_or_country": dropped,
    }
    return res


def run_alerts(engine: Engine, rows: Sequence[PersonRow]) -> SetResult:
    res = SetResult()
    alerts = 0
    scored: list[tuple[float, str]] = []
    for row in rows:
        q, _ = person_input(row)
        top = top_above(engine.screen(q), engine.threshold)
        if top is not None:
            alerts += 1
            scored.append(
                (top.score, f"line {row.line}: {row.full_name!r} (dob {row.date_of_birth or '-'}, "
                 f"{row.nationality or '-'}) -> {top.caption!r} [{top.listed.id}] {top.score:.3f}")
            )  # fmt: skip
    scored.sort(key=lambda s: -s[0])
    res.misses = [s for _, s in scored[:MISSES]]
    res.figures = {"queries": len(rows), "alerts": alerts, "alert_rate": rate(alerts, len(rows))}
    return res


def run_wikidata(
    engine: Engine, sets: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]
) -> SetResult:
    res = SetResult()
    for script, (pos, neg) in sets.items():
        ps = [engine.pair(a, b) for a, b in pos]
        ns = [engine.pair(a, b) for a, b in neg]
        m = prf_from_scores(ps, ns, engine.threshold)
        res.figures[script] = {
            "positives": len(pos), "negatives": len(neg), "tp": m.tp, "fp": m.fp,
            "precision": m.precision, "recall": m.recall, "f1": m.f1, "diagnostic_f1": {},
        }  # fmt: skip
        for label, scorer in getattr(engine, "diagnostic_pair_scorers", {}).items():
            d = prf_from_scores(
                [scorer(a, b) for a, b in pos], [scorer(a, b) for a, b in neg], engine.threshold
            )
            res.figures[script]["diagnostic_f1"][label] = d.f1
        fns = sorted((s, a, b) for s, (a, b) in zip(ps, pos, strict=True) if s < engine.threshold)
        fps = sorted(
            ((s, a, b) for s, (a, b) in zip(ns, neg, strict=True) if s >= engine.threshold),
            reverse=True,
        )
        res.misses += [f"{script} missed pair {a!r} ~ {b!r}: {s:.3f}" for s, a, b in fns[:10]]
        res.misses += [f"{script} false pair {a!r} ~ {b!r}: {s:.3f}" for s, a, b in fps[:10]]
    return res


def run_watchman(engine: Engine, pairs: list[evalsets.CrossScriptPair]) -> SetResult:
    res = SetResult()
    passed = 0
    rows = []
    for p in pairs:
        score = engine.pair(p.query, p.expected)
        ok = score >= p.min_score
        passed += ok
        rows.append({"query": p.query, "expected": p.expected, "min": p.min_score, "score": score, "pass": ok})  # fmt: skip
        if not ok:
            res.misses.append(
                f"{p.query!r} ~ {p.expected!r}: {score:.3f} < {p.min_score:.2f} ({p.description})"
            )
    res.figures = {"pairs": len(pairs), "passed": passed, "rows": rows}
    return res


#: SWIFT MT103 fields of free text (70: remittance information), screened for the names
#: in them rather than as one name.
FREE_TEXT_FIELDS = frozenset({"70"})


def run_cases(
    engine: Engine, cases: list[evalsets.ScreeningCase], listed_exactly: Callable[[str], bool]
) -> SetResult:
    res = SetResult()
    outcome: Counter[str] = Counter()
    rows = []
    for case in cases:
        if case.field_name in FREE_TEXT_FIELDS:
            hits = engine.screen_text(case.test_value)
        else:
            hits = engine.screen(QueryInput(case.test_value, "LegalEntity"))
        top = top_above(hits, engine.threshold)
        alerted = top is not None
        want = case.expects_alert
        verdict = "shown" if want is None else ("pass" if alerted == want else "fail")
        outcome[f"{case.expected_outcome}_{verdict}"] += 1
        best = f"{hits[0].caption!r} {hits[0].score:.3f}" if hits else "no candidate"
        exact = listed_exactly(case.test_value)
        rows.append({"id": case.test_id, "value": case.test_value, "expected": case.expected_outcome,
                     "alert": alerted, "verdict": verdict, "top": best, "listed_exactly": exact})  # fmt: skip
        if verdict == "fail":
            res.misses.append(
                f"{case.test_id} {case.expected_outcome}: {case.test_value!r} -> "
                f"{'alert' if alerted else 'no alert'}; top {best}; "
                f"this exact name is {'' if exact else 'not '}on the lists"
            )
    checked = [r for r in rows if r["verdict"] != "shown"]
    res.figures = {
        "cases": len(cases),
        "checked": len(checked),
        "passed": sum(r["verdict"] == "pass" for r in checked),
        "by_outcome": dict(outcome),
        "rows": rows,
    }
    return res


def run_ofac(scorer: Callable[[str, str], float], rows: list[tuple[str, str, int]]) -> SetResult:
    res = SetResult()
    diffs = []
    unreturned = below = 0
    for query, listed, expected in rows:
        got = scorer(query, listed) * 100
        if expected < 0:
            unreturned += 1
            below += got < 80
            continue
        diffs.append((abs(got - expected), query, listed, expected, got))
    n = len(diffs)
    res.figures = {
        "scored_pairs": n,
        "mad_points": sum(d[0] for d in diffs) / n if n else float("nan"),
        "max_points": max(d[0] for d in diffs) if diffs else float("nan"),
        "within_2_points": sum(d[0] <= 2 for d in diffs),
        "unreturned": unreturned,
        "unreturned_below_80": below,
    }
    for d, q, c, e, g in sorted(diffs, reverse=True)[:MISSES]:
        if d > 2:
            res.misses.append(f"{q!r} vs {c!r}: OFAC {e}, ours {g:.1f} ({d:.1f} points)")
    return res


def peer_ofac_scorer() -> Callable[[str, str], float]:
    from followthemoney import ValueEntity
    from nomenklatura.matching.name_based.ofac import ofac_name_score
    from nomenklatura.matching.types import ScoringConfig

    config = ScoringConfig.defaults()

    def entity(name: str) -> ValueEntity:
        return ValueEntity.from_dict(
            {"id": "x", "schema": "Person", "properties": {"name": [name]}}
        )

    def score(query: str, candidate: str) -> float:
        return float(ofac_name_score(entity(query), entity(candidate), config).score)

    return score


def run_rigour_ours(ours: Ours, names: list[str]) -> SetResult:
    res = SetResult()
    analyze_name.cache_clear()
    crashes = 0
    started = time.perf_counter()
    for name in names:
        for schema in ("Person", "LegalEntity"):
            try:
                analyze_name(name, schema)
            except Exception as exc:  # noqa: BLE001 - counting crashes is the point
                crashes += 1
                res.misses.append(f"analyze_name({name!r}, {schema}): {type(exc).__name__}: {exc}")
    analysis = time.perf_counter() - started
    started = time.perf_counter()
    for name in names:
        try:
            ours.screen(QueryInput(name, "LegalEntity"))
        except Exception as exc:  # noqa: BLE001
            crashes += 1
            res.misses.append(f"screen({name!r}): {type(exc).__name__}: {exc}")
    screening = time.perf_counter() - started
    res.figures = {
        "names": len(names),
        "crashes": crashes,
        "analysis_us_per_name_schema": analysis / (2 * len(names)) * 1e6,
        "screen_ms_per_name": screening / len(names) * 1e3,
    }
    return res


def run_rigour_peer(peer: PeerEngine, names: list[str]) -> SetResult:
    res = SetResult()
    crashes = 0
    started = time.perf_counter()
    for name in names:
        try:
            peer.screen(QueryInput(name, "LegalEntity"))
        except Exception as exc:  # noqa: BLE001
            crashes += 1
            res.misses.append(f"screen({name!r}): {type(exc).__name__}: {exc}")
    res.figures = {
        "names": len(names),
        "crashes": crashes,
        "screen_ms_per_name": (time.perf_counter() - started) / len(names) * 1e3,
    }
    return res


def _run_un(
    engine: Engine,
    *,
    pairs: list[tuple[PersonRow, PersonRow]],
    expected: list[frozenset[str]],
    use: str,
) -> SetResult:
    return run_un(engine, pairs, expected, use)


def _run_alerts(engine: Engine, *, rows: Sequence[PersonRow]) -> SetResult:
    return run_alerts(engine, rows)


def screening_prf(un: SetResult, negatives: SetResult) -> PRF:
    f, n = un.figures, negatives.figures
    return PRF(
        tp=f["found_first"],
        fp=n["alerts"] + f["wrong_top_above_threshold"],
        fn=f["mapped"] - f["found_first"],
    )


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder")
    parser.add_argument("--home", type=Path, default=None, help="store folder to create or reuse")
    parser.add_argument("--sets", default=",".join(ALL_SETS), help=f"comma list of {ALL_SETS}")
    parser.add_argument("--no-peer", action="store_true", help="skip logic-v2")
    parser.add_argument(
        "--n50k", type=int, default=None, help="ours on a fixed-seed sample of the 50k"
    )
    parser.add_argument(
        "--peer-50k-sample", type=int, default=2000, help="peer sample of the 50k (0: none)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--show-misses", action="store_true", help=f"print ours' first {MISSES} misses per set"
    )
    parser.add_argument("--json", type=Path, default=None, help="write every figure to this file")
    args = parser.parse_args()
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = set(sets) - set(ALL_SETS)
    if unknown:
        parser.error(f"unknown set(s): {', '.join(sorted(unknown))}")
    data = common.data_dir(args.data)
    run_started = time.perf_counter()

    store = common.open_store(args.home, data)
    lists = common.load_lists(store)
    ours = Ours(lists)
    print(
        f"lists: {', '.join(f'{d} {v}' for d, v in sorted(lists.versions.items()))}\n"
        f"read in {lists.seconds:.1f} s; ours: {ours.index.stats.records:,} records indexed in "
        f"{ours.seconds:.1f} s, algorithm default v{ours.algorithm.version}, threshold {ours.threshold}"
    )
    peer: PeerEngine | None = None
    if not args.no_peer:
        peer = PeerEngine(lists)
        print(
            f"peer: nomenklatura {peer.version} logic-v2, {len(peer.index):,} entities in a "
            f"token/3-gram index ({peer.seconds:.1f} s), top {SCAN} candidates, threshold {peer.threshold}"
        )
    engines: list[Engine] = [ours] + ([peer] if peer else [])
    out: dict[str, dict[str, SetResult]] = {}

    def run(name: str, func: Callable[[Engine], SetResult]) -> None:
        out[name] = {}
        for engine in engines:
            out[name][engine.label] = timed(partial(func, engine))
            print(f"  [{name}: {engine.label} {out[name][engine.label].seconds:.1f} s]", flush=True)

    if "un" in sets:
        pairs = evalsets.un_positives(data)
        expected = evalsets.map_un_positives([u for _, u in pairs], ours.un_listed())
        mapped = sum(bool(e) for e in expected)
        print(
            f"UN positives: {len(pairs)} rows, {mapped} mapped to a UN entry of {lists.versions.get('un_sc')}"
            f" ({sum(len(e) > 1 for e in expected)} to two entries); {len(pairs) - mapped} unmapped: "
            + "; ".join(
                repr(u.full_name) for (_, u), e in zip(pairs, expected, strict=True) if not e
            )
        )
        for use in ("treated", "untreated"):
            run(f"un_{use}", partial(_run_un, pairs=pairs, expected=expected, use=use))
    if "negatives" in sets:
        negs = evalsets.validation_negatives(data)
        for part, rows in negs.items():
            run(f"neg_{part}", partial(_run_alerts, rows=rows))
    if "congress" in sets:
        run("congress", partial(_run_alerts, rows=evalsets.congress(data)))
    if "n50k" in sets:
        big = evalsets.negatives_50k(data)
        mine = evalsets.sample_rows(big, args.n50k, args.seed)
        out["n50k"] = {ours.label: timed(lambda: run_alerts(ours, mine))}
        print(
            f"  [n50k: ours on {len(mine):,} {out['n50k'][ours.label].seconds:.1f} s]", flush=True
        )
        if peer and args.peer_50k_sample:
            sample = evalsets.sample_rows(big, args.peer_50k_sample, args.seed)
            run("n50k_sample", lambda e: run_alerts(e, sample))
    if "wikidata" in sets:
        wd = evalsets.wikidata(data, 500, args.seed)
        run("wikidata", lambda e: run_wikidata(e, wd))
    if "watchman" in sets:
        wp = evalsets.watchman_pairs(data)
        run("watchman", lambda e: run_watchman(e, wp))
    if "cases" in sets:
        wc = evalsets.watchman_cases(data)
        run("cases", lambda e: run_cases(e, wc, ours.listed_exactly))
    if "ofac" in sets:
        fixture = evalsets.ofac_fixture(data)
        out["ofac"] = {ours.label: timed(lambda: run_ofac(ofac_score, fixture))}
        if peer:
            out["ofac"]["nomenklatura ofac"] = timed(lambda: run_ofac(peer_ofac_scorer(), fixture))
    if "rigour" in sets:
        names = evalsets.rigour_names(data)
        out["rigour"] = {ours.label: timed(lambda: run_rigour_ours(ours, names))}
        if peer:
            out["rigour"][peer.label] = timed(lambda: run_rigour_peer(peer, names))

    print()
    report(out, ours, peer)
    if args.show_misses:
        print("\nMISSES (sanctionsnet), at most", MISSES, "per set")
        for name, by_engine in out.items():
            misses = by_engine[ours.label].misses
            print(f"\n[{name}] {len(misses)} shown")
            for line in misses:
                print("  " + line)
    total = time.perf_counter() - run_started
    print(f"\ntotal run time {total:.0f} s")
    if args.json:
        payload = {
            "lists": lists.versions,
            "ours": {
                "algorithm": "default",
                "version": ours.algorithm.version,
                "threshold": ours.threshold,
            },
            "peer": {"nomenklatura": peer.version, "threshold": peer.threshold} if peer else None,
            "sets": {
                n: {
                    e: {"figures": r.figures, "seconds": r.seconds, "misses": r.misses}
                    for e, r in d.items()
                }
                for n, d in out.items()
            },  # fmt: skip
            "seconds": total,
        }
        args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=str))
        print(f"figures written to {args.json}")


def report(out: dict[str, dict[str, SetResult]], ours: Ours, peer: PeerEngine | None) -> None:
    labels = [ours.label] + ([peer.label] if peer else [])
    rows: list[Sequence[object]]

    def fig(name: str, label: str, key: str) -> Any:
        result = out.get(name, {}).get(label)
        return None if result is None else result.figures.get(key)

    def both(name: str, key: str, fmt: Callable[[Any], str] = str) -> list[str]:
        return [("-" if fig(name, lb, key) is None else fmt(fig(name, lb, key))) for lb in labels]

    if "un_treated" in out:
        rows = []
        for use in ("treated", "untreated"):
            name = f"un_{use}"
            rows.append(
                [f"{use}: found first above threshold"] + both(name, "found_first_rate", fmt_pct)
            )
            rows.append(["  found / mapped"] + [f"{fig(name, lb, 'found_first')}/{fig(name, lb, 'mapped')}" for lb in labels])  # fmt: skip
            rows.append(["  via the UN entry / same name on another list"] + [f"{fig(name, lb, 'found_via_un_entry')} / {fig(name, lb, 'found_via_other_list')}" for lb in labels])  # fmt: skip
            rows.append(
                ["  of which only thanks to a tie for first"]
                + both(name, "found_in_a_tie_not_at_rank_1")
            )
            rows.append(
                ["  someone else first above threshold"] + both(name, "wrong_top_above_threshold")
            )
            rows.append(["  nothing above threshold"] + both(name, "nothing_above_threshold"))
            rows.append(
                [f"  expected among the {SCAN} best"] + both(name, "expected_among_candidates")
            )
        print(table(["UN positives", *labels], rows, "== UN positives (target ours >= 99 % treated; peer 96.0 % in the issue)"))  # fmt: skip
        print()
    neg_rows = []
    for name, label in [
        ("neg_global", "validation negatives, global (1,000)"),
        ("neg_us", "validation negatives, US (1,000)"),
    ]:
        if name in out:
            neg_rows.append([label] + [f"{fmt_pct(fig(name, lb, 'alert_rate'))} ({fig(name, lb, 'alerts')})" for lb in labels])  # fmt: skip
    if "neg_global" in out and "neg_us" in out:
        cells = []
        for lb in labels:
            a = fig("neg_global", lb, "alerts") + fig("neg_us", lb, "alerts")
            cells.append(f"{fmt_pct(rate(a, 2000))} ({a})")
        neg_rows.append(["validation negatives, all 2,000 (target <= 0.2 %)"] + cells)
    if "congress" in out:
        neg_rows.append(["US Congress members, PEPs not sanctioned (curiosity)"] + [f"{fmt_pct(fig('congress', lb, 'alert_rate'))} ({fig('congress', lb, 'alerts')})" for lb in labels])  # fmt: skip
    if "n50k_sample" in out:
        n = fig("n50k_sample", ours.label, "queries")
        neg_rows.append([f"50k global negatives, fixed-seed sample of {n:,}"] + [f"{fmt_pct(fig('n50k_sample', lb, 'alert_rate'))} ({fig('n50k_sample', lb, 'alerts')})" for lb in labels])  # fmt: skip
    if "n50k" in out:
        n = fig("n50k", ours.label, "queries")
        neg_rows.append([f"50k global negatives, {n:,} queries (target <= 0.5 %)", f"{fmt_pct(fig('n50k', ours.label, 'alert_rate'))} ({fig('n50k', ours.label, 'alerts')})"] + (["not run"] if peer else []))  # fmt: skip
    if neg_rows:
        print(table(["Negatives: share of queries that alert", *labels], neg_rows, "== Negatives (peer 0.0 % of the 2,000 in the issue)"))  # fmt: skip
        print()
    if "un_treated" in out and "neg_global" in out and "neg_us" in out:
        rows = []
        for lb in labels:
            neg = SetResult(
                figures={"alerts": fig("neg_global", lb, "alerts") + fig("neg_us", lb, "alerts")}
            )
            m = screening_prf(out["un_treated"][lb], neg)
            rows.append([lb, m.tp, m.fp, m.fn, m.precision, m.recall, m.f1])
        print(table(["engine", "TP", "FP", "FN", "precision", "recall", "F1"], rows, "== Screening P/R/F1: mapped treated UN positives + 2,000 validation negatives"))  # fmt: skip
        print()
    if "wikidata" in out:
        rows = []
        ref = {"russian": 0.83, "korean": 0.30, "chinese": 0.27, "arabic": 0.26}
        target = {"russian": 0.95}
        for script in evalsets.WIKIDATA_SCRIPTS:
            row: list[object] = [script]
            for lb in labels:
                f = out["wikidata"][lb].figures[script]
                row += [f["precision"], f["recall"], f["f1"]]
            row += [target.get(script, 0.85), ref.get(script)]
            diag = out["wikidata"][ours.label].figures[script]["diagnostic_f1"]
            row += list(diag.values())
            rows.append(row)
        head = ["script"]
        for lb in labels:
            head += [f"{lb} P", "R", "F1"]
        diag_names = list(out["wikidata"][ours.label].figures["russian"]["diagnostic_f1"])
        head += ["target F1", "issue peer F1"] + [f"ours F1 {d}" for d in diag_names]
        print(table(head, rows, "== Wikidata transliteration pairs (500 + 500 per script, seed 0; both sides scored as Person)"))  # fmt: skip
        print()
    misc = []
    if "watchman" in out:
        misc.append(["watchman cross-script pairs: score >= Min Score"] + [f"{fig('watchman', lb, 'passed')}/{fig('watchman', lb, 'pairs')}" for lb in labels])  # fmt: skip
    if "cases" in out:
        misc.append(["watchman-java OFAC cases: behave as expected"] + [f"{fig('cases', lb, 'passed')}/{fig('cases', lb, 'checked')}" for lb in labels])  # fmt: skip
        for outcome in ("must_alert", "should_alert", "must_not_alert"):
            cells = []
            for lb in labels:
                by = fig("cases", lb, "by_outcome")
                cells.append(
                    f"{by.get(outcome + '_pass', 0)}/{by.get(outcome + '_pass', 0) + by.get(outcome + '_fail', 0)}"
                )
            misc.append([f"  {outcome}"] + cells)
        for outcome in ("may_alert", "context_dependent"):
            cells = []
            for lb in labels:
                rows_ = [r for r in fig("cases", lb, "rows") if r["expected"] == outcome]
                cells.append(f"{sum(r['alert'] for r in rows_)}/{len(rows_)} alert")
            misc.append([f"  {outcome} (no expectation)"] + cells)
    if misc:
        print(table(["Watchman sets", *labels], misc, "== Watchman (target: every case as its file says)"))  # fmt: skip
        print()
    if "ofac" in out:
        rows = []
        for lb, r in out["ofac"].items():
            f = r.figures
            rows.append([lb, f["scored_pairs"], f["mad_points"], f["max_points"], f["within_2_points"], f"{f['unreturned_below_80']}/{f['unreturned']}"])  # fmt: skip
        print(table(["scorer", "pairs", "MAD (points)", "max", "within 2", "unreturned < 80"], rows, "== OFAC SLS fixture: |score - OFAC| in points of 100 (target ours <= 2)"))  # fmt: skip
        print()
    if "rigour" in out:
        rows = []
        for lb, r in out["rigour"].items():
            f = r.figures
            rows.append([lb, f["names"], f["crashes"], f.get("analysis_us_per_name_schema"), f["screen_ms_per_name"]])  # fmt: skip
        print(table(["engine", "names", "crashes", "analysis µs/name", "screen ms/name"], rows, "== rigour sample names"))  # fmt: skip
        print()
    timing = [
        [name] + [f"{by[lb].seconds:.1f}" if lb in by else "-" for lb in labels]
        for name, by in out.items()
    ]
    print(table(["set: seconds", *labels], timing, "== Run time per set"))


if __name__ == "__main__":
    main()
