"""Helpers shared by the regime tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctionsnet.regime.checker import Checker, Result
from sanctionsnet.regime.transactions import TransactionReader


def check_file(checker: Checker, path: Path) -> dict[str, Result]:
    reader = TransactionReader(path, checker.regime.columns)
    results = {r.tx.id: r for r in checker.check_all(reader)}
    reader.raise_for_issues()
    return results


def finding(result: Result, measure: str, kind: str = "measure") -> dict[str, Any]:
    """The JSON of one finding by measure id (fails listing what was found instead)."""
    found = [f.to_json() for f in result.findings if f.measure.id == measure and f.kind == kind]
    assert found, (
        f"{result.tx.id}: no {kind} finding {measure}; got {[f.measure.id for f in result.findings]}"
    )
    return found[0]


def measures(result: Result) -> set[str]:
    return {f.measure.id for f in result.findings if f.kind == "measure"}
