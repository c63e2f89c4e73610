"""The web app's frame: sign-in, roles, CSRF, the rate limit, JSON twins and the error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from luoshi import store
from luoshi.serve import create_app
from luoshi.store import users as accounts
from web_support import password, sign_in


def test_pages_need_a_session_unless_anonymous_reading_is_on(client_for, web_db):
    anon = client_for(None)
    r = anon.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/"
    r = anon.get("/.json")
    assert r.status_code == 401
    assert r.json() == {"error": {"status": 401, "code": "unauthorized", "message": "sign in to see this page"}}
    accounts.set_setting(web_db, "anonymous_read", "yes")
    try:
        assert anon.get("/.json").status_code == 200
        assert anon.post("/sample", headers={"X-CSRF-Token": anon.csrf}).status_code == 401
    finally:
        accounts.set_setting(web_db, "anonymous_read", "no")


def test_every_page_has_a_json_twin_with_the_same_data(client_for):
    viewer = client_for("viewer")
    data = viewer.get("/.json").json()
    assert data == viewer.get("/", headers={"Accept": "application/json"}).json()
    assert [d["name"] for d in data["documents"]][:1] and all("id" in d for d in data["documents"])
    html = viewer.get("/")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    for d in data["documents"]:
        assert f'href="/documents/{d["id"]}"' in html.text


def test_changes_need_the_csrf_token(client_for):
    editor = client_for("editor")
    assert editor.post("/sample", headers={"Accept": "application/json"}).json()["error"]["code"] == "forbidden"
    assert editor.post("/sample", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert (
        editor.post("/sample", headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"}).json()["status"]
        == "unchanged"
    )


def test_roles_and_sign_out(client_for):
    viewer = client_for("viewer")
    r = viewer.post("/sample", headers={"X-CSRF-Token": viewer.csrf, "Accept": "application/json"})
    assert r.status_code == 403 and "editor" in r.json()["error"]["message"]
    assert viewer.get("/session.json").json()["user"] == {"name": "viewer", "role": "viewer"}
    viewer.post("/logout", headers={"X-CSRF-Token": viewer.csrf})
    assert viewer.get("/.json").status_code == 401


def test_a_role_change_ends_open_sessions(client_for, web_db):
    accounts.add_user(web_db, "temp", "password-temp", "editor")
    c = client_for(None)
    r = c.post("/login", data={"name": "temp", "password": "password-temp", "csrf_token": c.csrf})
    assert r.status_code == 303
    assert c.get("/.json").status_code == 200
    accounts.set_user(web_db, "temp", role="viewer")
    assert c.get("/.json").status_code == 401


def test_failed_sign_ins_are_rate_limited(web_db):
    app = create_app(web_db)
    with TestClient(app) as c:
        sign_in(c, None)
        codes = [
            c.post(
                "/login",
                data={"name": "admin", "password": "wrong-password", "csrf_token": c.csrf},
                headers={"Accept": "application/json"},
            ).status_code
            for _ in range(6)
        ]
        assert codes == [401] * 5 + [429]
        r = c.post("/login", data={"name": "admin", "password": password("admin"), "csrf_token": c.csrf})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_first_run_creates_the_admin_then_offers_the_sample(tmp_path):
    database = store.connect(tmp_path / "empty.db")
    try:
        with TestClient(create_app(database), follow_redirects=False) as c:
            assert c.get("/login").headers["location"] == "/setup"
            csrf = c.get("/session.json").json()["csrf_token"]
            r = c.post("/setup", data={"name": "root", "password": "short", "csrf_token": csrf})
            assert r.status_code == 422 and "密码至少需要 8 个字符" in r.text  # a password needs at least 8 characters
            r = c.post("/setup", data={"name": "root", "password": "long-enough", "csrf_token": csrf})
            assert r.status_code == 303
            page = c.get("/")
            assert "载入内置样例" in page.text  # 载入内置样例（宁波 2024 政府工作报告）: the page is Chinese by default
            csrf = c.get("/session.json").json()["csrf_token"]
            assert c.post("/sample", data={"csrf_token": csrf}).status_code == 303
            assert [d["region"] for d in c.get("/.json").json()["documents"]] == ["宁波市"]
            again = c.post(
                "/setup",
                data={"name": "x", "password": "long-enough", "csrf_token": csrf},
                headers={"Accept": "application/json"},
            )
            assert again.status_code == 403
    finally:
        database.close()


def test_unknown_pages_and_bad_parameters_use_the_error_shape(client_for):
    viewer = client_for("viewer")
    r = viewer.get("/no/such/page.json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    html = viewer.get("/no/such/page")
    assert html.status_code == 404 and "没有这个页面" in html.text  # "no such page" in Chinese


def test_openapi_lists_the_json_twins(client_for):
    spec = client_for(None).get("/openapi.json").json()
    assert "/.json" in spec["paths"] and "/" not in spec["paths"]
    assert client_for("viewer").get("/docs").status_code == 200  # the API page needs the read permission


def test_a_locked_database_is_a_clear_503(tmp_path, monkeypatch):
    from web_support import make_db

    monkeypatch.setenv("LUOSHI_BUSY_TIMEOUT", "0.2")
    database = make_db(tmp_path / "locked.db", files=[])
    try:
        app = create_app(database)
        with TestClient(app) as c:
            sign_in(c, "editor")
            holder = database.engine.raw_connection()
            try:
                holder.execute("BEGIN IMMEDIATE")
                r = c.post(
                    "/tracking/items",
                    headers={"X-CSRF-Token": c.csrf, "Accept": "application/json"},
                    json={"title": "锁住时的事项", "year": 2025},
                )
            finally:
                holder.rollback()
                holder.close()
            assert r.status_code == 503 and "locked" in r.json()["error"]["message"]
            assert (
                c.post(
                    "/tracking/items",
                    headers={"X-CSRF-Token": c.csrf, "Accept": "application/json"},
                    json={"title": "锁住时的事项", "year": 2025},
                ).status_code
                == 200
            )
    finally:
        database.close()


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(web_db):
    with TestClient(create_app(web_db, max_body=1000)) as c:
        sign_in(c, "editor")
        h = {"X-CSRF-Token": c.csrf, "Accept": "application/json", "Content-Type": "application/json"}
        r = c.post("/tracking/items", headers=h, content=b'{"title": "' + b"x" * 2000 + b'"}')
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(5):
                yield b"x" * 400

        r = c.post("/tracking/items", headers=h, content=chunks())
        assert r.status_code == 413
        assert c.post("/tracking/items", headers=h, json={"title": "小事项", "year": 2025}).status_code == 200


@pytest.mark.parametrize("workers", [1, 2])
def test_luoshi_serve_answers_and_says_how_to_begin(tmp_path, workers):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "LUOSHI_DB"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "luoshi.cli",
            "serve",
            "--db",
            str(tmp_path / "s.db"),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline, answer = time.monotonic() + 30, None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = opener.open(f"http://127.0.0.1:{port}/session.json", timeout=2).read()
            except OSError:
                time.sleep(0.2)
        assert answer is not None and b"csrf_token" in answer
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert f"open http://127.0.0.1:{port}/setup" in err


def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(web_app):
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with TestClient(web_app, base_url=base) as c:
            cookie = c.get("/session.json").headers["set-cookie"]
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
            assert ("Secure" in cookie) is secure


def test_one_exception_map_answers_luoshi_errors(web_db):
    """Handlers let the store's and ingest's errors through; the app answers each once
    (serve/errors.py): unknown → 404, stale → 409 with the other change, unreadable input and
    refusals → 422 (404 where a route declares its refusals are look-ups), a database that
    cannot be used now → 503; the same shape as JSON and, in Chinese, as a page."""
    import sqlite3

    from sqlalchemy.exc import IntegrityError, OperationalError

    from luoshi.errors import InputError, LuoshiError
    from luoshi.serve.errors import refused_as
    from luoshi.store.errors import Conflict, NotFound, StoreError

    def locked():
        try:
            raise OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
        except OperationalError:
            raise StoreError("the database is locked by another process") from None

    def duplicate():
        try:
            raise IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
        except IntegrityError:
            raise StoreError("there is already a user named 'x'") from None

    raised = {
        "missing": lambda: NotFound("no tracking item 7"),
        "stale": lambda: Conflict("item 7 changed while saving: reload it and save again", {"id": 7}, {"title": 1}),
        "unreadable": lambda: InputError("a.pdf", "encrypted PDF — remove the password first"),
        "refused": lambda: StoreError("an item needs a title"),
        "other": lambda: LuoshiError("something of luoshi's"),
    }
    app = create_app(web_db)

    def route(kind: str):
        def handler():
            if kind == "locked":
                locked()
            if kind == "duplicate":
                duplicate()
            raise raised[kind]()

        return handler

    for kind in [*raised, "locked", "duplicate"]:
        app.add_api_route(f"/test-errors/{kind}", route(kind))
    app.add_api_route("/test-errors/lookup", route("refused"), dependencies=[refused_as(404)])
    expected = {
        "missing": 404,
        "stale": 409,
        "unreadable": 422,
        "refused": 422,
        "other": 400,
        "locked": 503,
        "duplicate": 422,
        "lookup": 404,
    }
    with TestClient(app) as c:
        sign_in(c, "viewer")
        for kind, status in expected.items():
            r = c.get(f"/test-errors/{kind}", headers={"Accept": "application/json"})
            assert r.status_code == status, (kind, r.text)
            assert set(r.json()["error"]) >= {"status", "code", "message"}
        stale = c.get("/test-errors/stale", headers={"Accept": "application/json"})
        assert stale.json()["error"]["details"] == {"current": {"id": 7}, "changes": {"title": 1}}
        assert (
            c.get("/test-errors/unreadable", headers={"Accept": "application/json"}).json()["error"]["message"]
            == "a.pdf: encrypted PDF — remove the password first"
        )
        page = c.get("/test-errors/unreadable")
        assert page.status_code == 422 and "a.pdf：加密的 PDF——请先去掉密码" in page.text
