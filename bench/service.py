"""HTTP screening service: single-query latency and requests per second under concurrent clients.

Usage: python bench/service.py [--home DIR] [--seconds 30] [--concurrency 50] [--workers 2]
                               [--latency-requests 1000] [--client raw|httpx] [--data DIR]

Starts a real server (`sanctionsnet serve`, uvicorn, `--workers N`) over a store holding
every real list (`--home`, e.g. SANCTIONSNET_HOME=/tmp/realhome; without it the latest
real publications are imported into a temporary store), waits for /readyz, then:

1. latency: one client, one request at a time, a single-query `POST /match/default`
   per request (yente's request shape): p50 / p90 / p99 / max in milliseconds;
2. throughput: `--concurrency` clients in a closed loop for `--seconds`, each sending
   the next query as soon as its previous answer arrived: requests per second, errors
   (any status but 200, or a connection error), and the latency seen under that load.

The latency queries are the persons bench/speed.py times in process (UN positives,
treated, and the 2,000 validation negatives, with name, birth date and nationality),
so that both figures compare. The load phase adds the 50,000 global negatives and
shuffles them: no query repeats within a run, so the name analysis caches never make
a request cheaper than a new customer's would be.

The load generator runs in this process on the same cores as the server. By default
it is a minimal asyncio HTTP/1.1 keep-alive client (tens of microseconds per request)
so that it takes as little CPU from the server as possible; `--client httpx` uses an
httpx.AsyncClient instead (several times the client CPU per request). Closed-loop
latency under load is bounded below by concurrency / throughput (Little's law):
50 clients at 500 requests/s wait 100 ms each on average, whatever the server does,
which is why the latency target is measured with one client.

For scale, the issue cites yente (OpenSanctions' service) at about 4 requests/s per
core with its default algorithm; that figure is quoted, not measured here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import common
import evalsets
from common import percentile
from followthemoney import registry

from sanctionsnet._kernel import describe_kernel

#: yente's documented throughput with its default algorithm, per core (quoted in issue 4).
YENTE_RPS_PER_CORE = 4.0
TARGET = {"p50_ms": 5.0, "p99_ms": 50.0, "rps": 500.0}
PATH = "/match/default"
WARMUP = 50


# --- queries ------------------------------------------------------------------------------


def timing_rows(data: Path) -> list[evalsets.PersonRow]:
    """The UN positives (treated) and the 2,000 validation negatives: bench/speed.py's set."""
    rows = [t for t, _ in evalsets.un_positives(data)]
    for part in evalsets.validation_negatives(data).values():
        rows.extend(part)
    return rows


def load_rows(data: Path) -> list[evalsets.PersonRow]:
    """The timing set and the 50,000 global negatives, shuffled: a run never repeats a query,
    so every request pays the full name analysis, as distinct customers would."""
    rows = timing_rows(data) + evalsets.negatives_50k(data)
    random.Random(0).shuffle(rows)
    return rows


