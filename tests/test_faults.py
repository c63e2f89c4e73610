"""Faults of the database under ``luoshi import``: locked by another process, disk full,
PostgreSQL unreachable or silent.  Each gives one clear line and exit status 2, keeps the
documents written before it whole, and leaves a database that passes PRAGMA integrity_check;
a run after the fault is gone completes the import.  (A killed import: tests/test_import.py.)"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi import importing, store
from luoshi.cli import app
from luoshi.store.errors import StoreError
from luoshi.store.schema import documents, records
from paths import SAMPLE
from store_support import PG_URL

runner = CliRunner()


def _reports(folder: Path, n: int) -> Path:
    """``n`` distinct reports (the sample with a different last line each)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_bytes()
    for i in range(n):
        (folder / f"r{i}.txt").write_bytes(text + f"\n（副本{i}）\n".encode())
    return folder


def _check(db_path: Path) -> dict:
    """integrity_check, and documents that are whole (all their records) and stored once."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    database = store.connect(db_path)
    try:
        with database.engine.connect() as c:
            n = c.execute(select(func.count()).select_from(documents)).scalar_one()
            hashes = c.execute(select(func.count(func.distinct(documents.c.content_hash)))).scalar_one()
            partial = c.execute(
                select(func.count())
                .select_from(documents)
                .where(
                    documents.c.n_records
                    != select(func.count()).where(records.c.document_id == documents.c.id).scalar_subquery()
                )
            ).scalar_one()
    finally:
        database.close()
    assert partial == 0 and hashes == n
    return {"documents": n}


# --------------------------------------------------------------------------- database is locked


@pytest.fixture
def locked(tmp_path, monkeypatch):
    """A SQLite database and a function that takes its write lock (BEGIN IMMEDIATE) in another
    connection, held until the test ends; the busy timeout is half a second."""
    monkeypatch.setenv("LUOSHI_BUSY_TIMEOUT", "0.5")
    db = tmp_path / "luoshi.db"
    store.connect(db).close()
    holders: list[sqlite3.Connection] = []

    def lock() -> sqlite3.Connection:
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        holders.append(holder)
        return holder

    yield db, lock
    for h in holders:
        h.close()


def test_a_locked_database_is_one_line_exit_2_and_the_next_run_works(locked, tmp_path):
    db, lock = locked
    folder = _reports(tmp_path / "reports", 2)
    holder = lock()
    t0 = time.perf_counter()
    result = runner.invoke(app, ["import", str(folder), "--db", str(db), "-w", "1"])
    waited = time.perf_counter() - t0
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == (
        f"luoshi: the database is locked by another process ({db}; waited 0.5 s, LUOSHI_BUSY_TIMEOUT): "
        "try again when it finishes"
    )
    assert len(result.stderr.splitlines()) == 2  # "luoshi: database: PATH" first, as every store command
    assert 0.5 <= waited < 20  # the busy timeout, not the default 30 s
    holder.rollback()
    assert _check(db) == {"documents": 0}
    result = runner.invoke(app, ["import", str(folder), "--db", str(db), "-w", "1"])
    assert result.exit_code == 0 and result.stdout.startswith("2 imported, 0 unchanged, 0 failed"), result.output


def test_a_lock_taken_mid_import_keeps_the_documents_before_it(locked, tmp_path):
    db, lock = locked
    folder = _reports(tmp_path / "reports", 3)
    holder = None

    def lock_after_first(result) -> None:
        nonlocal holder
        if result.status == "imported" and holder is None:
            holder = lock()

    database = store.connect(db)
    try:
        with pytest.raises(StoreError) as info:
            importing.import_paths(database, [folder], workers=1, on_result=lock_after_first)
        assert str(info.value) == (
            f"the database is locked by another process ({db}; waited 0.5 s, "
            "LUOSHI_BUSY_TIMEOUT): try again when it finishes; "
            "1 document(s) imported before this are kept"
        )
        holder.rollback()
        assert _check(db) == {"documents": 1}
        again = importing.import_paths(database, [folder], workers=1)
        assert (again.count("imported"), again.count("unchanged")) == (2, 1)
        assert _check(db) == {"documents": 3}
    finally:
        database.close()


def test_a_listing_reads_while_another_process_writes(locked):
    db, lock = locked
    lock()  # a writer holds the lock: readers (WAL) neither wait nor fail
    t0 = time.perf_counter()
    result = runner.invoke(app, ["docs", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0 and result.stdout.strip() == "[]" and time.perf_counter() - t0 < 0.5


def test_a_new_database_being_created_elsewhere_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("LUOSHI_BUSY_TIMEOUT", "0.2")
    db = tmp_path / "new.db"
    holder = sqlite3.connect(db, isolation_level=None)  # an empty file whose lock another process holds
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = runner.invoke(app, ["docs", "--db", str(db)])
    finally:
        holder.close()
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("luoshi: the database is locked by another process")


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_bad_busy_timeout_is_named(value, tmp_path, monkeypatch):
    monkeypatch.setenv("LUOSHI_BUSY_TIMEOUT", value)
    result = runner.invoke(app, ["docs", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert result.stderr == f"luoshi: LUOSHI_BUSY_TIMEOUT is a number of seconds, not {value!r}\n"


# --------------------------------------------------------------------------- disk full


@pytest.fixture
def small_disk(tmp_path):
    """(folder, limit_fn, grow): a 1 MB tmpfs when this process may mount one (root), else a
    plain folder and a preexec function limiting the size of any file written (RLIMIT_FSIZE,
    SIGXFSZ ignored, so that writes fail instead of killing the process).  ``grow()`` frees
    the space."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and shutil.which("mount")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    state = {"limit": not mounted}

    def limit() -> None:
        if state["limit"]:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, 1024 * 1024))

    def grow() -> None:
        if mounted:
            subprocess.run(["mount", "-o", "remount,size=64m", str(folder)], check=True)
        state["limit"] = False

    try:
        yield folder, limit, grow, bool(mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_full_disk_is_one_line_exit_2_and_leaves_whole_documents(small_disk, tmp_path):
    folder, limit, grow, tmpfs = small_disk
    reports = _reports(tmp_path / "reports", 8)  # about 250 kB each in the database: more than 1 MB
    db = folder / "luoshi.db"
    cmd = [sys.executable, "-m", "luoshi.cli", "import", str(reports), "--db", str(db), "-w", "1"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 2 and lines[0] == f"luoshi: database: {db}", lines
    if tmpfs:
        assert lines[1].startswith(
            f"luoshi: the disk is full: the database cannot grow ({db}); what was "
            "being written was rolled back: free some space and run the command again; "
        )
    else:  # the file size limit: SQLite sees a failed or short write
        assert lines[1].startswith(("luoshi: the disk is full: ", "luoshi: the database file cannot be written ("))
    kept = int(lines[1].rsplit("; ", 1)[1].split()[0])
    assert lines[1].endswith(f"; {kept} document(s) imported before this are kept")
    assert 1 <= kept < 8
    assert _check(db) == {"documents": kept}
    grow()
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{8 - kept} imported, {kept} unchanged, 0 failed")
    assert _check(db) == {"documents": 8}


# --------------------------------------------------------------------------- PostgreSQL unreachable


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_postgresql_refusing_connections_is_one_line_exit_2_at_once(tmp_path):
    port = _closed_port()
    url = f"postgresql://luoshi@127.0.0.1:{port}/luoshi"
    t0 = time.perf_counter()
    result = runner.invoke(app, ["import", str(SAMPLE), "--db", url])
    assert time.perf_counter() - t0 < 5
    assert result.exit_code == 2
    assert result.stderr == (
        f"luoshi: cannot reach the PostgreSQL server (postgresql+pg8000://luoshi@127.0.0.1:{port}"
        "/luoshi): connection refused: is the server running, and are the host and port right?\n"
    )


def test_a_silent_postgresql_server_gives_up_after_the_connect_timeout(monkeypatch):
    """A socket that accepts connections and never answers: the connect timeout bounds the wait."""
    monkeypatch.setenv("LUOSHI_PG_CONNECT_TIMEOUT", "1")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        t0 = time.perf_counter()
        result = runner.invoke(app, ["docs", "--db", f"postgresql://luoshi:secret@127.0.0.1:{port}/luoshi"])
        waited = time.perf_counter() - t0
    assert result.exit_code == 2
    assert result.stderr == (
        f"luoshi: cannot reach the PostgreSQL server (postgresql+pg8000://luoshi:***@127.0.0.1:"
        f"{port}/luoshi): no answer within 1 s (LUOSHI_PG_CONNECT_TIMEOUT): is the server up, "
        "and are the host and port right?\n"
    )
    assert 1 <= waited < 10


@pytest.mark.postgres
def test_the_connect_timeout_does_not_bound_queries(monkeypatch):
    monkeypatch.setenv("LUOSHI_PG_CONNECT_TIMEOUT", "0.5")
    db = store.connect(PG_URL)
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT pg_sleep(1.5)")  # longer than the connect timeout
    finally:
        db.close()
