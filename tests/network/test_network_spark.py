"""The ownership rules on Spark (local mode) give exactly the numpy engine's results."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from sanctionsnet.network.propagate import Stakes, compute_bounds
from sanctionsnet.network.rules import EU, OFAC, RuleSet
from sanctionsnet.network.spark import local_session, spark_bounds


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    session = local_session(cores=2, app="sanctionsnet-network-test")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def random_graph(seed: int, n: int = 150, m: int = 400) -> tuple[Stakes, np.ndarray, np.ndarray]:
    """Stakes with exact shares, ranges, unknown stakes, control and directorships."""
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    low = rng.choice([5.0, 10.0, 16.7, 25.0, 33.3, 50.0, 60.0], len(src))
    high = np.where(rng.random(len(src)) < 0.2, np.minimum(low + 25.0, 100.0), low)
    unknown = rng.random(len(src)) < 0.05
    low[unknown], high[unknown] = 0.0, 100.0
    kind = rng.choice([0, 0, 0, 0, 0, 0, 1, 2], len(src)).astype(np.uint8)
    low[kind > 0], high[kind > 0] = 0.0, 0.0
    seeds = np.zeros(n, dtype=bool)
    seeds[rng.choice(n, 12, replace=False)] = True
    possible = np.zeros(n, dtype=bool)
    possible[rng.choice(n, 4, replace=False)] = True
    return (
        Stakes(n, src.astype(np.int64), dst.astype(np.int64), low, high, kind),
        seeds,
        possible & ~seeds,
    )


@pytest.mark.parametrize("rule", [OFAC, EU], ids=lambda r: r.name)
def test_spark_equals_numpy(spark: object, rule: RuleSet) -> None:
    stakes, seeds, possible = random_graph(1)
    ours = compute_bounds(stakes, seeds, possible, rule)
    lower, upper = spark_bounds(spark, stakes, seeds, possible, rule)  # type: ignore[arg-type]
    assert ours.lower.blocked.sum() > seeds.sum()  # the sample does block something
    assert ours.possibly.any()  # and leaves something uncertain
    assert np.array_equal(lower.blocked, ours.lower.blocked)
    assert np.array_equal(upper.blocked, ours.upper.blocked)
    assert np.array_equal(lower.level, ours.lower.level)
    assert np.array_equal(upper.level, ours.upper.level)
    assert (lower.rounds, upper.rounds) == (ours.lower.rounds, ours.upper.rounds)
