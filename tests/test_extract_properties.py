"""Properties of the extractor on any input: it never raises, offsets are valid, order holds."""

from __future__ import annotations

import re

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import luoshi

PIECES = [
    "一、2024年工作回顾",
    "二、2025年主要目标任务",
    "（一）",
    "1.",
    "\n",
    "\n\n",
    "。",
    "，",
    "、",
    "；",
    "预计",
    "地区生产总值",
    "增长",
    "下降",
    "提高到",
    "达",
    "左右",
    "以上",
    "以内",
    "超",
    "约",
    "分别",
    "均",
    "各",
    "%",
    "个百分点",
    "亿元",
    "万人",
    "家",
    "个",
    "第",
    "首位",
    "位居全国",
    "全省",
    "开工建设",
    "建成投用",
    "加快推进",
    "铁路",
    "大桥",
    "一期",
    "等项目",
    "建设",
    "“",
    "”",
    "两",
    "十二",
    "一百五十",
    "5",
    "6.5",
    "2023",
    "1/3",
    "-",
    "—",
    "LNG",
    " ",
    "　",
    "【下转第6版】",
    "来源：",
    "下载",
]
REPORTISH = st.lists(
    st.one_of(st.sampled_from(PIECES), st.from_regex(r"[0-9]{1,5}(\.[0-9]{1,2})?", fullmatch=True)), max_size=80
).map("".join)


def _written(value: float) -> str:
    v = abs(float(value))
    return str(int(v)) if v == int(v) else repr(v).rstrip("0")


def check(text: str) -> None:
    doc = luoshi.extract(text)
    starts = [(r.start, r.end) for r in doc.records]
    assert starts == sorted(starts), "records are in document order"
    for r in doc.records:
        assert 0 <= r.start < r.end <= len(doc.text)
        span = doc.text[r.start : r.end]
        assert span == r.evidence
        if r.type == "indicator":
            assert _written(r.value) in span or re.search(r"[零〇一二两三四五六七八九十百千万首]", span)
            assert r.measure in ("change", "quantity", "rank")
            assert r.qualifier in ("about", "at_least", "at_most", "exact")
        else:
            assert r.action in ("start", "complete", "advance", "plan", "other") and r.object


@pytest.mark.parametrize(
    "text", ["城乡居民收入比值由3.27，", "倍差从2.42缩小至", "由1.3", "超千", "第二和", "分别年均"]
)
def test_edge_fragments(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORTISH)
def test_reportish_text_never_crashes_and_offsets_hold(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_crashes(text):
    check(text)
