"""Fixtures for the storage tests: one database per backend, SQLite always, PostgreSQL when
``LUOSHI_TEST_PG`` names a server (``.ci/run`` starts one).  Other test modules import them:
``from test_store_support import backend, loaded``."""
from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from luoshi import importing, store
from paths import CORPUS, SAMPLE

PG_URL = os.environ.get("LUOSHI_TEST_PG")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="LUOSHI_TEST_PG is not set (.ci/run starts a PostgreSQL server)"))]
SMALL = ["hebei-2026-gwr.txt", "hebei-2025-gwr.txt", "henan-2025-gwr.txt"]  # the smallest real reports


def fresh_pg(name: str = "luoshi_t") -> str:
    """A new, empty database ``name`` on the test server (dropped first if it exists)."""
    assert PG_URL, "LUOSHI_TEST_PG is not set"
    url = make_url(store.resolve_url(PG_URL))
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
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


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path) -> str:
    """An empty database URL or path, once per backend."""
    return fresh_url(request.param, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request, tmp_path_factory):
    """(database, files): the sample and the small real reports imported once per module."""
    folder = tmp_path_factory.mktemp("loaded")
    files = report_files(folder / "reports")
    db = store.connect(fresh_url(request.param, folder, "luoshi_" + request.module.__name__))
    report = importing.import_paths(db, [folder / "reports"], workers=1)
    assert report.count("imported") == len(files), report.results
    yield db, files
    db.close()


def test_backends_fixture_gives_an_empty_database(backend):
    db = store.connect(backend)
    try:
        assert store.list_documents(db) == []
    finally:
        db.close()
