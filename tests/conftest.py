"""Shared test fixtures: where the real public data lives, and a fresh store home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data_dir() -> Path:
    """Real public data, never copied into the project (override: SANCTIONSNET_SHARED_DATA)."""
    env = os.environ.get("SANCTIONSNET_SHARED_DATA")
    return Path(env) if env else (REPO.parent / "shared" / "data")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; under CI (CI=true) its absence fails the run instead of skipping."""
    path = shared_data_dir()
    if not (path / "lists").is_dir():
        message = f"real data not found at {path} (set SANCTIONSNET_SHARED_DATA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty SANCTIONSNET_HOME for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("SANCTIONSNET_HOME", str(path))
    return path


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
