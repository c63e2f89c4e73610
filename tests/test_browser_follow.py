"""Follow-through of planned projects in a real browser (Chromium, live server, the Zhejiang
pair): the scorecard's projects section at 1366 and 390 px (no horizontal overflow, Chinese
words, 未提及 folded), the reader's card of a planned task saying what the 2026 report said and
linking to it, the card of the 2026 task that answers it, a span linked as #at<start>-<end>,
and a tracking item's evidence.  Screenshots go to ``build/screenshots/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from luoshi.store import tracking
from luoshi.store.projects import projects
from paths import needs_shared

pytestmark = needs_shared  # the live server holds the Zhejiang pair of ../shared/corpus
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1366}


def _rows(live_server) -> dict[str, dict]:
    return {r["object"]: r for r in projects(live_server.db, live_server.region, live_server.plan_year).rows}


def _size(tab, device: str) -> None:
    width = WIDTHS[device]
    tab.page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_scorecard_shows_the_projects_next_to_the_targets(page_as, live_server, device):
    tab = page_as("viewer")
    _size(tab, device)
    rows = _rows(live_server)
    tab.goto(f"/scorecard?region={live_server.region}&year={live_server.plan_year}")
    page = tab.page
    section = page.locator("section#projects")
    expect(section.locator("h2")).to_have_text(f"{live_server.plan_year}年计划项目落实情况")
    page.click("a[href='#projects']")  # the heading's link leads to the section
    expect(section.locator("p.tally")).to_contain_text("已完成 1")
    lishui = section.locator("tr.follow-row", has_text="丽水机场")
    expect(lishui.locator(".badge.follow-done")).to_have_text("已完成")
    expect(lishui.locator(".badge.progress-on_track")).to_have_text("按期")
    folded = section.locator("details.not-mentioned")
    expect(folded.locator("tr.follow-row").first).to_be_hidden()
    wide, inner = _overflow(page)
    assert wide <= inner, f"the scorecard is {wide} px wide at {inner} px"
    page.screenshot(path=str(SCREENSHOTS / f"{device}-scorecard-projects.png"))  # as the link leaves it
    folded.locator("summary").click()
    expect(folded.locator("tr.follow-row")).to_have_count(sum(r["status"] == "not_mentioned" for r in rows.values()))
    assert _overflow(page)[0] <= inner
    folded.locator("tr.follow-row").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{device}-scorecard-projects-not-mentioned.png"))
    tab.assert_no_js_errors()


@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_card_of_a_planned_project_says_what_the_next_report_said(page_as, live_server, device):
    row = _rows(live_server)["丽水机场"]
    tab = page_as("viewer")
    _size(tab, device)
    page = tab.page
    tab.goto(f"/documents/{row['old_document_id']}#r{row['task_id']}")
    card = page.locator("#card")
    expect(card).to_be_visible()
    follow = card.locator("section.follow")
    expect(follow.locator("h3")).to_have_text("次年报告")
    expect(follow.locator(".badge.follow-done")).to_have_text("已完成")
    expect(follow.locator(".badge.progress-on_track")).to_have_text("按期")
    expect(follow.locator("blockquote")).to_contain_text("丽水机场建成投运")
    link = follow.locator("a")
    expect(link).to_have_text("见 2026年浙江省政府工作报告")
    assert link.get_attribute("href") == f"/documents/{row['new_document_id']}#r{row['found_id']}"
    follow.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{device}-reader-follow.png"))
    assert _overflow(page)[0] <= WIDTHS[device]
    with page.expect_navigation():
        link.click()
    back = page.locator("#card section.follow")  # the 2026 task's card names the 2025 plan
    expect(back.locator("h3")).to_have_text("上年报告部署")
    expect(back.locator(".amount")).to_have_text("建成 丽水机场")
    tab.assert_no_js_errors()


def test_a_project_named_where_no_record_is_shows_as_a_span(page_as, live_server):
    row = next(r for r in _rows(live_server).values() if r["found_id"] is None and r["found_start"] is not None)
    tab = page_as("viewer")
    tab.goto(f"/documents/{row['new_document_id']}#at{row['found_start']}-{row['found_end']}")
    spot = tab.page.locator("#text p.spot")
    expect(spot).to_have_count(1)
    expect(spot).to_be_in_viewport()
    assert row["found_object"][:2] in spot.inner_text()
    shown = tab.page.evaluate(
        "() => CSS.highlights.get('luoshi-spot') ? String(CSS.highlights.get('luoshi-spot')"
        ".values().next().value) : null"
    )
    assert shown is None or shown == tab.page.evaluate(
        "([a, b]) => document.querySelector('#text p.spot').textContent.slice("
        "a - Number(document.querySelector('#text p.spot').dataset.start), "
        "b - Number(document.querySelector('#text p.spot').dataset.start))",
        [row["found_start"], row["found_end"]],
    )
    tab.assert_no_js_errors()


def test_a_tracking_item_shows_the_next_report_as_evidence(page_as, live_server):
    row = _rows(live_server)["温福高铁"]
    item = tracking.create_item(live_server.db, "editor", {"lead_unit": "省交通运输厅"}, record_id=row["task_id"])
    tab = page_as("viewer")
    _size(tab, "phone")
    tab.goto(f"/tracking/items/{item['id']}")
    box = tab.page.locator("#follow")
    expect(box).to_contain_text("次年报告：")
    expect(box.locator(".badge.follow-started")).to_have_text("已开工")
    expect(box.locator("blockquote")).to_contain_text("温福高铁")
    assert _overflow(tab.page)[0] <= 390
    tab.page.screenshot(path=str(SCREENSHOTS / "phone-item-follow.png"))
    tab.assert_no_js_errors()
