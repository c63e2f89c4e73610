"""Fixtures for the web tests: a database with reports and users, and signed-in clients.

``web_db`` (module scope): a SQLite file with the sample and the Zhejiang 2025 and 2026
reports from ../shared/corpus when present (a linked pair), and one user per role, each with
the password ``password-<role>``.  ``client_for(role)`` gives a TestClient signed in as that
role (``None``: not signed in); its ``csrf`` attribute holds the session's token.
"""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from luoshi import importing, store
from luoshi.serve import create_app
from luoshi.store import users as accounts
from paths import CORPUS, SAMPLE

ROLES = ("viewer", "editor", "admin")
PAIR = ("zhejiang-2025-gwr.txt", "zhejiang-2026-gwr.txt")  # 浙江省: 2025 targets and their results


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


def sign_in(client: TestClient, role: str | None) -> TestClient:
    client.csrf = client.get("/session.json").json()["csrf_token"]
    if role is not None:
        r = client.post("/login", data={"name": role, "password": password(role), "csrf_token": client.csrf},
                        headers={"Accept": "application/json"})
        assert r.status_code == 200, r.text
        client.csrf = r.json()["csrf_token"]
    return client


@pytest.fixture(scope="module")
def web_db(tmp_path_factory):
    database = make_db(tmp_path_factory.mktemp("web") / "web.db")
    yield database
    database.close()


@pytest.fixture(scope="module")
def web_app(web_db):
    return create_app(web_db)


@pytest.fixture
def client_for(web_app):
    clients = []

    def make(role: str | None = "viewer") -> TestClient:
        c = TestClient(web_app, follow_redirects=False)
        clients.append(c)
        return sign_in(c, role)

    yield make
    for c in clients:
        c.close()


def doc_id(database, name: str) -> int:
    return next(d["id"] for d in store.list_documents(database) if d["name"] == name)
