"""Cleaning: layout repair on the seed, and the offset map's properties."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.clean.layout import clean
from luoshi.clean.rules import WIDTH

from paths import SAMPLE

SEED = SAMPLE.read_text(encoding="utf-8")


def test_seed_heading_broken_over_two_lines_is_one_heading():
    text = clean(SEED).text
    assert "（一）提信心稳增长，经济运行持续回升向好\n" in text


def test_seed_spaced_numbers_and_units_are_joined():
    text = clean(SEED).text
    assert "建设用地指标保障8100亩" in text
    assert "增长6%左右" in text


def test_seed_keeps_space_next_to_latin_word():
    assert "LNG 加注" in clean(SEED).text


def test_seed_continuation_mark_dropped():
    assert "下转第" not in clean(SEED).text


def test_seed_no_space_between_cjk():
    assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", clean(SEED).text)


def test_seed_offsets_point_at_equal_characters():
    c = clean(SEED)
    for i, ch in enumerate(c.text):
        raw = c.raw[c.offsets[i]]
        assert ch == raw or ch == WIDTH.get(raw) or (ch in " \n" and raw.isspace()), (i, ch, raw)


def test_full_width_digits_and_percent_become_half_width():
    assert clean("增长６．５％，ＧＤＰ").text == "增长6.5%，GDP"


def test_web_chrome_lines_dropped():
    raw = (
        "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n来源：浙江日报\n时间：2026-02-10\n一、2025年工作回顾\n"
    )
    assert clean(raw).text == "一、2025年工作回顾"


def test_wrapped_lines_join_but_blank_lines_separate_paragraphs():
    raw = "全省生产总值增长5.5%，一般公共预算\n收入增长1.2 %，城乡居民人均\n可支配收入增长。\n\n（一）系统落实一揽子政策\n，有力推动经济回升向好\n\n下一段。"
    text = clean(raw).text
    assert text.split("\n") == [
        "全省生产总值增长5.5%，一般公共预算收入增长1.2%，城乡居民人均可支配收入增长。",
        "（一）系统落实一揽子政策，有力推动经济回升向好",
        "下一段。",
    ]


def test_one_paragraph_per_line_text_is_not_joined():
    raw = "一、2024年工作回顾\n过去一年，全省生产总值增长5.4%。\n（一）经济运行总体平稳。抢抓机遇。\n"
    assert clean(raw).text.split("\n") == [
        "一、2024年工作回顾",
        "过去一年，全省生产总值增长5.4%。",
        "（一）经济运行总体平稳。抢抓机遇。",
    ]


def test_to_raw_maps_a_span_back():
    c = clean("一年来，我们坚持稳中求进。\n\n预计全年地区生产总值增长 6%左\n右；一般公共预算收入\n增长6.3%。\n")
    start = c.text.index("6%")
    rs, re_ = c.to_raw(start, start + len("6%左右"))
    assert c.raw[rs:re_] == "6%左\n右"


PIECES = (
    list("增长生产总值亿元，。、；：（）一二")
    + list("0123456789%．％１２ＡＢab")
    + [" ", "\u3000", "\n", "\n\n", "【下转第6版】", "下载", "LNG", "来源：报"]
)
LAYOUT = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(LAYOUT, st.text(max_size=200)))
def test_offset_map_is_monotonic_and_faithful(raw):
    c = clean(raw)
    assert len(c.offsets) == len(c.text)
    assert all(a < b for a, b in zip(c.offsets, c.offsets[1:]))
    norm_raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    for i, ch in enumerate(c.text):
        r = norm_raw[c.offsets[i]]
        same = ch == r or ch == WIDTH.get(r) or (ch == "." and r == "．")
        assert same or (ch in " \n" and (r.isspace() or unicodedata.category(r).startswith("Z"))), (raw, i, ch, r)
