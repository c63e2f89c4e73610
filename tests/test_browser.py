"""The web app in a real browser (Debian's Chromium driven by Playwright, on a live server).

What a person does: open a report, click a highlighted target and read its verdict; see the
scorecard's chart; narrow the records with a search; and nothing in a report's text ever runs
as code.  Every page visited must be free of JavaScript errors; screenshots go to
``tests/artifacts/`` (see ``browser_support``).

Selectors the pages promise: reader ``#text``, ``#text mark.rec[data-id]`` (class ``target``,
``result`` or ``task``), ``#card`` (opened by a click) with ``.verdict`` (met / missed /
no data) for a linked target, ``nav#outline``, ``.edit`` (editors only); scorecard
``#chart[data-ready="1"] canvas`` and ``.badge.met|.missed|.no_data`` in its table; records
``form#filters input[name=q]``, ``table.records tbody tr``, ``#total``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from luoshi import importing, store
from paths import needs_shared

pytestmark = needs_shared  # the live server holds the Zhejiang pair of ../shared/corpus
VERDICTS = {"met": "达成", "missed": "未达成", "no_data": "无数据"}  # as the Chinese pages show them
HOSTILE = """2024年测试县政府工作报告<script>window.__pwned=1</script>
各位代表：
一、2024年主要目标
全年地区生产总值增长5%左右<script>window.__pwned=1</script>。
城镇新增就业1万人<img src=x onerror="window.__pwned=1">。
"""
MARKUP = 'main script:not([type="application/json"]), main img'  # what report text must never become


def count(text: str) -> int:
    digits = re.sub(r"\D", "", text)
    assert digits, f"#total should be a number of records, not {text!r}"
    return int(digits)


def verdicts(live_server) -> dict[str, str]:
    """The store's verdict for each target of the plan year, by record id."""
    listing = store.scorecard(live_server.db, live_server.region, live_server.plan_year)
    return {str(row["target_id"]): row["verdict"] for row in listing.rows if row.get("target_id")}


def open_card(tab, selector: str) -> str:
    """Click the first innermost mark matching ``selector``; the card must open.  Its data-id."""
    mark = tab.page.locator(selector).first
    mark.scroll_into_view_if_needed()
    mark.click()
    expect(tab.page.locator("#card")).to_be_visible()
    return mark.get_attribute("data-id")


def innermost(tab, selector: str) -> list[str]:
    """data-id of the marks matching ``selector`` that hold no other mark (a click lands on them)."""
    return tab.page.locator(selector).evaluate_all(
        "ms => ms.filter(m => !m.querySelector('mark')).map(m => m.dataset.id)"
    )


def test_reader_a_targets_card_shows_its_verdict(page_as, live_server):
    expected = verdicts(live_server)
    assert expected, "the Zhejiang pair should have linked targets"
    tab = page_as("viewer")
    page = tab.page
    tab.goto(f"/documents/{live_server.reader_id}")
    page.wait_for_selector("#text mark.rec[data-id]")
    expect(page.locator("nav#outline")).to_have_count(1)
    marks = page.locator("#text mark.rec[data-id]")
    kinds = set(
        marks.evaluate_all(
            "ms => ms.map(m => [...m.classList].filter(c => ['target', 'result', 'task'].includes(c)).join(' '))"
        )
    )
    assert "target" in kinds and kinds <= {"target", "result", "task"}, kinds
    tab.shot("opened")

    targets = innermost(tab, "#text mark.rec.target[data-id]")
    linked = [i for i in targets if i in expected]
    assert linked, (
        f"no mark.rec.target has the data-id of a linked target (ids {targets[:10]}…, linked {sorted(expected)[:10]}…)"
    )
    target = linked[0]
    open_card(tab, f'#text mark.rec.target[data-id="{target}"]')
    verdict = page.locator("#card .verdict")
    expect(verdict).to_be_visible()
    shown = verdict.inner_text().strip()
    assert shown in VERDICTS.values(), f"the verdict should read 达成, 未达成 or 无数据, not {shown!r}"
    assert shown == VERDICTS[expected[target]], f"target {target}: the store says {expected[target]}"
    tab.shot("card")
    assert page.locator(".edit").count() == 0, "a viewer sees no edit controls"
    tab.assert_no_js_errors()


