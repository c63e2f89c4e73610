"""生成分工方案 in a real browser (Chromium): an editor opens the drafted breakdown of the seed
report, reads it in Chinese, downloads it, and creates the tracking items from it."""

from __future__ import annotations

WEB_REPORTS = "sample"  # the live server of conftest.py holds the seed report alone: live_server.reader_id


def test_an_editor_drafts_the_breakdown_and_tracks_it(page_as, live_server):
    tab = page_as("editor")
    page = tab.page
    tab.goto(f"/documents/{live_server.reader_id}/breakdown")
    assert page.locator("h1").inner_text() == "生成分工方案"
    rows = page.locator("table.breakdown tbody tr")
    count = rows.count()
    assert count > 100
    first = rows.first.locator("td")
    assert first.nth(1).inner_text() == "地区生产总值增长6%左右"
    assert first.nth(2).inner_text() == "市发展改革委" and first.nth(4).inner_text() == "2024-12-31"
    assert "默认：计划年度末" in first.nth(5).inner_text()
    assert "牵头单位（建议）" in page.locator("table.breakdown thead").inner_text()
    with page.expect_download() as download:
        page.locator("a.button", has_text="下载 XLSX").click()
    assert download.value.suggested_filename.endswith("分工方案.xlsx")
    tab.shot("draft")
    with page.expect_navigation():
        page.locator("button", has_text="按此分工方案建立督查事项").click()
    assert f"新建 {count} 项" in page.inner_text("main")  # "{count} items created"
    tab.goto("/tracking")
    assert "地区生产总值增长6%左右" in page.inner_text("main")
    tab.assert_no_js_errors()


def test_a_viewer_may_not_open_the_draft(page_as, live_server):
    tab = page_as("viewer")
    response = tab.page.goto(f"{live_server.url}/documents/{live_server.reader_id}/breakdown")
    assert response.status == 403
