"""Who is blocked by ownership or control, why, and what in the data is doubtful.

`apply_rule` takes parties and statements of ownership, control and directorship (from a
user's file, see `ownership_input`), merges repeated statements, computes the rule set
at both ends of every uncertainty (see `propagate.compute_bounds`) and explains each
entity blocked by aggregation with the chains of stakes from listed parties to it,
every link with its evidence.

Choices, documented because the data does not decide them:

- a stake given as a range, as "majority" or not at all (an unknown stake) is computed
  at its lower and its upper end; an entity blocked only at the upper end is reported
  as possibly blocked, with the reason;
- statements of different sizes for the same owner and owned entity (from different
  files or sources, or repeated rows) are a conflict: the stake is taken as the range
  they span, so the rule is decided only where every statement agrees, and the conflict
  is reported. Rows are never added up: write one row per owner and owned entity;
- a name that only resembles a listed party (a screening score between the threshold
  and the certainty score) is a possible seed: it counts for the upper bound only;
- stakes in one entity adding up to more than 100 % are reported as a data problem and
  used as given;
- ownership cycles are found (strongly connected components) and reported; the fixed
  point is unaffected by them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from sanctionsnet.network.model import (
    OWNERSHIP_RELATIONS,
    UNKNOWN_SHARE,
    Edge,
    Node,
    Share,
)
from sanctionsnet.network.propagate import KIND_CODES, Bounds, FixedPoint, Stakes, compute_bounds
from sanctionsnet.network.rules import EPSILON, RuleSet

MAX_CHAINS = 10
MAX_CHAIN_LINKS = 25
#: Members and links shown per ownership cycle (its size is always given).
MAX_CYCLE_ITEMS = 50


@dataclass
class OwnershipReport:
    """The outcome of a rule set over a body of ownership data, JSON-ready via `to_json`."""

    rule: RuleSet
    nodes: dict[str, Node]
    edges: list[Edge]
    seeds: list[str]
    possible_seeds: list[str]
    findings: list[dict[str, Any]] = field(default_factory=list)
    caution: list[dict[str, Any]] = field(default_factory=list)
    cycles: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    over_100: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rounds: int = 0
    #: node id -> how the party of the data was matched to the lists (screening evidence)
    party_matches: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def blocked(self) -> list[str]:
        return [f["entity"]["id"] for f in self.findings if f["status"] == "blocked"]

    @property
    def possibly_blocked(self) -> list[str]:
        return [f["entity"]["id"] for f in self.findings if f["status"] == "possibly_blocked"]

    def _party(self, node_id: str) -> dict[str, Any]:
        data = self.nodes[node_id].to_json()
        if node_id in self.party_matches:
            data["matched_as"] = self.party_matches[node_id]
        return data

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.to_json(),
            "summary": {
                "parties": len(self.nodes),
                "relations": len(self.edges),
                "listed": len(self.seeds),
                "possible_matches": len(self.possible_seeds),
                "blocked": len(self.blocked),
                "possibly_blocked": len(self.possibly_blocked),
                "caution": len(self.caution),
                "rounds": self.rounds,
            },
            "listed": [self._party(s) for s in self.seeds],
            "possible_matches": [self._party(s) for s in self.possible_seeds],
            "blocked": self.findings,
            "caution": self.caution,
            "warnings": {
                "cycles": self.cycles,
                "conflicts": self.conflicts,
                "over_100": self.over_100,
                "input": self.warnings,
            },
        }


def merge_statements(edges: Iterable[Edge]) -> tuple[list[Edge], list[dict[str, Any]]]:
    """One edge per (owner, owned, relation); stakes that disagree become a range + conflict.

    A statement without a stake adds evidence but no conflict when another gives one.
    """
    groups: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for edge in edges:
        groups[edge.key].append(edge)
    merged: list[Edge] = []
    conflicts: list[dict[str, Any]] = []
    for (source, target, relation), group in groups.items():
        evidence = tuple(ev for e in group for ev in e.evidence)
        stated = [e for e in group if e.share is not None]
        distinct = {(e.share.low, e.share.high) for e in stated if e.share is not None}
        share: Share | None = stated[0].share if stated else None
        if len(distinct) > 1:
            low = min(lo for lo, _ in distinct)
            high = max(hi for _, hi in distinct)
            texts = "; ".join(sorted({e.share.describe() for e in stated if e.share is not None}))
            share = Share(low, high, f"conflicting: {texts}")
            conflicts.append(
                {
                    "owner": source,
                    "owned": target,
                    "relation": relation,
                    "used": share.to_json(),
                    "statements": [
                        {
                            "share": e.share.to_json() if e.share is not None else None,
                            "evidence": [ev.to_json() for ev in e.evidence],
                        }
                        for e in group
                    ],
                    "choice": (
                        "the stake is taken as the range the statements span: the rule is "
                        "decided only where all of them agree, otherwise 'possibly blocked'"
                    ),
                }
            )
        merged.append(Edge(source, target, relation, share, group[0].role, evidence))
    return merged, conflicts


def apply_rule(
    nodes: Mapping[str, Node],
    edges: Iterable[Edge],
    rule: RuleSet,
    seeds: Iterable[str] | None = None,
    possible_seeds: Iterable[str] | None = None,
    warnings: Iterable[str] = (),
) -> OwnershipReport:
    """The entities `rule` blocks, with chains, reasons and data warnings.

    `seeds` are the listed (blocked) parties, by default every node marked listed;
    `possible_seeds` those that only resemble a listed party, by default every node with
    a `possible_match`. Relations other than ownership, control and directorship are
    ignored.
    """
    merged, conflicts = merge_statements(e for e in edges if e.relation in OWNERSHIP_RELATIONS)
    all_nodes = dict(nodes)
    for edge in merged:
        for end in (edge.source, edge.target):
            all_nodes.setdefault(end, Node(end, end))
    ids = sorted(all_nodes)
    number = {node_id: i for i, node_id in enumerate(ids)}
    seed_ids = sorted(set(seeds) if seeds is not None else {n for n in ids if all_nodes[n].listed})
    possible_ids = sorted(
        (
            set(possible_seeds)
            if possible_seeds is not None
            else {n for n in ids if all_nodes[n].possible_match is not None}
        )
        - set(seed_ids)
    )
    stakes = _stakes(merged, number)
    seed_mask = np.zeros(len(ids), dtype=bool)
    seed_mask[[number[s] for s in seed_ids if s in number]] = True
    possible_mask = np.zeros(len(ids), dtype=bool)
    possible_mask[[number[s] for s in possible_ids if s in number]] = True
    bounds = compute_bounds(stakes, seed_mask, possible_mask, rule)
    report = OwnershipReport(
        rule=rule,
        nodes=all_nodes,
        edges=merged,
        seeds=seed_ids,
        possible_seeds=possible_ids,
        conflicts=conflicts,
        warnings=list(warnings),
        rounds=max(bounds.lower.rounds, bounds.upper.rounds),
    )
    _Explainer(report, ids, number, bounds, seed_mask, possible_mask).explain()
    report.cycles = _cycles(merged, ids, number, all_nodes, bounds)
    report.over_100 = _over_100(merged, all_nodes)
    return report


def _bounds_of(edge: Edge) -> tuple[float, float]:
    if edge.relation != "ownership":
        return 0.0, 0.0
    share = edge.share or UNKNOWN_SHARE
    return share.low, share.high


def _stakes(edges: list[Edge], number: dict[str, int]) -> Stakes:
    src = np.array([number[e.source] for e in edges], dtype=np.int64)
    dst = np.array([number[e.target] for e in edges], dtype=np.int64)
    lows, highs = zip(*(_bounds_of(e) for e in edges), strict=True) if edges else ((), ())
    return Stakes(
        n=len(number),
        src=src,
        dst=dst,
        low=np.array(lows, dtype=np.float64),
        high=np.array(highs, dtype=np.float64),
        kind=np.array([KIND_CODES[e.relation] for e in edges], dtype=np.uint8),
    )


class _Explainer:
    """Findings (blocked / possibly blocked, with chains and reasons) and cautions."""

    def __init__(
        self,
        report: OwnershipReport,
        ids: list[str],
        number: dict[str, int],
        bounds: Bounds,
        seeds: np.ndarray,
        possible: np.ndarray,
    ) -> None:
        self.report = report
        self.ids = ids
        self.number = number
        self.bounds = bounds
        self.seeds = seeds
        self.possible = possible
        self.rule = report.rule
        self.incoming: dict[str, list[Edge]] = defaultdict(list)
        for edge in report.edges:
            self.incoming[edge.target].append(edge)

    def status(self, node_id: str) -> str:
        i = self.number[node_id]
        if self.seeds[i]:
            return "listed"
        if self.bounds.lower.blocked[i]:
            return "blocked"
        if self.possible[i]:
            return "possible_match"
        if self.bounds.upper.blocked[i]:
            return "possibly_blocked"
        return "not_blocked"

    def counts(self, edge: Edge, certain: bool) -> bool:
        """Whether `edge` confers blocked status at that bound (its owner being blocked)."""
        if edge.relation == "ownership":
            return True
        if edge.relation in self.rule.blocking_relations:
            return True
        return not certain and edge.relation in self.rule.possible_relations

    def explain(self) -> None:
        lower, upper = self.bounds.lower, self.bounds.upper
        order = sorted(
            (
                i
                for i in range(len(self.ids))
                if not self.seeds[i]
                and (lower.blocked[i] or (upper.blocked[i] and not self.possible[i]))
            ),
            key=lambda i: (
                not lower.blocked[i],
                int(lower.level[i] if lower.blocked[i] else upper.level[i]),
                self.report.nodes[self.ids[i]].caption,
            ),
        )
        for i in order:
            self.report.findings.append(self._finding(self.ids[i], bool(lower.blocked[i])))
        for node_id in self.ids:
            i = self.number[node_id]
            if upper.blocked[i] or self.seeds[i] or self.possible[i]:
                continue
            caution = self._caution(node_id)
            if caution is not None:
                self.report.caution.append(caution)

    def _link(self, edge: Edge) -> dict[str, Any]:
        return {
            "owner": edge.source,
            "owner_caption": self.report.nodes[edge.source].caption,
            "owner_status": self.status(edge.source),
            "owned": edge.target,
            "owned_caption": self.report.nodes[edge.target].caption,
            "relation": edge.relation,
            "share": edge.share.to_json() if edge.share is not None else None,
            "evidence": [ev.to_json() for ev in edge.evidence],
        }

    def _stake(self, node_id: str) -> tuple[float, float]:
        lower, upper = self.bounds.lower.blocked, self.bounds.upper.blocked
        low = high = 0.0
        for edge in self.incoming[node_id]:
            if edge.relation != "ownership":
                continue
            lo, hi = _bounds_of(edge)
            j = self.number[edge.source]
            if lower[j]:
                low += lo
            if upper[j]:
                high += hi
        return low, high

    def _finding(self, node_id: str, certain: bool) -> dict[str, Any]:
        fp = self.bounds.lower if certain else self.bounds.upper
        blocked_by = [
            e
            for e in self.incoming[node_id]
            if fp.blocked[self.number[e.source]] and self.counts(e, certain)
        ]
        low, high = self._stake(node_id)
        stake_total = low if certain else high
        if self.rule.meets(stake_total):
            basis = "ownership"
        elif any(e.relation in self.rule.blocking_relations for e in blocked_by):
            basis = "control"
        else:
            basis = "director" if not certain else "control"
        finding: dict[str, Any] = {
            "entity": self.report.nodes[node_id].to_json(),
            "status": "blocked" if certain else "possibly_blocked",
            "basis": basis,
            "blocked_stake": {"low": round(low, 6), "high": round(high, 6)},
            "threshold": self.rule.describe_threshold(),
            "owners": [self._link(e) for e in blocked_by],
            "chains": self._chains(node_id, fp, certain),
        }
        if not certain:
            finding["reasons"] = self._reasons(node_id, blocked_by, low, high, basis)
        return finding

    def _chains(self, node_id: str, fp: FixedPoint, certain: bool) -> list[list[dict[str, Any]]]:
        """Paths of blocking links from listed parties to `node_id`.

        Walked back through owners blocked in earlier rounds, so a path cannot loop. At
        most MAX_CHAINS paths; a path longer than MAX_CHAIN_LINKS starts at a blocked
        owner (whose own entry continues it) instead of a listed one.
        """
        chains: list[list[dict[str, Any]]] = []
        stack: list[tuple[str, list[Edge]]] = [(node_id, [])]
        while stack and len(chains) < MAX_CHAINS:
            current, suffix = stack.pop()
            level = fp.level[self.number[current]]
            if level == 0 or len(suffix) >= MAX_CHAIN_LINKS:
                chains.append([self._link(e) for e in suffix])
                continue
            feeders = [
                e
                for e in self.incoming[current]
                if self.counts(e, certain)
                and fp.blocked[self.number[e.source]]
                and 0 <= fp.level[self.number[e.source]] < level
            ]
            # control (which blocks by itself) first, then the largest stakes
            feeders.sort(
                key=lambda e: (
                    -(_bounds_of(e)[1] if e.relation == "ownership" else 101.0),
                    e.source,
                )
            )
            stack.extend((edge.source, [edge, *suffix]) for edge in reversed(feeders))
        return chains

    def _reasons(
        self, node_id: str, blocked_by: list[Edge], low: float, high: float, basis: str
    ) -> list[str]:
        name = self.report.nodes[node_id].caption
        reasons = []
        if basis == "ownership":
            reasons.append(
                f"blocked owners hold {low:g}-{high:g} % of {name}: "
                f"{'reaches' if self.rule.meets(high) else 'misses'} the threshold "
                f"({self.rule.describe_threshold()}) only at the upper end"
            )
        for edge in blocked_by:
            owner = self.report.nodes[edge.source]
            status = self.status(edge.source)
            if edge.relation in self.rule.possible_relations:
                reasons.append(
                    f"{owner.caption} is {edge.relation} of {name}: a control indicator under "
                    f"the {self.rule.name.upper()} rule set, to be assessed"
                )
            if edge.relation == "ownership" and edge.share is None:
                reasons.append(f"the stake of {owner.caption} in {name} is not known")
            elif edge.relation == "ownership" and edge.share is not None and not edge.share.exact:
                reasons.append(f"the stake of {owner.caption} in {name} is {edge.share.describe()}")
            if status == "possible_match" and owner.possible_match is not None:
                match = owner.possible_match
                reasons.append(
                    f"{owner.caption} resembles listed {match.get('matched_name') or match['entity_id']} "
                    f"({match['entity_id']}, score {match['score']:.2f}) but below the certainty score"
                )
            elif status == "possibly_blocked":
                reasons.append(f"{owner.caption} is itself possibly blocked")
        return reasons

    def _caution(self, node_id: str) -> dict[str, Any] | None:
        """A blocked party holds a stake below the threshold, controls or directs it."""
        links = [
            e for e in self.incoming[node_id] if self.bounds.lower.blocked[self.number[e.source]]
        ]
        if not links:
            return None
        low, high = self._stake(node_id)
        relations = sorted({e.relation for e in links})
        reason = (
            f"blocked parties hold {low:g} % (up to {high:g} %), below the threshold"
            if "ownership" in relations
            else ""
        )
        if set(relations) - {"ownership"}:
            others = ", ".join(r for r in relations if r != "ownership")
            extra = f"a blocked party is linked by {others}"
            if self.rule.name == "ofac":
                extra += " (control alone does not block under OFAC, FAQ 398)"
            reason = f"{reason}; {extra}" if reason else extra
        return {
            "entity": self.report.nodes[node_id].to_json(),
            "blocked_stake": {"low": round(low, 6), "high": round(high, 6)},
            "reason": reason,
            "links": [self._link(e) for e in links],
        }


def _cycles(
    edges: list[Edge],
    ids: list[str],
    number: dict[str, int],
    nodes: Mapping[str, Node],
    bounds: Bounds,
) -> list[dict[str, Any]]:
    """Circular ownership or control: strongly connected groups of two or more parties."""
    if not edges:
        return []
    rows = np.array([number[e.source] for e in edges])
    cols = np.array([number[e.target] for e in edges])
    matrix = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(len(ids), len(ids)))
    count, labels = connected_components(matrix, directed=True, connection="strong")
    members: dict[int, list[str]] = defaultdict(list)
    for i, label in enumerate(labels):
        members[int(label)].append(ids[i])
    out = []
    groups = [g for g in members.values() if len(g) >= 2]
    del count
    for group in sorted(groups, key=lambda g: (-len(g), min(g))):
        inside = set(group)
        links = [e for e in edges if e.source in inside and e.target in inside]
        out.append(
            {
                "size": len(group),
                "members": [nodes[m].to_json() for m in sorted(group)[:MAX_CYCLE_ITEMS]],
                "links": [
                    {
                        "owner": e.source,
                        "owned": e.target,
                        "relation": e.relation,
                        "share": e.share.to_json() if e.share else None,
                    }
                    for e in links[:MAX_CYCLE_ITEMS]
                ],
                "truncated": len(group) > MAX_CYCLE_ITEMS or len(links) > MAX_CYCLE_ITEMS,
                "blocked": any(bounds.lower.blocked[number[m]] for m in group),
                "note": "circular ownership: handled (fixed point), but check the data",
            }
        )
    return out


def _over_100(edges: list[Edge], nodes: Mapping[str, Node]) -> list[dict[str, Any]]:
    """Entities whose stated stakes add up to more than 100 % (at their lower ends)."""
    totals: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        if edge.relation == "ownership" and edge.share is not None:
            totals[edge.target].append(edge)
    out = []
    for target, group in sorted(totals.items()):
        total = sum(e.share.low for e in group if e.share is not None)
        if total > 100.0 + EPSILON:
            out.append(
                {
                    "entity": nodes[target].to_json(),
                    "total": round(total, 6),
                    "owners": [
                        {
                            "owner": e.source,
                            "share": e.share.to_json() if e.share else None,
                        }
                        for e in group
                    ],
                    "note": "stakes add up to more than 100 %: a data problem; used as given",
                }
            )
    return out
