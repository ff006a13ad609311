"""The regime checker as the CLI and the API use it: build once, check rows, report.

`load_checker()` assembles a Checker from a regime id or file, the HS nomenclature (if
found) and the screener of the current lists (if any list is imported).
`check_records()` takes transactions as mappings, as an HTTP body carries them, and
returns a JSON-ready report; bad rows raise `TransactionError`, which names each row
and field (a 422 for the API).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sanctionsnet.regime.caps import CapTally
from sanctionsnet.regime.checker import OUTCOMES, Checker, Result
from sanctionsnet.regime.hs import UNAVAILABLE_NOTE, load_hs
from sanctionsnet.regime.loader import DEFAULT_REGIME, load_regime
from sanctionsnet.regime.parties import PartyScreener
from sanctionsnet.regime.transactions import parse_records
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store

NO_LISTS_NOTE = "no list imported: parties and vessels were not screened (run `sanctionsnet update` or `import`)"
NOT_SCREENED_NOTE = "screening turned off: parties and vessels were not screened"


def load_checker(
    regime: str = DEFAULT_REGIME,
    *,
    store: Store | None = None,
    screen: bool = True,
    hs_dir: Path | None = None,
    threshold: float | None = None,
    screener: Screener | None = None,
) -> Checker:
    """A Checker for `regime` (id or path).

    Parties are screened with `screener` if given (a service that already holds one
    passes it), else with the screener of `store`'s current lists, if it has any.
    """
    hs = load_hs(hs_dir)
    rules = load_regime(regime)
    parties = None
    notes = []
    if not screen:
        notes.append(NOT_SCREENED_NOTE)
    elif screener is not None:
        parties = PartyScreener(screener, rules.target, threshold=threshold)
    elif store is not None and any(store.current(d) for d in store.datasets()):
        from sanctionsnet.service import load_screener

        parties = PartyScreener(load_screener(store), rules.target, threshold=threshold)
    else:
        notes.append(NO_LISTS_NOTE)
    if hs is None:
        notes.append(UNAVAILABLE_NOTE)
    return Checker(rules, hs, parties, notes=notes)


def describe_setup(checker: Checker) -> dict[str, Any]:
    """What the report was made with: the regime, the HS tables, the lists screened."""
    return {
        "regime": checker.regime.summary(),
        "hs": checker.hs.to_json() if checker.hs is not None else {"available": False},
        "screening": checker.parties.to_json()
        if checker.parties is not None
        else {"available": False},
        "notes": list(checker.notes),
    }


class Summary:
    """Counts per outcome, over every checked transaction."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(OUTCOMES, 0)
        self.total = 0
        self.with_listed = 0

    def add(self, result: Result) -> None:
        self.total += 1
        self.counts[result.outcome] += 1
        if result.listed:
            self.with_listed += 1

    def to_json(self) -> dict[str, Any]:
        return {"transactions": self.total, **self.counts, "with_listed_party": self.with_listed}


def build_report(
    checker: Checker,
    results: Iterable[Result],
    *,
    tally: bool = False,
    include_clear: bool = True,
) -> dict[str, Any]:
    """The JSON report: setup, summary, per-transaction results, and the cap tally."""
    summary = Summary()
    caps = CapTally() if tally else None
    shown = []
    for result in results:
        summary.add(result)
        if caps is not None:
            caps.add(result)
        if include_clear or result.outcome != "clear":
            shown.append(result.to_json())
    report: dict[str, Any] = {
        **describe_setup(checker),
        "summary": summary.to_json(),
        "results": shown,
    }
    if caps is not None:
        report["tally"] = caps.to_json()
    return report


def check_records(
    records: Sequence[Mapping[str, Any]], checker: Checker, *, tally: bool = False
) -> dict[str, Any]:
    """Check transactions given as mappings; every row is validated before any is checked."""
    transactions = parse_records(records, checker.regime.columns)
    return build_report(checker, checker.check_all(transactions), tally=tally)
