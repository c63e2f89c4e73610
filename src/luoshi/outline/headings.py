"""Heading patterns of work reports, one table per concept.

PART        一、2023年工作回顾 (a whole short paragraph)
SECTION     （一）提信心稳增长，经济运行持续回升向好 (a paragraph, or the first sentence of one)
ITEM        1.坚持… / 1、… (first sentence of a paragraph)
PART_WORDS  words that make an unnumbered short paragraph a part heading
REVIEW_WORDS / PLAN_WORDS   decide a part's role
PERIODS     five-year plans and the year they end in (a multi-year period takes its last year)
"""
from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十"
PART = re.compile(rf"^[{CN_DIGITS}]{{1,3}}[、.．]\s*\S")
SECTION = re.compile(rf"^[（(][{CN_DIGITS}]{{1,3}}[)）]\s*\S")
ITEM = re.compile(r"^\d{1,2}[.．、](?!\d)\s*\S")
PART_WORDS = re.compile(r"工作回顾|发展回顾|工作总结|发展成就|目标任务|主要目标|预期目标|工作安排|重点工作|工作任务|总体要求|政府自身建设|关于\d{4}年工作|今年工作|主要考虑")
UNNUMBERED_PART = re.compile(r"^(?:“?十[一二三四五六]五”?时期|\d{4}年|关于|过去|今年|上一年)")
REVIEW_WORDS = re.compile(r"回顾|总结|成就|过去|一年来|五年来|取得新")
PLAN_WORDS = re.compile(r"目标|任务|安排|重点工作|总体要求|建议|政策取向|今年|主要考虑|开局|起步|\d{4}年工作$|关于\d{4}年")
SELF_BUILDING = re.compile(r"政府自身建设|政府治理效能")
PERIODS = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}
PERIOD = re.compile("(" + "|".join(PERIODS) + ")")
YEAR = re.compile(r"(20\d\d)\s*年")
SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
