"""Benchmark: the web app under a bounded load on loopback (not a test; run by hand and quote
the figures).

    python bench/web_load.py [--db PATH] [--seconds 10] [--concurrency 8] [CORPUS_DIR]

Without ``--db``, a temporary SQLite database with every report of the corpus imported
(../shared/corpus: 33 reports).  The app runs as ``luoshi serve`` runs it (uvicorn, one
process) in a process of its own on a free loopback port, so that the clients do not share
its interpreter; the setting ``anonymous_read`` is ``yes`` for the run (and put back after).
Two scenarios, each ``--concurrency`` clients (asyncio, httpx) for ``--seconds`` seconds after
one warm-up request per URL:

* reader: ``GET /documents/{id}`` over every stored report, round robin (HTML);
* records API: ``GET /records.json`` with no filter, a year, a region, ``q=就业``, ``page=2``.

Prints requests, req/s, latency p50/p95/p99/max, the server's CPU time per request (what a
busy machine does not inflate), mean response size and errors per scenario
(and the warm-up's first request of each URL, before the app's caches hold it), then PASS or FAIL against the goals (reader p95 ≤ 100 ms; records API ≥ 200 req/s); the exit
status is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from luoshi import importing, store
from luoshi.store import users as accounts

READER_P95_MS = 100.0
API_RPS = 200.0
SERVER = """
import sys, uvicorn
from luoshi import store
from luoshi.serve import create_app
db = store.connect(sys.argv[1])
uvicorn.run(create_app(db), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile of ``values`` (sorted)."""
    if not values:
        return float("nan")
    return values[min(len(values), max(1, math.ceil(p / 100 * len(values)))) - 1]


def cpu_seconds(pid: int) -> float | None:
    """The process's user + system CPU time (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if pid else None
    except (OSError, ValueError, IndexError):
        return None


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen:
    """The app in a process of its own; with ``workers`` > 1, ``luoshi serve --workers N`` (the
    CPU time measured is then the parent's only: shown as nan)."""
    if workers > 1:
        command = [
            sys.executable,
            "-m",
            "luoshi.cli",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    else:
        command = [sys.executable, "-c", SERVER, db, str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL if workers > 1 else None)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/session.json", timeout=1, trust_env=False).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"the server did not answer on port {port} within 30 s")


async def run(base: str, urls: list[str], seconds: float, concurrency: int, pid: int) -> dict:
    """``concurrency`` clients taking ``urls`` in turn for ``seconds``; latencies in ms; the
    server's CPU time per request (ms), which a busy machine does not inflate as it does latency."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    size = 0
    turn = itertools.cycle(urls)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30, trust_env=False) as client:
        cold = []
        for url in urls:  # warm-up, timed apart: templates compiled, the app's caches filled
            t = time.perf_counter()
            await client.get(url)
            cold.append((time.perf_counter() - t) * 1e3)

        async def worker(stop: float) -> None:
            nonlocal size
            while time.perf_counter() < stop:
                url = next(turn)
                t = time.perf_counter()
                try:
                    r = await client.get(url)
                    ok, what = r.status_code == 200, f"{r.status_code} {url}"
                    size += len(r.content)
                except httpx.HTTPError as e:
                    ok, what = False, f"{type(e).__name__} {url}"
                latencies.append((time.perf_counter() - t) * 1e3)
                if not ok:
                    errors[what] = errors.get(what, 0) + 1

        cpu = cpu_seconds(pid)
        start = time.perf_counter()
        await asyncio.gather(*(worker(start + seconds) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
        cpu_after = cpu_seconds(pid)
    latencies.sort()
    n = len(latencies)
    return {
        "n": n,
        "rps": n / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else float("nan"),
        "bytes": size / n if n else 0,
        "errors": errors,
        "cold": sorted(cold),
        "cpu": (cpu_after - cpu) * 1e3 / n if n and cpu is not None and cpu_after is not None else float("nan"),
    }


def show(name: str, r: dict, goal: str, passed: bool) -> None:
    n_errors = sum(r["errors"].values())
    print(
        f"{name:12} {r['n']:7d} {r['rps']:8.1f} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} "
        f"{r['max']:7.1f} {r['cpu']:7.1f} {r['bytes'] / 1024:7.1f} {n_errors:6d}  {'PASS' if passed else 'FAIL'} ({goal})"
    )
    cold = r["cold"]
    print(
        f"{'':12} first request of each of its {len(cold)} URLs (one client, caches empty): "
        f"median {percentile(cold, 50):.1f} ms, max {cold[-1]:.1f} ms"
    )
    for what, k in sorted(r["errors"].items(), key=lambda kv: -kv[1])[:5]:
        print(f"{'':12} error ×{k}: {what}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("--db", default=None, help="a database to serve (default: a temporary one with the corpus)")
    ap.add_argument("--seconds", type=float, default=10.0, help="per scenario (default 10)")
    ap.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    ap.add_argument("--workers", type=int, default=1, help="server processes, as luoshi serve --workers (default 1)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="luoshi-web-load-") as tmp:
        db_path = a.db
        if db_path is None:
            db_path = str(Path(tmp) / "web.db")
            t = time.perf_counter()
        database = store.connect(db_path)
        try:
            if a.db is None:
                report = importing.import_paths(database, [Path(a.corpus)])
                print(f"imported {report.count('imported')} reports from {a.corpus} in {time.perf_counter() - t:.1f} s")
            docs = store.list_documents(database)
            before = accounts.get_setting(database, "anonymous_read")
            accounts.set_setting(database, "anonymous_read", "yes")
        finally:
            database.close()
        if not docs:
            raise SystemExit(f"no reports in {db_path}")
        years = sorted({d["year"] for d in docs if d["year"]})
        region = next((d["region"] for d in docs if d["region"]), "")
        api = [
            "/records.json",
            f"/records.json?year={years[-1] if years else 2025}",
            f"/records.json?region={region[:2]}",
            "/records.json?q=就业",
            "/records.json?page=2",
        ]
        reader = [f"/documents/{d['id']}" for d in docs]
        port = free_port()
        server = start_server(db_path, port, a.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            print(
                f"{len(docs)} reports, {sum(d['records'] for d in docs)} records; "
                f"{a.concurrency} clients × {a.seconds:g} s per scenario; server pid {server.pid} on {base} "
                f"({os.cpu_count()} cores)"
            )
            print(
                f"{'scenario':12} {'requests':>7} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
                f"{'max ms':>7} {'CPU ms':>7} {'KB/resp':>7} {'errors':>6}"
            )
            r = asyncio.run(run(base, reader, a.seconds, a.concurrency, server.pid if a.workers == 1 else 0))
            ok_reader = r["p95"] <= READER_P95_MS and not r["errors"]
            show("reader", r, f"p95 ≤ {READER_P95_MS:g} ms", ok_reader)
            r = asyncio.run(run(base, api, a.seconds, a.concurrency, server.pid if a.workers == 1 else 0))
            ok_api = r["rps"] >= API_RPS and not r["errors"]
            show("records API", r, f"≥ {API_RPS:g} req/s", ok_api)
        finally:
            server.terminate()
            server.wait(timeout=10)
            database = store.connect(db_path)
            try:
                accounts.set_setting(database, "anonymous_read", before or "no")
            finally:
                database.close()
    sys.exit(0 if ok_reader and ok_api else 1)


if __name__ == "__main__":
    main()
