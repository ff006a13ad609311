"""Scoring name pairs without an index: `sanctionsnet compare` and the quality benchmarks."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.names.analyze import analyze_name
from sanctionsnet.screen.query import QueryError
from sanctionsnet.screen.scoring import Scored, score_candidate
from sanctionsnet.screen.screener import get_algorithm


def compare_pair(
    name1: str, name2: str, schema: str = "LegalEntity", algorithm: str = "default"
) -> Scored:
    """Score `name1` (as the query) against `name2` (as the listed name)."""
    get_algorithm(algorithm)
    if algorithm == "ofac":
        from sanctionsnet.screen.ofac_sls import ofac_explain
        from sanctionsnet.screen.scoring import Feature

        explanation = ofac_explain(name1, name2)
        describe = getattr(explanation, "describe", None)
        text = describe() if callable(describe) else "OFAC SLS name score"
        return Scored(
            round(explanation.score, 4), [Feature("name", explanation.score, text)], name2
        )
    q = analyze_name(name1, schema)
    c = analyze_name(name2, schema)
    scored = score_candidate([q], [(c, "name")], is_person=schema == "Person")
    assert scored is not None  # without a floor every pair is scored
    return scored


def compare_file(pairs: Path, out: Path | None, algorithm: str = "default") -> int:
    """Score each row's name1/name2 (optional schema) and write score and features per row."""
    try:
        handle = pairs.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise SanctionsNetError(f"{pairs}: cannot open ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [c for c in ("name1", "name2") if c not in columns]
        if missing:
            raise SanctionsNetError(
                f"{pairs}: missing column(s) {', '.join(missing)} in the header"
            )
        target = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
        try:
            writer = csv.DictWriter(target, fieldnames=[*columns, "score", "features"])
            writer.writeheader()
            count = 0
            for line, row in enumerate(reader, start=2):
                name1, name2 = (row.get("name1") or "").strip(), (row.get("name2") or "").strip()
                if not name1 or not name2:
                    raise SanctionsNetError(f"{pairs}: line {line}: empty name1 or name2")
                schema = (row.get("schema") or "").strip() or "LegalEntity"
                try:
                    scored = compare_pair(name1, name2, schema, algorithm)
                except QueryError as exc:
                    raise SanctionsNetError(f"{pairs}: line {line}: {exc}") from None
                features = "; ".join(
                    f"{f.name} {f.contribution:+.2f}: {f.explanation}" for f in scored.features
                )
                writer.writerow({**row, "score": f"{scored.score:.4f}", "features": features})
                count += 1
        finally:
            if out:
                target.close()
    return count
