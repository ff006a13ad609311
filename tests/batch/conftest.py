"""Batch screening fixtures: a store of the shipped FICTIONAL samples and a small book."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from batch_book import BOOK, BOOK_HEADER, write_csv

from sanctionsnet.ingest import import_files
from sanctionsnet.samples import SAMPLE_DATES, SAMPLES, sample_paths
from sanctionsnet.service import load_index
from sanctionsnet.store import Store


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every shipped sample list, its index cached."""
    home = tmp_path_factory.mktemp("batch-home")
    store = Store(home)
    for source_id in SAMPLES:
        published = SAMPLE_DATES.get(source_id)
        import_files(
            store,
            source_id,
            sample_paths(source_id),
            published=date.fromisoformat(published) if published else None,
        )
    load_index(store)
    return home


@pytest.fixture
def store(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("SANCTIONSNET_HOME", str(sample_home))
    return Store(sample_home)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "book.csv", BOOK_HEADER, BOOK)
