"""Helpers for the storage tests: a database per backend, SQLite always, PostgreSQL when
``LUOSHI_TEST_PG`` names a server (``.ci/run`` starts one).  The fixtures built on these
(``backend``, ``loaded``) are in ``conftest.py``; a test of the PostgreSQL backend carries the
``postgres`` marker, which skips it when ``LUOSHI_TEST_PG`` is not set."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from luoshi import store
from paths import CORPUS, SAMPLE

PG_URL = os.environ.get("LUOSHI_TEST_PG")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SMALL = ["hebei-2026-gwr.txt", "hebei-2025-gwr.txt", "henan-2025-gwr.txt"]  # the smallest real reports


def fresh_pg(name: str = "luoshi_t", template: str | None = None) -> str:
    """A new database ``name`` on the test server (dropped first if it exists): empty, or a copy
    of the database ``template`` (which nobody may be connected to)."""
    assert PG_URL, "LUOSHI_TEST_PG is not set"
    url = make_url(store.resolve_url(PG_URL))
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def fresh_url(kind: str, folder, name: str = "luoshi_t") -> str:
    return fresh_pg(name) if kind == "postgresql" else str(folder / "luoshi.db")


def report_files(folder, names=SMALL) -> list:
    """The sample report and some small real ones, copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [shutil.copy(SAMPLE, folder / SAMPLE.name)]
    files += [shutil.copy(CORPUS / n, folder / n) for n in names if (CORPUS / n).exists()]
    return files
