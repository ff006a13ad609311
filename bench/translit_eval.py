"""Cross-script name token matching on the Wikidata transliteration pairs, ours beside the peer.

Protocol (issue 3): per script, 500 positive pairs sampled with a fixed seed (``random.Random
(seed).sample``) from ``wd_<script>_20.tsv`` (Latin token, native token with its characters
space-separated, count), and 500 negatives made by pairing each sampled Latin token with the
native form of the next sampled row (``(i + 1) % 500``); precision, recall and F1 at one
global threshold.

Ours: `sanctionsnet.names.translit.token_similarity(latin, native)`. Peer: nomenklatura's
``logic-v2`` scoring two Person entities that carry only the ``name`` property (Latin vs
native), each entity with a fresh id (nomenklatura caches name analysis by entity id).

Also prints the retrieval recall of `phonetic.token_keys` (positive pairs that share a key),
the cost per pair of both scorers in that run (ours with empty caches at the start of each
script), and per-call timings of `latin_variants` and `token_similarity`.

Usage: python bench/translit_eval.py [--threshold 0.7] [--seed 0] [--n 500] [--no-peer]
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from sanctionsnet.names import translit  # noqa: E402
from sanctionsnet.names.phonetic import token_keys  # noqa: E402
from sanctionsnet.names.translit import latin_variants, token_similarity  # noqa: E402

SCRIPTS = ("russian", "korean", "chinese", "arabic", "hebrew", "katakana")
DEFAULT_THRESHOLD = 0.7
PEER_REFERENCE = {"russian": 0.83, "korean": 0.30, "chinese": 0.27, "arabic": 0.26}


def data_dir() -> Path:
    env = os.environ.get("SANCTIONSNET_SHARED_DATA")
    base = Path(env) if env else REPO.parent / "shared" / "data"
    return base / "eval" / "NETransliteration_wikidata"


def read_rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for record in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) >= 2:
                rows.append((record[0], record[1].replace(" ", "")))
    return rows


def sample_pairs(
    rows: list[tuple[str, str]], n: int, seed: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Positives and negatives exactly as the issue's protocol describes."""
    sample = random.Random(seed).sample(rows, n)
    positives = list(sample)
    negatives = [(sample[i][0], sample[(i + 1) % n][1]) for i in range(n)]
    return positives, negatives


def prf(pos: list[float], neg: list[float], threshold: float) -> tuple[float, float, float]:
    tp = sum(s >= threshold for s in pos)
    fp = sum(s >= threshold for s in neg)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(pos) if pos else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def peer_scorer() -> Callable[[str, str], float]:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        raise RuntimeError("nomenklatura has no logic-v2")
    config = ScoringConfig.defaults()
    ids = itertools.count()

    def entity(name: str):  # type: ignore[no-untyped-def]
        proxy = model.make_entity("Person")
        proxy.id = f"e{next(ids)}"
        proxy.add("name", name)
        return proxy

    def score(latin: str, native: str) -> float:
        return float(algorithm.compare(entity(latin), entity(native), config).score)

    return score


