"""Web interface: how fast pages come back, server side and in a real browser.

Usage: python bench/web.py [--home DIR] [--data DIR] [--requests 200] [--browser-runs 20]

Starts a real server (uvicorn, one worker, the service app with the web interface
installed) over a store holding every real list (`--home`, e.g. /tmp/realhome; without
it the latest real publications are imported into a temporary store), waits for
/readyz, then measures with one client, one request at a time (keep-alive):

1. server: the screening page empty (`/`, the first page), a screening of a listed name
   and of a name that matches nothing (`/?name=...`), an entity page with its network
   (first visit and again), the Changes, Batch and Plots pages: p50 / p90 / max in ms;
2. browser: Debian's Chromium (Playwright) opening `/` in a fresh context each time (no
   cache): Navigation Timing's response end, DOMContentLoaded and load, p50 / p90.

The issue's target: the first page in under 200 ms on this machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import common
import httpx
from common import percentile

TARGET_MS = 200.0
SERVER = """
import sys, uvicorn
from sanctionsnet.api.app import create_app
from sanctionsnet.web import install
app = create_app()
install(app)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(home: Path, log: Path) -> Server:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "SANCTIONSNET_HOME": str(home), "SANCTIONSNET_API_AUDIT": "0"}
    src = str(common.REPO / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(server.base + "/readyz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError("server not ready")


def timed(client: httpx.Client, paths: list[str]) -> list[float]:
    out = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    return out


def row(label: str, values: list[float]) -> None:
    print(
        f"  {label:<44} n={len(values):>4}  p50 {percentile(values, 50):7.1f}  "
        f"p90 {percentile(values, 90):7.1f}  max {max(values):7.1f} ms"
    )


def names(home: Path, count: int) -> list[str]:
    """Captions of listed parties (UN and OFAC), shuffled: names an analyst would search."""
    from sanctionsnet.store import Store

    store = Store(home)
    found: list[str] = []
    for dataset in ("un_sc", "ofac_sdn"):
        version = store.current(dataset)
        if version is None:
            continue
        from sanctionsnet.store.stats import is_party

        found += [s.entity.caption for s in store.entities(version) if is_party(s.entity)]
    random.Random(0).shuffle(found)
    return found[:count]


def browser_runs(base: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        print("  (no chromium: browser timings skipped)")
        return {}
    metrics: dict[str, list[float]] = {"responseEnd": [], "domContentLoaded": [], "load": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "/", wait_until="load")
            timing = page.evaluate(
                "(() => { const t = performance.getEntriesByType('navigation')[0];"
                " return [t.responseEnd, t.domContentLoadedEventEnd, t.loadEventEnd]; })()"
            )
            for key, value in zip(metrics, timing, strict=True):
                metrics[key].append(float(value))
            context.close()
        browser.close()
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="store with the real lists (default: build one)")
    parser.add_argument("--data", type=Path, help="shared data folder")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--browser-runs", type=int, default=20)
    args = parser.parse_args()
    store = common.open_store(args.home, common.data_dir(args.data))
    home = store.home
    work = Path(tempfile.mkdtemp(prefix="sanctionsnet-web-bench-"))
    started = time.perf_counter()
    server = start(home, work / "server.log")
    print(f"server ready in {time.perf_counter() - started:.1f} s over {home}")
    try:
        measure(server, home, args)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def measure(server: Server, home: Path, args: argparse.Namespace) -> None:
    n = args.requests
    listed = names(home, n)
    negatives = [f"Fictional Benchmark Trading {i} Ltd" for i in range(n)]
    from urllib.parse import quote_plus

    with httpx.Client(base_url=server.base, timeout=60) as client:
        timed(client, ["/"] * 10)  # warm-up: templates compiled, connections open
        first = timed(client, ["/"] * n)
        listed_ms = timed(client, [f"/?name={quote_plus(x)}" for x in listed])
        negative_ms = timed(client, [f"/?name={quote_plus(x)}" for x in negatives])
        entity_ids = entity_sample(client, listed[: min(30, n)])
        cold = timed(client, [f"/ui/entity/{i}" for i in entity_ids])
        warm = timed(client, [f"/ui/entity/{i}" for i in entity_ids])
        timed(client, ["/ui/changes"])  # computes the diffs once
        changes = timed(client, ["/ui/changes"] * 20)
        batch = timed(client, ["/ui/batch"] * 20)
        plots = timed(client, ["/ui/plots"] * 20)
    print("server side (one client, keep-alive):")
    row("/ (first page, empty form)", first)
    row("/?name=<listed name>", listed_ms)
    row("/?name=<no match>", negative_ms)
    row("/ui/entity/<id> first visit (tables, network)", cold)
    row("/ui/entity/<id> again", warm)
    row("/ui/changes", changes)
    row("/ui/batch", batch)
    row("/ui/plots", plots)
    metrics = browser_runs(server.base, args.browser_runs)
    if metrics:
        print("browser, / in a fresh context (no cache), Navigation Timing:")
        for key, values in metrics.items():
            row(key, values)
        load = percentile(metrics["load"], 50)
        verdict = "met" if load < TARGET_MS else "NOT met"
        print(f"target: first page under {TARGET_MS:.0f} ms -> p50 load {load:.1f} ms: {verdict}")


def entity_sample(client: httpx.Client, queries: list[str]) -> list[str]:
    """The first result of each screening: entity ids to open."""
    import re

    pick: Callable[[str], list[str]] = lambda html: re.findall(  # noqa: E731
        r'class="result-link" href="/ui/entity/([^"]+)"', html
    )
    out = []
    for name in queries:
        found = pick(client.get("/", params={"name": name}).text)
        if found:
            out.append(found[0])
    return out


if __name__ == "__main__":
    main()
