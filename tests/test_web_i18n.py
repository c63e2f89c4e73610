"""The web app's languages (luoshi/locale, serve/language.py): Chinese by default, English by choice, every
visible string of a template through the catalog, sentences with values (a light's reason,
a scorecard rule) by the patterns of locale/patterns.tsv, JSON twins untouched."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from luoshi import store
from luoshi import locale as i18n
from luoshi.serve import language
from luoshi.track.light import why
from paths import needs_shared

SERVE = Path(language.__file__).resolve().parent
TEMPLATES = sorted((SERVE / "templates").glob("*.html"))
SCRIPTS = sorted((SERVE / "static").glob("*.js"))
ZH = i18n.catalog("zh_CN")
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class _Text(HTMLParser):
    """The words a template shows itself, once Jinja's tags, expressions and comments are gone."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self.skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and value.strip():
                self.found.append(f"{name}={value.strip()}")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.found.append(data.strip())


def outside_catalog(source: str) -> list[str]:
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{% block body_class %\}.*?\{% endblock %\}", "", source)  # a class name, not text
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.S)
    parser = _Text()
    parser.feed(source)
    # words (Latin or Chinese) left over are outside the catalog; marks (· → — | ✕ ☰ ←) are not words
    return [t for t in parser.found if re.search(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", t)]


# what a page may show as is: the product's name, formats, the command line's words
AS_IS = {"luoshi", "落实", "luoshi 落实", "API", "JSON", "XLSX", "CSV", "placeholder=https://…"}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_shows_a_string_outside_the_catalog(template):
    left = [
        t
        for t in outside_catalog(template.read_text(encoding="utf-8"))
        if t not in AS_IS and not t.startswith("luoshi ")
    ]
    if template.name == "docs.html":  # Swagger UI's own page: no words of ours
        left = [t for t in left if "luoshi" not in t]
    assert not left, f"{template.name} shows words outside the catalog: {left}"


def test_the_checker_finds_a_bare_string():
    assert outside_catalog('<p title="Close">{{ x }} Sign in <code>luoshi import</code>{{ _("ok") }}</p>') == [
        "title=Close",
        "Sign in",
    ]


def messages_of_templates() -> set[str]:
    found = set()
    for path in TEMPLATES:
        found |= {m.group(2) for m in re.finditer(r"""_\(\s*(["'])(.*?)\1""", path.read_text(encoding="utf-8"))}
    return found


def test_every_message_of_the_templates_and_scripts_has_its_chinese():
    missing = sorted(m for m in messages_of_templates() if m not in ZH)
    for path in SCRIPTS:
        for m in re.finditer(r"""t\(\s*["`](js:[^"`$]*)["`]""", path.read_text(encoding="utf-8")):
            if m.group(1) not in ZH:
                missing.append(f"{path.name}: {m.group(1)}")
    assert not missing, missing


def test_the_values_people_read_are_chinese():
    """Verdicts, measures, qualifiers, kinds, task actions, statuses, lights (the issue's words)."""
    said = {
        w: i18n.value(w, "zh_CN")
        for w in (
            "met",
            "missed",
            "no_data",
            "change",
            "quantity",
            "rank",
            "about",
            "at_least",
            "at_most",
            "exact",
            "target",
            "result",
            "start",
            "complete",
            "advance",
            "plan",
            "not_started",
            "on_track",
            "red",
        )
    }
    assert said == {
        "met": "达成",
        "missed": "未达成",
        "no_data": "无数据",
        "change": "增速",
        "quantity": "总量",
        "rank": "排名",
        "about": "左右",
        "at_least": "以上",
        "at_most": "以内",
        "exact": "精确",
        "target": "目标",
        "result": "结果",
        "start": "开工",
        "complete": "建成",
        "advance": "推进",
        "plan": "谋划",
        "not_started": "未启动",
        "on_track": "按计划推进",
        "red": "红灯",
    }
    assert i18n.value("no_data", "en") == "no data"


def test_light_reasons_in_chinese():
    today = date(2025, 6, 1)
    overdue = why("on_track", today - timedelta(days=341), today)
    assert overdue == "overdue by 341 days" and i18n.sentence(overdue, "zh_CN") == "逾期341天"
    assert i18n.sentence(why("not_started", today + timedelta(days=9), today), "zh_CN") == "9天后到期"
    assert i18n.sentence("40% done, 62% of the time gone", "zh_CN") == "完成40%，时间已过62%"
    assert i18n.sentence("no deadline", "zh_CN") == "无完成时限"
    assert i18n.sentence("overdue by 341 days", "en") == "overdue by 341 days"


@needs_shared
def test_scorecard_rules_in_chinese(web_db):
    """浙江 2025 (the pair of zhejiang-2025 and zhejiang-2026 reports): 生产总值 5.5%左右 and a
    target the 2026 report gives no result for."""
    rows = store.scorecard(web_db, "浙江", 2025).rows
    gdp = next(r for r in rows if r["indicator"] == "生产总值")
    assert gdp["rule"] == "about: needs ≥ 5.225"
    assert i18n.sentence(gdp["rule"], "zh_CN", target=gdp["target"], unit=gdp["unit"]) == "目标 5.5%左右：需 ≥ 5.225%"
    cpi = next(r for r in rows if r["indicator"] == "居民消费价格涨幅")
    assert i18n.sentence(cpi["rule"], "zh_CN") == "无结果：2026年报告未写此指标的增速"
    assert i18n.sentence("at most: needs ≤ 5", "zh_CN", target="5%以内", unit="%") == "目标 5%以内：需 ≤ 5%"


def test_the_language_is_the_cookie_else_accept_language_else_chinese(client_for):
    viewer = client_for("viewer")
    page = viewer.get("/records")
    assert '<html lang="zh-CN">' in page.text and "<h1>记录</h1>" in page.text
    english = viewer.get("/records", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.text and "<h1>Records</h1>" in english.text
    r = viewer.get("/lang", params={"to": "en", "next": "/scorecard"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/scorecard"
    assert "<h1>Scorecard</h1>" in viewer.get("/scorecard", headers={"Accept-Language": "zh-CN"}).text
    viewer.get("/lang", params={"to": "zh_CN", "next": "//evil.example"}, follow_redirects=False)
    assert "<h1>目标考评</h1>" in viewer.get("/scorecard").text
    assert viewer.get("/lang", params={"to": "fr"}).status_code == 422


@needs_shared
def test_a_json_twin_keeps_machine_values(client_for):
    viewer = client_for("viewer")
    data = viewer.get("/scorecard.json", params={"region": "浙江省", "year": 2025}).json()
    assert {r["verdict"] for r in data["rows"]} <= {"met", "missed", "no_data"}
    assert any(r["rule"].startswith("about: needs") for r in data["rows"])


def test_the_catalog_is_compiled_with_babel_and_read_with_gettext():
    """Babel (a dependency) compiles the .po to a .mo on first use; the standard library's
    gettext reads it: every translated, not fuzzy message of the .po, and nothing else."""
    import gettext
    import io

    from babel.messages.pofile import read_po

    with i18n.po_path("zh_CN").open("rb") as f:
        po = read_po(f)
    expected = {m.id: m.string for m in po if m.id and m.string and not m.fuzzy and not m.context}
    mo = i18n.compiled("zh_CN")
    assert mo[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # a GNU .mo file, either byte order
    assert gettext.GNUTranslations(io.BytesIO(mo)).gettext("Sign out") == "退出"
    assert ZH == expected and len(ZH) > 300 and ZH["Reports"] == "报告" and ZH["Sign out"] == "退出"
    assert i18n.catalog("en") == {}


def test_negotiate():
    assert language.negotiate("zh-TW,en;q=0.8") == "zh_CN"
    assert language.negotiate("en;q=0.5, zh;q=0.9") == "zh_CN"
    assert language.negotiate("de, en;q=0.1") == "en"
    assert language.negotiate("de") is None and language.negotiate(None) is None


@needs_shared
def test_the_scorecard_shows_the_main_expected_targets_first(client_for, web_db):
    """zhejiang-2025: 主要预期目标为：生产总值增长5.5%左右，城镇调查失业率控制在5%以内… (one paragraph,
    data/main_targets.tsv); the other targets follow by verdict, 无数据 folded in <details>."""
    html = client_for("viewer").get("/scorecard", params={"region": "浙江省", "year": 2025}).text
    main = html[
        html.index('<section class="main-targets">') : html.index("</section>", html.index('class="main-targets"'))
    ]
    assert "<h2>主要预期目标</h2>" in main and "生产总值" in main and "城镇调查失业率" in main
    assert "新引进顶尖人才" not in main  # a target of the key work, not of the passage
    folded = html[html.index('<details class="verdict-group no-data">') :]
    assert "新引进顶尖人才" in folded.split("</details>")[0]
    rows = store.scorecard(web_db, "浙江", 2025).rows
    assert html.count('<tr class="verdict-row') == len(rows)  # every target once


def test_errors_in_the_forms_are_chinese_and_names_stay_as_they_are():
    say = lambda text: i18n.sentence(text, "zh_CN")  # noqa: E731
    assert say("a password needs at least 8 characters") == "密码至少需要 8 个字符"
    assert (
        say(
            "item 3 was changed by editor since you opened it (your version 1, now 2): review their change "
            "and save again"
        )
        == "事项 3 在您打开后已被 editor 修改（您的版本 1，当前 2）：请查看对方的修改后再保存"
    )
    assert say("this needs the editor role; you are viewer") == "此操作需要编辑角色；您的角色是查看者"
    assert say("say why the item is behind (a reason)") == "请说明事项滞后的原因"
    assert say("no such page") == "没有这个页面"


def test_a_conflict_on_the_item_page_reads_in_chinese(client_for, web_db):
    from luoshi.store import tracking

    item = tracking.create_item(web_db, "editor", {"title": "冲突测试事项"}, year=2025)
    editor = client_for("editor")
    tracking.update_item(web_db, "admin", item["id"], item["version"], {"lead_unit": "省发展改革委"})
    r = editor.post(
        f"/tracking/items/{item['id']}",
        data={"version": item["version"], "lead_unit": "省财政厅", "csrf_token": editor.csrf},
    )
    assert r.status_code == 409
    assert f"事项 {item['id']} 在您打开后已被 admin 修改" in r.text and "牵头单位" in r.text
