"""`sanctionsnet update`: official files from a mirror folder, or downloaded over HTTP.

The download path is exercised against a real HTTP server on localhost serving the
shipped samples, so no test needs the internet.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctionsnet.cli import app
from sanctionsnet.samples import sample_paths
from sanctionsnet.sources import get_source
from sanctionsnet.store import Store

runner = CliRunner()


def test_update_from_mirror_folder(home: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "un_sc").mkdir(parents=True)
    shutil.copy(sample_paths("un_sc")[0], mirror / "un_sc" / "consolidated.xml")
    result = runner.invoke(app, ["update", "un_sc", "--mirror", str(mirror)])
    assert result.exit_code == 0, result.output
    current = Store(home).current("un_sc")
    assert current is not None and current.published is not None
    assert current.published.isoformat() == "2026-03-02"
    # Running it again with the same files stores nothing new.
    result = runner.invoke(app, ["update", "un_sc", "--mirror", str(mirror)])
    assert result.exit_code == 0 and "unchanged" in result.output
    assert len(Store(home).versions("un_sc")) == 1


def test_update_from_mirror_reports_missing_files(home: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "empty"
    mirror.mkdir()
    result = runner.invoke(app, ["update", "un_sc", "--mirror", str(mirror)])
    assert result.exit_code == 1
    assert "consolidated.xml" in result.output and str(mirror) in result.output
    assert Store(home).datasets() == []


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_update_downloads_official_files(
    home: Path, http_root: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, root = http_root
    shutil.copy(sample_paths("un_sc")[0], root / "consolidated.xml")
    cls = type(get_source("un_sc"))
    monkeypatch.setattr(cls, "official_files", {"consolidated.xml": f"{base}/consolidated.xml"})
    result = runner.invoke(app, ["update", "un_sc"])
    assert result.exit_code == 0, result.output
    current = Store(home).current("un_sc")
    assert current is not None and current.entries == 3


def test_update_download_failure_is_clear(
    home: Path, http_root: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = http_root
    cls = type(get_source("un_sc"))
    monkeypatch.setattr(cls, "official_files", {"consolidated.xml": f"{base}/missing.xml"})
    result = runner.invoke(app, ["update", "un_sc"])
    assert result.exit_code == 1
    assert "404" in result.output and "--mirror" in result.output
    assert Store(home).datasets() == []
