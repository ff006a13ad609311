"""Tallying one's own deliveries against the UN DPRK petroleum and crude caps."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sanctionsnet.regime.caps import CapTally, convert, normalise_unit
from sanctionsnet.regime.checker import Checker
from sanctionsnet.regime.loader import load_regime
from sanctionsnet.regime.model import CapPeriod
from sanctionsnet.regime.transactions import parse_records


def _delivery(
    n: int, day: str, hs: str, quantity: float | None, unit: str | None, **extra: Any
) -> dict[str, Any]:
    row = {
        "id": f"D{n}", "type": "shipment", "date": day, "hs_code": hs, "description": extra.pop("description", "fuel"),
        "origin": "RU", "destination": "KP", "port_of_discharge": "Nampo",
    }  # fmt: skip
    if quantity is not None:
        row["quantity"] = quantity
    if unit is not None:
        row["unit"] = unit
    row.update(extra)
    return row


def _tally(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    checker = Checker(load_regime("un_dprk"))
    tally = CapTally()
    for result in checker.check_all(parse_records(rows, checker.regime.columns)):
        tally.add(result)
    return {(u["cap"], u["period"]["start"]): u for u in tally.to_json()}


def test_refined_petroleum_deliveries_per_calendar_year() -> None:
    uses = _tally(
        [
            _delivery(1, "2018-02-01", "271019", 100000, "barrels"),
            _delivery(
                2, "2018-11-30", "271012", 7949.3647464, "kl", description="gasoline"
            ),  # 50,000 bbl
            _delivery(3, "2018-12-31", "271019", 2_100_000, "US gallons"),  # 50,000 bbl
            _delivery(4, "2018-06-01", "271019", 1000, "MT"),  # mass: no conversion given
            _delivery(5, "2018-07-01", "271019", None, None),
            _delivery(6, "2019-01-01", "271019", 400000, "bbl"),
        ]
    )
    y2018 = uses[("REFINED-2018-ANNUAL", "2018-01-01")]
    assert y2018["period"] == {"start": "2018-01-01", "end": "2018-12-31"}
    (limit,) = y2018["limits"]
    assert limit["unit"] == "barrel" and limit["delivered"] == pytest.approx(200000, abs=0.01)
    assert limit["share"] == pytest.approx(0.4, abs=1e-6) and y2018["used"] == pytest.approx(
        0.4, abs=1e-6
    )
    assert y2018["deliveries"] == 5
    assert y2018["unconverted"] == [{"unit": "MT", "quantity": 1000.0}]
    assert y2018["without_quantity"] == ["D5"]
    assert any(n.startswith("unit mismatch: 1,000.000 MT not counted") for n in y2018["notes"])
    y2019 = uses[("REFINED-2018-ANNUAL", "2019-01-01")]
    assert y2019["limits"][0]["delivered"] == 400000 and y2019["used"] == pytest.approx(0.8)


def test_crude_oil_in_barrels_or_tonnes_per_year_from_22_december() -> None:
    uses = _tally(
        [
            _delivery(1, "2017-12-22", "270900", 1_000_000, "barrel", description="crude oil"),
            _delivery(2, "2018-12-21", "270900", 262_500, "tonnes", description="crude oil"),
            _delivery(3, "2018-12-22", "270900", 10, "t", description="crude oil"),
            _delivery(
                4, "2018-06-01", "270900", 5000, "tonne", description="natural gas condensate"
            ),
        ]
    )
    first = uses[("CRUDE-2397", "2017-12-22")]
    assert first["period"] == {"start": "2017-12-22", "end": "2018-12-21"}
    assert [(x["unit"], x["delivered"]) for x in first["limits"]] == [
        ("barrel", 1_000_000),
        ("tonne", 262_500),
    ]
    # Each unit against its own figure: a quarter of 4 million barrels and half of 525,000 tons.
    assert first["used"] == pytest.approx(0.75)
    assert first["deliveries"] == 2  # the condensate is banned, not counted against the crude cap
    assert uses[("CRUDE-2397", "2018-12-22")]["limits"][1]["delivered"] == 10


def test_the_2017_quarter_under_2375_and_exempt_deliveries() -> None:
    uses = _tally(
        [
            _delivery(1, "2017-11-15", "271019", 20000, "barrel"),
            _delivery(2, "2017-12-28", "271019", 30000, "barrel"),
            _delivery(3, "2017-09-20", "271019", 1000, "barrel"),  # before the first cap period
        ]
    )
    q4 = uses[("REFINED-2017Q4", "2017-10-01")]
    assert q4["limits"][0]["delivered"] == 50000 and q4["deliveries"] == 2
    assert q4["citation"] == {"resolution": "2375", "paragraph": "14"}
    assert len(uses) == 1


def test_units_and_periods() -> None:
    assert normalise_unit("Metric Tons") == "tonne" and normalise_unit("BBLS") == "barrel"
    assert normalise_unit("pieces") is None and normalise_unit(None) is None
    assert convert(158.987294928, "litre", "barrel") == pytest.approx(1.0)
    assert convert(2500, "kg", "tonne") == 2.5
    assert convert(1, "tonne", "barrel") is None
    yearly = CapPeriod(date(2018, 1, 1), months=12, recurring=True)
    assert yearly.window(date(2025, 7, 4)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert yearly.window(date(2017, 12, 31)) is None
    fixed = CapPeriod(date(2017, 10, 1), end=date(2017, 12, 31))
    assert fixed.window(date(2018, 1, 1)) is None
