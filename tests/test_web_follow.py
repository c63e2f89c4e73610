"""Follow-through of planned projects in the web app: the scorecard's projects section and its
JSON twin, the reader's records (JSON), a tracking item's evidence (page and JSON), in Chinese
and in English.  The Zhejiang pair: the 2025 report's projects, followed in the 2026 report."""

from __future__ import annotations

import json
import re

from lxml import html as lxml_html

from luoshi.model import FOLLOW_STATUSES, PROGRESS_VALUES
from luoshi import locale as i18n
from luoshi.store import tracking
from luoshi.store.projects import PROJECT_COLUMNS, projects
from paths import needs_shared
from web_support import PAIR, doc_id

pytestmark = needs_shared  # web_db holds the Zhejiang pair of ../shared/corpus
YEAR = 2025
SCORECARD = {"region": "浙江省", "year": YEAR}
STATUS_ZH = {
    "done": "已完成",
    "started": "已开工",
    "progressed": "有进展",
    "carried": "续列计划",
    "not_mentioned": "未提及",
}
PROGRESS_ZH = {"ahead": "超前", "on_track": "按期", "behind": "滞后", "unknown": "未知"}


def test_the_follow_through_reads_in_chinese_in_its_own_words():
    """按期 against a promise, where a tracked item on track is 按计划推进."""
    assert {s: i18n.value(s, "zh_CN", "follow") for s in FOLLOW_STATUSES} == STATUS_ZH
    assert {p: i18n.value(p, "zh_CN", "progress") for p in PROGRESS_VALUES} == PROGRESS_ZH
    assert i18n.value("on_track", "zh_CN") == "按计划推进"
    assert i18n.value("not_mentioned", "en", "follow") == "not mentioned"


def test_the_scorecard_json_has_the_projects(client_for, web_db):
    data = client_for("viewer").get("/scorecard.json", params=SCORECARD).json()
    listing = projects(web_db, "浙江", YEAR)
    assert data["projects"] == {"title": listing.title, "tally": listing.tally, "rows": listing.rows}
    assert all(tuple(r) == PROJECT_COLUMNS for r in data["projects"]["rows"])
    assert {r["status"] for r in data["projects"]["rows"]} <= set(FOLLOW_STATUSES)  # machine values, untranslated
    assert data["rows"] and data["tally"]  # the targets as before


def _section(html: str):
    tree = lxml_html.fromstring(html)
    found = tree.xpath('//section[@id="projects"]')
    assert len(found) == 1
    return found[0]


def test_the_scorecard_page_has_a_projects_section(client_for, web_db):
    html = client_for("viewer").get("/scorecard", params=SCORECARD).text
    section = _section(html)
    listing = projects(web_db, "浙江", YEAR)
    assert section.xpath("string(h2)") == "2025年计划项目落实情况"
    tally = " ".join(section.xpath('string(p[@class="tally"])').split())
    for status, n in listing.tally.items():
        assert f"{STATUS_ZH[status]} {n}" in tally
    assert f"（共 {len(listing.rows)} 个项目）" in tally
    named = section.xpath('./div[@class="table-wrap"]//tr[contains(@class, "follow-row")]')
    folded = section.xpath('./details//tr[contains(@class, "follow-row")]')
    assert len(named) + len(folded) == len(listing.rows)
    assert len(folded) == listing.tally["not_mentioned"]  # 未提及 folded, as 无数据 is for targets
    assert section.xpath("string(details/summary)").split()[0] == "未提及"
    order = [row.get("class").split()[1] for row in named]
    assert order == sorted(order, key=FOLLOW_STATUSES.index)  # the strongest status first
    lishui = next(row for row in named if row.xpath("string(td[1])") == "丽水机场")
    cells = [c.text_content().strip() for c in lishui.xpath("td")]
    assert cells[1:4] == ["建成", "已完成", "按期"] and "丽水机场建成投运" in cells[4]
    row = next(r for r in listing.rows if r["object"] == "丽水机场")
    assert lishui.xpath("td[last()]/a/@href") == [
        f"/documents/{row['old_document_id']}#r{row['task_id']}",
        f"/documents/{row['new_document_id']}#r{row['found_id']}",
    ]
    spans = [r for r in listing.rows if r["found_id"] is None and r["found_start"] is not None]
    assert spans, "a project named in a sentence no task record holds"
    assert (
        f'href="/documents/{spans[0]["new_document_id"]}#at{spans[0]["found_start"]}-{spans[0]["found_end"]}"' in html
    )
    assert 'href="#projects"' in html  # the heading leads to the section


