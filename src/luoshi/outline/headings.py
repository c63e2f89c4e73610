"""Heading patterns of work reports, one table per concept.

PART        一、2023年工作回顾 (a whole short paragraph)
SECTION     （一）提信心稳增长，经济运行持续回升向好 (a paragraph, or the first sentence of one)
ITEM        1.坚持… / 1、… (first sentence of a paragraph)
PART_WORDS  words that make an unnumbered short paragraph a part heading (2023年工作回顾)
UNNUMBERED_PART  how an unnumbered part heading starts (a year, a five-year plan, 过去, 未来 …)
ANNEX       the glossary after the report (有关名词解释): a part with no role
ROLE_WORDS  ``data/part_roles.tsv``: the words that decide a part's or a passage's role
            (review or plan), a five-year plan's first year, the five years before or after
PERIODS     five-year plans and the year they end in (a multi-year period takes its last year)
"""

from __future__ import annotations

import re
from importlib import resources

CN_DIGITS = "一二三四五六七八九十"
PART = re.compile(rf"^[{CN_DIGITS}]{{1,3}}[、.．]\s*\S")
SECTION = re.compile(rf"^[（(][{CN_DIGITS}]{{1,3}}[)）]\s*\S")
ITEM = re.compile(r"^\d{1,2}[.．、](?!\d)\s*\S")
PART_WORDS = re.compile(
    r"工作回顾|发展回顾|工作总结|发展成就|目标任务|主要目标|预期目标|工作安排|重点工作|主要工作"
    r"|工作任务|主要任务|总体要求|政府自身建设|关于\d{4}年工作|今年工作|主要考虑|思路"
)
UNNUMBERED_PART = re.compile(
    r"^(?:[“\"]?十[一二三四五六]五[”\"]?(?:时期|规划)?|\d{4}年|关于|过去|今年|上一年|未来|今后)"
)
SELF_BUILDING = re.compile(r"政府自身建设|政府治理效能")
# The glossary after the report (有关名词解释, 附件1：《政府工作报告》有关名词解释, 有关内容名词注释):
# an annex, neither review nor plan (longgang-2018…2025, nanshan-2021…2025, pingshan-2015, jiangxi-2025/2026).
ANNEX = re.compile(r"^(?:附件\s*[0-9一二三四五]*\s*[：:]?\s*)?\S{0,16}名词(?:解释|注释|解读)$")
PERIODS = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}
PERIOD = re.compile("(" + "|".join(PERIODS) + ")")
# 第十五个五年规划 names the period as 十五五 does.
PERIOD_LONG = re.compile(r"第(十[一二三四五六])个五年")
YEAR = re.compile(r"(20\d\d)\s*年")
SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
# Words that join the pieces of a heading naming two things (“十五五”时期目标任务和2026年工作安排).
TITLE_JOIN = re.compile(r"和|及|与|暨")


def _role_rows() -> list[tuple[str, str, str]]:
    data = resources.files("luoshi.data").joinpath("part_roles.tsv").read_text(encoding="utf-8")
    rows = []
    for line in data.splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, role, where = line.split("\t")[:3]
            rows.append((pattern, role.strip(), where.strip()))
    return rows


ROLE_ROWS = _role_rows()


def _words(role: str, where: str) -> re.Pattern:
    found = [p for p, r, w in ROLE_ROWS if r == role and w == where]
    return re.compile("|".join(f"(?:{p})" for p in found) if found else r"(?!)")


REVIEW_WORDS = _words("review", "heading")
PLAN_WORDS = _words("plan", "heading")
FIRST_YEAR = _words("plan", "first_year")
PAST_FIVE = _words("review", "five_years")
NEXT_FIVE = _words("plan", "five_years")
REVIEW_PASSAGE = _words("review", "passage")
PLAN_PASSAGE = _words("plan", "passage")


def periods(text: str) -> list[int]:
    """End years of the five-year plans ``text`` names (“十四五”, 第十五个五年规划)."""
    ends = [PERIODS[p] for p in PERIOD.findall(text)]
    ends += [PERIODS[p + "五"] for p in PERIOD_LONG.findall(text) if p + "五" in PERIODS]
    return ends
