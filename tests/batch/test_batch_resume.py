"""An interrupted run resumes where it stopped: no row missing, none twice.

The runs below are the real `sanctionsnet screen` in a subprocess, killed with SIGKILL
(nothing to clean up after itself) or stopped with SIGINT (Ctrl-C), then rerun with the
same command; the result must equal an uninterrupted run byte for byte.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from batch_book import BOOK_HEADER, write_csv

from sanctionsnet.batch import BatchOptions, run_batch
from sanctionsnet.batch.checkpoint import ResumeError
from sanctionsnet.store import Store

ROWS = 12_000  # long enough that a run is still going when the test stops it
# FICTIONAL name parts; every 40th row is one of the samples' fictional listed parties.
FIRST = ["Alba", "Bruno", "Chiara", "Dario", "Elena", "Fabio", "Gaia", "Ivo", "Lara", "Mauro"]
LAST = ["Fictional", "Sample", "Testini", "Exemplo", "Placeholder", "Nominato", "Finto"]
HITS = [
    ["Ivan Testovich Fictionalov", "1970-05-12", "Russia", "Person", ""],
    ["Fictional Test Trading LLC", "", "", "Company", ""],
    ["Some Harbour Vessel", "", "", "Vessel", "9876543"],
    ["Hana Testova", "1973-02-03", "KP", "Person", ""],
]


def big_book(path: Path) -> Path:
    rnd = random.Random(7)
    rows = []
    for i in range(ROWS):
        if i % 40 == 0:
            rows.append([f"b{i}", *HITS[(i // 40) % len(HITS)]])
        elif i % 97 == 0:
            rows.append([f"b{i}", "Nowhere Person", "1970", "Atlantis", "Person", ""])
        else:
            name = f"{rnd.choice(FIRST)} {rnd.choice(FIRST)} {rnd.choice(LAST)} {i}"
            rows.append([f"b{i}", name, str(1940 + i % 60), "", "Person", ""])
    return write_csv(path, BOOK_HEADER, rows)


def command(book: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sanctionsnet",
        "screen",
        str(book),
        "--out",
        str(out),
        "--workers",
        "2",
        "--checkpoint-every",
        "0.05",
    ]


def _interruptible() -> None:
    # A test run launched in the background by a non-interactive shell inherits SIGINT
    # ignored, and Python then installs no KeyboardInterrupt handler: give the run the
    # Ctrl-C a user at a terminal would have.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(sample_home: Path, book: Path, out: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SANCTIONSNET_HOME": str(sample_home)}
    return subprocess.Popen(
        command(book, out),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )


def wait_for_progress(out: Path, proc: subprocess.Popen[str]) -> int:
    """Rows committed once the run has committed some and not all."""
    progress = out.with_name(out.name + ".partial") / "progress.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        try:
            done = int(json.loads(progress.read_text())["rows_done"])
        except (FileNotFoundError, json.JSONDecodeError):
            done = 0
        if done >= 256:
            return done
        time.sleep(0.02)
    raise AssertionError("no progress committed within 60 s")


@pytest.fixture(scope="module")
def reference(sample_home: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The book, and its results from a run that nothing interrupted."""
    folder = tmp_path_factory.mktemp("reference")
    book = big_book(folder / "book.csv")
    out = folder / "reference.csv"
    summary = run_batch(BatchOptions(input=book, out=out, workers=2), Store(sample_home))
    assert summary.rows == ROWS
    assert summary.errors == sum(1 for i in range(ROWS) if i % 40 and i % 97 == 0)
    return book, out


def test_kill_9_then_rerun_gives_the_uninterrupted_result(
    sample_home: Path, reference: tuple[Path, Path], tmp_path: Path
) -> None:
    book, expected = reference
    out = tmp_path / "killed.csv"
    proc = start(sample_home, book, out)
    done = wait_for_progress(out, proc)
    workers = psutil.Process(proc.pid).children()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert done < ROWS
    assert not out.exists()  # nothing half-written where the result belongs
    # The worker processes do not outlive their parent.
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive

    resumed = subprocess.run(
        command(book, out),
        env={**os.environ, "SANCTIONSNET_HOME": str(sample_home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed at row" in resumed.stderr
    assert out.read_bytes() == expected.read_bytes()
    errors = out.with_name("killed.errors.csv").read_bytes()
    assert errors == expected.with_name("reference.errors.csv").read_bytes()
    assert not out.with_name("killed.csv.partial").exists()


def test_ctrl_c_stops_cleanly_and_resumes(
    sample_home: Path, store: Store, reference: tuple[Path, Path], tmp_path: Path
) -> None:
    book, expected = reference
    out = tmp_path / "stopped.csv"
    proc = start(sample_home, book, out)
    wait_for_progress(out, proc)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "rerun the same command to resume" in stderr
    assert "Traceback" not in stderr
    summary = run_batch(BatchOptions(input=book, out=out, workers=2), store)
    assert 0 < summary.resumed_at < ROWS
    assert summary.rows == ROWS
    assert out.read_bytes() == expected.read_bytes()


def test_a_different_job_is_refused_unless_restarted(store: Store, tmp_path: Path) -> None:
    book = big_book(tmp_path / "book.csv")
    out = tmp_path / "out.csv"
    partial = tmp_path / "out.csv.partial"
    # An unfinished run: its progress file says what it was made with.
    partial.mkdir()
    (partial / "progress.json").write_text(
        json.dumps(
            {
                "format": 1,
                "identity": {"input": {}, "settings": {}, "versions": {"un_sc": "older"}},
                "rows_done": 10,
                "parts": [],
                "error_parts": [],
                "counts": {},
                "seconds": 1.0,
            }
        )
    )
    with pytest.raises(ResumeError, match="the input file changed.*the lists changed.*--restart"):
        run_batch(BatchOptions(input=book, out=out), store)
    assert partial.exists() and not out.exists()
    summary = run_batch(BatchOptions(input=book, out=out, restart=True), store)
    assert summary.resumed_at == 0 and summary.rows == ROWS
    assert not partial.exists()


def test_two_runs_cannot_write_the_same_output(store: Store, tmp_path: Path) -> None:
    book = write_csv(tmp_path / "book.csv", BOOK_HEADER, [["x1", "Hana Testova", "", "", "", ""]])
    out = tmp_path / "out.csv"
    with (tmp_path / "out.csv.lock").open("a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(ResumeError, match="another screening run is writing"):
            run_batch(BatchOptions(input=book, out=out), store)
    assert run_batch(BatchOptions(input=book, out=out), store).matches == 1
    assert not (tmp_path / "out.csv.lock").exists()
