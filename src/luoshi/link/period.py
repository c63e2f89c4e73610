"""Five-year passages: where a report speaks of a whole plan period, not of one year.

A report delivered at the end of a five-year plan reviews both the last year and the five
years (`一、2025年和“十四五”时期工作回顾`). A figure in a five-year passage is a period
figure: an average (`年均增长5.9%`), a sum (`城镇新增就业603.7万人` over five years), a
cumulative change (`5年增长18.7%`). Such a figure never stands for one year
(shared/spec/linking.md). A level reached at the end of the period (`常住人口城镇化率从2020年的
53.2%提升到2025年的57.7%`) is still the level of the last year.

Passages are found paragraph by paragraph (a paragraph is a line of the cleaned text), in
document order:

- a part heading that names a period and no year (`一、“十四五”时期工作回顾`) opens a
  passage; any other part heading closes one;
- a paragraph whose opening marks five years (`五年来`, `过去五年`, `这五年`,
  `“十四五”时期是…的五年`, `“十四五”以来`, a paragraph opening on `“十四五”时期`) opens a
  passage;
- otherwise a paragraph that opens on one year (`刚刚过去的2025年`, `过去一年`, `一年来`,
  `2025年是…`) closes it.
"""

from __future__ import annotations

import bisect
import re

from ..model import Document

# Opening words that mark the five years; searched in the first OPENING characters.
FIVE_YEARS = re.compile(
    r"五年来|过去五年|过去的五年|这五年|[的个]五年|^“?十[一二三四五六]五”?(?:时期|期间)|"
    r"十[一二三四五六]五”?(?:时期)?以来"
)
OPENING = 120
# Opening words of a one-year paragraph; {year} is the reviewed year.
ONE_YEAR = r"^(?:刚刚过去的|过去一年|过去的一年|一年来|今年以来|{year}年)"
ADDRESS = re.compile(r"^各位代表[！!，,：:]?")
PERIOD_IN_TITLE = re.compile(r"十[一二三四五六]五|五年")
YEAR_IN_TITLE = re.compile(r"20\d\d\s*年")


class Periods:
    """Which positions of a document lie in a five-year passage."""

    def __init__(self, doc: Document):
        self.spans = five_year_spans(doc)
        self._starts = [s for s, _ in self.spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]


def five_year_spans(doc: Document) -> list[tuple[int, int]]:
    """``[start, end)`` spans of the cleaned text that speak of a five-year period."""
    text = doc.text
    year = doc.metadata.year_reviewed
    one_year = re.compile(ONE_YEAR.format(year=year if year else r"20\d\d"))
    part_titles = {n.start: n.title for n in doc.outline.children if n.kind == "part"}
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if start in part_titles:
            title = part_titles[start]
            period = bool(PERIOD_IN_TITLE.search(title)) and not YEAR_IN_TITLE.search(title)
        else:
            head = ADDRESS.sub("", line.strip())
            if FIVE_YEARS.search(head[:OPENING]):
                period = True
            elif one_year.match(head):
                period = False
            else:
                period = open_at is not None
        if period and open_at is None:
            open_at = start
        elif not period and open_at is not None:
            spans.append((open_at, start))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans
