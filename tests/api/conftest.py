"""Shared fixtures of the API tests: one store of the fictional samples, one engine, one client.

The store is built once per session from the samples shipped with sanctionsnet
(every entry fictional); tests that change a store copy it first.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import import_samples
from fastapi.testclient import TestClient

from sanctionsnet.api import Engine, ServiceSettings, create_app
from sanctionsnet.store import Store


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("api-samples")
    import_samples(home)
    return home


@pytest.fixture
def home_copy(sample_home: Path, tmp_path: Path) -> Path:
    """A private copy of the sample store, for tests that import into it."""
    target = tmp_path / "home"
    shutil.copytree(sample_home, target, ignore=shutil.ignore_patterns("logs"))
    return target


@pytest.fixture(scope="session")
def engine(sample_home: Path) -> Engine:
    engine = Engine(Store(sample_home), reload_interval=0)
    assert engine.refresh()
    return engine


@pytest.fixture(scope="session")
def audit_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api-audit") / "audit.jsonl"


@pytest.fixture(scope="session")
def settings(sample_home: Path, audit_path: Path) -> ServiceSettings:
    return ServiceSettings(home=sample_home, audit_log=audit_path, reload_interval=0)


@pytest.fixture(scope="session")
def client(settings: ServiceSettings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine)) as test_client:
        yield test_client
