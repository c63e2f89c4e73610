"""Benchmark: a team at work — editors updating tracking items while readers browse — on
loopback, then a check that no update was lost (not a test; run by hand and quote the figures).

    python bench/team_load.py [--db PATH] [--seconds 60] [--editors 8] [--readers 16] [--items 4]

Without ``--db``, a temporary SQLite database with every report of ../shared/corpus.  The
app runs as ``luoshi serve`` runs it, in a process of its own (see ``web_load.py``).  Each
editor signs in as a user of its own and, for ``--seconds``, does in turn one of four writes:
takes one of ``--items`` shared items (few, so that editors collide) and adds a milestone
naming itself — read the item, append to its milestones, save against the version read, and
on a 409 conflict read again and retry; posts a progress update with a unique note to one;
corrects a record (rejects one of ``--records`` shared records with a unique note, or undoes
one of its own corrections); or tracks one of ``--records`` other shared records (200, or 409
when it is tracked already).  Readers sign in as viewers and cycle through reader pages, the
records API, the tracking list, the items and the scorecard.

Afterwards every milestone an editor was told was saved must be in its item, every progress
note that got a 200 stored exactly once, every correction that got a 200 stored unless its
editor undid it (and none it undid), every tracked record followed by the one item the 200 gave:
``lost updates`` counts what is missing or doubled.  Prints req/s and p50/p95 per kind of
request, conflicts (409s, expected: they are the version check and the one item per record
working), server errors (5xx) and other unexpected answers; exits 1 if any update was lost
or any request failed.
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

from luoshi import importing, store
from luoshi.store import corrections, tracking
from luoshi.store import users as accounts
from web_load import free_port, percentile, start_server

PASSWORD = "team-load-password"
# a connection idle this long is not used again: uvicorn closes idle ones after 5 s, and one
# reused just as it closes gets no answer (those waiting for the whole team to sign in, say)
KEEP_ALIVE = httpx.Limits(keepalive_expiry=4)


SIGN_IN_RETRIES: list[str] = []  # sign-ins told to wait a little (503: the server is hashing others)


async def sign_in(client: httpx.AsyncClient, name: str) -> str:
    """Sign in; told to wait a few seconds (the server is checking other passwords), try again."""
    csrf = (await client.get("/session.json")).json()["csrf_token"]
    for _ in range(20):
        r = await client.post(
            "/login",
            data={"name": name, "password": PASSWORD, "csrf_token": csrf},
            headers={"Accept": "application/json"},
        )
        wait = float(r.headers.get("Retry-After") or 1)
        if r.status_code not in (429, 503) or wait > 10:
            break
        SIGN_IN_RETRIES.append(f"{r.status_code} {r.json()['error']['message']}")
        await asyncio.sleep(wait)
    if r.status_code != 200:
        raise SystemExit(f"{name}: sign-in refused: {r.status_code} {r.text[:200]}")
    return r.json()["csrf_token"]


class Gate:
    """The team signs in a few at a time (as people arrive: argon2 is slow by design, and the
    sign-in limits count attempts), then all start working at once for ``seconds``."""

    def __init__(self, people: int, seconds: float) -> None:
        self.slots = asyncio.Semaphore(4)
        self.all_in = asyncio.Barrier(people)
        self.seconds = seconds
        self.started = 0.0

    async def enter(self, client: httpx.AsyncClient, name: str) -> str:
        async with self.slots:
            csrf = await sign_in(client, name)
        await self.all_in.wait()
        self.started = self.started or time.perf_counter()
        return csrf

    @property
    def stop(self) -> float:
        return self.started + self.seconds


class Tally:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.unexpected: dict[str, int] = defaultdict(int)
        self.conflicts = 0
        self.saved_milestones: set[str] = set()
        self.saved_notes: set[str] = set()
        self.saved_corrections: set[str] = set()  # by their unique notes (an id can be used again)
        self.undone_corrections: set[str] = set()
        self.tracked: dict[int, set[int]] = defaultdict(set)  # record id → item ids a 200 gave

    def note(self, kind: str, t0: float, r: httpx.Response | None, expected=(200,)) -> None:
        self.latency[kind].append((time.perf_counter() - t0) * 1e3)
        status = r.status_code if r is not None else "no answer"
        if status == 409:
            self.conflicts += 1
        elif status not in expected:
            self.unexpected[f"{status} {kind}"] += 1


async def editor(
    base: str, name: str, items: list[int], fix: list[int], track: list[int], gate: Gate, tally: Tally
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60, trust_env=False, limits=KEEP_ALIVE) as c:
        h = {"X-CSRF-Token": await gate.enter(c, name), "Accept": "application/json"}
        stop = gate.stop
        mine: list[int] = []  # this editor's corrections, to undo
        n = 0
        while time.perf_counter() < stop:
            n += 1
            item = random.choice(items)
            if n % 4 == 1:
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
                    r = await c.post(
                        f"/tracking/items/{item}",
                        headers=h,
                        json={"version": data["version"], "milestones": milestones},
                    )
                    tally.note("item save", t0, r, expected=(200, 409))
                    if r.status_code == 200:
                        tally.saved_milestones.add(token)
                        break
                    if r.status_code != 409:
                        break
            elif n % 4 == 2:
                note = f"{name}-{n}-进展"
                t0 = time.perf_counter()
                r = await c.post(
                    f"/tracking/items/{item}/progress",
                    headers=h,
                    json={"status": "on_track", "percent": n % 100, "note": note},
                )
                tally.note("progress", t0, r)
                if r.status_code == 200:
                    tally.saved_notes.add(note)
            elif n % 4 == 3:
                t0 = time.perf_counter()
                if mine and (n // 4) % 2:  # every other time, undo one of its own
                    undo, note = mine.pop(random.randrange(len(mine)))
                    r = await c.delete(f"/api/corrections/{undo}", headers=h)
                    tally.note("correction undo", t0, r)
                    if r.status_code == 200:
                        tally.undone_corrections.add(note)
                else:
                    note = f"{name}-{n}-不是指标"
                    r = await c.post(f"/api/records/{random.choice(fix)}/reject", headers=h, json={"note": note})
                    tally.note("correction", t0, r)
                    if r.status_code == 200:
                        mine.append((r.json()["correction_id"], note))
                        tally.saved_corrections.add(note)
            else:
                record = random.choice(track)
                t0 = time.perf_counter()
                r = await c.post("/tracking/items", headers=h, json={"record_id": record, "lead_unit": name})
                tally.note("track record", t0, r, expected=(200, 409))
                if r.status_code == 200:
                    tally.tracked[record].add(r.json()["id"])


async def reader(base: str, name: str, urls: list[str], gate: Gate, tally: Tally) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60, trust_env=False, limits=KEEP_ALIVE) as c:
        await gate.enter(c, name)
        stop = gate.stop
        urls = urls[:]
        random.shuffle(urls)
        i = 0
        while time.perf_counter() < stop:
            url = urls[i % len(urls)]
            i += 1
            t0 = time.perf_counter()
            kind = "reader page" if url.startswith("/documents/") else url.split("?")[0]
            try:
                r = await c.get(url)
            except httpx.HTTPError as e:
                r = None
                kind += f" ({type(e).__name__}: {e})"
            tally.note(kind, t0, r)


def lost_updates(db_path: str, items: list[int], tally: Tally) -> dict[str, int]:
    """What a 200 promised and the database does not hold (or holds twice), by kind."""
    database = store.connect(db_path)
    try:
        milestones, notes = [], []
        for i in items:
            got = tracking.get_item(database, i)
            milestones += [m["text"] for m in got["milestones"]]
            notes += [p["note"] for p in got["progress"]]
        stored = [c["note"] for c in corrections.list_corrections(database)]
        following: dict[int, list[int]] = defaultdict(list)
        for i in tracking.list_items(database):
            if i["record_id"] is not None:
                following[i["record_id"]].append(i["id"])
    finally:
        database.close()
    # a record tracked by one 200 and followed by that item alone; no record followed twice
    tracked = sum(sorted(ids) != following.get(record) for record, ids in tally.tracked.items())
    return {
        "milestones": len(tally.saved_milestones - set(milestones)) + (len(milestones) - len(set(milestones))),
        "progress": len(tally.saved_notes - set(notes)) + (len(notes) - len(set(notes))),
        "corrections": len((tally.saved_corrections - tally.undone_corrections) - set(stored))
        + len(tally.undone_corrections & set(stored))
        + sum(stored.count(n) > 1 for n in tally.saved_corrections),
        "tracked records": tracked + sum(len(ids) > 1 for ids in following.values()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("--db", default=None)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--editors", type=int, default=8)
    ap.add_argument("--readers", type=int, default=16)
    ap.add_argument("--items", type=int, default=4, help="shared items the editors update (default 4)")
    ap.add_argument(
        "--records",
        type=int,
        default=12,
        help="shared records the editors correct, and as many they track (default 12)",
    )
    ap.add_argument("--workers", type=int, default=1, help="server processes, as luoshi serve --workers (default 1)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="luoshi-team-load-") as tmp:
        db_path = a.db or str(Path(tmp) / "team.db")
        database = store.connect(db_path)
        try:
            if a.db is None:
                t = time.perf_counter()
                report = importing.import_paths(database, [Path(a.corpus)])
                print(f"imported {report.count('imported')} reports in {time.perf_counter() - t:.1f} s")
            known = {u["name"] for u in accounts.list_users(database)}
            for role, count in (("editor", a.editors), ("viewer", a.readers)):
                for k in range(count):
                    if f"load-{role}-{k}" not in known:
                        accounts.add_user(database, f"load-{role}-{k}", PASSWORD, role)
            docs = store.list_documents(database)
            tasks = [r["id"] for r in store.list_records(database, type="task", limit=2 * a.records)]
            fix, track = tasks[: a.records], tasks[a.records :]
            items = [
                tracking.create_item(
                    database, "bench", {"title": f"负载测试事项 {k}", "deadline": "2026-12-31"}, year=2026
                )["id"]
                for k in range(a.items)
            ]
        finally:
            database.close()
        region = next((d["region"] for d in docs if d["region"]), "")
        urls = (
            [f"/documents/{d['id']}" for d in docs]
            + ["/records.json", "/records.json?q=就业", f"/records.json?region={region[:2]}", "/tracking.json"]
            + [f"/tracking/items/{i}.json" for i in items]
            + ["/scorecard.json"]
        )
        port = free_port()
        server = start_server(db_path, port, a.workers)
        base = f"http://127.0.0.1:{port}"
        tally = Tally()
        try:
            print(
                f"{a.editors} editors on {a.items} shared items and {a.readers} readers for {a.seconds:g} s "
                f"against {base}"
            )

            async def team() -> float:
                gate = Gate(a.editors + a.readers, a.seconds)  # sign-ins are not timed
                await asyncio.gather(
                    *(editor(base, f"load-editor-{k}", items, fix, track, gate, tally) for k in range(a.editors)),
                    *(reader(base, f"load-viewer-{k}", urls, gate, tally) for k in range(a.readers)),
                )
                return time.perf_counter() - gate.started

            elapsed = asyncio.run(team())
        finally:
            server.terminate()
            server.wait(timeout=10)
        print(f"{'request':16} {'n':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        total = 0
        for kind, values in sorted(tally.latency.items()):
            values.sort()
            total += len(values)
            print(
                f"{kind:16} {len(values):7d} {len(values) / elapsed:8.1f} {percentile(values, 50):8.1f} "
                f"{percentile(values, 95):8.1f} {values[-1]:8.1f}"
            )
        print(f"{'all':16} {total:7d} {total / elapsed:8.1f}")
        server_errors = sum(k for what, k in tally.unexpected.items() if what.startswith("5"))
        if SIGN_IN_RETRIES:
            print(f"sign-ins told to wait and retried: {len(SIGN_IN_RETRIES)} (first: {SIGN_IN_RETRIES[0]})")
        lost = lost_updates(db_path, items, tally)
        print(
            f"saved: {len(tally.saved_milestones)} milestone edits, {len(tally.saved_notes)} progress updates, "
            f"{len(tally.saved_corrections)} corrections ({len(tally.undone_corrections)} undone), "
            f"{sum(map(len, tally.tracked.values()))} records tracked; conflicts (409): {tally.conflicts}"
        )
        print(
            f"lost updates: {sum(lost.values())} ({', '.join(f'{k} {v}' for k, v in lost.items())}); "
            f"server errors: {server_errors}; other unexpected answers: "
            f"{sum(tally.unexpected.values()) - server_errors}"
        )
        for what, k in sorted(tally.unexpected.items(), key=lambda kv: -kv[1])[:5]:
            print(f"  ×{k}: {what}")
        ok = (
            not sum(lost.values())
            and not tally.unexpected
            and tally.saved_milestones
            and tally.saved_notes
            and tally.saved_corrections
            and tally.tracked
        )
        print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
