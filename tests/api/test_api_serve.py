"""`sanctionsnet serve` as users run it: a real uvicorn server with two workers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from api_support import FICTIONAL_FTM, person
from typer.testing import CliRunner

from sanctionsnet.cli import app
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store

KEY = "serve-test-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_two_workers_keys_audit_and_reload(home_copy: Path, tmp_path: Path) -> None:
    port = free_port()
    audit = tmp_path / "audit.jsonl"
    env = {**os.environ, "SANCTIONSNET_HOME": str(home_copy)}
    cmd = [sys.executable, "-m", "sanctionsnet", "serve", "--port", str(port), "--workers", "2",
           "--api-key", KEY, "--audit-log", str(audit), "--reload-interval", "0.5"]  # fmt: skip
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {KEY}"}
    try:
        deadline = time.monotonic() + 90
        ready = 0
        while ready < 6:  # both workers, answering in turn
            assert time.monotonic() < deadline, log.read_text()
            assert server.poll() is None, log.read_text()
            try:
                ready = (
                    ready + 1 if httpx.get(f"{base}/readyz", timeout=2).status_code == 200 else 0
                )
            except httpx.HTTPError:
                ready = 0
            time.sleep(0.2)
        body = {"queries": {"p": person("Pak Chol Sample")}}
        screened = 0  # answered screening requests: each must be in the audit log
        with httpx.Client(base_url=base, timeout=10) as client:
            assert client.post("/match/default", json=body).status_code == 401
            answer = client.post("/match/default", json=body, headers=headers)
            assert answer.status_code == 200
            screened += 1
            assert answer.json()["responses"]["p"]["results"][0]["id"] == "un-sc-kpi.901"
            # A list imported while the server runs reaches every worker.
            source = tmp_path / "extra.ftm.json"
            source.write_text(FICTIONAL_FTM)
            import_files(Store(home_copy), "ftm", [source], dataset="fict_extra")
            zebulon = {"queries": {"z": person("Zebulon Fictitious Reloadson")}}
            seen = 0
            while seen < 10:
                assert time.monotonic() < deadline + 60, "new list not served by every worker"
                response = client.post("/match/default", json=zebulon, headers=headers)
                assert response.status_code == 200
                screened += 1
                results = response.json()["responses"]["z"]["results"]
                seen = seen + 1 if results and results[0]["id"] == "fict-reload-0001" else 0
    finally:
        server.send_signal(signal.SIGINT)
        code = server.wait(30)
    assert code == 0, log.read_text()
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert len(lines) == screened
    assert all(line["key"] and KEY not in json.dumps(line) for line in lines)
    assert "fict_extra" in lines[-1]["versions"]


def test_serve_refuses_an_unreadable_keys_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--api-keys-file", str(tmp_path / "none.txt")])
    assert result.exit_code == 1
    assert "cannot read API keys file" in result.output
