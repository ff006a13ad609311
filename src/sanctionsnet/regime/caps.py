"""Tallying a user's own deliveries against a regime's quantitative caps.

Caps such as the DPRK's 500,000 barrels of refined petroleum a year are global: the
1718 Committee adds up what every State reports, and one company's books cannot say
whether the cap is reached. What they can say is how much of it this company's own
deliveries used, period by period, which is what this tally reports.

Units are converted only where the conversion is physical (litres, cubic metres and
gallons to barrels; kilograms to tonnes) or where the cap itself states the figure in
the row's unit (crude oil: 4 million barrels or 525,000 tons). A mass delivered
against a cap stated only in barrels is reported as unconverted, because the
resolution gives no conversion and the Committee's product-specific chart is not part
of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctionsnet.regime.checker import Result
from sanctionsnet.regime.model import Cap

LITRES_PER_BARREL = 158.987294928
VOLUME = {
    "barrel": 1.0,
    "litre": 1 / LITRES_PER_BARREL,
    "kilolitre": 1000 / LITRES_PER_BARREL,
    "gallon": 1 / 42,
}
MASS = {"tonne": 1.0, "kg": 0.001}
UNIT_NAMES = {
    "barrel": ("barrel", "barrels", "bbl", "bbls", "bl"),
    "litre": ("l", "litre", "litres", "liter", "liters", "ltr"),
    "kilolitre": (
        "kl",
        "kilolitre",
        "kilolitres",
        "kiloliter",
        "kiloliters",
        "m3",
        "cbm",
        "cubic metre",
        "cubic metres",
        "cubic meter",
        "cubic meters",
    ),
    "gallon": ("gal", "gallon", "gallons", "us gallon", "us gallons"),
    "tonne": (
        "t",
        "mt",
        "tonne",
        "tonnes",
        "ton",
        "tons",
        "metric ton",
        "metric tons",
        "metric tonne",
        "metric tonnes",
    ),
    "kg": ("kg", "kgs", "kilogram", "kilograms"),
}
_LOOKUP = {alias: unit for unit, aliases in UNIT_NAMES.items() for alias in aliases}


def normalise_unit(text: str | None) -> str | None:
    """The canonical unit for a declared one ('bbls' -> barrel, 'MT' -> tonne), or None."""
    if not text:
        return None
    return _LOOKUP.get(" ".join(text.casefold().replace(".", "").split()))


def convert(quantity: float, unit: str, to: str) -> float | None:
    """`quantity` of `unit` in `to` (barrel or tonne), when the conversion is physical."""
    if unit in VOLUME and to in VOLUME:
        return quantity * VOLUME[unit] / VOLUME[to]
    if unit in MASS and to in MASS:
        return quantity * MASS[unit] / MASS[to]
    return None


@dataclass
class CapUse:
    """One cap over one period: what the user's deliveries used of it."""

    cap: Cap
    start: date
    end: date
    delivered: dict[str, float] = field(default_factory=dict)
    used: float = 0.0
    deliveries: int = 0
    unconverted: dict[str, float] = field(default_factory=dict)
    without_quantity: list[str] = field(default_factory=list)
    transactions: list[str] = field(default_factory=list)

    def add(
        self,
        tx_id: str,
        quantity: float | None,
        unit: str | None,
        value: float | None,
        currency: str | None,
    ) -> None:
        self.deliveries += 1
        if len(self.transactions) < 1000:
            self.transactions.append(tx_id)
        canonical = normalise_unit(unit)
        shares = []
        for limit, limit_unit in self.cap.limits():
            if limit_unit in VOLUME or limit_unit in MASS:
                amount = (
                    convert(quantity, canonical, limit_unit)
                    if quantity is not None and canonical
                    else None
                )
            else:  # a currency: the row's value in that currency
                amount = value if value is not None and currency == limit_unit else None
            if amount is None:
                continue
            self.delivered[limit_unit] = self.delivered.get(limit_unit, 0.0) + amount
            if limit:
                shares.append(amount / limit)
        if shares:
            # A delivery stated in several of the cap's units counts by its larger share.
            self.used += max(shares)
        elif quantity is None:
            self.without_quantity.append(tx_id)
        else:
            key = unit or "(no unit)"
            self.unconverted[key] = self.unconverted.get(key, 0.0) + quantity

    def to_json(self) -> dict[str, Any]:
        cap = self.cap
        limits = []
        for limit, unit in cap.limits():
            delivered = self.delivered.get(unit, 0.0)
            limits.append(
                {
                    "quantity": limit,
                    "unit": unit,
                    "delivered": round(delivered, 3),
                    "share": round(delivered / limit, 6) if limit else None,
                }
            )
        notes = []
        if self.unconverted:
            units = ", ".join(f"{q:,.3f} {u}" for u, q in self.unconverted.items())
            stated = " or ".join(u for _, u in cap.limits())
            notes.append(
                f"unit mismatch: {units} not counted; the cap is stated in {stated} and the "
                "resolution gives no conversion for these units"
            )
        if self.without_quantity:
            notes.append(f"{len(self.without_quantity)} deliveries without quantity not counted")
        return {
            "cap": cap.id,
            "goods": cap.goods,
            "citation": {"resolution": cap.resolution, "paragraph": cap.paragraph},
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "limits": limits,
            "used": round(self.used, 6),
            "deliveries": self.deliveries,
            "unconverted": [{"unit": u, "quantity": q} for u, q in self.unconverted.items()],
            "without_quantity": self.without_quantity[:100],
            "aggregation": cap.aggregation,
            "notes": notes,
            "transactions": self.transactions[:100],
        }


class CapTally:
    """Adds up, per cap and period, the deliveries the checker tied to a capped measure.

    Exempt deliveries (for instance coal of foreign origin through Rajin) are left out.
    """

    def __init__(self) -> None:
        self.uses: dict[tuple[str, date], CapUse] = {}

    def add(self, result: Result) -> None:
        tx = result.tx
        done: set[tuple[str, date]] = set()
        for finding in result.findings:
            if finding.outcome == "exempt":
                continue
            for cap, (start, end) in finding.caps:
                key = (cap.id, start)
                if key in done:
                    continue
                done.add(key)
                use = self.uses.get(key)
                if use is None:
                    use = self.uses[key] = CapUse(cap, start, end)
                values = tx.values
                use.add(
                    tx.id,
                    values.get("quantity"),
                    values.get("unit"),
                    values.get("value"),
                    values.get("currency"),
                )

    def results(self) -> list[CapUse]:
        return [self.uses[k] for k in sorted(self.uses, key=lambda k: (k[0], k[1]))]

    def to_json(self) -> list[dict[str, Any]]:
        return [u.to_json() for u in self.results()]
