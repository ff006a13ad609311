"""Measures as JSON for people and programs: `regime show` and any API that lists rules."""

from __future__ import annotations

from typing import Any

from sanctionsnet.regime.hs import HSNomenclature
from sanctionsnet.regime.model import Clause, Conditions, Measure, Regime


def _conditions(conditions: Conditions | None) -> list[list[dict[str, Any]]] | None:
    if conditions is None:
        return None

    def clause(c: Clause) -> dict[str, Any]:
        value = list(c.value) if isinstance(c.value, tuple) else c.value
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data = {"column": c.column, "op": c.op, "value": value}
        if c.currency:
            data["currency"] = c.currency
        return data

    return [[clause(c) for c in group] for group in conditions]


def _codes(codes: tuple[str, ...], hs: HSNomenclature | None) -> list[dict[str, Any]]:
    out = []
    for code in codes:
        entry: dict[str, Any] = {"code": code}
        if hs is not None and code != "*":
            entry["description"] = hs.describe(code[:6])
        out.append(entry)
    return out


def measure_json(
    measure: Measure, regime: Regime, hs: HSNomenclature | None = None
) -> dict[str, Any]:
    """Everything the file says about a measure, with HS descriptions when available."""
    m = measure
    return {
        "id": m.id,
        "title": m.title,
        "authority": m.authority,
        "citation": m.citation_json(),
        "in_force": m.in_force.isoformat(),
        "superseded": m.superseded.isoformat() if m.superseded else None,
        "superseded_by": m.superseded_by,
        "deadline": {"date": m.deadline[0].isoformat(), "action": m.deadline[1]}
        if m.deadline
        else None,
        "direction": m.direction,
        "category": m.category,
        "action": m.action,
        "severity": m.severity or regime.actions[m.action].severity,
        "checkable": m.checkable,
        "scope": [
            {
                "goods": item.goods,
                "hs": _codes(item.hs, hs),
                "hs_exclude": _codes(item.hs_exclude, hs),
                "where": _conditions(item.where) or None,
                "keywords": list(item.keywords),
                "action": item.action,
            }
            for item in m.scope
        ],
        "hs_basis": m.hs_basis,
        "match": [
            {"types": list(t.types), "where": _conditions(t.where), "action": t.action}
            for t in m.match
        ],
        "caps": [
            {
                "id": cap.id,
                "limits": [{"quantity": q, "unit": u} for q, u in cap.limits()],
                "period": cap.period.describe(),
                "citation": {"resolution": cap.resolution, "paragraph": cap.paragraph},
                "verified": cap.verified,
                "note": cap.note or None,
            }
            for cap in (regime.caps[c] for c in m.caps)
        ],
        "conditions": list(m.conditions),
        "exemptions": [
            {
                "id": e.id,
                "text": e.text,
                "citation": {"resolution": e.resolution, "paragraph": e.paragraph}
                if e.resolution or e.paragraph
                else None,
                "when": _conditions(e.when),
                "verified": e.verified,
                "sources": list(e.sources),
            }
            for e in m.exemptions
        ],
        "related": [
            {
                "resolution": r.resolution,
                "paragraph": r.paragraph,
                "role": r.role,
                "verified": r.verified,
                "paragraph_seen": r.paragraph_seen,
            }
            for r in m.related
        ],
        "verification": {
            "verified": m.verified,
            "paragraph_seen": m.paragraph_seen,
            "hs_basis": m.hs_basis,
            "sources": [{"id": s, **regime.sources.get(s, {})} for s in m.sources],
        },
        "note": m.note or None,
    }
