"""atheris (libFuzzer) target for the extractor: any bytes → text → records whose offsets hold.

    python fuzz/extractor.py -max_total_time=300 [CORPUS_DIR]      # pip install atheris (dev extra)

The first byte chooses how the rest becomes text: decoded as UTF-8 (errors replaced), or read
one byte at a time as pieces of report text (headings, numbers, units, verbs, punctuation,
layout spaces), so that the fuzzer reaches the extractor's rules quickly.  The text goes
through ``luoshi.load_text`` (cleaning, outline, metadata) and the extractor; every record
must lie inside the cleaned text, give back its evidence, and map into the raw text.  A
failed check or any exception is a crash: libFuzzer saves the input (``crash-…``) and stops.
tests/test_fuzz_atheris.py runs this for a bounded time in CI.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["luoshi"]):
    import luoshi.clean.layout  # noqa: F401  (instrumented for coverage)
    import luoshi.extraction.context  # noqa: F401
    import luoshi.extraction.indicators  # noqa: F401
    import luoshi.extraction.numerals  # noqa: F401
    import luoshi.extraction.tasks  # noqa: F401
    import luoshi.outline.parse  # noqa: F401
    from luoshi.extraction import extract_records
    from luoshi.pipeline import load_text

PIECES = [
    "一、2024年工作回顾",
    "二、2025年主要目标任务",
    "（一）",
    "（二）",
    "1.",
    "2．",
    "\n",
    "\n\n",
    "\u3000\u3000",
    " ",
    "。",
    "，",
    "、",
    "；",
    "：",
    "“",
    "”",
    "（",
    "）",
    "%",
    "—",
    "……",
    "【下转第6版】",
    "预计",
    "到2027年",
    "十四五",
    "地区生产总值",
    "城镇新增就业",
    "粮食产量",
    "增长",
    "下降",
    "提高到",
    "达到",
    "达",
    "突破",
    "左右",
    "以上",
    "以内",
    "超",
    "约",
    "分别",
    "均",
    "各",
    "亿元",
    "万元",
    "万人",
    "万吨",
    "公里",
    "个百分点",
    "倍",
    "家",
    "个",
    "项",
    "第",
    "位居全省第",
    "首位",
    "开工建设",
    "建成投用",
    "加快推进",
    "启动",
    "前期",
    "铁路",
    "大桥",
    "一期",
    "等项目",
    "两",
    "三",
    "十二",
    "一百五十",
    "0",
    "1",
    "2",
    "3",
    "5",
    "6.5",
    "2023",
    "2025",
    "1/3",
    "5.5",
    "１２",
    "．",
]


def to_text(data: bytes) -> str:
    if not data:
        return ""
    mode, rest = data[0], data[1:]
    if mode % 2 == 0:
        return rest.decode("utf-8", errors="replace")
    return "".join(PIECES[b % len(PIECES)] for b in rest)


def check(text: str) -> None:
    doc = load_text(text)
    doc.records = extract_records(doc)
    n = len(doc.text)
    assert len(doc.offsets) == n
    for r in doc.records:
        assert 0 <= r.start < r.end <= n, (r.start, r.end, n)
        assert doc.text[r.start : r.end] == r.evidence, (doc.text[r.start : r.end], r.evidence)
        raw_start, raw_end = doc.to_raw(r.start, r.end)
        assert 0 <= raw_start < raw_end <= len(doc.raw), (raw_start, raw_end, len(doc.raw))


def TestOneInput(data: bytes) -> None:  # noqa: N802 — atheris's name
    check(to_text(data))


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