def query_bodies(rows: Sequence[evalsets.PersonRow]) -> list[bytes]:
    """yente /match bodies, one person each (name, birth date and nationality when valid)."""
    bodies = []
    for row in rows:
        props: dict[str, list[str]] = {"name": [row.full_name]}
        date = registry.date.clean(row.date_of_birth) if row.date_of_birth else None
        if date:
            props["birthDate"] = [date]
        country = registry.country.clean(row.nationality) if row.nationality else None
        if country:
            props["nationality"] = [country]
        if not row.full_name.strip():
            continue
        body = {"queries": {"q": {"schema": "Person", "properties": props}}}
        bodies.append(json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return bodies


# --- server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(home: Path, workers: int, workdir: Path) -> Server:
    port = free_port()
    log = workdir / "server.log"
    env = {**os.environ, "SANCTIONSNET_HOME": str(home)}
    src = str(common.REPO / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [
        sys.executable, "-m", "sanctionsnet", "serve", "--port", str(port),
        "--workers", str(workers), "--audit-log", str(workdir / "audit.jsonl"),
        "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Server(process, port, log)


def cpu_seconds(server: Server) -> float:
    """CPU time (user + system) used so far by the server and its worker processes."""
    import psutil

    root = psutil.Process(server.process.pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def wait_ready(server: Server, timeout: float) -> float:
    """Seconds until /readyz answers 200 (the index is loaded in every worker polled)."""
    import httpx

    started = time.perf_counter()
    deadline = started + timeout
    ok_in_a_row = 0
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {server.log.read_text()[-2000:]}")
        try:
            status = httpx.get(f"http://127.0.0.1:{server.port}/readyz", timeout=2).status_code
        except httpx.HTTPError:
            status = 0
        # Several workers answer in turn; wait until a run of answers are all ready.
        ok_in_a_row = ok_in_a_row + 1 if status == 200 else 0
        if ok_in_a_row >= 8:
            return time.perf_counter() - started
        time.sleep(0.1 if status == 200 else 0.5)
    raise RuntimeError(f"server not ready after {timeout:.0f} s; log: {server.log}")


# --- clients ------------------------------------------------------------------------------


class RawClient:
    """One keep-alive HTTP/1.1 connection; just enough protocol for this benchmark."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("ascii")
        self.writer.write(head + body)
        try:
            header = await self.reader.readuntil(b"\r\n\r\n")
            status = int(header[9:12])
            length = 0
            close = False
            for line in header.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            payload = await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            await self.close()
            raise
        if close:
            await self.close()
        return status, payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


class HttpxClient:
    def __init__(self, port: int) -> None:
        import httpx

        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30)

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        response = await self.client.post(
            path, content=body, headers={"content-type": "application/json"}
        )
        return response.status_code, response.content

    async def close(self) -> None:
        await self.client.aclose()


def make_client(kind: str, port: int) -> RawClient | HttpxClient:
    return RawClient(port) if kind == "raw" else HttpxClient(port)


def valid(status: int, payload: bytes) -> bool:
    return status == 200 and payload.startswith(b'{"responses":{"q":{"status":200')


# --- measurements -------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float = 0.0
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    error_examples: list[str] = field(default_factory=list)

    def note_error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 5:
            self.error_examples.append(text[:300])


async def sequential(
    port: int, bodies: Sequence[bytes], warmup: Sequence[bytes], client_kind: str
) -> Run:
    """One request at a time; `warmup` (not timed, not among `bodies`) loads lazy data first."""
    client = make_client(client_kind, port)
    run = Run()
    try:
        for body in warmup:
            await client.post(PATH, body)
        started = time.perf_counter()
        for body in bodies:
            t0 = time.perf_counter()
            try:
                status, payload = await client.post(PATH, body)
            except Exception as exc:
                run.note_error(repr(exc))
                continue
            run.latencies.append(time.perf_counter() - t0)
            run.requests += 1
            if not valid(status, payload):
                run.note_error(f"{status}: {payload[:200]!r}")
        run.seconds = time.perf_counter() - started
    finally:
        await client.close()
    return run


async def load(
    port: int, bodies: Sequence[bytes], seconds: float, concurrency: int, client_kind: str
) -> Run:
    run = Run()
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**12))

    async def worker() -> None:
        client = make_client(client_kind, port)
        try:
            while time.perf_counter() < deadline:
                body = bodies[next(counter) % len(bodies)]  # each request the next query
                t0 = time.perf_counter()
                try:
                    status, payload = await client.post(PATH, body)
                except Exception as exc:
                    run.note_error(repr(exc))
                    continue
                run.latencies.append(time.perf_counter() - t0)
                run.requests += 1
                if not valid(status, payload):
                    run.note_error(f"{status}: {payload[:200]!r}")
        finally:
            await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    return run


def summary(run: Run) -> dict[str, float]:
    ms = [s * 1e3 for s in run.latencies] or [float("nan")]
    return {
        "requests": run.requests,
        "errors": run.errors,
        "seconds": run.seconds,
        "rps": run.requests / run.seconds if run.seconds else 0.0,
        "p50_ms": percentile(ms, 50),
        "p90_ms": percentile(ms, 90),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms),
    }


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--home", type=Path, help="store with the real lists (default: import them)"
    )
    parser.add_argument("--data", type=Path, help="shared data folder (default: ../shared/data)")
    parser.add_argument("--seconds", type=float, default=30.0, help="throughput run length")
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--latency-requests", type=int, default=1000, help="sequential requests")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw", help="load generator")
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()

    data = common.data_dir(args.data)
    home = args.home or (
        Path(os.environ["SANCTIONSNET_HOME"]) if os.environ.get("SANCTIONSNET_HOME") else None
    )
    store = common.open_store(home, data)
    lists = {d: v.id for d in store.datasets() if (v := store.current(d)) is not None}
    bodies = query_bodies(timing_rows(data))
    load_bodies = query_bodies(load_rows(data))
    cores = os.cpu_count() or 1
    print(
        f"store {store.home}: {len(lists)} lists ({', '.join(f'{d}={v}' for d, v in lists.items())})"
    )
    print(describe_kernel())
    print(f"{len(bodies):,} person queries for latency, {len(load_bodies):,} for load; {cores} cores; "
          f"server: {args.workers} workers; load generator: {args.client} client in this process")  # fmt: skip

    workdir = Path(tempfile.mkdtemp(prefix="sanctionsnet-bench-service-"))
    server = start_server(store.home, args.workers, workdir)
    try:
        ready = wait_ready(server, args.ready_timeout)
        print(f"server ready in {ready:.1f} s (port {server.port})")
        n = min(args.latency_requests, len(bodies) - WARMUP)
        seq_run = asyncio.run(sequential(server.port, bodies[:n], bodies[-WARMUP:], "raw"))
        server_cpu, client_cpu = cpu_seconds(server), time.process_time()
        par_run = asyncio.run(
            load(server.port, load_bodies, args.seconds, args.concurrency, args.client)
        )
        server_cpu = cpu_seconds(server) - server_cpu
        client_cpu = time.process_time() - client_cpu
        seq, par = summary(seq_run), summary(par_run)
        examples = seq_run.error_examples + par_run.error_examples
        requests = max(par_run.requests, 1)
        par["server_cpu_ms"] = server_cpu / requests * 1e3
        par["client_cpu_ms"] = client_cpu / requests * 1e3
        par["cpu_share"] = (server_cpu + client_cpu) / (par_run.seconds * cores)
        audit_lines = sum(1 for _ in (workdir / "audit.jsonl").open("rb"))
    finally:
        server.stop()
    report(seq, par, args, cores, audit_lines)
    for example in examples:
        print(f"error: {example}")
    if examples:
        print("server log (last lines):\n" + "\n".join(server.log.read_text().splitlines()[-20:]))
    if args.json:
        print(json.dumps({"latency": seq, "load": par, "audit_lines": audit_lines}, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


def report(seq: dict[str, float], par: dict[str, float], args: argparse.Namespace, cores: int, audit_lines: int) -> None:  # fmt: skip
    yente = YENTE_RPS_PER_CORE * cores
    capacity = cores * 1e3 / par["server_cpu_ms"] if par["server_cpu_ms"] else float("nan")
    rows = [
        ["single client: p50 ms", f"{seq['p50_ms']:.2f}", f"<= {TARGET['p50_ms']:g}", _ok(seq["p50_ms"] <= TARGET["p50_ms"])],
        ["single client: p90 ms", f"{seq['p90_ms']:.2f}", "", ""],
        ["single client: p99 ms", f"{seq['p99_ms']:.2f}", f"<= {TARGET['p99_ms']:g}", _ok(seq["p99_ms"] <= TARGET["p99_ms"])],
        ["single client: requests / errors", f"{seq['requests']:,.0f} / {seq['errors']:,.0f}", "0 errors", _ok(seq["errors"] == 0)],
        [f"{args.concurrency} clients, {args.seconds:g} s: requests/s", f"{par['rps']:.0f}", f">= {TARGET['rps']:g}", _ok(par["rps"] >= TARGET["rps"])],
        [f"{args.concurrency} clients: requests / errors", f"{par['requests']:,.0f} / {par['errors']:,.0f}", "0 errors", _ok(par["errors"] == 0)],
        [f"{args.concurrency} clients: p50 / p99 ms", f"{par['p50_ms']:.1f} / {par['p99_ms']:.1f}", "", ""],
        [f"{args.concurrency} clients: server CPU ms / request", f"{par['server_cpu_ms']:.2f}", "", ""],
        [f"{args.concurrency} clients: load generator CPU ms / request", f"{par['client_cpu_ms']:.2f}", "", ""],
        [f"capacity of {cores} free cores (cores / server CPU per request)", f"{capacity:.0f}", f">= {TARGET['rps']:g}", _ok(capacity >= TARGET["rps"])],
        ["share of the machine's CPU we got during the run", f"{100 * par['cpu_share']:.0f} %", "", ""],
        [f"yente (docs, quoted): ~{YENTE_RPS_PER_CORE:g} req/s per core x {cores}", f"~{yente:.0f}", "", f"ours x{par['rps'] / yente:.0f}"],
    ]  # fmt: skip
    print()
    print(
        common.table(
            ["HTTP POST /match/default, one query per request", "measured", "target", ""], rows
        )
    )
    print(f"audit log lines written: {audit_lines:,} (one per request)")


def _ok(passed: bool) -> str:
    return "ok" if passed else "MISSED"


if __name__ == "__main__":
    main()
