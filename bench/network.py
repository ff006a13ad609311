"""The 50 % rules at registry scale: a synthetic ownership graph, numpy and Spark.

Usage:
    python bench/network.py [--companies 1000000] [--stakes 3000000] [--repeat 3]
                            [--sample 10000] [--no-spark] [--seed 7]

1. Generates (fixed seed) an ownership graph of --companies companies and --stakes stakes:
   owners drawn mostly "upstream" in a hidden order so that chains are deep, 2 % of stakes
   pointing back (cycles), shares that add up to at most 100 % per company, 10 % given as
   ranges, 3 % unknown, 3 % control and 2 % directorship relations; 0.5 % of companies
   listed, 0.1 % possible matches.
2. For OFAC and EU: seconds (median of --repeat, each run in this process) to compute both
   bounds with `propagate.compute_bounds` (frontier fixed point over CSR arrays), rounds,
   blocked and possibly blocked counts; peak resident memory of the whole process
   (ru_maxrss) and the RSS before and after. Target: < 60 s and < 4 GB.
3. A sample: a graph of --sample companies and 3 stakes per company from the same
   generator, computed with numpy and on Spark (local mode, iterative DataFrame joins,
   `network.spark.spark_bounds`): the blocked sets and the round in which each entity is
   blocked, at both bounds, must be identical, for both rule sets.

4. The whole analysis as `sanctionsnet ownership` runs it after reading a file (statements
   as Python objects merged, both bounds, chains, reasons, cautions, cycles, sums over
   100 %, the JSON report) on a graph of --full companies from the same generator.

The machine is small and shared (2 cores): figures vary between runs.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from sanctionsnet.network.propagate import KIND_CODES, Stakes, compute_bounds  # noqa: E402
from sanctionsnet.network.rules import EU, OFAC, RuleSet  # noqa: E402


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(companies: int, stakes: int, seed: int) -> tuple[Stakes, np.ndarray, np.ndarray]:
    """A random ownership graph with deep chains, cycles, ranges, unknown stakes, control."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(companies)  # hidden "upstream" order
    rank = np.empty(companies, dtype=np.int64)
    rank[order] = np.arange(companies)
    owned = rng.integers(0, companies, stakes)
    # Owners mostly a little upstream of what they own (deep chains), sometimes anywhere.
    back = rng.integers(1, 200, stakes)
    owner_rank = np.maximum(rank[owned] - back, 0)
    anywhere = rng.random(stakes) < 0.02
    owner_rank[anywhere] = rng.integers(0, companies, int(anywhere.sum()))
    owner = order[owner_rank]
    keep = owner != owned
    owner, owned = owner[keep], owned[keep]
    m = len(owned)
    # Shares: per owned company, weights normalised to a random total of 60-100 %.
    weights = rng.gamma(1.0, 1.0, m)
    sums = np.bincount(owned, weights=weights, minlength=companies)
    totals = rng.uniform(60.0, 100.0, companies)
    share = np.round(weights / sums[owned] * totals[owned], 2)
    low = share.copy()
    high = share.copy()
    ranged = rng.random(m) < 0.10
    low[ranged] = np.maximum(share[ranged] - 10.0, 0.0)
    high[ranged] = np.minimum(share[ranged] + 10.0, 100.0)
    unknown = rng.random(m) < 0.03
    low[unknown], high[unknown] = 0.0, 100.0
    kind = np.zeros(m, dtype=np.uint8)
    draw = rng.random(m)
    kind[draw < 0.03] = KIND_CODES["control"]
    kind[(draw >= 0.03) & (draw < 0.05)] = KIND_CODES["director"]
    control = kind != KIND_CODES["ownership"]
    low[control], high[control] = 0.0, 0.0
    seeds = np.zeros(companies, dtype=bool)
    seeds[rng.choice(companies, companies // 200, replace=False)] = True
    possible = np.zeros(companies, dtype=bool)
    possible[rng.choice(companies, companies // 1000, replace=False)] = True
    possible &= ~seeds
    return (
        Stakes(companies, owner.astype(np.int64), owned.astype(np.int64), low, high, kind),
        seeds,
        possible,
    )


def run_rule(
    stakes: Stakes, seeds: np.ndarray, possible: np.ndarray, rule: RuleSet, repeat: int
) -> None:
    times = []
    bounds = None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        bounds = compute_bounds(stakes, seeds, possible, rule)
        times.append(time.perf_counter() - started)
    assert bounds is not None
    print(
        f"  {rule.name:<4} median {statistics.median(times):6.2f} s (runs: "
        f"{', '.join(f'{t:.2f}' for t in times)}); rounds lower/upper "
        f"{bounds.lower.rounds}/{bounds.upper.rounds}; listed {int(seeds.sum()):,}, "
        f"blocked {int(bounds.blocked.sum() - seeds.sum()):,}, "
        f"possibly blocked {int(bounds.possibly.sum()):,}"
    )


def full_analysis(companies: int, seed: int, ratio: float) -> None:
    """`apply_rule` end to end on Node/Edge objects, as after reading a user's file."""
    from sanctionsnet.network.fifty_percent import apply_rule
    from sanctionsnet.network.model import Edge, Evidence, Node, Share

    stakes, seeds, possible = synthetic(companies, int(companies * ratio), seed)
    relation = {0: "ownership", 1: "control", 2: "director"}
    nodes = {
        f"c{i}": Node(
            f"c{i}",
            f"Company {i}",
            "Company",
            listed=bool(seeds[i]),
            possible_match={"entity_id": "x", "score": 0.8} if possible[i] else None,
        )
        for i in range(stakes.n)
    }
    edges = [
        Edge(
            f"c{s}",
            f"c{d}",
            relation[k],
            Share(lo, hi) if k == 0 else None,
            None,
            (Evidence("user", file="synthetic.csv", line=line),),
        )
        for line, (s, d, lo, hi, k) in enumerate(
            zip(
                stakes.src.tolist(),
                stakes.dst.tolist(),
                stakes.low.tolist(),
                stakes.high.tolist(),
                stakes.kind.tolist(),
                strict=True,
            ),
            start=2,
        )
    ]
    import json

    for rule in (OFAC, EU):
        gc.collect()
        started = time.perf_counter()
        report = apply_rule(nodes, edges, rule)
        computed = time.perf_counter() - started
        text = json.dumps(report.to_json())
        total = time.perf_counter() - started
        print(
            f"  {rule.name:<4} {computed:.1f} s analysis + {total - computed:.1f} s JSON "
            f"({len(text) / 2**20:.0f} MB): blocked {len(report.blocked):,}, possibly "
            f"{len(report.possibly_blocked):,}, caution {len(report.caution):,}, "
            f"cycles {len(report.cycles):,}; RSS {rss_mb():.0f} MB"
        )


def spark_check(stakes: Stakes, seeds: np.ndarray, possible: np.ndarray) -> bool:
    from sanctionsnet.network.spark import local_session, spark_bounds

    started = time.perf_counter()
    spark = local_session()
    spark.sparkContext.setLogLevel("ERROR")
    print(f"  Spark session: {time.perf_counter() - started:.1f} s")
    same = True
    try:
        for rule in (OFAC, EU):
            t0 = time.perf_counter()
            ours = compute_bounds(stakes, seeds, possible, rule)
            t_numpy = time.perf_counter() - t0
            t0 = time.perf_counter()
            lower, upper = spark_bounds(spark, stakes, seeds, possible, rule)
            t_spark = time.perf_counter() - t0
            equal = (
                np.array_equal(lower.blocked, ours.lower.blocked)
                and np.array_equal(upper.blocked, ours.upper.blocked)
                and np.array_equal(lower.level, ours.lower.level)
                and np.array_equal(upper.level, ours.upper.level)
            )
            same &= equal
            print(
                f"  {rule.name:<4} numpy {t_numpy:.3f} s, Spark {t_spark:.1f} s "
                f"({lower.rounds}+{upper.rounds} rounds); blocked {int(ours.lower.blocked.sum()):,}"
                f" / possibly {int(ours.possibly.sum()):,}; identical: {'yes' if equal else 'NO'}"
            )
    finally:
        spark.stop()
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=1_000_000)
    parser.add_argument("--stakes", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--full", type=int, default=100_000, help="0 to skip")
    args = parser.parse_args()

    print(f"start: RSS {rss_mb():.0f} MB")
    started = time.perf_counter()
    stakes, seeds, possible = synthetic(args.companies, args.stakes, args.seed)
    print(
        f"synthetic graph: {stakes.n:,} companies, {len(stakes.src):,} stakes "
        f"({int((stakes.kind == 1).sum()):,} control, {int((stakes.kind == 2).sum()):,} director, "
        f"{int(((stakes.low < stakes.high) & (stakes.kind == 0)).sum()):,} ranged or unknown) "
        f"in {time.perf_counter() - started:.1f} s; RSS {rss_mb():.0f} MB"
    )
    before = rss_mb()
    print("50 % rules, both bounds (target < 60 s, < 4 GB):")
    for rule in (OFAC, EU):
        run_rule(stakes, seeds, possible, rule, args.repeat)
    print(
        f"  memory: RSS {before:.0f} MB before, {rss_mb():.0f} MB after; "
        f"peak of the process {peak_mb():.0f} MB"
    )
    ratio = args.stakes / args.companies
    if args.full:
        print(f"full analysis (objects, explanations, JSON) on {args.full:,} companies:")
        full_analysis(args.full, args.seed, ratio)
    if args.no_spark:
        return 0
    sample = synthetic(args.sample, int(args.sample * ratio), args.seed)
    print(
        f"sample: {args.sample:,} companies, {len(sample[0].src):,} stakes, "
        f"{int(sample[1].sum())} listed; numpy vs Spark (local[2], iterative DataFrame joins):"
    )
    return 0 if spark_check(*sample) else 1


if __name__ == "__main__":
    sys.exit(main())
