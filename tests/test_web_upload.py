"""Adding a report from the browser (POST /documents, editors and admins): the store's import
with the same size limit and one-line reasons as ``luoshi import``; a stored report's bytes
again say which report holds them; the reader opens on success."""

from __future__ import annotations

import pytest

from luoshi import store
from luoshi.store import audit
from paths import CORPUS, needs_shared
from web_support import SAMPLE


def upload(client, name: str, body: bytes, **headers):
    return client.post(
        "/documents",
        files={"file": (name, body, "application/octet-stream")},
        headers={"X-CSRF-Token": client.csrf, **headers},
    )


def test_the_form_is_for_editors(client_for):
    assert client_for("viewer").get("/documents/new").status_code == 403
    page = client_for("editor").get("/documents/new")
    assert page.status_code == 200 and "添加报告" in page.text and 'accept=".txt,.pdf,.html,.htm,.docx"' in page.text
    assert 'href="/documents/new"' in client_for("editor").get("/").text
    assert 'href="/documents/new"' not in client_for("viewer").get("/").text
    assert upload(client_for("viewer"), "x.txt", b"x").status_code == 403


@needs_shared
def test_a_report_is_imported_and_its_reader_opens(client_for, web_db):
    """fujian-2025-gwr.txt of the corpus, sent as a browser sends a chosen file."""
    source = CORPUS / "fujian-2025-gwr.txt"
    editor = client_for("editor")
    r = upload(editor, "福建省2025年政府工作报告.txt", source.read_bytes())
    assert r.status_code == 303
    new = next(d for d in store.list_documents(web_db) if d["name"] == "福建省2025年政府工作报告.txt")
    assert r.headers["location"] == f"/documents/{new['id']}" and new["records"] > 50
    assert editor.get(r.headers["location"]).status_code == 200
    entry = audit.entries(web_db, entity="document", entity_id=new["id"])[0]
    assert entry["action"] == "document.import" and entry["after"]["source"] == "upload"


def test_the_same_bytes_say_which_report_holds_them(client_for, web_db):
    editor = client_for("editor")
    stored = next(d for d in store.list_documents(web_db) if d["name"] == SAMPLE.name)
    r = upload(editor, "copy.txt", SAMPLE.read_bytes(), Accept="application/json")
    assert r.status_code == 409
    body = r.json()["error"]
    assert body["message"] == f"copy.txt: already stored as {SAMPLE.name}"
    assert body["details"]["stored"]["id"] == stored["id"]
    page = upload(editor, "copy.txt", SAMPLE.read_bytes())
    assert page.status_code == 409 and f"copy.txt：与已存储的报告《{SAMPLE.name}》内容相同" in page.text


@pytest.mark.parametrize(
    "name, body, reason",
    [
        ("empty.txt", b"", "file is empty"),
        ("scan.pdf", b"%PDF-1.4\nnot really", "not a readable PDF"),
        ("report.docx", b"PK\x03\x04 broken", "not a readable DOCX"),
    ],
)
def test_a_file_that_cannot_be_read_gets_the_import_reason_in_one_line(client_for, name, body, reason):
    r = upload(client_for("editor"), name, body, Accept="application/json")
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert message.startswith(f"{name}: {reason}") and "\n" not in message and "/tmp" not in message


def test_a_file_over_the_limit_is_refused_by_its_size(client_for, monkeypatch):
    monkeypatch.setenv("LUOSHI_MAX_BYTES", "1000")
    r = upload(client_for("editor"), "big.txt", "报告".encode() * 1000, Accept="application/json")
    assert r.status_code == 422 and "over the" in r.json()["error"]["message"]


def test_no_file_chosen(client_for):
    editor = client_for("editor")
    r = editor.post("/documents", data={"x": "1"}, headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["message"] == "choose a report file to add"


def test_a_report_over_the_request_limit_but_within_the_import_limit_is_imported(web_db, monkeypatch):
    """The add-a-report page takes what `luoshi import` takes (its limit, LUOSHI_MAX_BYTES),
    not the smaller limit of every other request body."""
    from fastapi.testclient import TestClient
    from luoshi.serve import create_app
    from web_support import sign_in

    monkeypatch.setenv("LUOSHI_MAX_BYTES", str(len(SAMPLE.read_bytes()) + 100))
    with TestClient(create_app(web_db, max_body=1000), follow_redirects=False) as c:
        sign_in(c, "editor")
        body = SAMPLE.read_bytes() + "\n附：上传测试。\n".encode()  # new bytes: not the stored sample
        assert len(body) > 1000
        r = upload(c, "宁波上传.txt", body, Accept="application/json")
        assert r.status_code == 200 and r.json()["status"] == "imported", r.text
        other = c.post(
            "/tracking/items",
            headers={"X-CSRF-Token": c.csrf, "Accept": "application/json"},
            json={"title": "x" * 2000, "year": 2025},
        )
        assert other.status_code == 413 and other.json()["error"]["code"] == "too_large"  # any other body: 1000 bytes


def test_a_report_over_the_import_limit_gets_the_import_reason_in_the_page_language(client_for, monkeypatch):
    """A body over the import's limit (and the form's room) is refused before it is read, with
    the reason `luoshi import` gives, not a bare request-size error: JSON for the page's script,
    the error page in Chinese for a form sent without scripts."""
    from luoshi.serve.limits import FORM_ROOM

    monkeypatch.setenv("LUOSHI_MAX_BYTES", "2000")
    editor = client_for("editor")
    body = b"x" * 200_000
    assert len(body) > 2000 + FORM_ROOM
    r = upload(editor, "big.txt", body, Accept="application/json")
    error = r.json()["error"]
    assert r.status_code == 413 and error["code"] == "too_large"
    assert error["message"] == "file is 0.2 MB, over the 2,000 bytes limit (--max-bytes or LUOSHI_MAX_BYTES)"
    page = upload(editor, "big.txt", body)
    assert page.status_code == 413 and "文件大小 0.2 MB，超过 2,000 字节 的上限" in page.text
    assert "<h1>413</h1>" in page.text and 'lang="zh-CN"' in page.text
    english = upload(editor, "big.txt", body, **{"Accept-Language": "en"})
    assert "over the 2,000 bytes limit" in english.text and "字节" not in english.text
    form = editor.get("/documents/new").text
    assert 'data-max-bytes="2000"' in form  # the page's script refuses it before sending, in the same words
