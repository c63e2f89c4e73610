"""Hypothesis over the whole pipeline: text and files in every format luoshi sniffs.

Report-like text (CJK, digits, punctuation, layout spaces of both widths, wrapped lines,
headings 一、（一）1., newspaper continuation marks, page numbers), the same text saved as
files in several encodings and as HTML, and random bytes dressed as PDF, DOCX, HTML, text:
no exception but :class:`luoshi.errors.InputError` escapes, and every offset holds —
records index the cleaned text and give back their evidence, ``Document.to_raw`` maps them
into the raw text, the offset map is ordered, and outline nodes nest inside the text.
(tests/test_extract_properties.py checks the extractor's own fields on text alone.)
"""

from __future__ import annotations

import codecs
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.errors import InputError
from luoshi.extraction import extract_records
from luoshi.ingest.read import read_bytes
from luoshi.pipeline import build, load, load_text

# 60 examples a test keep the file under half a minute; LUOSHI_FUZZ_EXAMPLES=5000 fuzzes for longer.
FAST = settings(
    max_examples=int(os.environ.get("LUOSHI_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
WORDS = [
    "地区生产总值",
    "增长",
    "下降",
    "提高到",
    "达到",
    "左右",
    "以上",
    "以内",
    "超过",
    "分别",
    "均",
    "预计",
    "亿元",
    "万元",
    "万人",
    "%",
    "个百分点",
    "公里",
    "开工建设",
    "建成投用",
    "加快推进",
    "铁路",
    "项目",
    "第",
    "位居全省第",
    "首位",
    "两",
    "十二",
    "一百五十",
    "年",
    "2024年",
    "2025年",
    "2027年",
    "十四五",
    "城镇新增就业",
    "粮食产量",
    "甬舟铁路",
    "政府工作报告",
    "各位代表",
    "过去一年",
    "今年",
]
PUNCT = list("，。、；：！？“”‘’（）《》—…·%．,.;:!?()-/") + ["——", "……"]
SPACES = [" ", "  ", "\u3000", "\u3000\u3000", "\xa0", "\t", "\u2002"]
BREAKS = ["\n", "\n\n", "\r\n", "\n\u3000\u3000", "\n  "]
HEADINGS = [
    "一、2024年工作回顾",
    "二、2025年主要目标任务",
    "三、",
    "十一、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2．",
    "3、",
    "第一章",
    "【下转第6版】",
    "（上接第1版）",
    "- 3 -",
    "第2页",
    "来源：",
    "下载 打印 全屏",
]
DIGITS = st.from_regex(r"[0-9０-９]{1,5}([.．][0-9]{1,2})?", fullmatch=True)
PIECE = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PUNCT),
    st.sampled_from(SPACES),
    st.sampled_from(BREAKS),
    st.sampled_from(HEADINGS).map(lambda h: "\n" + h),
    DIGITS,
    st.text(CJK, min_size=1, max_size=6),
)
REPORT = st.lists(PIECE, max_size=120).map("".join)


def check(doc) -> None:
    """Every offset of a document holds."""
    text, raw, offsets = doc.text, doc.raw, doc.offsets
    assert len(offsets) == len(text)
    assert all(0 <= p < len(raw) for p in offsets)
    assert all(a < b for a, b in zip(offsets, offsets[1:])), "the offset map keeps the order"
    for i, ch in enumerate(text):  # each cleaned character comes from its raw one (up to width)
        if not ch.isspace():
            assert (
                unicodedata.normalize("NFKC", raw[offsets[i]]) == unicodedata.normalize("NFKC", ch)
                or raw[offsets[i]] in "“”‘’「」"
                or ch in "\"'"
            ), (i, ch, raw[offsets[i]])
    for r in doc.records:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start : r.end] == r.evidence
        rs, re_ = doc.to_raw(r.start, r.end)
        assert 0 <= rs < re_ <= len(raw)
    for node in doc.outline.walk():
        assert 0 <= node.start <= node.end <= len(text)
        for child in node.children:
            assert node.start <= child.start <= child.end <= node.end
        for s in node.sentences:
            assert node.start <= s.start <= s.end <= node.end
    assert doc.outline.end <= len(text)


def run_text(text: str):
    doc = load_text(text)
    doc.records = extract_records(doc)
    check(doc)
    return doc


def run_bytes(data: bytes, suffix: str = ""):
    """The pipeline from bytes as a file of that suffix would be read; only InputError may escape."""
    try:
        raw = read_bytes(data, source="fuzz" + suffix, suffix=suffix)
    except InputError as e:
        assert e.reason and "\n" not in e.reason
        return None
    doc = build(raw)
    doc.records = extract_records(doc)
    check(doc)
    return doc


@FAST
@given(REPORT)
def test_reportlike_text_through_the_pipeline(text):
    run_text(text)


@FAST
@given(
    REPORT,
    st.sampled_from(
        [
            ("utf-8", b""),
            ("utf-8", codecs.BOM_UTF8),
            ("gb18030", b""),
            ("utf-16-le", codecs.BOM_UTF16_LE),
            ("utf-16-be", codecs.BOM_UTF16_BE),
        ]
    ),
)
def test_reportlike_text_saved_in_any_encoding(text, encoding):
    enc, bom = encoding
    doc = run_bytes(bom + text.encode(enc), ".txt")
    if doc is not None and text.strip():
        assert not any("could not be decoded" in w for w in doc.warnings), doc.warnings


@FAST
@given(
    st.lists(
        st.tuples(st.sampled_from(["p", "div", "span", "td", "h1", "li", "br", "script", "a"]), REPORT), max_size=12
    ),
    st.integers(0, 300),
)
def test_reportlike_text_as_html(parts, depth):
    body = "".join(f"<{tag}>{text}</{tag}>" if tag != "br" else text + "<br>" for tag, text in parts)
    markup = "<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>"
    run_bytes(markup.encode("utf-8"), ".html")


PREFIXES = [
    b"",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"<html><body><p>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x89PNG",
    b"{\\rtf1",
    "一、2024年工作回顾\n".encode(),
]


@FAST
@given(st.sampled_from(PREFIXES), st.binary(max_size=3000), st.sampled_from(["", ".txt", ".pdf", ".docx", ".html"]))
def test_random_bytes_in_every_format(prefix, data, suffix):
    run_bytes(prefix + data, suffix)


@FAST
@given(REPORT, st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=4)), max_size=6))
def test_damaged_report_bytes(text, damage):
    """Report text in UTF-8 with bytes overwritten here and there (a damaged copy, mixed encodings)."""
    data = bytearray(text.encode("utf-8"))
    for pos, junk in damage:
        if data:
            p = pos % len(data)
            data[p : p + len(junk)] = junk
    run_bytes(bytes(data), ".txt")


def test_a_file_goes_through_load_too(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(
        "一、2024年工作回顾\n\u3000\u3000地区生产总值增长５．５%，\n城镇新增就业12万人。\n".encode("gb18030")
    )
    doc = load(path)
    doc.records = extract_records(doc)
    check(doc)
    assert [r.evidence for r in doc.records] == ["地区生产总值增长5.5%", "城镇新增就业12万人"]