def test_the_scorecard_page_in_english(client_for):
    html = client_for("viewer").get("/scorecard", params=SCORECARD, headers={"Accept-Language": "en"}).text
    section = _section(html)
    assert section.xpath("string(h2)") == "Projects planned for 2025"
    heads = section.xpath("(.//table)[1]//th/text()")
    assert heads == ["Project", "Promised", "Next year's report", "Against the promise", "What it says", "Reports"]
    tally = section.xpath('string(p[@class="tally"])')
    assert "done 1" in tally and "not mentioned" in tally and not re.search(r"[\u4e00-\u9fff]", tally)


def test_report_text_in_the_projects_section_is_escaped(client_for):
    html = client_for("viewer").get("/scorecard", params=SCORECARD).text
    section = html[html.index('<section class="projects"') :]
    assert "<script" not in section.split("</section>")[0]


def test_the_readers_json_gives_a_planned_task_its_follow_through(client_for, web_db):
    viewer = client_for("viewer")
    old, new = (doc_id(web_db, name) for name in PAIR)
    data = viewer.get(f"/documents/{old}.json").json()
    planned = {r["object"]: r["follow"] for r in data["records"] if r["follow"]}
    assert len(planned) >= 20 and all(len(f) == 1 and f[0]["side"] == "task" for f in planned.values())
    assert planned["丽水机场"][0]["status"] == "done"
    assert all(r["follow"] == [] for r in data["records"] if r["type"] == "indicator")
    back = [r for r in viewer.get(f"/documents/{new}.json").json()["records"] if r["follow"]]
    assert back and {f["side"] for r in back for f in r["follow"]} == {"found"}
    html = viewer.get(f"/documents/{old}").text
    assert '<script src="/static/reader_follow.js"></script><script src="/static/reader.js"></script>' in html


def test_the_reader_follow_script_is_served_and_its_messages_are_chinese(client_for):
    viewer = client_for("viewer")
    script = viewer.get("/static/reader_follow.js")
    assert script.status_code == 200 and "luoshi.followParts" in script.text
    assert "innerHTML" not in script.text  # text nodes only
    html = viewer.get("/records").text
    messages = json.loads(re.search(r'<script type="application/json" id="i18n">(.*?)</script>', html, re.S).group(1))
    assert messages["js:In the next year's report"] == "次年报告"
    assert messages["follow:done"] == "已完成" and messages["progress:on_track"] == "按期"


def test_a_tracking_item_of_a_planned_task_shows_the_next_report(client_for, web_db):
    row = next(r for r in projects(web_db, "浙江", YEAR).rows if r["object"] == "丽水机场")
    item = tracking.create_item(web_db, "editor", {"lead_unit": "省交通运输厅"}, record_id=row["task_id"])
    viewer = client_for("viewer")
    data = viewer.get(f"/tracking/items/{item['id']}.json").json()
    assert data["item"]["follow"] == row
    tree = lxml_html.fromstring(viewer.get(f"/tracking/items/{item['id']}").text)
    box = tree.get_element_by_id("follow")
    said = " ".join(box.text_content().split())
    assert said.startswith("次年报告： 已完成 对照承诺 按期 · 见 2026年浙江省政府工作报告")
    assert "丽水机场建成投运" in box.xpath("string(blockquote)")
    assert box.xpath(".//a/@href") == [f"/documents/{row['new_document_id']}#r{row['found_id']}"]
    assert "次年报告称已完成：请核实后报告进度。" in said  # the office's status is still 未启动
    english = viewer.get(f"/tracking/items/{item['id']}", headers={"Accept-Language": "en"}).text
    assert "Next year&#39;s report:" in english or "Next year's report:" in english
    free = tracking.create_item(web_db, "editor", {"title": "无来源事项"}, year=YEAR)
    page = viewer.get(f"/tracking/items/{free['id']}").text
    assert (
        'id="follow"' not in page and viewer.get(f"/tracking/items/{free['id']}.json").json()["item"]["follow"] is None
    )
