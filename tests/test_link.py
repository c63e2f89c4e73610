"""Linking (shared/spec/linking.md): targets of one report against the results of the next.

Grouped as the spec is: the verdict rules at their boundaries; matching (names, measures,
units, the most specific statement, five-year figures); real pairs from shared/corpus with
the hard cases of issue 5; the dev gold through the shared scorer; the diff of two reports.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache

import pytest

import luoshi
from luoshi.link import diff_documents, link_documents
from luoshi.link.diff import compare_targets, same_project
from luoshi.link.linker import Link, link_target, one_year_targets
from luoshi.link.match import close_names, convert, match_target, same_indicator, split_unit, statements
from luoshi.link.period import five_year_spans
from luoshi.link.verdict import judge, rule_for, target_direction
from luoshi.model import Indicator
from paths import CORPUS, SHARED, needs_shared


def ind(
    value,
    qualifier="exact",
    measure="change",
    unit="%",
    value_max=None,
    name="地区生产总值",
    kind="target",
    year=2025,
    indicator_id=None,
    evidence="",
    section="",
) -> Indicator:
    return Indicator(
        "indicator",
        kind,
        year,
        0,
        0,
        evidence,
        section,
        indicator=name,
        measure=measure,
        value=value,
        value_max=value_max,
        unit=unit,
        qualifier=qualifier,
        indicator_id=indicator_id,
    )


@lru_cache(maxsize=None)
def doc(name: str):
    path = CORPUS / f"{name}-gwr.txt"
    return luoshi.extract(path if path.exists() else CORPUS / "local" / f"{name}-gwr.txt")


@lru_cache(maxsize=None)
def links(old: str, new: str) -> tuple[Link, ...]:
    return tuple(link_documents(doc(old), doc(new)))


def link_for(old: str, new: str, evidence: str) -> Link:
    found = [lk for lk in links(old, new) if lk.target.evidence == evidence]
    assert len(found) == 1, [lk.target.evidence for lk in links(old, new)][:20]
    return found[0]


def report(*paragraphs: str):
    """A small report from real sentences, one paragraph each (blank lines keep headings apart)."""
    return luoshi.extract("\n\n".join(paragraphs) + "\n")


# --- verdict rules at their boundaries ----------------------------------------------------------

VERDICTS = [
    # (target, direction, result, verdict, rule)
    (ind(6, "about"), "up", 5.7, "met", "about: needs ≥ 5.7"),  # 6%左右 needs 5.7
    (ind(6, "about"), "up", 5.69, "missed", "about: needs ≥ 5.7"),
    (ind(5, "at_least"), "up", 5, "met", "at least: needs ≥ 5"),
    (ind(5, "at_least"), "up", 4.99, "missed", "at least: needs ≥ 5"),
    (ind(3), "up", 3, "met", "floor (up): needs ≥ 3"),
    (ind(3), "up", 2.99, "missed", "floor (up): needs ≥ 3"),
    # ceilings: CPI and unemployment, direction down
    (ind(3, "about", name="居民消费价格涨幅"), "down", 3.15, "met", "about, ceiling (down): needs ≤ 3.15"),
    (ind(3, "about", name="居民消费价格涨幅"), "down", 3.16, "missed", "about, ceiling (down): needs ≤ 3.15"),
    (ind(5.5, measure="quantity", name="城镇调查失业率"), "down", 5.5, "met", "ceiling (down): needs ≤ 5.5"),
    (ind(5.5, measure="quantity", name="城镇调查失业率"), "down", 5.51, "missed", "ceiling (down): needs ≤ 5.5"),
    (ind(5, "at_most", measure="quantity"), "down", 5, "met", "at most: needs ≤ 5"),
    (ind(5, "at_most", measure="quantity"), "up", 5.01, "missed", "at most: needs ≤ 5"),  # the qualifier wins
    # ranges: the less demanding end
    (ind(5, value_max=5.5), "up", 5, "met", "range 5–5.5 (up): needs ≥ 5"),
    (ind(5, value_max=5.5), "up", 4.99, "missed", "range 5–5.5 (up): needs ≥ 5"),
    (ind(2, value_max=3), "down", 3, "met", "range 2–3 (down): needs ≤ 3"),
    (ind(2, value_max=3), "down", 3.01, "missed", "range 2–3 (down): needs ≤ 3"),
    # a fall: energy intensity 降低2.5%左右 is -2.5, about, direction down
    (ind(-2.5, "about", name="单位地区生产总值能耗"), "down", -2.375, "met", "about, ceiling (down): needs ≤ -2.375"),
    (ind(-2.5, "about", name="单位地区生产总值能耗"), "down", -2.37, "missed", "about, ceiling (down): needs ≤ -2.375"),
    (ind(-2.5, "about", name="单位地区生产总值能耗"), "down", -3, "met", "about, ceiling (down): needs ≤ -2.375"),
    # 下降3%以上: the qualifier bounds the size of the fall
    (ind(-3, "at_least"), "down", -3, "met", "at least a fall of 3: needs ≤ -3"),
    (ind(-3, "at_least"), "down", -2.9, "missed", "at least a fall of 3: needs ≤ -3"),
]


@pytest.mark.parametrize("target, direction, r, verdict, rule", VERDICTS)
def test_verdict_rules_at_their_boundaries(target, direction, r, verdict, rule):
    j = judge(target, r, direction)
    assert (j.verdict, j.rule) == (verdict, rule)
    assert j.gap == pytest.approx(r - target.value)


def test_energy_intensity_fall_is_a_ceiling_below_zero():
    """单位国内生产总值能耗降低2.5%左右 is t = -2.5, about, direction down (linking.md).

    A down indicator is a ceiling: met when r <= t + tol, tol = 5% of |t| = 0.125, so the
    result must be at most -2.375 — intensity must fall by at least ~2.375%. A fall of 3%
    (r = -3) meets it with gap r - t = -0.5 (the fall beat the target by half a point); a fall
    of 2% (r = -2) misses it; a rise (r = +1) misses it by far.
    """
    target = ind(-2.5, "about", name="单位国内生产总值能耗")
    assert [judge(target, r, "down").verdict for r in (-3, -2.375, -2, 1)] == ["met", "met", "missed", "missed"]
    assert judge(target, -3, "down").gap == -0.5


def test_no_result_is_no_data_without_gap():
    j = judge(ind(6, "about"), None, "up", "NEW reports none")
    assert (j.verdict, j.gap) == ("no_data", None)
    assert j.rule.startswith("no result")


@pytest.mark.parametrize(
    "target, known, direction",
    [
        (ind(5), "down", "down"),  # the lexicon decides
        (ind(5), None, "up"),  # outside the lexicon: up
        (ind(-0.3, unit="个百分点", name="社会物流总费用与生产总值的比率"), None, "down"),  # a planned cut
        (ind(1, measure="rank", unit=""), None, "down"),  # first is best
    ],
)
def test_direction(target, known, direction):
    assert target_direction(target, known) == direction


def test_rank_target_is_a_ceiling():
    assert rule_for(ind(3, measure="rank", unit=""), "down").text == "ceiling (down): needs ≤ 3"


# --- matching ----------------------------------------------------------------------------------


def test_units_convert_by_magnitude_only():
    assert split_unit("万亿斤") == (1e12, "斤")
    assert convert(13900, "亿斤", "万亿斤") == 1.39
    assert convert(62.6, "万人", "人") == 626000
    assert convert(5.2, "%", "个百分点") is None
    assert convert(3, "亿元", "%") is None


@pytest.mark.parametrize(
    "target, result, basis",
    [
        (
            ind(5.5, name="经济增长", indicator_id="gdp"),
            ind(5.6, name="生产总值", kind="result", indicator_id="gdp"),
            "id",
        ),
        (ind(5.5, name="地区生产总值"), ind(4.9, name="2025年全省地区生产总值", kind="result"), "id"),
        (ind(-2.5, name="单位国内生产总值能耗"), ind(-3, name="单位国内生产总值能耗降幅", kind="result"), "id"),
        (ind(5, name="城镇人均可支配收入"), ind(4.3, name="城镇常住居民人均可支配收入", kind="result"), "id"),
        (ind(5.5, name="一般公共预算收入同口径"), ind(5.7, name="一般公共预算收入", kind="result"), "id"),
        (ind(12, name="进出口贸易总额"), ind(19.9, name="外贸进出口总额", kind="result"), "id"),
        (ind(75, name="设市城市生活污水集中收集率"), ind(87.8, name="城市生活污水集中收集率", kind="result"), "name"),
        (ind(6, name="生产总值", indicator_id="gdp"), ind(6, name="海洋生产总值", kind="result"), None),
        (ind(5, name="规上工业增加值"), ind(8.4, name="规上装备工业增加值", kind="result"), None),
        (ind(47.1, name="户籍人口城镇化率"), ind(64.8, name="常住人口城镇化率", kind="result"), None),
        (ind(1, name="绿色有机食品基地面积"), ind(536, name="新增绿色有机食品基地面积", kind="result"), None),
    ],
)
def test_same_indicator(target, result, basis):
    assert same_indicator(target, result) == basis


def test_close_names_keep_qualifying_words():
    assert close_names("省级专精特新中小企业", "培育省级专精特新中小企业")
    assert not close_names("新增智能制造标杆企业", "新增智能制造企业")


def test_five_year_passages_open_and_close_on_their_opening_words():
    d = report(
        "2026年某省政府工作报告",
        "一、2025年和“十四五”时期工作回顾",
        "2025年很不平凡。全年地区生产总值增长4.9%。",
        "各位代表！2025年主要目标任务的完成，标志着“十四五”规划顺利收官。回望过去五年，地区生产总值年均增长5%。",
        "这五年，城镇新增就业300万人。",
        "刚刚过去的2025年，城镇新增就业62.6万人。",
    )
    spans = five_year_spans(d)
    inside = lambda s: any(a <= d.text.index(s) < b for a, b in spans)  # noqa: E731
    assert not inside("全年地区生产总值增长4.9%")
    assert inside("年均增长5%") and inside("城镇新增就业300万人")
    assert not inside("城镇新增就业62.6万人")


# --- real pairs: the hard cases of issue 5 -------------------------------------------------------


@needs_shared
def test_target_named_economic_growth_meets_its_gdp_result():
    lk = link_for("henan-2025", "henan-2026", "经济增长5.5%左右")
    assert lk.result.evidence == "生产总值增长5.6%"
    assert (lk.verdict, lk.gap, lk.indicator_id, lk.rule) == ("met", 0.1, "gdp", "about: needs ≥ 5.225")


@needs_shared
@pytest.mark.parametrize(
    "old, new, evidence, result, rule",
    [
        ("national-2023", "national-2024", "居民消费价格涨幅3%左右", 0.2, "about, ceiling (down): needs ≤ 3.15"),
        ("national-2024", "national-2025", "城镇调查失业率5.5%左右", 5.1, "about, ceiling (down): needs ≤ 5.775"),
        ("zhejiang-2025", "zhejiang-2026", "城镇调查失业率控制在5%以内", 4.6, "at most: needs ≤ 5"),
    ],
)
def test_cpi_and_unemployment_are_ceilings(old, new, evidence, result, rule):
    lk = link_for(old, new, evidence)
    assert (lk.result.value, lk.verdict, lk.rule) == (result, "met", rule)


@needs_shared
def test_energy_intensity_fall_meets_as_a_negative_change():
    lk = link_for("national-2024", "national-2025", "单位国内生产总值能耗降低2.5%左右")
    assert lk.result.evidence == "单位国内生产总值能耗降幅超过3%"
    assert (lk.result.value, lk.result.qualifier) == (-3, "at_least")
    assert (lk.verdict, lk.gap, lk.indicator_id) == ("met", -0.5, "energy_intensity")


@needs_shared
def test_a_figure_stated_twice_the_one_year_statement_wins():
    """Henan 2026 states 城镇新增就业 in its five-year summary (603.7万人) and for 2025 (121.7万人)."""
    stated = [s.record.value for s in statements(doc("henan-2026")) if s.record.indicator == "城镇新增就业"]
    assert sorted(stated) == [121.7, 603.7]
    lk = link_for("henan-2025", "henan-2026", "城镇新增就业110万人以上")
    assert (lk.result.value, lk.verdict, lk.gap) == (121.7, "met", 11.7)
    assert "（一）" in lk.result.section  # the detailed paragraph, not the summary


@needs_shared
def test_a_figure_stated_twice_the_exact_statement_wins():
    """Guizhou 2026: 全省地区生产总值突破2万亿元、达到23562亿元 — a bound and the figure."""
    pool = statements(doc("guizhou-2026"))
    target = ind(2.3, "at_least", measure="quantity", unit="万亿元", indicator_id="gdp")
    lk = link_target(target, pool)
    assert (lk.result.value, lk.result.unit, lk.verdict) == (23562, "亿元", "met")
    assert lk.gap == pytest.approx(0.0562)
    assert "= 2.3562万亿元" in lk.rule


@needs_shared
def test_a_growth_target_takes_the_growth_not_the_level():
    """国内生产总值达到134.9万亿元、增长5%: the change target links to the change."""
    lk = link_for("national-2024", "national-2025", "国内生产总值增长5%左右")
    assert (lk.result.measure, lk.result.value, lk.verdict) == ("change", 5, "met")


@needs_shared
@pytest.mark.parametrize(
    "old, new, evidence, value",
    [
        ("liaoning-2025", "liaoning-2026", "地区生产总值增长5%以上", 3.7),  # not 年均增长4.5%
        ("xinjiang-2025", "xinjiang-2026", "固定资产投资增长10%左右", 7.2),  # not 年均增长9.8%
        ("guizhou-2025", "guizhou-2026", "一般公共预算收入增长2%左右", 2.5),  # not 年均分别增长4.5%
    ],
)
def test_five_year_average_never_stands_for_the_year(old, new, evidence, value):
    lk = link_for(old, new, evidence)
    assert lk.result.value == value
    assert "年均" not in lk.result.evidence


@needs_shared
def test_only_a_five_year_average_gives_no_data():
    """Ningxia 2026 gives 地方一般公共预算收入 only as 突破500亿元，年均增长5.2%."""
    lk = link_for("ningxia-2025", "ningxia-2026", "地方一般公共预算收入增长3%左右")
    assert (lk.result, lk.verdict, lk.gap) == (None, "no_data", None)
    assert "five-year" in lk.rule


@needs_shared
def test_a_level_at_the_end_of_the_period_stands_for_its_last_year():
    """常住人口城镇化率从2020年的53.2%提升到2025年的57.7% is the 2025 level."""
    lk = link_for("guizhou-2025", "guizhou-2026", "常住人口城镇化率达到58%左右")
    assert (lk.result.value, lk.verdict, lk.gap) == (57.7, "met", -0.3)


@needs_shared
@pytest.mark.parametrize(
    "old, new, evidence",
    [
        ("guizhou-2025", "guizhou-2026", "固定资产投资增长4%以上"),
        ("henan-2025", "henan-2026", "居民消费价格涨幅2%左右"),
        ("shandong-2025", "shandong-2026", "城镇调查失业率5.5%左右"),
    ],
)
def test_no_result_at_all(old, new, evidence):
    lk = link_for(old, new, evidence)
    assert (lk.result, lk.verdict, lk.gap) == (None, "no_data", None)
    assert lk.indicator_id is not None  # still says which indicator went unreported


@needs_shared
def test_only_one_year_targets_of_the_plan_year_are_linked():
    # (jiangxi-2025's 到2030年 stands in its glossary, which gives no records: longgang 2016 → 2017)
    old = doc("longgang-2016")
    assert any(r.kind == "target" and r.year == 2020 for r in old.records)  # 到2020年 …
    linked = links("longgang-2016", "longgang-2017")
    assert len(linked) == len(one_year_targets(old))
    assert {lk.target.year for lk in linked} == {2016}
    assert all(lk.result is None or (lk.result.kind, lk.result.year) == ("result", 2016) for lk in linked)


@needs_shared
def test_link_json_is_the_spec_format():
    d = link_for("national-2024", "national-2025", "粮食产量1.3万亿斤以上").to_dict()
    assert list(d) == ["target", "result", "verdict", "gap", "indicator_id", "rule"]
    assert d["target"]["type"] == d["result"]["type"] == "indicator"
    assert (d["verdict"], d["gap"], d["indicator_id"]) == ("met", 0.1, "grain_output")
    json.dumps(d, ensure_ascii=False)


def test_estimated_result_still_gives_a_verdict():
    old = report("2024年某市政府工作报告", "二、2024年主要目标任务", "地区生产总值增长6%左右。")
    new = report("2025年某市政府工作报告", "一、2024年工作回顾", "预计全年地区生产总值增长5.8%左右。")
    (lk,) = link_documents(old, new)
    assert lk.result.estimated
    assert (lk.verdict, lk.gap, lk.rule) == ("met", -0.2, "about: needs ≥ 5.7")


def test_new_reviewing_another_year_gives_no_data():
    old = report("2024年某市政府工作报告", "二、2024年主要目标任务", "地区生产总值增长6%左右。")
    new = report("2026年某市政府工作报告", "一、2025年工作回顾", "全年地区生产总值增长5.8%。")
    (lk,) = link_documents(old, new)
    assert (lk.verdict, lk.rule) == ("no_data", "no result: NEW reports no results of 2024")


# --- the dev gold through the shared scorer -----------------------------------------------------


def _score_links():
    spec = importlib.util.spec_from_file_location("score_links", SHARED / "eval" / "score_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_shared
def test_dev_gold_verdicts():
    scorer = _score_links()
    gold_dir = SHARED / "eval" / "dev-links"
    total = right = 0
    for path in sorted(gold_dir.glob("*.links.jsonl")):
        old, new = (name.removesuffix("-gwr") for name in path.name[: -len(".links.jsonl")].split("__"))
        gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        s = scorer.score_pair(gold, [lk.to_dict() for lk in links(old, new)])
        total += s["gold"]
        right += s["verdict_ok"]
    assert total and right / total >= 0.95


# --- the diff of two reports --------------------------------------------------------------------


def test_compare_targets():
    assert compare_targets(ind(6), ind(5.5)) == "lowered"  # GDP 6% → 5.5%
    assert compare_targets(ind(5.5, "about"), ind(5, value_max=5.5)) == "lowered"
    assert compare_targets(ind(1.3, unit="万亿斤"), ind(13000, unit="亿斤")) == "kept"
    assert compare_targets(ind(-2.5), ind(-3)) == "raised"  # a bigger planned fall


@needs_shared
def test_diff_of_national_targets():
    d = diff_documents(doc("national-2024"), doc("national-2025"))
    changes = {c.indicator_id: c.change for c in d.targets if c.indicator_id}
    assert changes["gdp"] == "kept"
    assert changes["cpi"] == "lowered"  # 3% → 2%
    assert changes["grain_output"] == "raised"  # 1.3 → 1.4 万亿斤
    assert changes["energy_intensity"] == "raised"  # 降低2.5% → 降低3%


@needs_shared
def test_diff_of_zhejiang_targets_and_projects():
    d = diff_documents(doc("zhejiang-2025"), doc("zhejiang-2026"))
    gdp = next(c for c in d.targets if c.indicator_id == "gdp")
    assert (gdp.change, gdp.note) == ("lowered", "5.5% about → 5–5.5%")
    moves = {m.old.object: (m.progress, m.new.kind) for m in d.tasks}
    assert moves["温福高铁"] == ("same", "result")  # 开工 planned, 开工建设 reported
    assert moves["衢州先导智能"] == ("forward", "target")  # 开工 → 加快…建设进度
    assert "通苏嘉甬铁路" in {t.object for t in d.vanished_tasks}


def test_diff_project_started_then_built():
    old = report(
        "2025年某市政府工作报告", "二、2025年主要目标任务", "开工建设通苏嘉甬铁路、杭州萧山国际机场四期等项目。"
    )
    new = report("2026年某市政府工作报告", "一、2025年工作回顾", "通苏嘉甬铁路建成投运。")
    d = diff_documents(old, new)
    (move,) = d.tasks
    assert (move.old.action, move.new.action, move.progress) == ("start", "complete", "forward")
    assert [t.object for t in d.vanished_tasks] == ["杭州萧山国际机场四期"]
    json.dumps(d.to_dict(), ensure_ascii=False)


def test_same_project_respects_phases_and_places():
    assert same_project("六横公路大桥一期", "六横公路大桥一期工程")
    assert not same_project("杭州萧山国际机场三期", "杭州萧山国际机场四期")
    assert not same_project("陇电入川工程", "陇电入鲁工程")


def test_match_reports_why_when_nothing_answers():
    pool = statements(report("2025年某市政府工作报告", "一、2024年工作回顾", "地区生产总值年均增长5.5%。"))
    m = match_target(ind(5, year=2024, indicator_id="gdp"), pool)
    assert m.result is None and "five-year" in m.note


def test_ranks_compare_within_one_scope():
    from luoshi.link.match import comparable

    target = ind(3, measure="rank", unit="")
    target.scope = "全国"
    national = ind(2, measure="rank", unit="", kind="result")
    provincial = ind(1, measure="rank", unit="", kind="result")
    national.scope, provincial.scope = "全国", "全省"
    assert comparable(target, national) and not comparable(target, provincial)
