"""Tracking in the web app: the permission matrix of every state-changing endpoint, CSRF on
every one of them, items, progress, conflicts, the breakdown import, views, audit log."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from luoshi import store
from luoshi.serve import create_app
from luoshi.store import audit
from web_support import make_db, password, sign_in

ROLES = (None, "viewer", "editor", "admin")
LEVEL = {None: -1, "viewer": 0, "editor": 1, "admin": 2}

# Every state-changing endpoint and the least role allowed to use it (None: anyone, with a
# CSRF token).  A new endpoint must be added here: the test below fails until it is.
MATRIX = {
    ("POST", "/login"): None,
    ("POST", "/logout"): None,
    ("POST", "/setup"): "nobody",  # only while the database has no users at all
    ("POST", "/sample"): "editor",
    ("POST", "/documents"): "editor",  # a report added from the browser
    ("POST", "/tracking/items"): "editor",
    ("POST", "/tracking/items/{item_id}"): "editor",
    ("POST", "/tracking/items/{item_id}/progress"): "editor",
    ("POST", "/tracking/import"): "editor",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/{name}"): "admin",
    ("POST", "/admin/settings"): "admin",
    ("POST", "/api/records/{record_id}/fix"): "editor",
    ("POST", "/api/records/{record_id}/reject"): "editor",
    ("POST", "/api/documents/{document_id}/records"): "editor",
    ("DELETE", "/api/corrections/{correction_id}"): "editor",
    ("POST", "/documents/{document_id}/breakdown/track"): "editor",
}


def _routes(app) -> set[tuple[str, str]]:
    """Every (method, path) the app answers that changes state, hidden or not."""
    found = set()

    def walk(routes, prefix=""):
        for r in routes:
            inner = getattr(r, "original_router", None) or getattr(r, "router", None)
            if inner is not None and not hasattr(r, "methods"):
                walk(
                    inner.routes,
                    prefix + getattr(r, "include_context", None).prefix
                    if getattr(getattr(r, "include_context", None), "prefix", None)
                    else prefix,
                )
            for m in getattr(r, "methods", None) or ():
                if m not in ("GET", "HEAD"):
                    found.add((m, prefix + r.path))

    walk(app.routes)
    spec = app.openapi()
    for path, ops in spec["paths"].items():
        for m in ops:
            if m != "get":
                found.add((m.upper(), path))
    return found


@pytest.fixture(scope="module")
def db(web_db):
    return web_db


@pytest.fixture
def client(client_for):
    return client_for


def _target(db) -> dict:
    return next(r for r in store.list_records(db, kind="target", type="indicator"))


def _example(db, method, path):
    """A plausible request for the endpoint: path filled in and a body."""
    item = store.tracking.list_items(db)
    item_id = item[0]["id"] if item else 1
    rec = _target(db)
    path = (
        path.replace("{item_id}", str(item_id))
        .replace("{name}", "viewer")
        .replace("{record_id}", str(rec["id"]))
        .replace("{document_id}", str(rec["document_id"]))
        .replace("{correction_id}", "999999")
    )
    if "/breakdown/track" in path:  # a report that is not stored: the role is checked, nothing is tracked
        path = path.replace(f"/documents/{rec['document_id']}/", "/documents/999999/")
    bodies = {
        "/login": {"name": "viewer", "password": password("viewer")},
        "/setup": {"name": "x", "password": "long-enough"},
        "/tracking/items": {"title": "权限测试事项", "year": 2025},
    }
    return path, bodies.get(path, {})


def test_every_state_changing_endpoint_is_in_the_permission_matrix(client, db):
    app = client(None).app
    assert _routes(app) == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_permission_matrix(client, db, endpoint, role):
    method, template = endpoint
    need = MATRIX[endpoint]
    c = client(role)
    path, body = _example(db, method, template)
    headers = {"X-CSRF-Token": c.csrf, "Accept": "application/json"}
    if template == "/tracking/import":
        r = c.post(
            path,
            headers=headers,
            data={"document_id": "1"},
            files={"file": ("s.csv", "任务,牵头单位\n".encode(), "text/csv")},
        )
    else:
        r = c.request(
            method,
            path,
            headers=headers,
            data=body if template in ("/login", "/setup") else None,
            json=None if template in ("/login", "/setup") else body,
        )
    if need is None:
        assert r.status_code not in (401, 403), r.text
    elif need == "nobody":
        assert r.status_code == 403
    elif role is None:
        assert r.status_code == 401, r.text
        assert r.json()["error"]["code"] == "unauthorized"
    elif LEVEL[role] < LEVEL[need]:
        assert r.status_code == 403, r.text
        assert need in r.json()["error"]["message"]
    else:
        assert r.status_code not in (401, 403), r.text


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_every_change_without_a_valid_csrf_token_is_rejected(client, db, endpoint):
    method, template = endpoint
    c = client("admin")
    path, body = _example(db, method, template)
    for headers in ({"Accept": "application/json"}, {"Accept": "application/json", "X-CSRF-Token": "x" * 43}):
        r = c.request(method, path, headers=headers, data={**body, "csrf_token": "wrong"})
        assert r.status_code == 403 and "CSRF" in r.json()["error"]["message"], (endpoint, r.text)


def test_track_a_target_post_progress_and_see_the_light_change(client, db):
    editor = client("editor")
    h = {"X-CSRF-Token": editor.csrf, "Accept": "application/json"}
    rec = next(r for r in store.list_records(db, type="task") if r["evidence"])
    deadline = (date.today() + timedelta(days=10)).isoformat()
    r = editor.post(
        "/tracking/items", headers=h, json={"record_id": rec["id"], "lead_unit": "市发改委", "deadline": deadline}
    )
    assert r.status_code == 200, r.text
    item = r.json()
    assert item["light"] == "yellow" and item["light_reason"] == "due in 10 days"
    r = editor.post(
        f"/tracking/items/{item['id']}/progress",
        headers=h,
        json={"status": "done", "note": "已完成", "version": item["version"]},
    )
    assert r.json()["light"] == "green" and r.json()["percent"] == 100
    page = editor.get(f"/tracking/items/{item['id']}")
    assert 'data-light="green"' in page.text and "已完成" in page.text
    listing = editor.get("/tracking.json", params={"unit": "市发改委"}).json()
    assert [i["id"] for i in listing["items"]] == [item["id"]]
    units = editor.get("/tracking/units.json").json()["units"]
    assert any(u["unit"] == "市发改委" and u["status"]["done"] == 1 for u in units)


def test_a_viewer_finds_no_edit_controls(client, db):
    editor = client("editor")
    item = editor.post(
        "/tracking/items",
        headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"},
        json={"title": "免费事项", "year": 2025},
    ).json()
    viewer = client("viewer")
    for path in ("/tracking", f"/tracking/items/{item['id']}"):
        assert 'class="edit' not in viewer.get(path).text
        assert 'class="edit' in editor.get(path).text


def test_two_editors_saving_the_same_item_get_a_conflict_not_a_lost_update(client, db):
    a, b = client("editor"), client("admin")
    item = a.post(
        "/tracking/items",
        headers={"X-CSRF-Token": a.csrf, "Accept": "application/json"},
        json={"title": "并发事项", "year": 2025},
    ).json()
    r = a.post(
        f"/tracking/items/{item['id']}",
        headers={"X-CSRF-Token": a.csrf, "Accept": "application/json"},
        json={"version": item["version"], "lead_unit": "市交通局"},
    )
    assert r.status_code == 200
    r = b.post(
        f"/tracking/items/{item['id']}",
        headers={"X-CSRF-Token": b.csrf, "Accept": "application/json"},
        json={"version": item["version"], "lead_unit": "市住建局"},
    )
    assert r.status_code == 409
    err = r.json()["error"]
    assert "changed by editor" in err["message"]
    assert err["details"]["changes"]["lead_unit"]["after"] == "市交通局"
    html = b.post(
        f"/tracking/items/{item['id']}",
        data={"csrf_token": b.csrf, "version": str(item["version"]), "lead_unit": "市住建局"},
    )
    assert html.status_code == 409 and 'id="conflict"' in html.text and "市交通局" in html.text
    assert store.tracking.get_item(db, item["id"])["lead_unit"] == "市交通局"


def test_bad_input_gets_clear_errors(client, db):
    e = client("editor")
    h = {"X-CSRF-Token": e.csrf, "Accept": "application/json"}
    assert e.post("/tracking/items", headers=h, json={"title": ""}).status_code == 422
    assert e.post("/tracking/items", headers=h, json={"record_id": 10**9}).status_code == 404
    item = e.post("/tracking/items", headers=h, json={"title": "错误输入", "year": 2025}).json()
    r = e.post(f"/tracking/items/{item['id']}", headers=h, json={"lead_unit": "x"})
    assert r.status_code == 422 and "version" in r.json()["error"]["message"]
    r = e.post(f"/tracking/items/{item['id']}/progress", headers=h, json={"status": "behind"})
    assert r.status_code == 422 and "reason" in r.json()["error"]["message"]
    r = e.post(
        f"/tracking/items/{item['id']}/progress",
        headers={**h, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert r.status_code == 400
    assert e.get("/tracking/items/999999.json").status_code == 404
    assert e.get("/tracking.json", params={"status": "late"}).status_code == 422


def test_breakdown_import_and_the_tracking_sheet(client, db):
    e = client("editor")
    doc = next(d for d in store.list_documents(db) if d["region"] == "宁波市")
    sheet = (
        "序号,重点任务,牵头单位,配合单位,完成时限\n"
        "1,开工建设梅山铁路专用线,市交通局,北仑区政府,2024年12月底前\n"
        "2,某项分解表里才有的任务,市经信局,,2024年6月\n"
    ).encode("utf-8-sig")
    r = e.post(
        "/tracking/import",
        headers={"X-CSRF-Token": e.csrf, "Accept": "application/json"},
        data={"document_id": str(doc["id"])},
        files={"file": ("分解表.csv", sheet, "text/csv")},
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["matched"] == 1 and report["free"] == 1
    bad = e.post(
        "/tracking/import",
        headers={"X-CSRF-Token": e.csrf, "Accept": "application/json"},
        data={"document_id": str(doc["id"])},
        files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert bad.status_code == 422 and "no header row" in bad.json()["error"]["message"]
    x = e.get("/tracking/report.xlsx", params={"unit": "市交通局"})
    assert x.status_code == 200
    ws = load_workbook(io.BytesIO(x.content)).active
    assert "开工建设梅山铁路专用线" in [c.value for c in ws["B"]]
    assert "督查台账" in e.get("/tracking/report").text


def test_admins_manage_users_and_read_the_audit_log(client, db):
    admin = client("admin")
    h = {"X-CSRF-Token": admin.csrf, "Accept": "application/json"}
    before = len(audit.entries(db))
    assert (
        admin.post(
            "/admin/users", headers=h, json={"name": "zhao", "password": "zhao-password", "role": "editor"}
        ).status_code
        == 200
    )
    assert admin.post("/admin/users/zhao", headers=h, json={"role": "viewer"}).status_code == 200
    assert admin.post("/admin/users/admin", headers=h, json={"role": "viewer"}).status_code == 422
    assert admin.post("/admin/users/nobody", headers=h, json={"role": "viewer"}).status_code == 404
    assert len(audit.entries(db)) == before + 2
    log = admin.get("/admin/audit.json").json()["entries"]
    assert log[0]["action"] == "user.update" and log[0]["changed"]["role"] == {"before": "editor", "after": "viewer"}
    csv_text = admin.get("/admin/audit.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "编号,时间,操作人,动作,对象类型,对象编号,修改前,修改后"  # the page's language
    english = admin.get("/admin/audit.csv", headers={"Accept-Language": "en"}).content.decode("utf-8-sig")
    assert english.splitlines()[0] == "id,at,actor,action,entity,entity_id,before,after"
    assert client("editor").get("/admin/audit.json").status_code == 403


def test_each_change_leaves_exactly_one_audit_entry(tmp_path):
    database = make_db(tmp_path / "audit.db", files=[])
    try:
        with TestClient(create_app(database)) as c:
            sign_in(c, "admin")
            h = {"X-CSRF-Token": c.csrf, "Accept": "application/json"}
            users_made = len(audit.entries(database))  # make_db's users, added from the command line

            def entries() -> int:
                return len(audit.entries(database))

            def change(method, path, expect=1, **kw):
                before = entries()
                r = c.request(method, path, headers=h, **kw)
                assert r.status_code == 200, (path, r.text)
                assert entries() - before == expect, (method, path)
                return r.json()

            change("POST", "/sample")
            change("POST", "/sample", expect=0)  # unchanged: nothing written, nothing logged
            item = change("POST", "/tracking/items", json={"title": "审计事项", "year": 2024})
            item = change("POST", f"/tracking/items/{item['id']}", json={"version": item["version"], "lead_unit": "甲"})
            change("POST", f"/tracking/items/{item['id']}/progress", json={"status": "on_track", "percent": 10})
            doc = store.list_documents(database)[0]
            sheet = "任务,牵头单位\n开工建设梅山铁路专用线,市交通局\n分解表独有任务,市经信局\n".encode()
            change(
                "POST",
                "/tracking/import",
                expect=2,
                data={"document_id": str(doc["id"])},
                files={"file": ("s.csv", sheet, "text/csv")},
            )
            change("POST", "/admin/users", json={"name": "qian", "password": "qian-password", "role": "viewer"})
            change("POST", "/admin/users/qian", json={"role": "editor"})
            change("POST", "/admin/settings", json={"anonymous_read": "yes"})
            rec = store.list_records(database, type="indicator")[0]
            fix = change("POST", f"/api/records/{rec['id']}/fix", json={"fields": {"value": 9}})
            change("POST", f"/api/records/{rec['id']}/reject", json={"note": "重复"})
            change(
                "POST",
                f"/api/documents/{doc['id']}/records",
                json={
                    "fields": {
                        "type": "task",
                        "kind": "target",
                        "start": 0,
                        "end": 4,
                        "action": "start",
                        "object": "测试",
                    }
                },
            )
            change("DELETE", f"/api/corrections/{fix['correction_id']}")
            log = audit.entries(database)[:-users_made]
            assert {e["actor"] for e in log} == {"admin"} and len(log) == 13
            assert log[0]["action"] == "correction.remove" and log[-1]["action"] == "document.import"
    finally:
        database.close()
