"""Faults at the command line: killed imports, bad files, concurrent processes.

These run the real `sanctionsnet` command in subprocesses, so a kill is a real
SIGKILL of the importing process, not a simulated exception.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sanctionsnet.samples import sample_paths
from sanctionsnet.store import Store

UN_SAMPLE = sample_paths("un_sc")[0]


def run_cli(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "SANCTIONSNET_HOME": str(home), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sanctionsnet", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def newer_copy(tmp_path: Path, name: str = "newer.xml", stamp: str = "2026-03-09") -> Path:
    text = UN_SAMPLE.read_text(encoding="utf-8")
    text = text.replace('dateGenerated="2026-03-02', f'dateGenerated="{stamp}')
    text = text.replace(
        "<DESIGNATION>\n        <VALUE>Representative</VALUE>",
        "<DESIGNATION>\n        <VALUE>Director</VALUE>",
    )
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot_state(home: Path) -> tuple[bytes, list[str]]:
    catalog = (home / "catalog.json").read_bytes()
    store = Store(home)
    return catalog, [v.id for v in store.versions("un_sc")]


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    done = run_cli(home, "import", "un_sc", str(UN_SAMPLE))
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.parametrize("point", ["mid-snapshot", "before-commit"])
def test_killed_import_leaves_store_exactly_as_it_was(
    seeded: Path, tmp_path: Path, point: str
) -> None:
    before = snapshot_state(seeded)
    killed = run_cli(
        seeded, "import", "un_sc", str(newer_copy(tmp_path)), env={"SANCTIONSNET_FAULT": point}
    )
    assert killed.returncode == -signal.SIGKILL
    assert snapshot_state(seeded) == before
    # The next import sweeps what the killed one left and succeeds.
    again = run_cli(seeded, "import", "un_sc", str(newer_copy(tmp_path)))
    assert again.returncode == 0, again.stderr
    store = Store(seeded)
    assert len(store.versions("un_sc")) == 2
    leftovers = [p.name for p in (seeded / "datasets" / "un_sc").iterdir()]
    assert sorted(leftovers) == sorted(v.id for v in store.versions("un_sc"))


def test_kill_after_commit_keeps_the_new_version(seeded: Path, tmp_path: Path) -> None:
    killed = run_cli(
        seeded,
        "import",
        "un_sc",
        str(newer_copy(tmp_path)),
        env={"SANCTIONSNET_FAULT": "after-commit"},
    )
    assert killed.returncode == -signal.SIGKILL
    store = Store(seeded)
    assert len(store.versions("un_sc")) == 2
    assert store.current("un_sc").published.isoformat() == "2026-03-09"  # type: ignore[union-attr]


def test_kill_at_random_moments_never_corrupts(seeded: Path, tmp_path: Path) -> None:
    rng = random.Random(7)
    for i in range(6):
        path = newer_copy(tmp_path, f"v{i}.xml", f"2026-04-{i + 1:02d}")
        env = {**os.environ, "SANCTIONSNET_HOME": str(seeded)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "sanctionsnet", "import", "un_sc", str(path)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = Store(seeded)
        current = store.current("un_sc")
        assert current is not None
        assert current.id in {v.id for v in store.versions("un_sc")}
        for v in store.versions("un_sc"):
            assert len(list(store.entities(v))) == v.stats["entities"]


def test_truncated_file_is_refused_with_file_and_line(seeded: Path, tmp_path: Path) -> None:
    before = snapshot_state(seeded)
    text = newer_copy(tmp_path).read_text(encoding="utf-8")
    broken = tmp_path / "truncated.xml"
    broken.write_text(text[: len(text) // 2], encoding="utf-8")
    result = run_cli(seeded, "import", "un_sc", str(broken))
    assert result.returncode == 1
    assert "truncated.xml" in result.stderr
    assert "line" in result.stderr
    assert snapshot_state(seeded) == before


def test_wrong_format_is_refused(seeded: Path, tmp_path: Path) -> None:
    before = snapshot_state(seeded)
    wrong = tmp_path / "notes.xml"
    wrong.write_text("<?xml version='1.0'?><notes><note>hello</note></notes>", encoding="utf-8")
    result = run_cli(seeded, "import", "un_sc", str(wrong))
    assert result.returncode == 1
    assert "notes.xml" in result.stderr
    assert snapshot_state(seeded) == before


def test_reimport_same_bytes_makes_no_version(seeded: Path) -> None:
    before = snapshot_state(seeded)
    result = run_cli(seeded, "import", "un_sc", str(UN_SAMPLE))
    assert result.returncode == 0
    assert "unchanged" in result.stdout
    assert snapshot_state(seeded) == before


def test_two_processes_importing_at_once(seeded: Path, tmp_path: Path) -> None:
    paths = [newer_copy(tmp_path, f"p{i}.xml", f"2026-05-{i + 1:02d}") for i in range(4)]
    env = {**os.environ, "SANCTIONSNET_HOME": str(seeded)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sanctionsnet", "import", "un_sc", str(p)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for p in paths
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    store = Store(seeded)
    assert len(store.versions("un_sc")) == 5
    assert store.current("un_sc").published.isoformat() == "2026-05-04"  # type: ignore[union-attr]
