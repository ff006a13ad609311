"""The fixed point of the ownership rules over arrays: millions of stakes in seconds.

Blocked status is monotone (more blocked owners never unblock anything), so the set of
blocked entities is the least fixed point reached from the listed ones. It is computed
frontier by frontier: each round adds the stakes of the entities that became blocked in
the previous round to their targets' totals, and blocks the targets whose total now
reaches the threshold (or that a newly blocked party controls). Every stake is added
once, so the work is proportional to the number of stakes whatever the depth, and a
cycle cannot loop: an entity joins the frontier at most once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sanctionsnet.network.rules import EPSILON, RuleSet

#: Relation codes in `Stakes.kind`.
KIND_CODES = {"ownership": 0, "control": 1, "director": 2}


@dataclass(frozen=True)
class Stakes:
    """Stakes as parallel arrays over entities numbered 0..n-1."""

    n: int
    src: NDArray[np.int64]  # owner / controller
    dst: NDArray[np.int64]  # owned / controlled
    low: NDArray[np.float64]  # lower bound of the stake, percent (0 for control)
    high: NDArray[np.float64]  # upper bound of the stake, percent
    kind: NDArray[np.uint8]  # KIND_CODES


@dataclass(frozen=True)
class FixedPoint:
    blocked: NDArray[np.bool_]
    #: round in which each entity became blocked (0 for the listed ones, -1 never)
    level: NDArray[np.int32]
    #: aggregate stake of blocked owners in each entity, at the end
    total: NDArray[np.float64]
    rounds: int


class _Adjacency:
    """Out-edges of each entity as a CSR layout (edges sorted by source)."""

    def __init__(
        self, n: int, src: NDArray[np.int64], dst: NDArray[np.int64], w: NDArray[np.float64]
    ):
        order = np.argsort(src, kind="stable")
        self.dst = dst[order]
        self.w = w[order]
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=self.indptr[1:])

    def out_edges(self, nodes: NDArray[np.int64]) -> NDArray[np.int64]:
        """Positions (in this layout) of all out-edges of `nodes`."""
        starts = self.indptr[nodes]
        lengths = self.indptr[nodes + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.empty(0, dtype=np.int64)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return np.arange(total, dtype=np.int64) + offsets


def fixed_point(
    n: int,
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
    weight: NDArray[np.float64],
    control_src: NDArray[np.int64],
    control_dst: NDArray[np.int64],
    seeds: NDArray[np.bool_],
    threshold: float,
    inclusive: bool,
) -> FixedPoint:
    """Entities blocked from `seeds` by stakes (`weight`) and by control relations."""
    stakes = _Adjacency(n, src, dst, weight)
    control = _Adjacency(n, control_src, control_dst, np.zeros(len(control_src)))
    limit = threshold - EPSILON if inclusive else threshold + EPSILON
    blocked = seeds.copy()
    level = np.full(n, -1, dtype=np.int32)
    level[blocked] = 0
    total = np.zeros(n, dtype=np.float64)
    frontier = np.flatnonzero(blocked)
    rounds = 0
    while frontier.size:
        rounds += 1
        positions = stakes.out_edges(frontier)
        targets = stakes.dst[positions]
        if targets.size > n // 4:
            total += np.bincount(targets, weights=stakes.w[positions], minlength=n)
        else:
            np.add.at(total, targets, stakes.w[positions])
        candidates = np.unique(targets[~blocked[targets]])
        reached = total[candidates] >= limit if inclusive else total[candidates] > limit
        controlled = control.dst[control.out_edges(frontier)]
        new = np.union1d(candidates[reached], controlled[~blocked[controlled]])
        blocked[new] = True
        level[new] = rounds
        frontier = new
    return FixedPoint(blocked, level, total, rounds)


@dataclass(frozen=True)
class Bounds:
    """The rule computed at both ends: `lower` is certain, `upper` is possible."""

    lower: FixedPoint
    upper: FixedPoint

    @property
    def blocked(self) -> NDArray[np.bool_]:
        return self.lower.blocked

    @property
    def possibly(self) -> NDArray[np.bool_]:
        return self.upper.blocked & ~self.lower.blocked


def compute_bounds(
    stakes: Stakes, seeds: NDArray[np.bool_], possible_seeds: NDArray[np.bool_], rule: RuleSet
) -> Bounds:
    """The rule with every uncertainty resolved against blocking, then for it.

    Lower bound: the listed seeds, the lower end of every stake, the relations that block
    under `rule`. Upper bound: also the possible seeds (names that only resemble a listed
    one), the upper end of every stake, and the relations that make an entity possibly
    blocked (a directorship under the EU rule set).
    """
    own = stakes.kind == KIND_CODES["ownership"]
    codes = [KIND_CODES[r] for r in rule.blocking_relations]
    both = codes + [KIND_CODES[r] for r in rule.possible_relations]
    ctrl_low = np.isin(stakes.kind, codes)
    ctrl_high = np.isin(stakes.kind, both)
    lower = fixed_point(
        stakes.n,
        stakes.src[own],
        stakes.dst[own],
        stakes.low[own],
        stakes.src[ctrl_low],
        stakes.dst[ctrl_low],
        seeds,
        rule.threshold,
        rule.inclusive,
    )
    upper = fixed_point(
        stakes.n,
        stakes.src[own],
        stakes.dst[own],
        stakes.high[own],
        stakes.src[ctrl_high],
        stakes.dst[ctrl_high],
        seeds | possible_seeds,
        rule.threshold,
        rule.inclusive,
    )
    return Bounds(lower, upper)
