"""Corrections in the web app: fix, reject, add and undo through the API, the list of
corrections, their gold-format export, and that they survive re-extraction."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from luoshi import importing, store
from luoshi.serve import create_app
from luoshi.store import corrections as corr
from luoshi.store import gold
from web_support import copy_db, sign_in, signed_in_clients


@pytest.fixture
def db(web_copy):
    """The sample report (Ningbo 2024) and one user per role, in a database of this test's own."""
    return web_copy("sample")


@pytest.fixture
def client_for(db):
    with signed_in_clients(create_app(db), default="editor") as make:
        yield make


@pytest.fixture(scope="module")
def refusing(web_template, tmp_path_factory):
    """One database and a signed-in editor for the tests where every change is refused."""
    database = copy_db(web_template("sample"), tmp_path_factory.mktemp("refusing"))
    with TestClient(create_app(database), follow_redirects=False) as c:
        yield database, sign_in(c, "editor")
    assert corr.list_corrections(database) == []
    database.close()


def send(client: TestClient, method: str, url: str, body=None, csrf: bool = True):
    headers = {"X-CSRF-Token": client.csrf} if csrf else {}
    return client.request(method, url, json=body, headers=headers)


def doc_and_text(db) -> tuple[int, str]:
    doc = store.list_documents(db)[0]
    return doc["id"], store.load_document(db, doc["id"]).text


def indicators(db) -> list[dict]:
    return store.list_records(db, type="indicator")


ADDED = {
    "type": "indicator",
    "kind": "result",
    "year": 2023,
    "indicator": "八八战略实施年数",
    "measure": "quantity",
    "value": 20,
    "unit": "周年",
}


def added_fields(db) -> dict:
    doc_id, text = doc_and_text(db)
    start = text.index("实施20周年")
    return {**ADDED, "start": start, "end": start + len("实施20周年")}


def correct(client, db) -> dict:
    """A fix, a rejection and an addition through the API; their responses."""
    doc_id, _ = doc_and_text(db)
    first, second = indicators(db)[:2]
    fix = send(
        client,
        "POST",
        f"/api/records/{first['id']}/fix",
        {"fields": {"value": 6.5, "qualifier": "exact"}, "note": "the final figure"},
    )
    reject = send(client, "POST", f"/api/records/{second['id']}/reject", {"note": "not an indicator"})
    add = send(client, "POST", f"/api/documents/{doc_id}/records", {"fields": added_fields(db)})
    assert (fix.status_code, reject.status_code, add.status_code) == (200, 200, 200), (fix.text, reject.text, add.text)
    return {"fix": fix.json(), "reject": reject.json(), "add": add.json(), "first": first, "second": second}


# --- the API --------------------------------------------------------------------------------------


def test_fix_reject_and_add_are_applied_and_listed(client_for, db):
    editor = client_for("editor")
    done = correct(editor, db)
    fixed = done["fix"]["record"]
    assert fixed["id"] == done["first"]["id"] and fixed["correction"] == "fixed"
    assert (fixed["value"], fixed["qualifier"], fixed["indicator"]) == (6.5, "exact", done["first"]["indicator"])
    assert done["reject"]["record"]["correction"] == "rejected"
    added = done["add"]["record"]
    _, text = doc_and_text(db)
    assert added["correction"] == "added" and added["evidence"] == text[added["start"] : added["end"]] == "实施20周年"
    assert added["section"] == "一、2023年工作回顾" and added["estimated"] is False and added["qualifier"] == "exact"

    rows = store.list_records(db)
    assert done["second"]["id"] not in {r["id"] for r in rows}
    assert [r["indicator"] for r in rows if r["correction"] == "added"] == ["八八战略实施年数"]

    listing = editor.get("/corrections.json").json()
    assert [c["action"] for c in listing["corrections"]] == ["add", "reject", "fix"]  # newest first
    newest = listing["corrections"][0]
    assert newest["reviewer"] == "editor" and newest["document"] == "ningbo-2024-part1.txt"
    assert listing["corrections"][2]["record_id"] == done["first"]["id"]
    assert listing["corrections"][2]["fields"] == {"value": 6.5, "qualifier": "exact"}
    assert listing["corrections"][1]["note"] == "not an indicator"
    assert editor.get("/corrections.json?reviewer=nobody").json()["corrections"] == []
    assert len(editor.get("/corrections.json?document=ningbo").json()["corrections"]) == 3
    html = client_for("viewer").get("/corrections")
    assert html.status_code == 200 and "八八战略实施年数" in html.text and 'class="link undo"' not in html.text
    assert 'class="link undo"' in editor.get("/corrections").text


