"""``luoshi import``: folders, idempotence by content, failures one line each, the process
pool, and an import killed mid-way that leaves whole documents only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select
from typer.testing import CliRunner

from luoshi import importing, store
from luoshi.cli import app
from luoshi.store.schema import documents, passages, records
from paths import SAMPLE, corpus_files, needs_shared
from store_support import report_files

runner = CliRunner()


def _counts(db) -> dict:
    with db.engine.connect() as conn:
        n = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (documents, records, passages)
        }
        n["hashes"] = conn.execute(select(func.count(func.distinct(documents.c.content_hash)))).scalar_one()
        n["partial"] = conn.execute(
            select(func.count())
            .select_from(documents)
            .where(
                documents.c.n_records
                != select(func.count()).where(records.c.document_id == documents.c.id).scalar_subquery()
            )
        ).scalar_one()
    return n


def test_find_files_searches_folders_and_names_missing_paths(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    for name in ("a/r1.txt", "a/b/r2.PDF", "a/b/r3.html", "a/notes.md", "a/.hidden/r4.txt", "a/.r5.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, missing = importing.find_files([tmp_path / "a", tmp_path / "a" / "notes.md", tmp_path / "nope"])
    assert [os.path.relpath(f, tmp_path) for f in files] == ["a/b/r2.PDF", "a/b/r3.html", "a/r1.txt", "a/notes.md"]
    assert [(m.status, m.detail) for m in missing] == [("failed", "no such file or folder")]


def test_import_is_idempotent_by_content_and_reports_failures(backend, tmp_path):
    files = report_files(tmp_path / "reports", names=["hebei-2026-gwr.txt"])
    (tmp_path / "reports" / "empty.txt").write_bytes(b"")
    (tmp_path / "reports" / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 300)
    db = store.connect(backend)
    try:
        first = importing.import_paths(db, [tmp_path / "reports"], workers=1)
        assert first.count("imported") == len(files) and first.count("failed") == 2
        assert {(os.path.basename(r.path), r.detail) for r in first.failed} == {
            ("empty.txt", "file is empty"),
            ("binary.txt", "binary file, not a report (expected text, PDF, HTML or DOCX)"),
        }
        counts = _counts(db)
        again = importing.import_paths(db, [tmp_path / "reports"], workers=1)
        assert again.count("imported") == 0 and again.count("unchanged") == len(files)
        copy = tmp_path / "copy.txt"
        copy.write_bytes(SAMPLE.read_bytes())
        same = importing.import_paths(db, [copy], workers=1)
        assert [(r.status, r.detail) for r in same.results] == [("unchanged", f"same content as {SAMPLE.name}")]
        assert _counts(db) == counts and counts["partial"] == 0
    finally:
        db.close()


def test_the_process_pool_gives_the_same_records(tmp_path):
    files = report_files(tmp_path / "reports")
    pooled = store.connect(tmp_path / "pooled.db")
    single = store.connect(tmp_path / "single.db")
    try:
        report = importing.import_paths(pooled, files, workers=2)
        assert report.count("imported") == len(files)
        importing.import_paths(single, files, workers=1)

        def content(db):
            return sorted(
                (r["document"], r["start"], r["end"], r["type"], r["evidence"], r["topic"])
                for r in store.list_records(db)
            )

        assert content(pooled) == content(single)
    finally:
        pooled.close()
        single.close()


def test_cli_import_prints_the_database_a_summary_and_failures(tmp_path):
    db = tmp_path / "cli.db"
    (tmp_path / "bad.txt").write_bytes(b"")
    result = runner.invoke(app, ["import", str(SAMPLE), str(tmp_path / "bad.txt"), "--db", str(db), "-w", "1"])
    assert result.exit_code == 1
    assert f"luoshi: database: {db}" in result.stderr
    assert f"luoshi: {tmp_path / 'bad.txt'}: file is empty" in result.stderr
    assert result.stdout.startswith("1 imported, 0 unchanged, 1 failed (")
    result = runner.invoke(app, ["import", str(SAMPLE), "--db", str(db), "-v"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"unchanged: {SAMPLE}"
    assert result.stdout.splitlines()[1].startswith("0 imported, 1 unchanged, 0 failed")


def test_cli_store_errors_are_one_line_with_exit_2(tmp_path):
    result = runner.invoke(app, ["docs", "--db", "mysql://x@y/z"])
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "luoshi: unsupported database 'mysql': give a SQLite file path or a postgresql:// URL"
    )


def _import_cmd(folder, db_url):
    return [sys.executable, "-m", "luoshi.cli", "import", str(folder), "--db", db_url, "--workers", "2"]


@needs_shared
def test_a_killed_import_leaves_whole_documents_and_a_rerun_completes_it(backend, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    sources = corpus_files()
    for copy in range(2):  # 66 distinct files, so the import takes a few seconds
        for f in sources:
            (folder / f"{copy}-{f.name}").write_bytes(f.read_bytes() + f"\n（副本{copy}）\n".encode())
    db = store.connect(backend)
    try:
        proc = subprocess.Popen(
            _import_cmd(folder, backend), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 120
        while _counts(db)["documents"] < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the import and its workers, mid-way
        proc.wait()
        killed = _counts(db)
        assert 3 <= killed["documents"] < 2 * len(sources), killed
        assert killed["partial"] == 0 and killed["hashes"] == killed["documents"]
        if db.dialect == "sqlite":  # the file itself is sound after the kill
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]
        done = subprocess.run(_import_cmd(folder, backend), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(
            f"{2 * len(sources) - killed['documents']} imported, {killed['documents']} unchanged, 0 failed"
        )
        final = _counts(db)
        assert final["documents"] == final["hashes"] == 2 * len(sources) and final["partial"] == 0
    finally:
        db.close()
