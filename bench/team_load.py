"""Benchmark: a team at work — editors updating tracking items while readers browse — on
loopback, then a check that no update was lost (not a test; run by hand and quote the figures).

    python bench/team_load.py [--db PATH] [--seconds 60] [--editors 8] [--readers 16] [--items 4]

Without ``--db``, a temporary SQLite database with every report of ../shared/corpus.  The
app runs as ``luoshi serve`` runs it, in a process of its own (see ``web_load.py``).  Each
editor signs in as a user of its own and, for ``--seconds``, takes one of ``--items`` shared
items (few, so that editors collide) and either adds a milestone naming itself — read the item,
append to its milestones, save against the version read, and on a 409 conflict read again and
retry — or posts a progress update with a unique note.  Readers sign in as viewers and cycle
through reader pages, the records API, the tracking list, the items and the scorecard.

Afterwards every milestone an editor was told was saved must be in its item, and every
progress note that got a 200 must be stored, exactly once: ``lost updates`` counts those
missing.  Prints req/s and p50/p95 per kind of request, conflicts (409s, expected: they are
the version check working), server errors (5xx) and other unexpected answers; exits 1 if any
update was lost or any request failed.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from luoshi import store
from luoshi.store import tracking
from luoshi.store import users as accounts
from web_load import free_port, percentile, start_server

PASSWORD = "team-load-password"


async def sign_in(client: httpx.AsyncClient, name: str) -> str:
    csrf = (await client.get("/session.json")).json()["csrf_token"]
    r = await client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": csrf},
                          headers={"Accept": "application/json"})
    r.raise_for_status()
    return r.json()["csrf_token"]


class Tally:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.unexpected: dict[str, int] = defaultdict(int)
        self.conflicts = 0
        self.saved_milestones: set[str] = set()
        self.saved_notes: set[str] = set()

    def note(self, kind: str, t0: float, r: httpx.Response | None, expected=(200,)) -> None:
        self.latency[kind].append((time.perf_counter() - t0) * 1e3)
        status = r.status_code if r is not None else "no answer"
        if status == 409:
            self.conflicts += 1
        elif status not in expected:
            self.unexpected[f"{status} {kind}"] += 1


async def editor(base: str, name: str, items: list[int], stop: float, tally: Tally) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60, trust_env=False) as c:
        h = {"X-CSRF-Token": await sign_in(c, name), "Accept": "application/json"}
        n = 0
        while time.perf_counter() < stop:
            n += 1
            item = random.choice(items)
            if n % 2:
                token = f"{name}-{n}"
                while time.perf_counter() < stop + 30:  # retry a conflict, as a person would
                    t0 = time.perf_counter()
                    current = await c.get(f"/tracking/items/{item}.json")
                    tally.note("item read", t0, current)
                    data = current.json().get("item") or current.json()
                    if current.status_code != 200:
                        raise SystemExit(f"{name}: GET item {item}: {current.status_code} {data}")
                    milestones = data["milestones"] + [{"due": None, "text": token}]
                    t0 = time.perf_counter()
                    r = await c.post(f"/tracking/items/{item}", headers=h,
                                     json={"version": data["version"], "milestones": milestones})
                    tally.note("item save", t0, r, expected=(200, 409))
                    if r.status_code == 200:
                        tally.saved_milestones.add(token)
                        break
                    if r.status_code != 409:
                        break
            else:
                note = f"{name}-{n}-进展"
                t0 = time.perf_counter()
                r = await c.post(f"/tracking/items/{item}/progress", headers=h,
                                 json={"status": "on_track", "percent": n % 100, "note": note})
                tally.note("progress", t0, r)
                if r.status_code == 200:
                    tally.saved_notes.add(note)


async def reader(base: str, name: str, urls: list[str], stop: float, tally: Tally) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60, trust_env=False) as c:
        await sign_in(c, name)
        urls = urls[:]
        random.shuffle(urls)
        i = 0
        while time.perf_counter() < stop:
            url = urls[i % len(urls)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = await c.get(url)
            except httpx.HTTPError:
                r = None
            kind = "reader page" if url.startswith("/documents/") else url.split("?")[0]
            tally.note(kind, t0, r)


def lost_updates(db_path: str, items: list[int], tally: Tally) -> tuple[int, int]:
    """(milestones saved but missing, progress notes saved but missing or stored twice)."""
    database = store.connect(db_path)
    try:
        milestones, notes = [], []
        for i in items:
            got = tracking.get_item(database, i)
            milestones += [m["text"] for m in got["milestones"]]
            notes += [p["note"] for p in got["progress"]]
    finally:
        database.close()
    missing_m = len(tally.saved_milestones - set(milestones)) + (len(milestones) - len(set(milestones)))
    missing_n = len(tally.saved_notes - set(notes)) + (len(notes) - len(set(notes)))
    return missing_m, missing_n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("--db", default=None)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--editors", type=int, default=8)
    ap.add_argument("--readers", type=int, default=16)
    ap.add_argument("--items", type=int, default=4, help="shared items the editors update (default 4)")
    ap.add_argument("--workers", type=int, default=1, help="server processes, as luoshi serve --workers (default 1)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="luoshi-team-load-") as tmp:
        db_path = a.db or str(Path(tmp) / "team.db")
        if a.db is None:
            t = time.perf_counter()
            report = store.import_paths(db_path, [Path(a.corpus)])
            print(f"imported {report.count('imported')} reports in {time.perf_counter() - t:.1f} s")
        database = store.connect(db_path)
        try:
            known = {u["name"] for u in accounts.list_users(database)}
            for role, count in (("editor", a.editors), ("viewer", a.readers)):
                for k in range(count):
                    if f"load-{role}-{k}" not in known:
                        accounts.add_user(database, f"load-{role}-{k}", PASSWORD, role)
            docs = store.list_documents(database)
            items = [tracking.create_item(database, "bench", {"title": f"负载测试事项 {k}", "deadline": "2026-12-31"},
                                          year=2026)["id"] for k in range(a.items)]
        finally:
            database.close()
        region = next((d["region"] for d in docs if d["region"]), "")
        urls = ([f"/documents/{d['id']}" for d in docs]
                + ["/records.json", "/records.json?q=就业", f"/records.json?region={region[:2]}", "/tracking.json"]
                + [f"/tracking/items/{i}.json" for i in items] + ["/scorecard.json"])
        port = free_port()
        server = start_server(db_path, port, a.workers)
        base = f"http://127.0.0.1:{port}"
        tally = Tally()
        try:
            print(f"{a.editors} editors on {a.items} shared items and {a.readers} readers for {a.seconds:g} s "
                  f"against {base}")

            async def team() -> float:
                t0 = time.perf_counter()
                stop = t0 + a.seconds + 5  # sign-in (argon2, by design slow) comes out of the first seconds
                await asyncio.gather(*(editor(base, f"load-editor-{k}", items, stop, tally) for k in range(a.editors)),
                                     *(reader(base, f"load-viewer-{k}", urls, stop, tally) for k in range(a.readers)))
                return time.perf_counter() - t0

            elapsed = asyncio.run(team())
        finally:
            server.terminate()
            server.wait(timeout=10)
        print(f"{'request':16} {'n':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        total = 0
        for kind, values in sorted(tally.latency.items()):
            values.sort()
            total += len(values)
            print(f"{kind:16} {len(values):7d} {len(values) / elapsed:8.1f} {percentile(values, 50):8.1f} "
                  f"{percentile(values, 95):8.1f} {values[-1]:8.1f}")
        print(f"{'all':16} {total:7d} {total / elapsed:8.1f}")
        server_errors = sum(k for what, k in tally.unexpected.items() if what.startswith("5"))
        lost_m, lost_n = lost_updates(db_path, items, tally)
        print(f"saved: {len(tally.saved_milestones)} milestone edits, {len(tally.saved_notes)} progress updates; "
              f"conflicts (409, retried): {tally.conflicts}")
        print(f"lost updates: {lost_m + lost_n} (milestones {lost_m}, progress {lost_n}); "
              f"server errors: {server_errors}; other unexpected answers: "
              f"{sum(tally.unexpected.values()) - server_errors}")
        for what, k in sorted(tally.unexpected.items(), key=lambda kv: -kv[1])[:5]:
            print(f"  ×{k}: {what}")
        ok = lost_m + lost_n == 0 and not tally.unexpected and tally.saved_milestones and tally.saved_notes
        print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
