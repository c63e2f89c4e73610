"""Helpers for the web tests: a database with reports and users, its copies, signed-in clients.

``make_db(path)`` stores the sample and the Zhejiang 2025 and 2026 reports from ../shared/corpus
when present (a linked pair), and one user per role, each with the password ``password-<role>``.
The fixtures built on these (``web_db``, ``web_app``, ``client_for``, ``web_copy``) are in
``conftest.py``: the database is made once per session and each module or test gets a copy.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from luoshi import importing, store
from luoshi.store import users as accounts
from paths import CORPUS, SAMPLE

ROLES = ("viewer", "editor", "admin")
PAIR = ("zhejiang-2025-gwr.txt", "zhejiang-2026-gwr.txt")  # 浙江省: 2025 targets and their results
# What a web database holds: a module chooses with ``WEB_REPORTS = "sample"`` (the default is
# "sample+pair"); the pair is left out when ../shared/corpus lacks it.
REPORTS = ("sample+pair", "sample")


def password(role: str) -> str:
    return f"password-{role}"


def make_db(path, files=None):
    database = store.connect(path)
    paths = [SAMPLE] if files is None else files
    if files is None:
        paths += [CORPUS / name for name in PAIR if (CORPUS / name).exists()]
    importing.import_paths(database, paths, workers=1)
    for role in ROLES:
        accounts.add_user(database, role, password(role), role)
    return database


def copy_db(template: Path, folder: Path):
    """A database opened on a copy of the (closed) SQLite file ``template`` inside ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return store.connect(shutil.copy(template, folder / template.name))


def sign_in(client: TestClient, role: str | None) -> TestClient:
    client.csrf = client.get("/session.json").json()["csrf_token"]
    if role is not None:
        r = client.post(
            "/login",
            data={"name": role, "password": password(role), "csrf_token": client.csrf},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 200, r.text
        client.csrf = r.json()["csrf_token"]
    return client


@contextmanager
def signed_in_clients(app, default: str | None = "viewer"):
    """``make(role)``: a TestClient of ``app`` signed in as ``role`` (``None``: not signed in),
    its ``csrf`` attribute the session's token; every client made is closed on leaving."""
    clients: list[TestClient] = []

    def make(role: str | None = default) -> TestClient:
        c = TestClient(app, follow_redirects=False)
        clients.append(c)
        return sign_in(c, role)

    try:
        yield make
    finally:
        for c in clients:
            c.close()


def doc_id(database, name: str) -> int:
    return next(d["id"] for d in store.list_documents(database) if d["name"] == name)
