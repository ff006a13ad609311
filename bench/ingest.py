"""Seconds and peak memory to import each real source, and the latest of all of them together.

Usage: python bench/ingest.py [--data ../shared/data]

Each measurement runs in a fresh subprocess so that peak memory (ru_maxrss) belongs
to that import alone. The "all latest" line imports the newest publication of every
source into one fresh store, the way a first `sanctionsnet update` would.
Target (issue 2): all of them in under 20 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The newest complete publication of each source in ../shared/data/lists.
LATEST: list[tuple[str, str | None, list[str]]] = [
    ("ofac_sdn", None, ["ofac_sdn/2024-05-03_sdn-only_jackdwyer/sdn.csv"]),
    (
        "ofac_cons",
        None,
        [
            f"ofac_cons/2025-12_moov-watchman/{f}"
            for f in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
        ],
    ),
    ("un_sc", None, ["un/2026-02-27_UN_consolidated.xml"]),
    ("eu_fsf", None, ["eu/EXCERPT_2020-04-15_EU_FSF_v1.1_7-entities.xml"]),
    ("uk_ofsi", None, ["uk/2025-04-10_OFSI_ConList_UK_Sanctions_List.xlsx"]),
    ("us_csl", None, ["us_csl/consolidated.csv.gz"]),
    ("ftm", "zala", ["opensanctions/yente_zala_entities.ftm.json"]),
]
EXTRA: list[tuple[str, str | None, list[str]]] = [
    (
        "ofac_sdn",
        None,
        [
            f"ofac_sdn/2021-07_complete_moov-watchman-bench/{f}"
            for f in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
        ],
    ),
    ("ofac_cons", None, ["ofac_cons/2025-01_CONS_ENHANCED/CONS_ENHANCED.ZIP"]),
    ("uk_ofsi", None, ["uk/2020-04-27_OFSI_ConList.csv"]),
]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store
jobs = json.loads(sys.argv[1]); home = Path(sys.argv[2]); lists = Path(sys.argv[3])
store = Store(home)
t0 = time.perf_counter(); entries = 0
for source, dataset, rels in jobs:
    r = import_files(store, source, [lists / p for p in rels], dataset=dataset, allow_shrink=True)
    entries += r.version.entries
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "entries": entries,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(jobs: list[tuple[str, str | None, list[str]]], lists: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(jobs), home, str(lists)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("SANCTIONSNET_SHARED_DATA", REPO.parent / "shared" / "data")),
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement; the median is shown"
    )
    args = parser.parse_args()
    lists = args.data / "lists"
    print(f"{'import':58} {'entries':>8} {'median s':>9} {'peak MB':>8}")
    for label, jobs in [
        (f"{s} {Path(r[0]).parent.name or Path(r[0]).name}/{Path(r[0]).name}", [(s, d, r)])
        for s, d, r in LATEST + EXTRA
    ] + [("ALL LATEST TOGETHER", LATEST)]:
        runs = [measure(jobs, lists) for _ in range(args.repeat)]
        secs = sorted(r["seconds"] for r in runs)[len(runs) // 2]
        peak = max(r["peak_mb"] for r in runs)
        print(f"{label[:58]:58} {int(runs[0]['entries']):>8,} {secs:>9.2f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
