"""Tracking in a real browser: an editor tracks a target from its card in the reader, assigns
it to a unit with a deadline, posts progress and sees the light change; a viewer finds no edit
controls."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from paths import needs_shared

pytestmark = needs_shared  # the live server holds the Zhejiang pair of ../shared/corpus


def _light(tab) -> str:
    return tab.page.locator("#light").get_attribute("data-light")


def test_an_editor_tracks_a_target_and_a_viewer_only_reads(page_as, live_server):
    tab = page_as("editor")
    page = tab.page
    tab.goto(f"/documents/{live_server.reader_id}")
    target = page.locator("#text mark.rec.target[data-id]").evaluate_all(
        "ms => ms.filter(m => !m.querySelector('mark')).map(m => m.dataset.id)"
    )[0]
    mark = page.locator(f'#text mark.rec.target[data-id="{target}"]').first
    mark.scroll_into_view_if_needed()
    mark.click()
    expect(page.locator("#card")).to_be_visible()
    with page.expect_navigation():
        page.locator("#card button.track").click()
    assert "/tracking/items/" in page.url
    item_url = page.url[len(live_server.url) :]
    assert _light(tab) == "green"  # no deadline yet

    soon = (date.today() + timedelta(days=10)).isoformat()
    form = page.locator("#item-form")
    form.locator("input[name=lead_unit]").fill("省发展改革委")
    form.locator("input[name=supporting_units]").fill("省统计局、省财政厅")
    form.locator("input[name=deadline]").fill(soon)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert _light(tab) == "yellow" and "10天后到期" in page.inner_text("main")  # due in 10 days
    tab.shot("assigned")

    progress = page.locator("#progress-form")
    progress.locator("select[name=status]").select_option("done")
    progress.locator("textarea[name=note]").fill("全年目标已完成")
    with page.expect_navigation():
        progress.locator("button[type=submit]").click()
    assert _light(tab) == "green"
    assert "全年目标已完成" in page.locator("table.progress").inner_text()
    tab.shot("done")
    tab.assert_no_js_errors()

    viewer = page_as("viewer")
    viewer.goto(item_url)
    assert viewer.page.locator(".edit").count() == 0 and viewer.page.locator("form#item-form").count() == 0
    viewer.goto(f"/documents/{live_server.reader_id}#r{target}")
    expect(viewer.page.locator("#card")).to_be_visible()
    expect(viewer.page.locator("#card .tracking-line a")).to_contain_text("督查中：已完成")  # tracked: done
    assert viewer.page.locator(".edit").count() == 0
    viewer.goto("/tracking")
    assert viewer.page.locator(".edit").count() == 0 and "省发展改革委" in viewer.page.inner_text("table.tracking")
    viewer.shot("viewer")
    viewer.assert_no_js_errors()
