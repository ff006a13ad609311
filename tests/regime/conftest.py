"""Fixtures for the regime tests: the fictional cases, a store of the shipped samples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from regime_helpers import check_file

from sanctionsnet.ingest import import_files
from sanctionsnet.regime.checker import Checker, Result
from sanctionsnet.regime.service import load_checker
from sanctionsnet.samples import SAMPLE_DATES, SAMPLES, sample_paths
from sanctionsnet.store import Store

REGIME_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "regime"


@pytest.fixture(scope="session")
def regime_fixtures() -> Path:
    return REGIME_FIXTURES


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding the fictional sample of every list (as `sanctionsnet quickstart`)."""
    store = Store(tmp_path_factory.mktemp("regime-home"))
    for source_id in SAMPLES:
        published = SAMPLE_DATES.get(source_id)
        import_files(
            store,
            source_id,
            sample_paths(source_id),
            published=date.fromisoformat(published) if published else None,
        )
    return store


@pytest.fixture(scope="session")
def hs_dir(shared_data: Path) -> Path:
    return shared_data / "hs"


@pytest.fixture(scope="session")
def screening_checker(sample_store: Store) -> Checker:
    """The UN DPRK checker, screening against the samples, without the HS tables."""
    return load_checker("un_dprk", store=sample_store, hs_dir=None)


@pytest.fixture(scope="session")
def dprk_results(screening_checker: Checker) -> dict[str, Result]:
    """Every fictional DPRK case (CSV and JSON lines), checked once."""
    results = check_file(screening_checker, REGIME_FIXTURES / "dprk_cases.csv")
    results.update(check_file(screening_checker, REGIME_FIXTURES / "dprk_cases.jsonl"))
    return results
