"""The Chinese UI on phones, tablets and desktops, in a real browser (Chromium, live server).

Every page at 390 px (a phone), 768 px (a tablet) and 1366 px (a laptop): no horizontal
overflow (``scrollWidth ≤ innerWidth``: wide tables scroll inside their box, the menu
collapses), and the page's own words (menu, headings, column heads, buttons, labels) are
Chinese.  Screenshots of each page at 390 and 1366 px go to ``build/screenshots/`` (the
README names the folder): home, reader with a card open, records, scorecard, compare,
tracking list and item, 台账, admin/audit.  The language switch in the header turns the
pages English and back; the reader's card shows 达成/未达成/无数据 and the rule in Chinese.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from luoshi import store
from paths import needs_shared

pytestmark = needs_shared  # the live server holds the Zhejiang pair of ../shared/corpus
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
WIDTHS = {"phone": 390, "tablet": 768, "desktop": 1366}
# Words the Chinese pages may show in Latin letters: names of formats, the product, codes
ALLOWED = {
    "luoshi",
    "XLSX",
    "CSV",
    "JSON",
    "JSONL",
    "API",
    "English",
    "PDF",
    "HTML",
    "DOCX",
    "TXT",
    "Excel",
    "WPS",
    "FOLDER",
    "import",
    "admin",
    "editor",
    "viewer",
}
# the page's own words: report text, names and values are not the page's
OWN_WORDS = (
    "header.top nav a, header.top button, main h1, main h2, main th, main button, main label, "
    "main summary, main .subnav a, main .tally, main .legend .badge, main .hint, main .empty"
)


@pytest.fixture(scope="module")
def item_id(live_server):
    """A tracked target with a deadline passed, a lead unit and a progress update (the audit
    log and the 台账 have something to show)."""
    from luoshi.store import tracking

    fields = {
        "title": "地区生产总值增长5.5%左右",
        "lead_unit": "省发展改革委",
        "supporting_units": ["省统计局"],
        "deadline": (date.today() - timedelta(days=3)).isoformat(),
    }
    item = tracking.create_item(live_server.db, "editor", fields, region=live_server.region, year=live_server.plan_year)
    tracking.add_progress(
        live_server.db,
        "editor",
        item["id"],
        {"status": "behind", "percent": 40, "reason": "用地指标未落实", "note": "已完成前期工作"},
    )
    return item["id"]


def pages(live_server, item: int) -> dict[str, str]:
    region, year = live_server.region, live_server.plan_year
    return {
        "home": "/",
        "reader": f"/documents/{live_server.reader_id}",
        "records": "/records",
        "scorecard": f"/scorecard?region={region}&year={year}",
        "compare": f"/compare?indicator=gdp&year={year}",
        "tracking": "/tracking",
        "item": f"/tracking/items/{item}",
        "taizhang": "/tracking/report",
        "audit": "/admin/audit",
        "users": "/admin/users",
        "corrections": "/corrections",
    }


def overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def english_words(page) -> list[str]:
    # commands (<code>), ids in brackets (<span class="muted">) and file names are not words
    texts = page.locator(OWN_WORDS).evaluate_all(
        "els => els.map(e => { const c = e.cloneNode(true); c.querySelectorAll('code, .muted').forEach(x => x.remove());"
        " return c.textContent; })"
    )
    text = re.sub(r"[\w.-]+\.(?:txt|pdf|html|docx|xlsx|csv)", " ", " ".join(texts))
    words = set(re.findall(r"[A-Za-z]{3,}", text))
    return sorted(w for w in words if w not in ALLOWED)


def open_reader_card(page) -> None:
    mark = page.locator("#text mark.rec.target[data-id]").first
    mark.scroll_into_view_if_needed()
    mark.click()
    expect(page.locator("#card")).to_be_visible()


@pytest.mark.parametrize("device", list(WIDTHS))
def test_every_page_fits_the_screen_and_speaks_chinese(page_as, live_server, item_id, device):
    tab = page_as("admin")
    width = WIDTHS[device]
    tab.page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, path in pages(live_server, item_id).items():
        tab.goto(path)
        assert tab.page.locator("html").get_attribute("lang") == "zh-CN"
        if name == "reader":
            open_reader_card(tab.page)
        if name == "scorecard":
            expect(tab.page.locator("#chart[data-ready='1']")).to_have_count(1)
        wide, inner = overflow(tab.page)
        if wide > inner:
            problems.append(f"{name} ({path}) is {wide} px wide at {inner} px")
        english = english_words(tab.page)
        if english:
            problems.append(f"{name} ({path}) shows English: {english}")
        if device != "tablet":
            tab.page.screenshot(path=str(SCREENSHOTS / f"{device}-{name}.png"), full_page=False)
    assert not problems, "\n".join(problems)
    tab.assert_no_js_errors()


def test_the_menu_collapses_on_a_phone(page_as):
    tab = page_as("admin")
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.goto("/records")
    menu = tab.page.locator("#menu")
    expect(menu).to_be_hidden()
    tab.page.click("header.top .menu-toggle")
    expect(menu).to_be_visible()
    expect(tab.page.locator("#menu nav a[href='/admin/users']")).to_be_visible()  # 管理, no longer off screen
    expect(tab.page.locator("#menu button:has-text('退出')")).to_be_visible()
    assert overflow(tab.page)[0] <= 390
    tab.page.screenshot(path=str(SCREENSHOTS / "phone-menu.png"))


def test_the_switch_turns_the_pages_english_and_back(page_as, live_server):
    tab = page_as("viewer")
    tab.goto("/records")
    assert tab.page.locator("h1").inner_text() == "记录"
    with tab.page.expect_navigation():
        tab.page.click(".lang-switch a[lang=en]")
    assert tab.page.url.endswith("/records")
    assert tab.page.locator("html").get_attribute("lang") == "en"
    assert tab.page.locator("h1").inner_text() == "Records"
    tab.goto(f"/scorecard?region={live_server.region}&year={live_server.plan_year}")
    assert tab.page.locator("table.links .badge.met").first.inner_text() == "met"
    with tab.page.expect_navigation():
        tab.page.click(".lang-switch a[lang=zh-CN]")
    assert tab.page.locator("table.links .badge.met").first.inner_text() == "达成"
    tab.assert_no_js_errors()


def test_the_readers_card_is_chinese(page_as, live_server):
    """The card of a linked target: 达成/未达成/无数据, fields by their Chinese names, the rule
    as 目标 …：需 ≥ … (the scorecard's words)."""
    tab = page_as("viewer")
    tab.goto(f"/documents/{live_server.reader_id}")
    linked = tab.page.locator("#text mark.rec.target[data-id]")
    listing = store.scorecard(live_server.db, live_server.region, live_server.plan_year)
    met = next(r for r in listing.rows if r["verdict"] == "met" and r["rule"].startswith("about"))
    mark = tab.page.locator(f'#text mark.rec.target[data-id="{met["target_id"]}"]').first
    assert linked.count() > 0
    mark.scroll_into_view_if_needed()
    mark.click()
    card = tab.page.locator("#card")
    expect(card.locator(".verdict")).to_have_text("达成")
    rule = card.locator(".rule").inner_text()
    assert rule == f"目标 {met['target']}：需 ≥ {met['rule'].split('≥ ')[1]}{met['unit']}", rule
    fields = card.locator("dl.fields dt").all_inner_texts()
    assert "指标" in fields and "限定" in fields and not any(re.search("[a-z]", f) for f in fields), fields
    assert "左右" in card.locator("dl.fields").inner_text()  # qualifier about
    tab.assert_no_js_errors()
