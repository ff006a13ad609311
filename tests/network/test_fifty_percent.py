"""The OFAC and EU ownership rules: OFAC FAQ 401's examples, aggregation, control,
ranges, conflicts, cycles, sums over 100 %, possible matches; every chain with evidence.

Parties are fictional letters as in OFAC's own examples ("Blocked Person X", "Entity A").
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pytest

from sanctionsnet.network.fifty_percent import OwnershipReport, apply_rule
from sanctionsnet.network.model import Edge, Evidence, Node
from sanctionsnet.network.propagate import fixed_point
from sanctionsnet.network.rules import EU, OFAC, RuleSet
from sanctionsnet.network.shares import parse_share

Row = tuple[str, str, str] | tuple[str, str, str, str]


def run(
    rows: Iterable[Row],
    listed: Iterable[str],
    rule: RuleSet = OFAC,
    possible: Iterable[str] = (),
) -> OwnershipReport:
    """Rows (owner, owned, share[, relation]) as a user's file would give them."""
    listed, possible = set(listed), set(possible)
    nodes: dict[str, Node] = {}
    edges = []
    for line, row in enumerate(rows, start=2):
        owner, owned, share = row[:3]
        relation = row[3] if len(row) > 3 else "ownership"
        for name in (owner, owned):
            match = {"entity_id": "L-" + name, "score": 0.8} if name in possible else None
            nodes.setdefault(name, Node(name, name, listed=name in listed, possible_match=match))
        evidence = Evidence("user", file="stakes.csv", line=line, source=f"registry {line}")
        edges.append(Edge(owner, owned, relation, parse_share(share), None, (evidence,)))
    return apply_rule(nodes, edges, rule)


def finding(report: OwnershipReport, entity: str) -> dict:
    return next(f for f in report.findings if f["entity"]["id"] == entity)


def chain_text(chain: list[dict]) -> str:
    return " ".join(
        [chain[0]["owner"], *(f"-{link['share']['label']}-> {link['owned']}" for link in chain)]
    )


# -- OFAC FAQ 401 ----------------------------------------------------------------------


def test_faq401_example1_indirect_through_blocked_entity() -> None:
    # X owns 50 % of A, A owns 50 % of B: A and B are blocked.
    report = run([("X", "A", "50"), ("A", "B", "50")], listed={"X"})
    assert report.blocked == ["A", "B"]
    assert report.possibly_blocked == []
    chains = finding(report, "B")["chains"]
    assert [chain_text(c) for c in chains] == ["X -50 %-> A -50 %-> B"]
    # each link carries the row it came from
    assert [link["evidence"][0]["line"] for link in chains[0]] == [2, 3]
    assert chains[0][0]["owner_status"] == "listed" and chains[0][1]["owner_status"] == "blocked"


def test_faq401_example2_aggregate_of_two_blocked_entities() -> None:
    # X owns 50 % of A and of B; A and B each own 25 % of C: C is blocked.
    report = run(
        [("X", "A", "50"), ("X", "B", "50"), ("A", "C", "25"), ("B", "C", "25")], listed={"X"}
    )
    assert report.blocked == ["A", "B", "C"]
    c = finding(report, "C")
    assert c["blocked_stake"] == {"low": 50.0, "high": 50.0}
    assert sorted(chain_text(ch) for ch in c["chains"]) == [
        "X -50 %-> A -25 %-> C",
        "X -50 %-> B -25 %-> C",
    ]


def test_faq401_example3_direct_plus_indirect() -> None:
    # X owns 50 % of A and 10 % of B; A owns 40 % of B: B is blocked (10 + 40).
    report = run([("X", "A", "50"), ("X", "B", "10"), ("A", "B", "40")], listed={"X"})
    assert report.blocked == ["A", "B"]
    b = finding(report, "B")
    assert b["basis"] == "ownership"
    assert sorted(o["owner"] for o in b["owners"]) == ["A", "X"]
    assert sorted(chain_text(ch) for ch in b["chains"]) == ["X -10 %-> B", "X -50 %-> A -40 %-> B"]


def test_faq399_stakes_of_different_blocked_persons_are_added() -> None:
    # X owns 25 % of A and Y owns 25 %: A is blocked; A's 50 % of B blocks B.
    report = run([("X", "A", "25"), ("Y", "A", "25"), ("A", "B", "50")], listed={"X", "Y"})
    assert report.blocked == ["A", "B"]


