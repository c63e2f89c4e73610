"""Issue 14, the store's side: what an outside security and fault review found, each reproduced
and then passing (items 1, 2, 4, 5, 11 and 12 of the issue).

1. a breakdown sheet cannot exhaust memory (zip bomb, huge cell, a million rows, huge merges);
2. simultaneous writers on SQLite wait for each other instead of failing at once;
4. simultaneous first-run setups make one admin;
5. simultaneous requests to track one record make one item (a unique index, and a migration);
11. a slow, locked or frozen PostgreSQL ends a request with one clear line (503 on the web);
12. a killed ``luoshi import`` leaves no worker running.

The tasks in the sheets are real sentences of the sample report (宁波 2024); the store tests
run on SQLite and, when ``LUOSHI_TEST_PG`` is set, PostgreSQL.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from openpyxl import Workbook
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError

from luoshi import importing, store
from luoshi.errors import InputError
from luoshi.store import corrections as corr
from luoshi.store import tracking as tr
from luoshi.store import users as accounts
from luoshi.store.errors import Conflict
from luoshi.store.faults import database_error
from luoshi.store.schema import tracking_items
from luoshi.track import breakdown
from luoshi.track.breakdown import read_sheet
from paths import SAMPLE
from store_support import fresh_pg

HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
MEISHAN = [1, "开工建设梅山铁路专用线", "市交通局", "北仑区政府、宁波舟山港集团", "2024年12月底前"]  # sample report


@pytest.fixture
def db(backend):
    """The sample report in a fresh database."""
    database = store.connect(backend)
    importing.import_paths(database, [SAMPLE], workers=1)
    yield database
    database.close()


def _together(n: int, call) -> list:
    """``call(i)`` in ``n`` threads released at the same moment: each result or exception."""
    barrier = threading.Barrier(n)

    def one(i):
        barrier.wait()
        try:
            return call(i)
        except Exception as e:  # noqa: BLE001 - the test counts them
            return e

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


# ----------------------------------------------------------------- 1. breakdown sheets, bounded


def _xlsx(rows, sheet_xml=None, merges: str = "") -> bytes:
    """An XLSX of ``rows`` under the header; ``sheet_xml(xml) -> xml`` rewrites its sheet part,
    ``merges`` is put in after the sheet data."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    if sheet_xml is None and not merges:
        return out.getvalue()
    src, dst = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                if merges:
                    xml = xml.replace("</sheetData>", f"</sheetData>{merges}")
                data = (sheet_xml(xml) if sheet_xml else xml).encode()
            z.writestr(info.filename, data)
    return dst.getvalue()


def test_a_sheet_that_inflates_past_the_limit_is_refused_as_a_zip_bomb():
    # the review's sheet: a header row, then whitespace (2 GiB there; 60 MB here, over the 50 MB limit)
    bomb = _xlsx([MEISHAN], sheet_xml=lambda x: x.replace("<sheetData>", "<sheetData>" + " " * (60 << 20)))
    assert len(bomb) < 200_000
    with pytest.raises(
        InputError,
        match=r"^sheet: XLSX expands to 60 MB when unzipped \(limit 50 MB\) — "
        "refusing a possible zip bomb$",
    ):
        read_sheet(bomb, "分解表.xlsx", 2024)
    ratio = _xlsx([MEISHAN], sheet_xml=lambda x: x.replace("<sheetData>", "<sheetData>" + " " * (20 << 20)))
    with pytest.raises(InputError, match="times its size, limit 100"):
        read_sheet(ratio, "分解表.xlsx", 2024)


