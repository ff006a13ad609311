"""Every complete real publication in ../shared/data imports through the store, with counts
that match the files, and diffs between real versions report the real changes.

The expected changes were verified by hand against the raw files (see the comments).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctionsnet.cli import app
from sanctionsnet.errors import SourceError
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store, diff_versions

# (source, dataset, paths relative to lists/) of every complete publication on disk.
PUBLICATIONS: list[tuple[str, str | None, list[str]]] = [
    ("un_sc", None, ["un/2018-08-24_UN_consolidated.xml"]),
    ("un_sc", None, ["un/2018-10-29_UN_consolidated.xml"]),
    ("un_sc", None, ["un/2025-11-18_UN_consolidated.xml"]),
    ("un_sc", None, ["un/2025-11-20_UN_consolidated.xml"]),
    ("un_sc", None, ["un/2026-02-27_UN_consolidated.xml"]),
    (
        "ofac_sdn",
        None,
        [
            "ofac_sdn/2019-01_complete_moov-watchman/" + f
            for f in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
        ],
    ),
    (
        "ofac_sdn",
        None,
        [
            "ofac_sdn/2021-07_complete_moov-watchman-bench/" + f
            for f in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
        ],
    ),
    ("ofac_sdn", None, ["ofac_sdn/2023-12-01_sdn-only_jackdwyer/sdn.csv"]),
    ("ofac_sdn", None, ["ofac_sdn/2024-05-02_sdn-only_jackdwyer/sdn.csv"]),
    ("ofac_sdn", None, ["ofac_sdn/2024-05-03_sdn-only_jackdwyer/sdn.csv"]),
    (
        "ofac_cons",
        None,
        [
            "ofac_cons/2018-04-06_perchrh/" + f
            for f in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
        ],
    ),
    ("ofac_cons", None, ["ofac_cons/2020-03-17_consolidated.xml"]),
    ("ofac_cons", None, ["ofac_cons/2025-01_CONS_ENHANCED/CONS_ENHANCED.ZIP"]),
    (
        "ofac_cons",
        None,
        [
            "ofac_cons/2025-12_moov-watchman/" + f
            for f in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
        ],
    ),
    ("eu_fsf", None, ["eu/EXCERPT_2020-04-15_EU_FSF_v1.1_7-entities.xml"]),
    ("uk_ofsi", None, ["uk/2020-04-27_OFSI_ConList.csv"]),
    ("uk_ofsi", None, ["uk/2025-04-10_OFSI_ConList_UK_Sanctions_List.xlsx"]),
    ("us_csl", None, ["us_csl/consolidated.csv.gz"]),
    ("ftm", "zala", ["opensanctions/yente_zala_entities.ftm.json"]),
]


@pytest.fixture(scope="module")
def loaded(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding every real publication (imported oldest first, as history accrues)."""
    store = Store(tmp_path_factory.mktemp("real") / "home")
    lists = shared_data / "lists"
    for source, dataset, rels in PUBLICATIONS:
        import_files(store, source, [lists / r for r in rels], dataset=dataset, allow_shrink=True)
    return store


def by_date(store: Store, dataset: str) -> dict[str, int]:
    return {v.published.isoformat(): v.entries for v in store.versions(dataset) if v.published}


def test_un_counts(loaded: Store) -> None:
    versions = {v.published.isoformat(): v for v in loaded.versions("un_sc") if v.published}
    latest = versions["2026-02-27"]
    schemata = latest.stats["by_schema"]
    assert schemata["Person"] == 730
    assert schemata.get("Organization", 0) + schemata.get("Company", 0) == 273
    assert latest.entries == 1003
    assert loaded.current("un_sc").id == latest.id  # type: ignore[union-attr]
    assert len(versions) == 5


def test_ofac_sdn_counts(loaded: Store) -> None:
    counts = by_date(loaded, "ofac_sdn")
    assert counts["2021-07-01"] == 8976
    assert counts["2024-05-03"] == 14965
    assert counts["2024-05-02"] == 14973
    assert counts["2019-01-01"] == 7379
    current = loaded.current("ofac_sdn")
    assert current is not None and current.published.isoformat() == "2024-05-03"  # type: ignore[union-attr]
    assert any("missing" in w for w in current.warnings)


def test_ofsi_csl_counts(loaded: Store) -> None:
    assert by_date(loaded, "uk_ofsi")["2025-04-10"] == 4686
    assert by_date(loaded, "uk_ofsi")["2020-04-27"] == 2114
    assert loaded.current("us_csl").entries == 14160  # type: ignore[union-attr]


