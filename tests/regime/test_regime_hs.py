"""The HS nomenclature read at run time: lookups, and where it is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionsnet.regime.hs import HS_DIR_ENV, HSError, HSNomenclature, default_hs_dir, load_hs


def test_lookup_describes_chapter_heading_and_subheading(hs_dir: Path) -> None:
    hs = HSNomenclature.load(hs_dir)
    info = hs.lookup("2710192100")  # national digits beyond the subheading are ignored
    assert info.known and info.edition == "HS2022"
    assert info.chapter is not None and info.chapter.code == "27"
    assert info.heading is not None and info.heading.code == "2710"
    assert info.subheading is not None and info.subheading.code == "271019"
    assert "Petroleum oils" in info.describe()
    assert not hs.lookup("010199").known and hs.lookup("010199").heading is not None
    # A subheading that HS2022 dropped is still known from HS2017.
    old = hs.lookup("030510")
    assert old.known and old.edition == "HS2017"


def test_where_the_tables_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hs_dir: Path
) -> None:
    monkeypatch.setenv(HS_DIR_ENV, str(hs_dir))
    assert default_hs_dir() == hs_dir
    assert load_hs() is load_hs(hs_dir)  # read once
    monkeypatch.setenv(HS_DIR_ENV, str(tmp_path / "absent"))
    with pytest.raises(HSError, match="not found"):
        load_hs()
    with pytest.raises(HSError, match="not found"):
        load_hs(tmp_path / "absent")
    (tmp_path / "HS2022_bad.csv").write_text("code,text\n01,x\n", encoding="utf-8")
    with pytest.raises(HSError, match="not an HS table"):
        HSNomenclature.load(tmp_path)
