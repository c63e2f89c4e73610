"""The scorecard and compare pages: choosers, the listings as JSON and HTML, the chart's data,
errors, the vendored ECharts, and untrusted report text kept inert."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from luoshi import store
from luoshi.serve import create_app
from luoshi.store.scorecard import indicator_ids
from paths import CORPUS, needs_shared
import web_support
from web_support import make_db, sign_in

# The Zhejiang reports delivered in 2025 and 2026: the targets of 2025 and their results.
PAIR = [CORPUS / name for name in web_support.PAIR]
YEAR = 2025
pytestmark = needs_shared
CHART_DATA = re.compile(r'<script type="application/json" id="chart-data">(.*?)</script>', re.S)
VERDICT_ZH = {"met": "达成", "missed": "未达成", "no_data": "无数据"}  # the verdicts as the Chinese pages show them


def chart_block(html: str) -> dict:
    found = CHART_DATA.findall(html)
    assert len(found) == 1
    return json.loads(found[0])


def test_the_scorecard_chooser_lists_each_region_and_year_with_links(client_for, web_db):
    viewer = client_for("viewer")
    data = viewer.get("/scorecard.json").json()
    zhejiang = [c for c in data["choices"] if c["region"] == "浙江省"]
    assert [c["year"] for c in zhejiang] == [YEAR]
    listing = store.scorecard(web_db, "浙江", YEAR)
    assert zhejiang[0]["tally"] == listing.tally and zhejiang[0]["targets"] == len(listing.rows)
    assert all(c["region"] != "宁波市" for c in data["choices"])  # one report alone links nothing
    html = viewer.get("/scorecard").text
    assert 'href="/scorecard?region=%E6%B5%99%E6%B1%9F%E7%9C%81&amp;year=2025"' in html
    assert viewer.get("/scorecard.json", params={"year": YEAR - 1}).json()["choices"] == []


def test_the_scorecard_json_is_the_store_listing_with_the_chart_data(client_for, web_db):
    data = client_for("viewer").get("/scorecard.json", params={"region": "浙江", "year": YEAR}).json()
    listing = store.scorecard(web_db, "浙江", YEAR)
    assert (data["region"], data["year"], data["title"]) == ("浙江省", YEAR, listing.title)
    assert data["rows"] == listing.rows and data["tally"] == listing.tally
    assert set(data["rows"][0]) == set(store.LINK_COLUMNS)
    chart = data["chart"]
    growth = [i for i, r in enumerate(listing.rows) if (r["measure"], r["unit"]) == ("change", "%")]
    assert (chart["measure"], chart["unit"]) == ("change", "%") and chart["rows"] == growth
    assert chart["left_out"] == len(listing.rows) - len(growth)
    for column in (
        "categories",
        "target",
        "target_max",
        "result",
        "verdict",
        "target_text",
        "result_text",
        "gap",
        "rule",
        "target_evidence",
        "result_evidence",
    ):
        assert len(chart[column]) == len(growth), column
    gdp = chart["categories"].index("生产总值")
    assert (chart["target"][gdp], chart["verdict"][gdp], chart["target_text"][gdp]) == (5.5, "met", "5.5%左右")
    assert chart["result"][gdp] == 5.5


def test_the_scorecard_page_has_the_table_the_tally_and_the_chart_block(client_for, web_db):
    r = client_for("viewer").get("/scorecard", params={"region": "浙江省", "year": YEAR})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    listing = store.scorecard(web_db, "浙江", YEAR)
    html = r.text
    assert html.count('<tr class="verdict-row') == len(listing.rows)
    for verdict, n in listing.tally.items():
        assert f'<span class="badge {verdict}">{VERDICT_ZH[verdict]} {n}</span>' in html
    table = html[html.index('<table class="grid links">') :]
    assert table.count('<span class="badge missed">未达成</span>') == listing.tally["missed"]
    first = listing.rows[0]
    for key in ("old_document_id", "new_document_id"):
        assert f'href="/documents/{first[key]}"' in html
    chart = chart_block(html)
    assert len(chart["categories"]) == html.count(' charted"') == len(chart["rows"]) > 0
    assert '<div id="chart"' in html and 'src="/static/vendor/echarts.min.js"' in html


def test_compare_lists_one_indicator_across_regions(client_for, web_db):
    viewer = client_for("viewer")
    choices = viewer.get("/compare.json").json()["choices"]
    gdp = next(c for c in choices if c["indicator"] == "gdp")
    assert (gdp["name"], gdp["years"]) == ("地区生产总值", [YEAR])
    assert gdp["href"] == f"/compare?indicator=gdp&year={YEAR}"
    assert [c["indicator"] for c in choices] == [i for i in indicator_ids() if i in {c["indicator"] for c in choices}]
    data = viewer.get("/compare.json", params={"indicator": "gdp"}).json()  # the year: the newest with links
    listing = store.compare(web_db, "gdp", YEAR)
    assert (data["indicator"], data["year"], data["title"]) == ("gdp", YEAR, listing.title)
    assert data["rows"] == listing.rows and data["tally"] == listing.tally
    assert "浙江省" in data["chart"]["categories"]
    html = viewer.get("/compare", params={"indicator": "gdp", "year": YEAR}).text
    assert html.count('<tr class="verdict-row') == len(listing.rows) and "地区生产总值" in html
    assert len(chart_block(html)["categories"]) == len(data["chart"]["rows"])
    quantity = viewer.get("/compare.json", params={"indicator": "gdp", "measure": "quantity"}).json()
    assert all(r["measure"] == "quantity" for r in quantity["rows"])


def test_bad_requests_use_the_error_shape(client_for):
    viewer = client_for("viewer")
    r = viewer.get("/scorecard.json", params={"region": "火星", "year": YEAR})
    error = r.json()["error"]
    assert r.status_code == 404 and error["code"] == "not_found" and "火星" in error["message"]
    assert "火星" in viewer.get("/scorecard", params={"region": "火星", "year": YEAR}).text
    assert viewer.get("/scorecard.json", params={"region": "浙江", "year": YEAR + 1}).status_code == 404
    for params in ({"region": "浙江", "year": "next"}, {"region": "浙江", "year": 99999}):
        r = viewer.get("/scorecard.json", params=params)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    assert viewer.get("/compare.json", params={"indicator": "gdp", "year": "x"}).status_code == 422
    assert viewer.get("/compare.json", params={"indicator": "gdp", "measure": "speed"}).status_code == 422
    r = viewer.get("/compare.json", params={"indicator": "no_such_id"})
    assert r.status_code == 404 and "unknown indicator id" in r.json()["error"]["message"]
    assert client_for(None).get("/compare.json").status_code == 401
    assert client_for(None).get("/scorecard").status_code == 303


def test_echarts_is_served_from_the_package_and_no_page_loads_anything_from_elsewhere(client_for):
    viewer = client_for("viewer")
    js = viewer.get("/static/vendor/echarts.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and len(js.content) > 500_000
    for name in ("echarts-LICENSE.txt", "echarts-NOTICE.txt", "/static/charts.js"):
        assert viewer.get(name if name.startswith("/") else f"/static/vendor/{name}").status_code == 200
    for path, params in (
        ("/scorecard", {}),
        ("/scorecard", {"region": "浙江", "year": YEAR}),
        ("/compare", {}),
        ("/compare", {"indicator": "gdp"}),
    ):
        html = viewer.get(path, params=params).text
        assert "http://" not in html and "https://" not in html, path
        assert all(src.startswith("/static/") for src in re.findall(r'src="([^"]*)"', html))


def test_hostile_report_text_stays_inert(tmp_path):
    database = make_db(tmp_path / "x.db", PAIR)
    hostile = "</script><script>alert(1)</script>"
    try:
        gdp = next(r for r in store.scorecard(database, "浙江", YEAR).rows if r["indicator_id"] == "gdp")
        store.add_correction(database, "fix", reviewer="t", record_id=gdp["target_id"], fields={"indicator": hostile})
        with TestClient(create_app(database)) as c:
            sign_in(c, "viewer")
            data = c.get("/scorecard.json", params={"region": "浙江", "year": YEAR}).json()
            assert hostile in data["chart"]["categories"]
            html = c.get("/scorecard", params={"region": "浙江", "year": YEAR}).text
    finally:
        database.close()
    assert "<script>alert" not in html and "alert(1)" in html
    assert chart_block(html) == data["chart"]
    assert f"<td>{hostile.replace('<', '&lt;').replace('>', '&gt;')}</td>" in html