def test_a_huge_cell_is_refused_with_its_row_and_column():
    long_task = MEISHAN[1] * (breakdown.MAX_CELL // len(MEISHAN[1]) + 1)
    with pytest.raises(
        InputError,
        match=rf"^sheet: row 2, column B: a cell of {len(long_task)} characters "
        rf"\(at most {breakdown.MAX_CELL}\)$",
    ):
        read_sheet(_xlsx([[1, long_task, "市交通局", None, "年底前"]]), "分解表.xlsx", 2024)
    csv_bytes = ("任务,责任单位,完成时间\n" + long_task + ",市交通局,2024-09-30\n").encode()
    with pytest.raises(InputError, match=rf"^sheet: line 2, column A: a cell of {len(long_task)} characters"):
        read_sheet(csv_bytes, "分解表.csv", 2024)
    past_csv_limit = ('任务,责任单位,完成时间\n"' + "梅" * 200_000 + '",市交通局,2024-09-30\n').encode()
    with pytest.raises(InputError, match=r"^sheet: line 2: a cell of more than 131072 characters \(at most 2000\)$"):
        read_sheet(past_csv_limit, "分解表.csv", 2024)


def test_rows_are_counted_while_reading_whatever_the_sheet_claims(monkeypatch):
    monkeypatch.setattr(breakdown, "MAX_ROWS", 50)
    rows = [[i, f"{MEISHAN[1]}（第{i}段）", "市交通局", None, "年底前"] for i in range(1, 80)]
    lying = _xlsx(rows, sheet_xml=lambda x: x.replace('<dimension ref="A1:E80"/>', '<dimension ref="A1:E2"/>'))
    with pytest.raises(InputError, match=r"^sheet: more than 50 rows$"):
        read_sheet(lying, "分解表.xlsx", 2024)
    with pytest.raises(InputError, match=r"^sheet: more than 50 rows$"):
        read_sheet("\n".join(",".join(map(str, r)) for r in [HEADER] + rows).encode(), "分解表.csv", 2024)
    # a million empty styled rows after the data are not rows with data
    tail = "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(10, 100_000))
    sheet = read_sheet(
        _xlsx(rows[:5], sheet_xml=lambda x: x.replace("</sheetData>", tail + "</sheetData>")), "分解表.xlsx", 2024
    )
    assert [r.line for r in sheet.rows] == [2, 3, 4, 5, 6]


def test_merged_cells_fill_their_rows_and_a_sheet_wide_merge_costs_nothing():
    rows = [MEISHAN, [2, "建成投用一批城市书房", None, "市文广旅游局", "年底前"]]
    sheet = read_sheet(
        _xlsx(rows, merges='<mergeCells count="1"><mergeCell ref="C2:C3"/></mergeCells>'), "分解表.xlsx", 2024
    )
    assert [r.lead_unit for r in sheet.rows] == ["市交通局", "市交通局"]
    t0 = time.perf_counter()
    sheet = read_sheet(
        _xlsx(rows, merges='<mergeCells count="1"><mergeCell ref="E2:XFD1048576"/></mergeCells>'), "分解表.xlsx", 2024
    )
    assert time.perf_counter() - t0 < 5
    assert [r.deadline_text for r in sheet.rows] == ["2024年12月底前", "2024年12月底前"]


# ----------------------------------------------------------------- 2. writers wait, they do not fail


def test_simultaneous_writers_wait_for_each_other(db):
    """The review: 20 of 40 simultaneous corrections by two editors failed at once on SQLite
    ("database is locked"): a deferred transaction that read first could not become a writer."""
    recs = store.list_records(db, type="task")[:8]
    first = [store.add_correction(db, "reject", record_id=r["id"], reviewer="wang") for r in recs[:4]]

    def write(i: int):
        kind = i % 4
        if kind == 0:
            return store.add_correction(
                db, "fix", record_id=recs[4 + i // 4]["id"], fields={"verb": "推进"}, reviewer=f"editor{i % 2}"
            )
        if kind == 1:
            return corr.remove_correction(db, first[i // 4], actor=f"editor{i % 2}")
        if kind == 2:
            return tr.create_item(db, f"editor{i % 2}", {"title": f"{MEISHAN[1]}（{i}）"}, year=2024)
        return accounts.add_user(db, f"editor-{i}", "password-of-editor", "editor")

    results = _together(16, write)
    failures = [r for r in results if isinstance(r, Exception)]
    assert failures == [], [str(f)[:90] for f in failures]
    assert len(corr.list_corrections(db)) == 4 + 4 - 4
    assert len(tr.list_items(db)) == 4 and len(accounts.list_users(db)) == 4


# ----------------------------------------------------------------- 4. one first admin


def test_simultaneous_first_runs_make_one_admin(backend, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    database = store.connect(backend)
    try:
        results = _together(
            20,
            lambda i: accounts.add_user(
                database, f"admin{i}", "first-run-password", "admin", actor=f"admin{i}", first=True
            ),
        )
        made = [r for r in results if isinstance(r, accounts.User)]
        refused = [r for r in results if isinstance(r, accounts.SetupDone)]
        assert len(made) == 1 and len(refused) == 19, results
        assert str(refused[0]) == "setup is done: an admin adds users (luoshi users add)"
        assert [u["name"] for u in accounts.list_users(database)] == [made[0].name]
    finally:
        database.close()


# ----------------------------------------------------------------- 5. one item per record


def test_simultaneous_requests_to_track_a_record_make_one_item(db):
    rec = next(r for r in store.list_records(db, type="task") if "梅山" in r["evidence"])
    results = _together(8, lambda i: tr.create_item(db, f"editor{i}", {"lead_unit": "市交通局"}, record_id=rec["id"]))
    made = [r for r in results if isinstance(r, dict)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(made) == 1 and len(conflicts) == 7, results
    assert {c.current["id"] for c in conflicts} == {made[0]["id"]}
    assert [i["id"] for i in tr.list_items(db)] == [made[0]["id"]]


def test_the_migration_keeps_the_oldest_item_of_a_record_and_frees_the_others(db):
    rec = next(r for r in store.list_records(db, type="task") if "梅山" in r["evidence"])
    first = tr.create_item(db, "li", {}, record_id=rec["id"])
    with db.write() as conn:  # back to schema 4, with the second item the race used to make
        conn.exec_driver_sql("DROP INDEX ux_tracking_items_record")
        conn.exec_driver_sql("CREATE INDEX ix_tracking_items_record ON tracking_items (document_id, record_key)")
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version >= 5")  # 5 and what came after it
        row = conn.execute(select(tracking_items).where(tracking_items.c.id == first["id"])).one()._mapping
        conn.execute(insert(tracking_items).values({k: v for k, v in row.items() if k != "id"}))
    url = db.url
    db.close()
    again = store.connect(url)
    try:
        items = sorted(tr.list_items(again), key=lambda i: i["id"])
        assert [(i["record_key"] is not None, i["title"]) for i in items] == [
            (True, rec["evidence"]),
            (False, rec["evidence"]),
        ]
        with pytest.raises(Conflict, match=f"already tracked as item {first['id']}"):
            tr.create_item(again, "li", {}, record_id=rec["id"])
        with again.engine.connect() as conn:
            assert conn.execute(select(func.max(tracking_items.c.id))).scalar() == items[1]["id"]
    finally:
        again.close()


# ----------------------------------------------------------------- 11. PostgreSQL slow, locked, frozen


class Proxy:
    """A TCP relay to the test server that can stop relaying (a frozen server, as SIGSTOP makes it)."""

    def __init__(self, port: int):
        self.target = port
        self.running = threading.Event()
        self.running.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._relay, args=(a, b), daemon=True).start()

    def _relay(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                self.running.wait()
                b.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.running.set()
        for s in [self.listener] + self.sockets:
            s.close()


@pytest.mark.postgres
def test_a_frozen_postgresql_ends_a_request_with_one_line_and_the_next_works(monkeypatch):
    from sqlalchemy.engine import make_url

    monkeypatch.setenv("LUOSHI_PG_STATEMENT_TIMEOUT", "1")
    monkeypatch.setenv("LUOSHI_PG_CONNECT_TIMEOUT", "1")
    url = make_url(store.resolve_url(fresh_pg("luoshi_frozen")))
    proxy = Proxy(url.port)
    database = store.connect(url.set(port=proxy.port).render_as_string(hide_password=False))
    try:
        tr.create_item(database, "li", {"title": MEISHAN[1]}, year=2024)
        with database.engine.connect() as conn:  # a request under way when the server freezes
            conn.execute(select(func.count()).select_from(tracking_items))
            proxy.running.clear()
            t0 = time.perf_counter()
            with pytest.raises(DBAPIError) as caught:
                conn.execute(select(func.count()).select_from(tracking_items))
            assert time.perf_counter() - t0 < 6
        line = str(database_error(caught.value, database.url))
        assert line.startswith("the PostgreSQL server stopped answering (") and "no answer within 3 s" in line
        t0 = time.perf_counter()  # a request that starts while it is frozen
        with pytest.raises(DBAPIError) as caught:
            tr.list_items(database)
        assert time.perf_counter() - t0 < 10
        assert "no answer within" in str(database_error(caught.value, database.url))
        proxy.running.set()
        assert [i["title"] for i in tr.list_items(database)] == [MEISHAN[1]]
    finally:
        database.close()
        proxy.close()


@pytest.mark.postgres
def test_a_long_statement_and_a_held_lock_end_with_one_line_and_503(monkeypatch):
    from fastapi.testclient import TestClient

    from luoshi.serve import create_app
    from web_support import sign_in

    monkeypatch.setenv("LUOSHI_PG_STATEMENT_TIMEOUT", "1")
    monkeypatch.setenv("LUOSHI_PG_LOCK_TIMEOUT", "0.5")
    database = store.connect(fresh_pg("luoshi_timeouts"))
    try:
        with pytest.raises(DBAPIError) as caught, database.engine.connect() as conn:
            conn.exec_driver_sql("SELECT pg_sleep(5)")
        assert str(database_error(caught.value, database.url)).startswith(
            "the PostgreSQL server did not finish in 1 s (LUOSHI_PG_STATEMENT_TIMEOUT; "
        )
        accounts.add_user(database, "editor", "password-editor", "editor")
        item = tr.create_item(database, "li", {"title": MEISHAN[1]}, year=2024)
        with TestClient(create_app(database)) as client, database.engine.connect() as holder:
            sign_in(client, "editor")
            holder.exec_driver_sql(f"SELECT * FROM tracking_items WHERE id = {item['id']} FOR UPDATE")
            t0 = time.perf_counter()
            r = client.post(
                f"/tracking/items/{item['id']}",
                json={"version": 1, "lead_unit": "市交通局"},
                headers={"X-CSRF-Token": client.csrf, "Accept": "application/json"},
            )
            assert time.perf_counter() - t0 < 5
            holder.rollback()
        assert r.status_code == 503
        assert r.json()["error"]["message"].startswith(
            "the data is locked by another change on the PostgreSQL "
            "server for more than 0.5 s (LUOSHI_PG_LOCK_TIMEOUT; "
        )
    finally:
        database.close()


# ----------------------------------------------------------------- 12. workers end with the import


def _children(pid: int) -> list[int]:
    out = []
    for stat in os.listdir("/proc"):
        if stat.isdigit():
            try:
                with open(f"/proc/{stat}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(stat))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_import_leaves_no_worker_running(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    text = SAMPLE.read_bytes()
    for i in range(12):
        (folder / f"r{i}.txt").write_bytes(text + f"\n（副本{i}）\n".encode())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "luoshi.cli",
            "import",
            str(folder),
            "--db",
            str(tmp_path / "luoshi.db"),
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = [
                p
                for p in _children(proc.pid)
                if b"multiprocessing" in open(f"/proc/{p}/cmdline", "rb").read()
                and b"resource_tracker" not in open(f"/proc/{p}/cmdline", "rb").read()
            ]
        assert len(workers) >= 2, "the import started no workers"
        time.sleep(1)  # the workers are past their start
        os.kill(proc.pid, signal.SIGKILL)  # the import alone: its workers are left to notice
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)]
    finally:
        for w in workers:  # what this test started, should a worker have outlived it
            if _alive(w):
                os.kill(w, signal.SIGKILL)
