"""Fixtures of the web interface tests: one store of the fictional samples, one app, one client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import build_app, import_samples


@pytest.fixture(scope="session")
def web_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("web-samples")
    import_samples(home)
    return home


@pytest.fixture
def web_home(web_samples: Path, tmp_path: Path) -> Path:
    """A private copy of the sample store (jobs and decisions are written into it)."""
    target = tmp_path / "home"
    shutil.copytree(web_samples, target, ignore=shutil.ignore_patterns("logs", "web"))
    return target


@pytest.fixture
def web_app(web_home: Path) -> FastAPI:
    return build_app(web_home)


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app) as test_client:
        yield test_client
