"""A ship-to-ship transfer with a vessel designated under the DPRK measures, on a real list.

The UN consolidated list carries no vessels; the 1718 Committee's vessel designations
reach the checker through national lists that carry them with their IMO numbers, here
the UK's OFSI list of April 2020 (SHANG YUAN BAO, designated by the Committee in 2018
for ship-to-ship transfers of petroleum).
"""

from __future__ import annotations

from pathlib import Path

from regime_helpers import finding

from sanctionsnet.ingest import import_files
from sanctionsnet.regime.service import load_checker
from sanctionsnet.regime.transactions import parse_records
from sanctionsnet.store import Store


def test_sts_with_a_designated_vessel_from_the_uk_list(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    import_files(store, "uk_ofsi", [shared_data / "lists" / "uk" / "2020-04-27_OFSI_ConList.csv"])
    checker = load_checker("un_dprk", store=store, hs_dir=shared_data / "hs")
    (tx,) = parse_records(
        [
            {
                "id": "STS-REAL",
                "type": "vessel_event",
                "date": "2019-03-01",
                "vessel_name": "FICTIONAL CARRIER 7",
                "vessel_imo": "1000007",
                "event": "ship_to_ship",
                "counterparty_vessel_imo": "8126070",
                "flag": "PA",
            }
        ],  # fmt: skip
        checker.regime.columns,
    )
    result = checker.check(tx)
    designation = finding(result, "UN-VESSEL-DESIGNATION")
    assert designation["outcome"] == "breach"
    (hit,) = designation["parties"]
    assert hit["caption"] == "SHANG YUAN BAO" and hit["dataset"] == "uk_ofsi"
    assert (
        hit["programs"] == ["North Korea (Democratic People's Republic of Korea)"]
        and hit["regime_programme"]
    )
    assert hit["score"] >= 0.9
