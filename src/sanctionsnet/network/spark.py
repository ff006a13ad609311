"""The ownership rules on Apache Spark: the same fixed point as iterative joins.

For ownership graphs that outgrow one machine (a registry's worth of companies). Each
round joins the blocked entities with their stakes, sums them per owned entity, and
blocks those that reach the threshold or that a blocked party controls; the blocked
sets and the round in which each entity is blocked equal `propagate.fixed_point`'s
(see tests/network/test_network_spark.py and bench/network.py). pyspark is an optional
dependency (`pip install 'sanctionsnet[spark]'`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from sanctionsnet.network.propagate import KIND_CODES, Stakes
from sanctionsnet.network.rules import EPSILON, RuleSet

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession


def local_session(cores: int = 2, app: str = "sanctionsnet-network") -> SparkSession:
    """A local Spark session sized for this machine (no UI, few shuffle partitions)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.memory", "2g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


@dataclass(frozen=True)
class SparkResult:
    blocked: NDArray[np.bool_]
    level: NDArray[np.int32]
    rounds: int


def fixed_point_df(
    edges: DataFrame,
    seeds: DataFrame,
    weight: str,
    control_kinds: list[int],
    threshold: float,
    inclusive: bool,
) -> tuple[DataFrame, int]:
    """(id, level) of every blocked entity, from `edges` (src, dst, low, high, kind) and
    `seeds` (id).

    Each round sums the stakes of everything blocked so far per owned entity (a join and
    an aggregation), so no running total has to be carried between rounds: an entity
    reaches the threshold in the same round as in the frontier computation of
    `propagate.fixed_point`, hence the same levels. Lineage is cut as it grows.
    """
    from pyspark.sql import functions as F

    own = (
        edges.filter(F.col("kind") == KIND_CODES["ownership"])
        .select("src", "dst", F.col(weight).alias("w"))
        .localCheckpoint()
    )
    control = (
        edges.filter(F.col("kind").isin(control_kinds) if control_kinds else F.lit(False))
        .select("src", "dst")
        .localCheckpoint()
    )
    limit = threshold - EPSILON if inclusive else threshold + EPSILON
    blocked = seeds.select("id").distinct().withColumn("level", F.lit(0)).localCheckpoint()
    rounds = 0
    while True:
        rounds += 1
        ids = blocked.select("id")
        totals = (
            ids.join(own, ids.id == own.src)
            .groupBy(F.col("dst").alias("id"))
            .agg(F.sum("w").alias("total"))
        )
        reached = totals.filter(F.col("total") >= limit if inclusive else F.col("total") > limit)
        controlled = ids.join(control, ids.id == control.src).select(F.col("dst").alias("id"))
        new = (
            reached.select("id")
            .unionByName(controlled)
            .distinct()
            .join(blocked, "id", "left_anti")
            .localCheckpoint()
        )
        if new.isEmpty():
            break
        blocked = blocked.unionByName(new.withColumn("level", F.lit(rounds)))
        if rounds % 4 == 0:
            blocked = blocked.localCheckpoint()
    return blocked, rounds


def _write_inputs(
    folder: Path, stakes: Stakes, seeds: NDArray[np.bool_], possible: NDArray[np.bool_]
) -> None:
    table = pa.table(
        {
            "src": pa.array(stakes.src, pa.int64()),
            "dst": pa.array(stakes.dst, pa.int64()),
            "low": pa.array(stakes.low, pa.float64()),
            "high": pa.array(stakes.high, pa.float64()),
            "kind": pa.array(stakes.kind.astype(np.int32), pa.int32()),
        }
    )
    pq.write_table(table, folder / "stakes.parquet")
    pq.write_table(
        pa.table({"id": pa.array(np.flatnonzero(seeds), pa.int64())}), folder / "seeds.parquet"
    )
    both = np.flatnonzero(seeds | possible)
    pq.write_table(pa.table({"id": pa.array(both, pa.int64())}), folder / "seeds_high.parquet")


def spark_bounds(
    spark: SparkSession,
    stakes: Stakes,
    seeds: NDArray[np.bool_],
    possible: NDArray[np.bool_],
    rule: RuleSet,
) -> tuple[SparkResult, SparkResult]:
    """`propagate.compute_bounds` on Spark: (lower, upper) blocked sets and levels."""
    codes = [KIND_CODES[r] for r in rule.blocking_relations]
    both = codes + [KIND_CODES[r] for r in rule.possible_relations]
    with tempfile.TemporaryDirectory(prefix="sanctionsnet-spark-") as tmp:
        folder = Path(tmp)
        _write_inputs(folder, stakes, seeds, possible)
        edges = spark.read.parquet(str(folder / "stakes.parquet"))
        results = []
        for weight, kinds, seed_file in (
            ("low", codes, "seeds.parquet"),
            ("high", both, "seeds_high.parquet"),
        ):
            seed_df = spark.read.parquet(str(folder / seed_file))
            blocked_df, rounds = fixed_point_df(
                edges, seed_df, weight, kinds, rule.threshold, rule.inclusive
            )
            rows = blocked_df.collect()
            blocked = np.zeros(stakes.n, dtype=bool)
            level = np.full(stakes.n, -1, dtype=np.int32)
            if rows:
                ids = np.array([r["id"] for r in rows], dtype=np.int64)
                blocked[ids] = True
                level[ids] = np.array([r["level"] for r in rows], dtype=np.int32)
            results.append(SparkResult(blocked, level, rounds))
    return results[0], results[1]