def test_reader_an_editor_sees_edit_controls_in_the_card(page_as, live_server):
    tab = page_as("editor")
    tab.goto(f"/documents/{live_server.reader_id}")
    tab.page.wait_for_selector("#text mark.rec[data-id]")
    first = innermost(tab, "#text mark.rec[data-id]")[0]
    open_card(tab, f'#text mark.rec[data-id="{first}"]')
    edit = tab.page.locator("#card .edit")
    assert edit.count() > 0, "an editor's card has edit controls (.edit)"
    expect(edit.first).to_be_visible()
    tab.shot("card")
    tab.assert_no_js_errors()


def test_scorecard_chart_renders(page_as, live_server):
    rows = store.scorecard(live_server.db, live_server.region, live_server.plan_year).rows
    tab = page_as("viewer")
    page = tab.page
    tab.goto(f"/scorecard?region=浙江&year={live_server.plan_year}")
    canvas = page.locator('#chart[data-ready="1"] canvas').first
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 50, f"the chart's canvas is {box}"
    painted = canvas.evaluate("""c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
        return n;
    }""")
    assert painted > 100, "the chart's canvas is blank"
    badges = page.locator("table .badge.met, table .badge.missed, table .badge.no_data")
    assert badges.count() == len(rows), (
        f"the table should show one verdict badge per target: {badges.count()} badges, {len(rows)} targets"
    )
    for verdict in VERDICTS:
        assert page.locator(f"table .badge.{verdict}").count() == sum(r["verdict"] == verdict for r in rows), verdict
    tab.shot("chart", full_page=True)
    tab.assert_no_js_errors()


def test_a_search_narrows_the_records_table(page_as):
    tab = page_as("viewer")
    page = tab.page
    tab.goto("/records")
    rows = page.locator("table.records tbody tr")
    rows.first.wait_for()
    total = count(page.inner_text("#total"))
    tab.shot("all")

    box = page.locator("form#filters input[name=q]")
    box.fill("就业")
    with page.expect_navigation():
        box.press("Enter")
    assert parse_qs(urlparse(page.url).query).get("q") == ["就业"], f"the query belongs in the URL: {page.url}"
    rows.first.wait_for()
    narrowed = count(page.inner_text("#total"))
    assert 0 < narrowed < total, (narrowed, total)
    texts = rows.all_inner_texts()
    assert 0 < len(texts) <= narrowed
    unrelated = [t for t in texts if "就业" not in t]
    assert not unrelated, f"rows without 就业: {unrelated[:3]}"
    tab.shot("narrowed")
    tab.assert_no_js_errors()

    shared = page_as("viewer")  # the URL is shareable: the same records in another session
    shared.goto(page.url.removeprefix(shared.base_url))
    assert count(shared.page.inner_text("#total")) == narrowed
    shared.assert_no_js_errors()


def test_a_hostile_report_is_shown_as_text_never_run(page_as, live_server, tmp_path):
    report = tmp_path / "hostile-2024.txt"
    report.write_text(HOSTILE, encoding="utf-8")
    result = importing.import_paths(live_server.db, [report], workers=1).results[0]
    assert result.status == "imported", result
    doc = next(d for d in store.list_documents(live_server.db) if d["name"] == report.name)
    assert doc["records"] > 0

    tab = page_as("viewer")
    page = tab.page
    tab.goto(f"/documents/{doc['id']}")
    text = page.locator("#text")
    text.wait_for()
    page.wait_for_timeout(200)  # an injected <img onerror> would have fired by now
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "<script>window.__pwned=1</script>" in text.inner_text()
    assert "<img src=x onerror=" in text.inner_text()
    assert page.locator(MARKUP).count() == 0, "report text became markup"
    marks = innermost(tab, "#text mark.rec[data-id]")
    assert marks, "the report's records are marked"
    open_card(tab, f'#text mark.rec[data-id="{marks[0]}"]')
    page.wait_for_timeout(200)
    assert page.locator("#card script, #card img").count() == 0, "a card's evidence became markup"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    tab.shot("reader")
    tab.assert_no_js_errors()

    for path in ("/", f"/records?document={doc['id']}"):
        tab.goto(path)
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator(MARKUP).count() == 0, f"{path}: report text became markup"
        assert "<script>" in page.inner_text("main"), f"{path} shows the report's <script> as text"
        tab.shot("records" if path != "/" else "home")
        tab.assert_no_js_errors()
