"""Regime checking speed: transactions checked per second, parties screened included.

Usage:
    python bench/check.py [--rows 1000000] [--parties 5000] [--vessels 1500] [--home DIR]
                          [--regime un_dprk] [--seed 7] [--keep FILE]

A synthetic file of --rows transactions is generated on the fly (CSV, fixed seed): the six
transaction types in a realistic mix (62 % shipments, 18 % payments, 8 % services, 5 %
employment, 4 % joint ventures, 3 % vessel events), about 6 % of them touching the DPRK.
Party names repeat as they do in real books: a pool of --parties fictional companies and
--vessels fictional vessels (valid IMO check digits) drawn with Zipf-like frequencies, plus
a few dozen real listed names and vessel IMO numbers taken from the lists themselves so that
screening finds something. Ship-to-ship counterparties come from the same fleet, one in
five from outside it (a new IMO number each time).

The file is then checked end to end as `sanctionsnet check` does it (read and validate each
row, screen its parties and vessels against every current list, apply the regime, count the
outcomes, build the JSON of every result with a finding), against all real lists: the store
in $SANCTIONSNET_HOME (or --home) if it holds lists, else a temporary one with the latest
real publications from ../shared/data. Screening is cached per distinct party (name, IMO),
so its cost follows the number of distinct parties, which is printed beside the rate.

Target (issue 6): at least 20,000 transactions per second on this machine. The machine is
small and shared (2 cores): numbers vary by 10-30 % between runs.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from common import data_dir, open_store, rss_mb, table

from sanctionsnet.regime.hs import load_hs
from sanctionsnet.regime.service import build_report, load_checker
from sanctionsnet.regime.transactions import TransactionReader, imo_is_valid
from sanctionsnet.store import Store

COLUMNS = [
    "id", "type", "date", "hs_code", "description", "quantity", "unit", "value", "currency",
    "origin", "destination", "port_of_loading", "port_of_discharge", "transshipment_ports",
    "shipper", "consignee", "notify_party", "vessel_name", "vessel_imo",
    "payer", "payee", "payer_country", "payee_country", "amount", "purpose",
    "worker_nationality", "employer", "work_country", "workers", "authorisation_date",
    "parties", "countries", "sector", "event", "counterparty_vessel_imo", "port", "flag",
]  # fmt: skip
TYPES = [
    ("shipment", 62),
    ("payment", 18),
    ("service", 8),
    ("employment", 5),
    ("joint_venture", 4),
    ("vessel_event", 3),
]
WORDS_A = ["Golden", "Pacific", "Northern", "Blue", "Eastern", "Silver", "Grand", "United", "Royal", "Green",
           "Western", "Southern", "Prime", "Bright", "Great", "New", "First", "Ocean", "Harbour", "Summit"]  # fmt: skip
WORDS_B = ["Star", "Bridge", "Lotus", "Crane", "Anchor", "Dragon", "Horizon", "Pearl", "Falcon", "River",
           "Stone", "Wave", "Peak", "Maple", "Cedar", "Orchid", "Phoenix", "Tiger", "Jade", "Harvest"]  # fmt: skip
WORDS_C = ["Trading", "Shipping", "Logistics", "Industries", "Import Export", "Commodities", "Resources",
           "Marine", "Textiles", "Energy", "Holdings", "Foods", "Metals", "Engineering"]  # fmt: skip
LEGAL = [
    "Co., Ltd",
    "LLC",
    "Pte Ltd",
    "GmbH",
    "S.A.",
    "Limited",
    "Corporation",
    "JSC",
    "B.V.",
    "Sdn Bhd",
]
COUNTRIES = [
    "CN",
    "RU",
    "SG",
    "HK",
    "VN",
    "MY",
    "TH",
    "ID",
    "AE",
    "TR",
    "DE",
    "NL",
    "US",
    "JP",
    "KR",
    "IN",
    "PA",
    "LR",
]
PORTS = ["Dalian", "Ningbo", "Shanghai", "Singapore", "Busan", "Vladivostok", "Nakhodka", "Haiphong", "Rotterdam",
         "Hamburg", "Jebel Ali", "Port Klang", "Qingdao", "Tianjin", "Kaohsiung", "Yokohama"]  # fmt: skip
DPRK_PORTS = ["Nampo", "Rajin", "Chongjin", "KPNAM", "Songnim", "Wonsan"]
PURPOSES = ["invoice payment", "freight charges", "consulting fees", "crew wages", "charter hire", "insurance premium",
            "software licence", "spare parts", "ship repair", "fishing licence fee", "letter of credit", "commission"]  # fmt: skip
SECTORS = [
    "garments",
    "seafood processing",
    "mining",
    "restaurant",
    "hydroelectric power",
    "logistics",
    "software",
    "construction",
]
DESCRIPTIONS = {"27": "fuel oil", "03": "frozen fish", "62": "cotton garments", "61": "knitted apparel",
                "84": "industrial machinery", "85": "electrical equipment", "44": "sawn timber", "25": "stone",
                "72": "steel products", "87": "trucks", "26": "ore concentrate", "89": "used vessel"}  # fmt: skip


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def _imo(rng: random.Random) -> str:
    while True:
        body = f"{rng.randrange(1_000_000, 9_999_999):07d}"[:6]
        total = sum(int(d) * w for d, w in zip(body, range(7, 1, -1), strict=True))
        number = body + str(total % 10)
        if imo_is_valid(number):
            return number


def _hs_codes(rng: random.Random) -> list[str]:
    hs = load_hs()
    if hs is not None:
        codes = sorted(c for c in hs.editions["HS2022"] if len(c) == 6)
        return rng.sample(codes, 400) + [
            "620462",
            "270112",
            "271019",
            "030617",
            "847130",
            "870421",
            "440710",
        ]
    return [
        "620462",
        "610910",
        "270112",
        "271019",
        "030617",
        "847130",
        "870421",
        "440710",
        "251710",
        "720839",
        "851762",
    ]


def listed_samples(
    store: Store, n_parties: int = 40, n_vessels: int = 20
) -> tuple[list[str], list[tuple[str, str]]]:
    """Real listed names (DPRK programmes first) and listed vessels with IMO numbers."""
    from sanctionsnet.service import load_index

    index = load_index(store)
    parties: list[str] = []
    vessels: list[tuple[str, str]] = []
    for record in index.records:
        dprk = any("DPRK" in p or "Korea" in p or p == "PRK" for p in record.programs)
        if record.schema == "Vessel":
            imo = next((i.value for i in record.identifiers if i.kind == "imo"), None)
            if imo and len(vessels) < n_vessels and dprk:
                vessels.append((record.caption, imo))
        elif (
            record.schema in ("Organization", "Company", "LegalEntity")
            and dprk
            and len(parties) < n_parties
        ):
            parties.append(record.caption)
    return parties, vessels


def generate(
    path: Path,
    rows: int,
    n_parties: int,
    n_vessels: int,
    listed: list[str],
    listed_vessels: list[tuple[str, str]],
    seed: int,
) -> None:
    rng = random.Random(seed)
    names = set()
    while len(names) < n_parties:
        names.add(
            f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {rng.choice(WORDS_C)} {rng.choice(LEGAL)}"
        )
    parties = sorted(names)
    rng.shuffle(parties)
    # Listed names are rare: they sit at the tail of the frequency ranking.
    parties = parties + listed
    party_weights = _zipf_weights(len(parties))
    vessels = [
        (
            f"{rng.choice(WORDS_A).upper()} {rng.choice(WORDS_B).upper()} {rng.randrange(1, 99)}",
            _imo(rng),
        )
        for _ in range(n_vessels)
    ]
    vessels = vessels + listed_vessels
    vessel_weights = _zipf_weights(len(vessels))
    codes = _hs_codes(rng)
    code_weights = _zipf_weights(len(codes), 0.9)
    type_names = [t for t, _ in TYPES]
    type_weights = [w for _, w in TYPES]
    batch = 10_000
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        done = 0
        while done < rows:
            n = min(batch, rows - done)
            kinds = rng.choices(type_names, type_weights, k=n)
            who = rng.choices(parties, party_weights, k=3 * n)
            ships = rng.choices(vessels, vessel_weights, k=2 * n)
            hs = rng.choices(codes, code_weights, k=n)
            for i in range(n):
                number = done + i
                row = dict.fromkeys(COLUMNS, "")
                row["id"] = f"T{number:08d}"
                row["type"] = kinds[i]
                row["date"] = (
                    f"{rng.randrange(2016, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                )
                dprk = rng.random() < 0.06
                _fill(
                    row,
                    kinds[i],
                    rng,
                    who[3 * i : 3 * i + 3],
                    ships[2 * i],
                    ships[2 * i + 1],
                    hs[i],
                    dprk,
                )
                writer.writerow(row.values())
            done += n


def _fill(
    row: dict[str, str],
    kind: str,
    rng: random.Random,
    who: list[str],
    ship: tuple[str, str],
    other: tuple[str, str],
    code: str,
    dprk: bool,
) -> None:
    if kind == "shipment":
        row["hs_code"] = code
        row["description"] = DESCRIPTIONS.get(code[:2], "general cargo")
        row["quantity"] = str(rng.randrange(1, 100_000))
        row["unit"] = "barrel" if code.startswith("27") else rng.choice(["kg", "tonne", "pieces"])
        row["value"] = str(rng.randrange(1_000, 5_000_000))
        row["currency"] = rng.choice(["USD", "USD", "EUR", "CNY"])
        origin, dest = rng.sample(COUNTRIES, 2)
        row["origin"], row["destination"] = origin, dest
        row["port_of_loading"], row["port_of_discharge"] = rng.sample(PORTS, 2)
        if dprk:
            if rng.random() < 0.5:
                row["origin"], row["port_of_loading"] = "KP", rng.choice(DPRK_PORTS)
            else:
                row["destination"], row["port_of_discharge"] = "KP", rng.choice(DPRK_PORTS)
        if rng.random() < 0.1:
            row["transshipment_ports"] = rng.choice(PORTS)
        row["shipper"], row["consignee"] = who[0], who[1]
        if rng.random() < 0.3:
            row["notify_party"] = who[2]
        if rng.random() < 0.7:
            row["vessel_name"], row["vessel_imo"] = ship
    elif kind in ("payment", "service"):
        row["payer"], row["payee"] = who[0], who[1]
        row["payer_country"], row["payee_country"] = rng.sample(COUNTRIES, 2)
        if dprk:
            row[rng.choice(["payer_country", "payee_country"])] = "KP"
        row["amount"] = str(rng.randrange(100, 2_000_000))
        row["currency"] = rng.choice(["USD", "EUR", "CNY", "RUB"])
        row["purpose"] = rng.choice(PURPOSES)
    elif kind == "employment":
        row["worker_nationality"] = "KP" if dprk else rng.choice(COUNTRIES)
        row["employer"] = who[0]
        row["work_country"] = rng.choice(COUNTRIES)
        row["workers"] = str(rng.randrange(1, 200))
        row["authorisation_date"] = row["date"]
    elif kind == "joint_venture":
        row["parties"] = f"{who[0]}; {who[1]}"
        row["countries"] = ";".join(
            ["KP", rng.choice(COUNTRIES)] if dprk else rng.sample(COUNTRIES, 2)
        )
        row["sector"] = rng.choice(SECTORS)
    else:
        row["vessel_name"], row["vessel_imo"] = ship
        row["event"] = rng.choice(["port_call", "port_call", "ship_to_ship", "flag_change"])
        if row["event"] == "ship_to_ship":
            # Mostly vessels of the same fleet pool; one in five never seen before.
            row["counterparty_vessel_imo"] = _imo(rng) if rng.random() < 0.2 else other[1]
        elif row["event"] == "port_call":
            row["port"] = rng.choice(DPRK_PORTS) if dprk else rng.choice(PORTS)
        row["flag"] = "KP" if dprk else rng.choice(COUNTRIES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=5000, help="distinct fictional party names")
    parser.add_argument("--vessels", type=int, default=1500, help="distinct fictional vessels")
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="store with the real lists (default $SANCTIONSNET_HOME)",
    )
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--regime", default="un_dprk")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", type=Path, default=None, help="write the synthetic file here and keep it"
    )
    args = parser.parse_args(argv)

    home = args.home or (
        Path(os.environ["SANCTIONSNET_HOME"]) if os.environ.get("SANCTIONSNET_HOME") else None
    )
    store = (
        Store(home)
        if home is not None and (home / "catalog.json").exists()
        else open_store(home, data_dir(args.data))
    )
    lists = {d: v.id for d in store.datasets() if (v := store.current(d)) is not None}
    print(
        f"lists: {len(lists)} datasets in {store.home}: "
        + ", ".join(f"{d} {v}" for d, v in sorted(lists.items()))
    )

    started = time.perf_counter()
    checker = load_checker(args.regime, store=store)
    print(
        f"checker ready (regime, HS tables, screening index) in {time.perf_counter() - started:.1f} s"
    )
    assert checker.parties is not None, "no lists to screen against"

    listed, listed_vessels = listed_samples(store)
    tmp = tempfile.TemporaryDirectory(prefix="sanctionsnet-check-")
    path = args.keep or Path(tmp.name) / "transactions.csv"
    started = time.perf_counter()
    generate(path, args.rows, args.parties, args.vessels, listed, listed_vessels, args.seed)
    print(
        f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s"
    )

    # Time spent screening, measured around the screener itself.
    screener = checker.parties.screener
    spent = [0.0]
    original = screener.match

    def timed_match(*a: object, **kw: object) -> object:
        t = time.perf_counter()
        try:
            return original(*a, **kw)  # type: ignore[arg-type]
        finally:
            spent[0] += time.perf_counter() - t

    screener.match = timed_match  # type: ignore[method-assign]
    rss_before = rss_mb()
    gc.freeze()  # as `sanctionsnet check` does: the index and caches live to the end
    started = time.perf_counter()
    cpu_started = time.process_time()
    reader = TransactionReader(path, checker.regime.columns)
    report = build_report(checker, checker.check_all(reader), tally=True, include_clear=False)
    reader.raise_for_issues()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rss_after = rss_mb()

    summary = report["summary"]
    parties = checker.parties
    rows = summary["transactions"]
    print()
    print(
        table(
            ["measure", "value"],
            [
                ["transactions checked", f"{rows:,}"],
                ["seconds (read, validate, screen, check, report)", f"{seconds:.1f}"],
                ["transactions per second", f"{rows / seconds:,.0f}"],
                ["CPU seconds of this process", f"{cpu_seconds:.1f}"],
                ["transactions per CPU second", f"{rows / cpu_seconds:,.0f}"],
                ["distinct parties and vessels screened", f"{parties.distinct:,}"],
                ["seconds in screening", f"{spent[0]:.1f}"],
                [
                    "ms per distinct screening query",
                    f"{1000 * spent[0] / max(parties.queries, 1):.2f}",
                ],
                [
                    "transactions per second without screening time",
                    f"{rows / max(seconds - spent[0], 1e-9):,.0f}",
                ],
                ["results with findings kept for the report", f"{len(report['results']):,}"],
                ["RSS growth while checking (MB)", f"{rss_after - rss_before:,.0f}"],
            ],
            title=f"regime {args.regime}, {rows:,} synthetic transactions, parties screened against all lists",
        )
    )
    print()
    print(
        "outcomes: "
        + ", ".join(
            f"{k} {summary[k]:,}" for k in ("breach", "notify", "review", "exempt", "clear")
        )
        + f"; {summary['with_listed_party']:,} with a listed party"
    )
    target = 20_000
    verdict = "meets" if rows / seconds >= target else "MISSES"
    print(f"target >= {target:,}/s: {verdict} ({rows / seconds:,.0f}/s on this machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
