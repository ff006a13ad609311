"""A store of the shipped sample lists (every entry fictional), shared by the network tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sanctionsnet.ingest import import_files
from sanctionsnet.samples import SAMPLE_DATES, SAMPLES, sample_paths
from sanctionsnet.store import Store


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("network-samples") / "home")
    for source in SAMPLES:
        published = SAMPLE_DATES.get(source)
        import_files(
            store,
            source,
            sample_paths(source),
            published=date.fromisoformat(published) if published else None,
        )
    return store


@pytest.fixture
def sample_home(sample_store: Store, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SANCTIONSNET_HOME set to the sample store (for CLI tests)."""
    monkeypatch.setenv("SANCTIONSNET_HOME", str(sample_store.home))
    return sample_store.home