def test_indirect_ownership_only_counts_through_blocked_entities() -> None:
    # FAQ 401: "indirectly" means through entities 50 % or more owned by blocked persons.
    # X owns 40 % of A (A not blocked); A owns 100 % of B: B is not blocked, both are
    # reported for caution only where a blocked party holds a stake.
    report = run([("X", "A", "40"), ("A", "B", "100")], listed={"X"})
    assert report.blocked == [] and report.possibly_blocked == []
    assert [c["entity"]["id"] for c in report.caution] == ["A"]
    assert report.caution[0]["blocked_stake"] == {"low": 40.0, "high": 40.0}


def test_blocked_entity_counts_its_whole_stake_not_a_proportion() -> None:
    # A is blocked at 50 %; its 50 % of B counts in full (not 25 %).
    report = run([("X", "A", "50"), ("A", "B", "50"), ("Z", "A", "50")], listed={"X"})
    assert report.blocked == ["A", "B"]


# -- OFAC vs EU ------------------------------------------------------------------------


def test_exactly_fifty_percent_blocks_under_ofac_not_under_eu() -> None:
    rows = [("X", "A", "50")]
    assert run(rows, {"X"}, OFAC).blocked == ["A"]
    eu = run(rows, {"X"}, EU)
    assert eu.blocked == [] and [c["entity"]["id"] for c in eu.caution] == ["A"]


def test_majority_blocks_under_both_rules() -> None:
    for rule in (OFAC, EU):
        assert run([("X", "A", "majority")], {"X"}, rule).blocked == ["A"]
        assert run([("X", "A", "50.01")], {"X"}, rule).blocked == ["A"]


def test_control_blocks_under_eu_and_only_cautions_under_ofac() -> None:
    rows = [("X", "A", "", "control"), ("A", "B", "60")]
    eu = run(rows, {"X"}, EU)
    assert eu.blocked == ["A", "B"]
    assert finding(eu, "A")["basis"] == "control"
    assert [chain_text_rel(c) for c in finding(eu, "B")["chains"]] == ["X control A ownership B"]
    ofac = run(rows, {"X"}, OFAC)
    assert ofac.blocked == [] and ofac.possibly_blocked == []
    assert "FAQ 398" in ofac.caution[0]["reason"]


def chain_text_rel(chain: list[dict]) -> str:
    return " ".join([chain[0]["owner"], *(f"{link['relation']} {link['owned']}" for link in chain)])


def test_director_is_a_control_indicator_under_eu_only() -> None:
    rows = [("X", "A", "", "director")]
    eu = run(rows, {"X"}, EU)
    assert eu.blocked == [] and eu.possibly_blocked == ["A"]
    reasons = finding(eu, "A")["reasons"]
    assert any("control indicator" in r for r in reasons)
    assert run(rows, {"X"}, OFAC).possibly_blocked == []


# -- ranges, unknown stakes, conflicts -------------------------------------------------


def test_range_blocked_only_at_upper_bound_is_possibly_blocked() -> None:
    report = run([("X", "A", "25-50"), ("A", "B", "60")], {"X"})
    assert report.blocked == []
    assert report.possibly_blocked == ["A", "B"]
    a = finding(report, "A")
    assert a["blocked_stake"] == {"low": 25.0, "high": 50.0}
    assert any("25-50 %" in r for r in a["reasons"])
    assert any("A is itself possibly blocked" in r for r in finding(report, "B")["reasons"])


def test_range_whose_lower_bound_blocks_is_certain() -> None:
    report = run([("X", "A", "50-75")], {"X"})
    assert report.blocked == ["A"] and report.possibly_blocked == []


def test_range_plus_exact_stake_aggregates_at_both_ends() -> None:
    # 30 % exact + 10-25 %: 40-55 %, so only possibly blocked.
    report = run([("X", "A", "30"), ("Y", "A", "10-25")], {"X", "Y"})
    assert report.possibly_blocked == ["A"]
    assert finding(report, "A")["blocked_stake"] == {"low": 40.0, "high": 55.0}


def test_unknown_stake_is_possible_not_decided() -> None:
    report = run([("X", "A", "")], {"X"})
    assert report.possibly_blocked == ["A"]
    assert any("not known" in r for r in finding(report, "A")["reasons"])


def test_conflicting_records_are_reported_and_decided_only_where_they_agree() -> None:
    # Two sources disagree: 30 % and 60 %. Blocked at one, not at the other.
    report = run([("X", "A", "30"), ("X", "A", "60")], {"X"})
    assert report.blocked == [] and report.possibly_blocked == ["A"]
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert (conflict["owner"], conflict["owned"]) == ("X", "A")
    assert conflict["used"]["low"] == 30.0 and conflict["used"]["high"] == 60.0
    assert [s["evidence"][0]["line"] for s in conflict["statements"]] == [2, 3]
    # when both statements block, the conflict is still reported but the result is certain
    agree = run([("X", "A", "55"), ("X", "A", "70")], {"X"})
    assert agree.blocked == ["A"] and len(agree.conflicts) == 1


