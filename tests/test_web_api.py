"""Every GET endpoint of the OpenAPI spec answers, for the role it needs, with what it says it
gives (JSON for the twins, the file for downloads), and refuses the roles below it."""

from __future__ import annotations

import pytest

from luoshi import store
from luoshi.store import tracking
from paths import needs_shared
from web_support import doc_id

KINDS = {
    ".json": "application/json",
    ".csv": "text/csv",
    ".jsonl": "application/x-ndjson",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ADMIN_ONLY = ("/admin/",)
EDITOR_ONLY = (
    "/documents/{document_id}/breakdown",
    "/documents/new",
)  # the drafted 分工方案, adding a report: editors and admins
SAMPLES = {
    "/scorecard.json": {"region": "浙江", "year": 2025},
    "/compare.json": {"indicator": "gdp"},
    "/records.json": {"q": "就业", "kind": "target"},
    "/tracking.json": {"light": "green"},
}


def _get_paths(app) -> list[str]:
    return [p for p, ops in app.openapi()["paths"].items() if "get" in ops]


def test_the_spec_lists_every_twin(web_app):
    paths = set(_get_paths(web_app))
    for twin in (
        "/.json",
        "/documents/{document_id}.json",
        "/records.json",
        "/scorecard.json",
        "/compare.json",
        "/corrections.json",
        "/tracking.json",
        "/tracking/units.json",
        "/tracking/items/{item_id}.json",
        "/admin/users.json",
        "/admin/audit.json",
        "/session.json",
    ):
        assert twin in paths


@needs_shared
def test_every_get_endpoint_answers_with_its_kind(web_app, web_db, client_for):
    item = tracking.create_item(web_db, "test", {"title": "接口测试事项"}, year=2025)
    document = (
        doc_id(web_db, "zhejiang-2025-gwr.txt")
        if any(d["name"] == "zhejiang-2025-gwr.txt" for d in store.list_documents(web_db))
        else 1
    )
    viewer, editor, admin = client_for("viewer"), client_for("editor"), client_for("admin")
    for path in _get_paths(web_app):
        url = path.replace("{item_id}", str(item["id"])).replace("{document_id}", str(document))
        params = dict(SAMPLES.get(path, {}))
        if path == "/api/corrections/export.jsonl":
            params["document"] = document
        admin_only, editor_only = path.startswith(ADMIN_ONLY), path.startswith(EDITOR_ONLY)
        r = (admin if admin_only else editor if editor_only else viewer).get(url, params=params)
        assert r.status_code == 200, (path, r.text[:300])
        suffix = "." + path.rsplit(".", 1)[1]
        assert r.headers["content-type"].startswith(KINDS[suffix]), (path, r.headers["content-type"])
        if suffix == ".json":
            assert isinstance(r.json(), dict) and "error" not in r.json()
        if admin_only or editor_only:
            assert viewer.get(url, params=params).status_code == 403
        if path != "/session.json":  # downloads, opened by a browser, go to the sign-in page
            anonymous = client_for(None).get(url, params=params)
            assert anonymous.status_code == 401 if suffix == ".json" else anonymous.status_code in (401, 303)


@pytest.mark.parametrize("path", ["/documents/999999.json", "/tracking/items/999999.json"])
def test_missing_things_are_404_in_the_error_shape(client_for, path):
    r = client_for("viewer").get(path)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("document", ["¹", "9" * 30, "0"])
def test_odd_document_filters_are_names_or_ids_never_errors(client_for, document):
    r = client_for("viewer").get("/records.json", params={"document": document})
    assert r.status_code == 200 and r.json()["records"] == []