def test_every_source_is_current_and_rich(loaded: Store) -> None:
    for dataset in ("un_sc", "ofac_sdn", "ofac_cons", "eu_fsf", "uk_ofsi", "us_csl", "zala"):
        current = loaded.current(dataset)
        assert current is not None, dataset
        assert current.entries > 0
    un = loaded.current("un_sc").stats  # type: ignore[union-attr]
    # Independent counts on the XML: 677 individuals have a DATE/YEAR/FROM_YEAR/TO_YEAR, plus
    # CDi.004 whose only date is the NOTE "Nov. 1973"; 800 entries have an alias or a name in
    # original script; 338 have an address with a street, city, state or postcode.
    assert un["with_birth_date"] == 678
    assert un["with_alias"] == 800
    assert un["with_address"] == 338
    assert un["with_identifier"] == 272  # entries with an INDIVIDUAL_DOCUMENT NUMBER


def test_un_diff_between_real_versions(loaded: Store) -> None:
    # Verified by hand on the XML: 2026-02-27 adds SDi.007-SDi.010 (Sudan, listed 2026-02-24),
    # drops IQi.074 (MUNIR AL QUBAYSI), and shortens COMMENTS1 of HTi.006 and SOi.022
    # (the INTERPOL link was removed).
    old = loaded.version("un_sc", "2025-11-20")
    new = loaded.version("un_sc", "2026-02-27")
    result = diff_versions(loaded.entities(old), loaded.entities(new))
    assert sorted(s.ref for s in result.added) == ["SDi.007", "SDi.008", "SDi.009", "SDi.010"]
    assert [s.ref for s in result.removed] == ["IQi.074"]
    assert "MUNIR" in result.removed[0].caption
    changed = {c.new.ref: c for c in result.changed}
    assert set(changed) == {"HTi.006", "SOi.022"}
    texts = [v for p in changed["HTi.006"].changes for v in p.removed]
    assert any("INTERPOL" in t for t in texts)


def test_un_identical_publications_differ_in_nothing(loaded: Store) -> None:
    # 2025-11-18 and 2025-11-20 differ only in dateGenerated.
    old = loaded.version("un_sc", "2025-11-18")
    new = loaded.version("un_sc", "2025-11-20")
    result = diff_versions(loaded.entities(old), loaded.entities(new))
    assert (result.added, result.removed, result.changed) == ([], [], [])


def test_ofac_diff_between_real_versions(loaded: Store) -> None:
    # Verified by hand on sdn.csv: 2024-05-03 drops eight RUSSIA-EO14024 entries: Emperor
    # Aviation Ltd (38556) and seven of its aircraft (38557-38560, 38563, 38565, 38566).
    old = loaded.version("ofac_sdn", "2024-05-02")
    new = loaded.version("ofac_sdn", "2024-05-03")
    result = diff_versions(loaded.entities(old), loaded.entities(new))
    assert sorted(int(s.ref) for s in result.removed if s.ref) == [
        38556,
        38557,
        38558,
        38559,
        38560,
        38563,
        38565,
        38566,
    ]
    assert result.added == []
    removed = {s.ref: s for s in result.removed}
    assert removed["38556"].caption == "EMPEROR AVIATION LTD"
    assert removed["38557"].schema == "Airplane"


def test_cli_lists_and_diff_json(loaded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANCTIONSNET_HOME", str(loaded.home))
    runner = CliRunner()
    out = runner.invoke(app, ["lists", "--json"])
    assert out.exit_code == 0, out.output
    data = {d["dataset"]: d for d in json.loads(out.output)}
    assert len(data["un_sc"]["versions"]) == 5
    out = runner.invoke(
        app, ["diff", "un_sc", "--from", "2025-11-20", "--to", "2026-02-27", "--json"]
    )
    assert out.exit_code == 0, out.output
    diff = json.loads(out.output)
    assert diff["summary"]["added"] == 4 and diff["summary"]["removed"] == 1
    out = runner.invoke(app, ["diff", "ofac_sdn"])  # default: the last two versions
    assert out.exit_code == 0
    assert "8 removed" in out.output


def test_partial_set_without_primary_is_refused(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "lists" / "ofac_sdn" / "2025-12_partial_no-sdn_moov-watchman"
    store = Store(tmp_path / "home")
    with pytest.raises(SourceError, match=r"sdn\.csv"):
        import_files(store, "ofac_sdn", sorted(folder.iterdir()))
    assert store.datasets() == []