def test_identical_repeated_records_are_merged_without_conflict() -> None:
    report = run([("X", "A", "50"), ("X", "A", "50%"), ("X", "A", "")], {"X"})
    assert report.blocked == ["A"] and report.conflicts == []
    links = finding(report, "A")["owners"]
    assert len(links) == 1 and len(links[0]["evidence"]) == 3


def test_sum_over_100_percent_is_a_data_problem() -> None:
    report = run([("X", "A", "60"), ("Y", "A", "70")], {"X"})
    assert report.blocked == ["A"]
    assert [(o["entity"]["id"], o["total"]) for o in report.over_100] == [("A", 130.0)]


# -- cycles ------------------------------------------------------------------------------


def test_cycle_terminates_and_is_reported() -> None:
    # A and B own each other; nobody blocked feeds in enough: nothing blocked, cycle reported.
    report = run([("A", "B", "60"), ("B", "A", "60"), ("X", "A", "10")], {"X"})
    assert report.blocked == []
    assert len(report.cycles) == 1
    assert [m["id"] for m in report.cycles[0]["members"]] == ["A", "B"]
    assert report.cycles[0]["blocked"] is False


def test_cycle_entered_by_a_blocked_owner() -> None:
    report = run([("X", "A", "50"), ("A", "B", "60"), ("B", "C", "70"), ("C", "A", "20")], {"X"})
    assert report.blocked == ["A", "B", "C"]
    assert report.cycles[0]["blocked"] is True
    assert [chain_text(c) for c in finding(report, "C")["chains"]] == [
        "X -50 %-> A -60 %-> B -70 %-> C"
    ]


def test_long_chain_and_large_cycle_converge() -> None:
    n = 2000
    rows: list[Row] = [(f"E{i}", f"E{i + 1}", "51") for i in range(n)] + [(f"E{n}", "E0", "51")]
    report = run(rows, {"E0"})
    assert len(report.blocked) == n
    assert report.rounds == n + 1  # one round per link, then an empty one
    # a chain longer than 25 links starts at a blocked owner whose own entry continues it
    last = finding(report, f"E{n}")["chains"]
    assert len(last) == 1 and len(last[0]) == 25
    assert last[0][0]["owner"] == f"E{n - 25}" and last[0][0]["owner_status"] == "blocked"
    assert [len(c) for c in finding(report, "E3")["chains"]] == [3]


# -- possible matches ----------------------------------------------------------------------


def test_possible_match_counts_only_for_the_upper_bound() -> None:
    report = run([("P", "A", "60"), ("A", "B", "60")], listed=set(), possible={"P"})
    assert report.blocked == [] and report.possibly_blocked == ["A", "B"]
    assert report.possible_seeds == ["P"]
    assert any("resembles listed L-P" in r for r in finding(report, "A")["reasons"])


def test_report_json_is_complete() -> None:
    data = run([("X", "A", "50"), ("A", "B", "25-50")], {"X"}).to_json()
    assert data["summary"]["blocked"] == 1 and data["summary"]["possibly_blocked"] == 1
    assert data["rule"]["name"] == "ofac" and data["rule"]["inclusive"] is True
    assert [n["id"] for n in data["listed"]] == ["X"]
    assert set(data["warnings"]) == {"cycles", "conflicts", "over_100", "input"}


# -- the array engine ------------------------------------------------------------------------


def brute_force(n, src, dst, w, seeds, threshold, inclusive):  # type: ignore[no-untyped-def]
    """The least fixed point by full recomputation until nothing changes (the definition)."""
    blocked = seeds.copy()
    while True:
        total = np.zeros(n)
        np.add.at(total, dst[blocked[src]], w[blocked[src]])
        meets = total >= threshold - 1e-9 if inclusive else total > threshold + 1e-9
        new = blocked | meets
        if np.array_equal(new, blocked):
            return blocked
        blocked = new


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_frontier_fixed_point_equals_full_recomputation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 400, 1200
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    w = rng.choice([5.0, 10.0, 25.0, 33.3, 16.7, 50.0], len(src))
    seeds = np.zeros(n, dtype=bool)
    seeds[rng.choice(n, 15, replace=False)] = True
    empty = np.empty(0, dtype=np.int64)
    for inclusive in (True, False):
        fp = fixed_point(n, src, dst, w, empty, empty, seeds, 50.0, inclusive)
        assert np.array_equal(fp.blocked, brute_force(n, src, dst, w, seeds, 50.0, inclusive))