def clear_caches() -> None:
    """Empty every memo of the names modules, for cold timings."""
    from sanctionsnet.names import phonetic

    for module in (translit, phonetic):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--no-peer", action="store_true", help="skip nomenklatura")
    args = parser.parse_args()

    peer = None if args.no_peer else peer_scorer()
    print(f"threshold {args.threshold}, seed {args.seed}, {args.n} positives + {args.n} negatives")
    header = f"{'script':10} {'ours P':>7} {'R':>6} {'F1':>6}   {'peer P':>7} {'R':>6} {'F1':>6}"
    print(header + f"   {'key recall':>10} {'ours µs/pair':>12} {'peer µs/pair':>12}")
    clear_caches()
    all_pos: list[tuple[str, str]] = []
    all_neg: list[tuple[str, str]] = []
    for script in SCRIPTS:
        rows = read_rows(data_dir() / f"wd_{script}_20.tsv")
        positives, negatives = sample_pairs(rows, args.n, args.seed)
        all_pos.extend(positives)
        all_neg.extend(negatives)
        clear_caches()
        start = time.perf_counter()
        ours_pos = [token_similarity(a, b) for a, b in positives]
        ours_neg = [token_similarity(a, b) for a, b in negatives]
        per_pair = (time.perf_counter() - start) / (2 * args.n) * 1e6
        p, r, f = prf(ours_pos, ours_neg, args.threshold)
        line = f"{script:10} {p:7.3f} {r:6.3f} {f:6.3f}"
        peer_per_pair = "-"
        if peer is not None:
            start = time.perf_counter()
            peer_pos = [peer(a, b) for a, b in positives]
            peer_neg = [peer(a, b) for a, b in negatives]
            peer_per_pair = f"{(time.perf_counter() - start) / (2 * args.n) * 1e6:.1f}"
            pp, pr, pf = prf(peer_pos, peer_neg, args.threshold)
            line += f"   {pp:7.3f} {pr:6.3f} {pf:6.3f}"
        else:
            line += f"   {'-':>7} {'-':>6} {'-':>6}"
        shared = sum(bool(token_keys(a) & token_keys(b)) for a, b in positives)
        print(line + f"   {shared / len(positives):10.3f} {per_pair:12.1f} {peer_per_pair:>12}")
    if PEER_REFERENCE:
        ref = ", ".join(f"{k} {v:.2f}" for k, v in PEER_REFERENCE.items())
        print(f"peer F1 reported in the issue: {ref}")
    timings(all_pos, all_neg)


def timings(positives: list[tuple[str, str]], negatives: list[tuple[str, str]]) -> None:
    """Per-call costs in three states: everything cold (caches emptied), pair cold with both
    tokens seen before (the screening case: query tokens meet many candidate tokens that
    recur), and warm (the pair itself cached)."""
    latin = [a for a, _ in positives]
    latin_pairs = list(zip(latin, latin[7:] + latin[:7], strict=True))
    latin_pairs2 = list(zip(latin, latin[13:] + latin[:13], strict=True))
    cross = positives + negatives
    cross2 = [
        (a, b) for (a, _), (_, b) in zip(positives, negatives[3:] + negatives[:3], strict=True)
    ]
    natives = [b for _, b in positives]

    def run(label: str, func: Callable[[], object], count: int) -> None:
        start = time.perf_counter()
        func()
        elapsed = (time.perf_counter() - start) / count * 1e6
        print(f"  {label:55} {elapsed:8.2f} µs/call")

    def sims(pairs: list[tuple[str, str]]) -> Callable[[], object]:
        return lambda: [token_similarity(a, b) for a, b in pairs]

    # Long-lived objects (the data, the peer's models) would otherwise make the cyclic
    # garbage collector rescan them during the timings; a screening process does the same
    # freeze once its index is built.
    gc.collect()
    gc.freeze()
    print("timings (µs per call, gc frozen after loading):")
    clear_caches()
    run(
        "latin_variants, native token, cold",
        lambda: [latin_variants(t) for t in natives],
        len(natives),
    )
    run("latin_variants, warm", lambda: [latin_variants(t) for t in natives], len(natives))
    clear_caches()
    run("token_keys, native token, cold", lambda: [token_keys(t) for t in natives], len(natives))
    clear_caches()
    run("token_similarity Latin-Latin, all cold", sims(latin_pairs), len(latin_pairs))
    run(
        "token_similarity Latin-Latin, pair cold, tokens seen",
        sims(latin_pairs2),
        len(latin_pairs2),
    )
    run("token_similarity Latin-Latin, warm", sims(latin_pairs), len(latin_pairs))
    clear_caches()
    run("token_similarity cross-script, all cold", sims(cross), len(cross))
    run("token_similarity cross-script, pair cold, tokens seen", sims(cross2), len(cross2))
    run("token_similarity cross-script, warm", sims(cross), len(cross))


if __name__ == "__main__":
    main()
