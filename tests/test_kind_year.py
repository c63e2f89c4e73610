"""Kind and year from the part of the report a figure stands in: review or plan, which year.

Grouped by the construction of work-report language, each with the reports it stands in
(../shared/corpus and ../shared/corpus/local).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pytest

import luoshi
from paths import CORPUS, needs_shared

pytestmark = needs_shared


def _path(stem: str):
    for place in (CORPUS, CORPUS / "local"):
        if (place / f"{stem}.txt").exists():
            return place / f"{stem}.txt"
    raise FileNotFoundError(stem)


@lru_cache(maxsize=None)
def _doc(stem: str):
    return luoshi.extract(_path(stem))


@lru_cache(maxsize=None)
def _outline(stem: str):
    """The report loaded without records: outline and metadata only."""
    return luoshi.load(_path(stem))


def _parts(stem: str) -> list[tuple[str, str, int]]:
    return [(p.title, p.role, p.year) for p in _outline(stem).outline.children if p.kind == "part"]


def _record(stem: str, evidence: str, value: float):
    """The indicator whose evidence contains ``evidence`` with ``value``; its span is exact."""
    doc = _doc(stem)
    found = [r for r in doc.records if r.type == "indicator" and evidence in r.evidence and r.value == value]
    assert found, f"no record {value} in {evidence!r}"
    r = found[0]
    assert doc.text[r.start : r.end] == r.evidence
    return r


# --- an unnumbered heading opens a division; numbered headings under it are its chapters -------
# nanshan-2024, nanshan-2023, nanshan-2014: 2023年工作回顾 / 一、激发…推动经济回升向好 … /
# 2024年主要工作 / 一、在推动经济持续平稳向好方面实干争先…
@pytest.mark.parametrize(
    "stem, review, plan, chapters",
    [
        ("nanshan-2024-gwr", ("2023年工作回顾", 2023), ("2024年主要工作", 2024), 6),
        ("nanshan-2023-gwr", ("2022年工作回顾", 2022), ("2023年主要工作", 2023), 3),
        ("nanshan-2014-gwr", ("2013年工作回顾", 2013), ("2014年工作安排", 2014), 4),
    ],
)
def test_numbered_chapters_take_their_division_role(stem, review, plan, chapters):
    parts = _parts(stem)
    titles = [t for t, _, _ in parts]
    r, p = titles.index(review[0]), titles.index(plan[0])
    assert parts[r][1:] == ("review", review[1])
    assert p - r - 1 == chapters
    assert all(role == "review" and year == review[1] for _, role, year in parts[r + 1 : p])
    assert all(role == "plan" and year == plan[1] for _, role, year in parts[p:] if role)  # but the glossary


def test_review_figures_of_an_unnumbered_review_are_results():
    # nanshan-2024, under 2023年工作回顾 / 二、保持“咬定青山不放松”的执着…
    r = _record("nanshan-2024-gwr", "无人机产业链企业超160家", 160)
    assert (r.kind, r.year) == ("result", 2023)
    r = _record("nanshan-2024-gwr", "本地生产总值增长5.5%左右", 5.5)
    assert (r.kind, r.year) == ("target", 2024)


# --- a heading with a neutral word takes its role from its year: 2024年主要工作 in the report of
# 2024 plans; 2025年主要工作和“十四五”发展成就 in the report of 2026 reviews --------------------
@pytest.mark.parametrize(
    "stem, title, role, year",
    [
        ("baoding-2023-gwr", "2023年主要工作", "plan", 2023),
        ("baoding-2026-gwr", "2026年主要工作", "plan", 2026),
        ("nanshan-2016-gwr", "2016年主要工作", "plan", 2016),
        ("zhejiang-2026-gwr", "一、2025年主要工作和“十四五”发展成就", "review", 2025),
    ],
)
def test_a_neutral_heading_takes_its_role_from_its_year(stem, title, role, year):
    assert (title, role, year) in _parts(stem)


# --- a five-year plan: its last year, unless the part plans its first (开好局、起好步) ----------
def test_a_part_that_starts_the_plan_plans_this_year():
    parts = _parts("fujian-2026-gwr")
    assert ("三、一鼓作气勇争先，全力推动“十五五”开好局、起好步", "plan", 2026) in parts
    # 二、一张蓝图绘到底… names no period; its passage opens with “十五五”时期是…
    assert ("二、一张蓝图绘到底，奋力谱写中国式现代化福建篇章", "plan", 2030) in parts
    r = _record("fujian-2026-gwr", "全省地区生产总值增长5%左右", 5)
    assert (r.kind, r.year) == ("target", 2026)


@pytest.mark.parametrize(
    "stem, title, role, year",
    [
        ("gaoyang-2017-gwr", "一、过去五年主要工作", "review", 2016),
        ("gaoyang-2017-gwr", "二、今后五年发展目标", "plan", 2021),
        ("guizhou-2026-gwr", "二、“十五五”时期主要目标任务", "plan", 2030),
        ("hebei-2026-gwr", "二、“十五五”时期的主要目标任务", "plan", 2030),
    ],
)
def test_five_year_headings(stem, title, role, year):
    assert (title, role, year) in _parts(stem)


def test_the_coming_five_years_in_a_sentence():
    # baoding-2021, in 三、2021年重点工作: 五年内每个县新建或提升一所三级医院、全市达到30家以上
    r = _record("baoding-2021-gwr", "全市达到30家以上", 30)
    assert (r.kind, r.year) == ("target", 2025)


# --- a heading naming two things has a passage for each, in its order ----------------------------
@pytest.mark.parametrize(
    "stem, evidence, value, kind, year",
    [
        # liaoning-2026 二、“十五五”时期目标任务和2026年工作安排: the plan's indicators, then 今年是…
        ("liaoning-2026-gwr", "其中粮食综合生产能力526亿斤左右", 526, "target", 2030),
        ("liaoning-2026-gwr", "地区生产总值增长4.5%左右", 4.5, "target", 2026),
        # pingshan-2016 “十三五”规划的主要思路及2016年工作计划
        ("pingshan-2016-gwr", "规模以上工业增加值达到590亿元以上", 590, "target", 2020),
        ("pingshan-2016-gwr", "实现地区生产总值增长9.5%左右", 9.5, "target", 2016),
    ],
)
def test_two_things_in_one_heading(stem, evidence, value, kind, year):
    r = _record(stem, evidence, value)
    assert (r.kind, r.year) == (kind, year)


def test_passages_of_a_two_part_heading_carry_their_role():
    doc = _outline("guangxi-2026-gwr")
    part = next(p for p in doc.outline.children if p.title.startswith("二、“十四五”时期发展成就"))
    marks = [(doc.text[n.start : n.start + 4], n.role, n.year) for n in part.walk() if n is not part and n.role]
    assert marks == [("过去五年", "review", 2025), ("根据《中", "plan", 2030)]
    doc = _outline("liaoning-2026-gwr")
    part = next(p for p in doc.outline.children if p.title.startswith("二、“十五五”时期目标任务"))
    marks = [(doc.text[n.start : n.start + 5], n.role, n.year) for n in part.walk() if n is not part and n.role]
    assert marks == [("党的二十届", "plan", 2030), ("今年是“十", "plan", 2026)]


# --- sentences: start years and comparison bases ------------------------------------------------
@pytest.mark.parametrize(
    "stem, evidence, value, year",
    [
        # guizhou-2026: 从2020年的645元/月…提高到2025年的…，城乡居民基础养老金最低标准从98元/月提高到178元/月
        ("guizhou-2026-gwr", "城乡居民基础养老金最低标准从98元/月提高到178元/月", 98, 2020),
        # guizhou-2026: 2020年到2025年，工业投资占固定资产投资比重从17.9%提升到35.5%
        ("guizhou-2026-gwr", "工业投资占固定资产投资比重从17.9%提升到35.5%", 17.9, 2020),
        # zhejiang-2026 / shanxi-2026: 从2020年的5.2万元提高到2025年的7.4万元
        ("shanxi-2026-gwr", "从2020年的5.2万元提高到2025年的7.4万元", 5.2, 2020),
    ],
)
def test_a_start_level_takes_the_year_the_sentence_names(stem, evidence, value, year):
    r = _record(stem, evidence, value)
    assert (r.kind, r.year) == ("result", year)


def test_a_period_named_as_a_comparison_base_is_not_the_figures_period():
    # guizhou-2026: 省国资委监管企业“十四五”时期利润总额为“十三五”时期的2.2倍
    r = _record("guizhou-2026-gwr", "为“十三五”时期的2.2倍", 2.2)
    assert (r.kind, r.year) == ("result", 2025)


# --- the table -----------------------------------------------------------------------------------
def _rows():
    data = resources.files("luoshi.data").joinpath("part_roles.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in data.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r[0][:12])
def test_every_role_word_stands_in_two_reports_it_names(row):
    pattern, role, where, reports = row
    assert role in ("review", "plan") and where in ("heading", "first_year", "five_years", "passage")
    stems = reports.split()
    assert len(stems) >= 2
    for stem in stems:
        doc = _outline(f"{stem}-gwr" if not stem.endswith("-b") else stem.replace("-b", "-gwr-b"))
        if where == "heading":  # the word stands in one of the report's part headings
            lines = [n.title for n in doc.outline.children if n.kind == "part"]
        else:
            lines = doc.text.split("\n")
        assert any(re.search(pattern, line) for line in lines), (pattern, stem)


# --- the glossary after the report is an annex, neither review nor plan -------------------------
@pytest.mark.parametrize(
    "stem, title",
    [
        ("nanshan-2024-gwr", "有关名词解释"),
        ("longgang-2023-gwr", "有关名词解释"),
        ("jiangxi-2025-gwr", "《政府工作报告》有关内容名词注释"),
        ("pingshan-2020-gwr", "附件1：《政府工作报告》有关名词解释"),
    ],
)
def test_the_glossary_is_an_annex(stem, title):
    from luoshi.extraction.context import Context

    doc = _outline(stem)
    assert (title, None, None) == _parts(stem)[-1]
    annex = doc.outline.children[-1]
    ctx = Context(doc)
    assert ctx.in_annex(annex.end - 1) and not ctx.in_annex(annex.start - 2)
    assert ctx.kind_year(annex.end - 1) == ctx.kind_year(annex.start - 2)  # kind and year as before it
    m = doc.metadata
    year = int(stem.split("-")[1])
    assert (m.year_reviewed, m.year_planned) == (year - 1, year)


# --- a report with no part headings: a passage opening with 今年… plans this year ----------------
def test_a_report_without_part_headings_reads_its_passages():
    # baoding-2024 is abridged: it starts at 今年政府工作的总体要求是… (the passage cue of
    # liaoning-2026, fujian-2026, pingshan-2016: 今年是…)
    r = _record("baoding-2024-gwr", "生产总值增长6%以上", 6)
    assert (r.kind, r.year) == ("target", 2024)


def test_a_numbered_part_of_the_other_role_ends_the_division():
    # Real lines: nanshan-2024's review division and first chapter, longgang-2024's plan heading,
    # baoding-2021's 四、加强政府自身建设.
    from luoshi.outline.parse import parse

    text = "\n".join(
        [
            "2023年工作回顾",
            "这一年，“南山实力”稳步增强。2023年本地生产总值增长5.1%，达到8566亿元。",
            "一、激发“越是艰险越向前”的干劲，推动经济回升向好",
            "稳存量，全时全域全员拼经济。",
            "二、2024年工作安排",
            "今年经济社会发展主要预期目标是：本地生产总值增长5.5%左右，努力争取更好结果。",
            "四、加强政府自身建设",
            "坚持政治引领，践行人民至上。",
        ]
    )
    parts = [(p.title[:2], p.role, p.year) for p in parse(text, delivered=2024).children if p.kind == "part"]
    assert parts == [("20", "review", 2023), ("一、", "review", 2023), ("二、", "plan", 2024), ("四、", "plan", 2024)]
