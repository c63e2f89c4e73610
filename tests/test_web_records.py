"""The records page: filters, facets, verdicts, full-text search, pages, downloads, corrections."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from luoshi import importing, store
from luoshi.output.formats import column_headers
from luoshi.serve import create_app
from luoshi.serve.pages.records import COLUMNS
from luoshi.store.browse import RecordFilter, browse, matching
from paths import CORPUS, needs_shared
from web_support import make_db, sign_in

VERDICTS = ("met", "missed", "no_data")


def listing(client: TestClient, **params) -> dict:
    r = client.get("/records.json", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def all_records(client: TestClient, per_page: int = 500, **params) -> list[dict]:
    """Every record of a filter state, page after page."""
    out, number = [], 1
    while True:
        data = listing(client, page=number, per_page=per_page, **params)
        out += data["records"]
        if not data["records"]:
            assert len(out) == data["total"]
            return out
        number += 1


def ids(rows) -> list:
    return [r["id"] for r in rows]


STATES = [
    {},
    {"region": "浙江"},
    {"region": "宁波市", "kind": "target"},
    {"year": 2025},
    {"kind": "result"},
    {"type": "task"},
    {"measure": "change", "type": "indicator"},
    {"indicator": "生产总值"},
    {"indicator_id": "gdp"},
    {"topic": "agriculture"},
    {"year": 2024, "topic": "economy", "kind": "result"},
]


@pytest.mark.parametrize("state", STATES, ids=lambda s: "&".join(f"{k}={v}" for k, v in s.items()) or "all")
def test_every_filter_narrows_as_the_store_does(client_for, web_db, state):
    viewer = client_for("viewer")
    data = listing(viewer, **state)
    assert data["filters"] == state
    expected = store.list_records(web_db, **state)
    got = all_records(viewer, **state)
    assert ids(got) == ids(expected) and data["total"] == len(expected)
    assert [{k: r[k] for k in store.RECORD_COLUMNS} for r in got] == expected


@needs_shared
def test_regions_are_listed_in_the_official_order(client_for):
    # GB/T 2260: 浙江省 (330000) before 宁波市 (330200), though 宁 comes before 浙 by code point
    regions = [f["value"] for f in listing(client_for("viewer"))["facets"]["region"]]
    assert regions == ["浙江省", "宁波市"]


def test_a_document_filter(client_for, web_db):
    doc = store.list_documents(web_db)[-1]
    viewer = client_for("viewer")
    assert ids(all_records(viewer, document=doc["id"])) == ids(store.list_records(web_db, document=doc["id"]))
    assert listing(viewer, document=doc["id"])["total"] == doc["records"]


@pytest.mark.parametrize(
    "state",
    [{}, {"kind": "target"}, {"region": "浙江", "year": 2025}, {"q": "增长"}],
    ids=lambda s: "&".join(f"{k}={v}" for k, v in s.items()) or "all",
)
def test_each_facet_counts_with_the_other_filters(client_for, state):
    viewer = client_for("viewer")
    data = listing(viewer, **state)
    facets = data["facets"]
    assert set(facets) == {"region", "year", "kind", "type", "measure", "indicator", "verdict", "topic"}
    for name in ("kind", "type"):  # never missing: an unfiltered one sums to the total
        if name not in state:
            assert sum(f["count"] for f in facets[name]) == data["total"]
    for name, items in facets.items():
        assert all(f["count"] > 0 for f in items)
        for item in items[:4]:  # choosing a value gives as many records as its count says
            total = listing(viewer, **{**state, name: item["value"]})["total"]
            if name == "indicator":  # a name is a filter on names containing it
                assert total >= item["count"], item
            else:
                assert total == item["count"], (name, item)
    assert len(facets["indicator"]) <= 30


@needs_shared
def test_the_verdict_filter_keeps_the_linked_targets_and_results(client_for, web_db):
    card = store.scorecard(web_db, "浙江", 2025).rows
    viewer = client_for("viewer")
    for verdict in VERDICTS:
        targets = {r["target_id"] for r in card if r["verdict"] == verdict}
        results = {r["result_id"] for r in card if r["verdict"] == verdict and r["result_id"]}
        assert set(ids(all_records(viewer, verdict=verdict, kind="target"))) == targets
        assert set(ids(all_records(viewer, verdict=verdict, kind="result"))) == results
        rows = all_records(viewer, verdict=verdict)
        assert {r["verdict"] for r in rows} == {verdict} and set(ids(rows)) == targets | results
        tally = {f["value"]: f["count"] for f in listing(viewer, region="浙江")["facets"]["verdict"]}
        assert tally.get(verdict, 0) == len(targets | results)
    unlinked = all_records(viewer, document=store.list_documents(web_db)[0]["id"])  # the sample: no next year
    assert {r["verdict"] for r in unlinked} == {None}


def test_full_text_finds_the_records_whose_evidence_has_every_word(client_for, web_db):
    viewer = client_for("viewer")
    everything = store.list_records(web_db)
    for q in ("就业", "粮食", "城镇 就业", "GDP"):
        terms = q.lower().split()
        want = [r["id"] for r in everything if all(t in r["evidence"].lower() for t in terms)]
        got = all_records(viewer, q=q)
        assert ids(got) == want, q
    assert listing(viewer, q="就业")["total"] > 0
    hits = {h["document_id"] for h in store.search(web_db, "就业", limit=100)}
    assert {r["document_id"] for r in all_records(viewer, q="就业")} <= hits  # only where the search finds it


def test_pages_are_stable_and_complete(client_for, web_db):
    viewer = client_for("viewer")
    pages = [listing(viewer, kind="target", page=n, per_page=7) for n in range(1, 200)]
    seen = [r["id"] for p in pages for r in p["records"]]
    assert seen == ids(store.list_records(web_db, kind="target")) and len(set(seen)) == len(seen)
    assert pages[-1]["records"] == [] and pages[-1]["total"] == len(seen)
    assert listing(viewer, kind="target", page=2, per_page=7) == pages[1]


@needs_shared
def test_the_html_page_shows_the_json_twins_data(client_for):
    viewer = client_for("viewer")
    state = {"region": "浙江", "kind": "target", "q": "增长"}
    data = listing(viewer, **state)
    html = viewer.get("/records", params=state)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    text = html.text
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    assert [int(i) for i in re.findall(r'<tr data-id="(\d+)"', body)] == ids(data["records"])
    assert re.search(r'id="total">(\d+)<', text).group(1) == str(data["total"])
    assert '<form id="filters" method="get" action="/records"' in text and 'name="q" value="增长"' in text
    assert '<table class="grid records">' in text
    links = {unescape(h) for h in re.findall(r'href="([^"]+)"', text)}
    # a facet link adds or replaces one filter; a chip removes one; downloads keep the state
    assert "/records?q=%E5%A2%9E%E9%95%BF&region=%E6%B5%99%E6%B1%9F&kind=result" in links
    assert "/records?q=%E5%A2%9E%E9%95%BF&region=%E6%B5%99%E6%B1%9F" in links
    assert "/records.csv?q=%E5%A2%9E%E9%95%BF&region=%E6%B5%99%E6%B1%9F&kind=target" in links
    for r in data["records"]:
        assert f"/documents/{r['document_id']}#r{r['id']}" in links
    for link in [h for h in links if h.startswith("/records?")][:12]:  # every link is a page that works
        assert viewer.get(link).status_code == 200


@needs_shared
def test_downloads_hold_every_matching_record(client_for, web_db):
    viewer = client_for("viewer")
    state = {"region": "浙江", "type": "indicator"}
    want = ids(store.list_records(web_db, **state))
    english = {"Accept-Language": "en"}  # the headers follow the page's language: Chinese by default
    r = viewer.get("/records.csv", params=state, headers=english)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [int(row["id"]) for row in rows] == want and list(rows[0]) == list(COLUMNS)
    chinese = viewer.get("/records.csv", params=state).content.decode("utf-8-sig").splitlines()[0]
    assert chinese.split(",") == column_headers(COLUMNS, "zh") and chinese.startswith("编号,报告编号")
    r = viewer.get("/records.xlsx", params=state)
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    sheet = load_workbook(io.BytesIO(r.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == column_headers(COLUMNS, "zh") and [row[0] for row in table[1:]] == want


@pytest.mark.parametrize(
    "query",
    [
        "kind=goal",
        "type=x",
        "measure=size",
        "verdict=ok",
        "topic=sports",
        "year=abc",
        "page=0",
        "per_page=501",
        "per_page=0",
    ],
)
def test_bad_values_are_422_with_the_error_shape(client_for, query):
    r = client_for("viewer").get(f"/records.json?{query}")
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith(f"query.{query.split('=')[0]}")


def test_anonymous_visitors_sign_in_first(client_for):
    anon = client_for(None)
    r = anon.get("/records.json")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert anon.get("/records?kind=target").headers["location"] == "/login?next=/records%3Fkind%3Dtarget"
    assert anon.get("/records.csv").status_code in (303, 401)


def test_openapi_lists_the_filters_with_their_choices(client_for):
    spec = client_for(None).get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/records.json"]["get"]["parameters"]}
    assert {
        "q",
        "region",
        "year",
        "kind",
        "type",
        "measure",
        "indicator",
        "indicator_id",
        "topic",
        "verdict",
        "document",
        "page",
        "per_page",
    } <= set(params)
    assert "target" in str(params["kind"]["schema"]) and "no_data" in str(params["verdict"]["schema"])
    assert "/records.csv" in spec["paths"] and "/records" not in spec["paths"]


def test_corrections_are_applied_and_change_the_listing_at_once(tmp_path):
    database = make_db(tmp_path / "x.db")
    try:
        with TestClient(create_app(database), follow_redirects=False) as c:
            sign_in(c, "viewer")
            before = all_records(c, per_page=9)
            assert ids(before) == ids(store.list_records(database)) and {r["correction"] for r in before} == {None}
            indicators = [r for r in before if r["type"] == "indicator"]
            fixed, rejected = indicators[3], indicators[5]
            store.add_correction(
                database,
                "fix",
                reviewer="t",
                record_id=fixed["id"],
                fields={"indicator": "<b>校正指标</b>", "value": 99},
            )
            store.add_correction(database, "reject", reviewer="t", record_id=rejected["id"])
            store.add_correction(
                database,
                "add",
                reviewer="t",
                document_id=fixed["document_id"],
                fields={
                    "type": "indicator",
                    "kind": "target",
                    "indicator": "=新增指标",
                    "measure": "quantity",
                    "value": 7,
                    "unit": "个",
                    "start": fixed["start"],
                    "end": fixed["end"],
                    "evidence": fixed["evidence"],
                    "year": fixed["year"],
                },
            )
            after = all_records(c, per_page=9)  # pages merged across the corrected records
            expected = store.list_records(database)
            assert [(r["id"], r["start"], r["correction"]) for r in after] == [
                (r["id"], r["start"], r["correction"]) for r in expected
            ]
            got = {r["id"]: r for r in after}
            assert rejected["id"] not in got
            assert got[fixed["id"]]["indicator"] == "<b>校正指标</b>" and got[fixed["id"]]["correction"] == "fixed"
            added = [r for r in after if r["correction"] == "added"]
            assert len(added) == 1 and added[0]["indicator"] == "=新增指标" and added[0]["id"] is None
            data = listing(c)
            assert data["total"] == len(expected)
            assert sum(f["count"] for f in data["facets"]["kind"]) == data["total"]
            assert ids(listing(c, indicator="校正指标")["records"]) == [fixed["id"]]
            assert listing(c, indicator="新增指标")["total"] == 1
            assert listing(c, indicator=rejected["indicator"], document=rejected["document_id"])["total"] == len(
                [
                    r
                    for r in expected
                    if rejected["indicator"] in (r["indicator"] or "") and r["document_id"] == rejected["document_id"]
                ]
            )
            counts = {f["value"]: f["count"] for f in data["facets"]["indicator"]}
            assert counts.get("<b>校正指标</b>", 1) == 1
            html = c.get("/records", params={"indicator": "校正指标"}).text
            assert "&lt;b&gt;校正指标&lt;/b&gt;" in html and "<b>校正指标" not in html
            assert 'class="badge correction"' in html
            rows = list(
                csv.DictReader(
                    io.StringIO(
                        c.get(
                            "/records.csv", params={"indicator": "新增指标"}, headers={"Accept-Language": "en"}
                        ).content.decode("utf-8-sig")
                    )
                )
            )
            assert [row["indicator"] for row in rows] == ["'=新增指标"]  # never a formula in a spreadsheet
            rows = list(
                csv.DictReader(
                    io.StringIO(c.get("/records.csv", headers={"Accept-Language": "en"}).content.decode("utf-8-sig"))
                )
            )
            assert [row["id"] or None for row in rows] == [str(r["id"]) if r["id"] else None for r in expected]
            more = CORPUS / "hebei-2025-gwr.txt"
            if more.exists():  # an import is seen at once too
                importing.import_paths(database, [more], workers=1)
                assert listing(c)["total"] == len(store.list_records(database)) > len(expected)
            stored = matching(database, RecordFilter(indicator="新增指标"))
            assert [r["indicator"] for r in stored] == ["=新增指标"]
    finally:
        database.close()


def test_the_store_listing_on_each_backend(loaded):
    database, _ = loaded
    for flt, same in [
        (RecordFilter(), {}),
        (RecordFilter(kind="target", year=2025), {"kind": "target", "year": 2025}),
        (RecordFilter(region="河", type="indicator"), {"region": "河", "type": "indicator"}),
    ]:
        expected = store.list_records(database, **same)
        found = browse(database, flt, page=2, per_page=10)
        assert found["total"] == len(expected) and ids(found["records"]) == ids(expected[10:20])
        free = "type" if "kind" in same else "kind"  # a facet without its filter sums to the total
        assert sum(f["count"] for f in found["facets"][free]) == len(expected)
    q = browse(database, RecordFilter(q="增长"), per_page=500)["records"]
    assert q and all("增长" in r["evidence"] for r in q)
    assert ids(q) == [r["id"] for r in store.list_records(database) if "增长" in r["evidence"]][:500]
    with pytest.raises(store.StoreError):
        RecordFilter(verdict="good")