def test_a_rejection_needs_no_body(client_for, db):
    record = indicators(db)[0]
    r = send(client_for("editor"), "POST", f"/api/records/{record['id']}/reject")
    assert r.status_code == 200 and corr.list_corrections(db)[0]["note"] is None


def test_undo_removes_the_correction(client_for, db):
    editor = client_for("editor")
    done = correct(editor, db)
    for key in ("fix", "reject", "add"):
        r = send(editor, "DELETE", f"/api/corrections/{done[key]['correction_id']}")
        assert r.status_code == 200 and r.json()["removed"]["action"] == key
    assert corr.list_corrections(db) == []
    assert all(r["correction"] is None for r in store.list_records(db))
    r = send(editor, "DELETE", f"/api/corrections/{done['fix']['correction_id']}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_who_may_correct(client_for, db):
    record = indicators(db)[0]
    url = f"/api/records/{record['id']}/fix"
    body = {"fields": {"value": 1}}
    viewer = client_for("viewer")
    r = send(viewer, "POST", url, body)
    assert r.status_code == 403 and "editor" in r.json()["error"]["message"]
    assert send(viewer, "POST", url, {"fields": {"colour": 1}}).status_code == 403  # the role before the body
    assert send(client_for(None), "POST", url, body).json()["error"]["code"] == "unauthorized"
    editor = client_for("editor")
    r = send(editor, "POST", url, body, csrf=False)
    assert r.status_code == 403 and "CSRF" in r.json()["error"]["message"]
    assert send(editor, "DELETE", "/api/corrections/1", csrf=False).status_code == 403
    assert send(client_for("admin"), "POST", url, body).status_code == 200
    assert corr.list_corrections(db)[0]["reviewer"] == "admin"


@pytest.mark.parametrize(
    "fields,where",
    [
        ({"value": "6.5"}, "value"),
        ({"value": True}, "value"),
        ({"kind": "plan"}, "kind"),
        ({"colour": "red"}, "colour"),
        ({"year": 2024.5}, "year"),
        ({"start": -1}, "start"),
        ({"qualifier": "roughly"}, "qualifier"),
    ],
)
def test_bad_field_values_are_422_with_the_error_shape(refusing, fields, where):
    db, editor = refusing
    record = indicators(db)[0]
    r = send(editor, "POST", f"/api/records/{record['id']}/fix", {"fields": fields})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid" and where in error["message"] and error["details"]


@pytest.mark.parametrize(
    "fields,message",
    [
        ({}, "a fix needs the fields it sets"),
        ({"topic": "sports"}, "unknown topic 'sports'"),
        ({"object": "大桥"}, "has no field(s) object"),
        ({"type": "task"}, "cannot change a record's type"),
        ({"indicator": " "}, "indicator cannot be empty"),
        ({"value": None}, "value cannot be null"),
        ({"evidence": "别的话"}, "give start and end"),
        ({"start": 5}, "give both start and end"),
        ({"start": 9, "end": 5}, "start must be before end"),
    ],
)
def test_fixes_the_store_refuses_are_422(refusing, fields, message):
    db, editor = refusing
    record = indicators(db)[0]
    r = send(editor, "POST", f"/api/records/{record['id']}/fix", {"fields": fields})
    assert r.status_code == 422 and message in r.json()["error"]["message"], r.text


def test_a_fix_that_moves_the_span_takes_the_evidence_from_the_text(client_for, db):
    record = indicators(db)[0]
    _, text = doc_and_text(db)
    start, end = record["start"] + 2, record["end"]
    r = send(client_for("editor"), "POST", f"/api/records/{record['id']}/fix", {"fields": {"start": start, "end": end}})
    assert r.status_code == 200 and r.json()["record"]["evidence"] == text[start:end]


def test_unknown_records_and_documents_are_404(refusing):
    _, editor = refusing
    for url, body in (
        (f"/api/records/{10**9}/fix", {"fields": {"value": 1}}),
        (f"/api/records/{10**9}/reject", {}),
        (f"/api/documents/{10**9}/records", {"fields": {**ADDED, "start": 0, "end": 5}}),
    ):
        r = send(editor, "POST", url, body)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", url
    assert send(editor, "POST", "/api/records/abc/reject", {}).status_code == 422


def test_an_addition_is_checked_against_the_text(client_for, db):
    editor = client_for("editor")
    doc_id, text = doc_and_text(db)
    url = f"/api/documents/{doc_id}/records"
    good = added_fields(db)

    def refused(fields, status=422) -> str:
        r = send(editor, "POST", url, {"fields": fields})
        assert r.status_code == status, r.text
        return r.json()["error"]["message"]

    assert "cleaned text's length" in refused({**good, "start": len(text) - 2, "end": len(text) + 1})
    assert "0 ≤ start < end" in refused({**good, "start": 10, "end": 10})
    assert "is not the text at" in refused({**good, "evidence": "实施30周年"})
    assert "needs measure, value" in refused({k: v for k, v in good.items() if k not in ("measure", "value")})
    assert "needs action, object" in refused({"type": "task", "kind": "target", "start": 5, "end": 9})
    assert "has no field(s) action" in refused({**good, "action": "start"})
    assert "fields.start" in refused({k: v for k, v in good.items() if k != "start"})
    assert corr.list_corrections(db) == []
    r = send(editor, "POST", url, {"fields": {**good, "evidence": "实施20周年"}, "note": "missed"})
    assert r.status_code == 200 and r.json()["record"]["evidence"] == "实施20周年"
    task = {
        "type": "task",
        "kind": "target",
        "year": 2024,
        "action": "start",
        "object": "八八战略",
        "start": good["start"] - 6,
        "end": good["start"] - 1,
    }
    record = send(editor, "POST", url, {"fields": task}).json()["record"]
    assert (record["verb"], record["evidence"]) == ("", text[task["start"] : task["end"]])


def test_openapi_documents_the_request_bodies(client_for):
    spec = client_for(None).get("/openapi.json").json()
    fix = spec["paths"]["/api/records/{record_id}/fix"]["post"]
    assert fix["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/Fix")
    assert "RecordFields" in spec["components"]["schemas"] and "NewRecord" in spec["components"]["schemas"]
    assert "/api/corrections/{correction_id}" in spec["paths"] and "/corrections.json" in spec["paths"]


# --- export and re-extraction ----------------------------------------------------------------------


def gold_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_export_is_the_gold_format_with_exactly_the_corrections(client_for, db):
    before = [gold.gold_record(r) for r in store.list_records(db)]
    editor = client_for("editor")
    done = correct(editor, db)
    r = client_for("viewer").get("/api/corrections/export.jsonl?document=ningbo")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert 'filename="ningbo-2024-part1.gold.jsonl"' in r.headers["content-disposition"]
    after = gold_lines(r.text)
    assert r.text == "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in after)  # the gold files' spacing

    first, second = (gold.gold_record(done[k]) for k in ("first", "second"))
    fixed = {**first, "value": 6.5, "qualifier": "exact"}
    added = {
        **{k: None for k in gold.GOLD_FIELDS["indicator"]},
        **ADDED,
        "value_max": None,
        "qualifier": "exact",
        "estimated": False,
        "scope": None,
        "evidence": "实施20周年",
    }
    expected = [fixed if line == first else line for line in before if line != second]
    assert [line for line in after if line != added] == expected and after.count(added) == 1
    assert list(added) == list(gold.GOLD_FIELDS["indicator"])
    for line in after:  # the keys, order and value types of shared/eval/dev/*.gold.jsonl
        assert list(line) == list(gold.GOLD_FIELDS[line["type"]])
        if line["type"] == "indicator":
            assert isinstance(line["value"], (int, float)) and not (
                isinstance(line["value"], float) and line["value"].is_integer()
            )
            assert isinstance(line["estimated"], bool) and isinstance(line["unit"], str)


def test_export_errors(client_for):
    viewer = client_for("viewer")
    assert viewer.get("/api/corrections/export.jsonl?document=no-such-report").status_code == 404
    assert viewer.get("/api/corrections/export.jsonl").json()["error"]["code"] == "invalid"
    assert client_for(None).get("/api/corrections/export.jsonl?document=1").status_code == 401


def test_corrections_survive_reextraction(client_for, db):
    done = correct(client_for("editor"), db)
    shown = store.list_records(db, rejected=True)
    report = importing.reextract(db, everything=True, workers=1)
    assert report.count("refreshed") == 1 and report.results[0].detail == ""
    again = store.list_records(db, rejected=True)
    assert [{k: v for k, v in r.items() if k != "id"} for r in again] == [
        {k: v for k, v in r.items() if k != "id"} for r in shown
    ]
    assert sorted(r["correction"] for r in again if r["correction"]) == ["added", "fixed", "rejected"]
    listing = corr.list_corrections(db)
    assert all(c["record_id"] is not None for c in listing if c["action"] != "add")  # the keys still match
    assert corr.corrected_record(db, done["fix"]["correction_id"])["value"] == 6.5


def test_ids_out_of_range_are_refused_not_crashes(refusing):
    db, editor = refusing
    assert send(editor, "POST", f"/api/records/{10**20}/reject", {}).status_code == 422
    assert editor.get(f"/corrections.json?document={10**20}").json()["corrections"] == []
    assert editor.get(f"/api/corrections/export.jsonl?document={10**20}").status_code == 404
