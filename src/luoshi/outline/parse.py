"""Parse the outline of cleaned report text: parts, sections, items, paragraphs, sentences.

Every node carries ``start``/``end`` in the cleaned text.  Parts get a ``role`` (``review``
or ``plan``) and the ``year`` they speak of, which extraction uses for ``kind`` and ``year``.
"""
from __future__ import annotations

from ..model import OutlineNode, Sentence
from .headings import (
    ITEM,
    PART,
    PART_WORDS,
    UNNUMBERED_PART,
    PERIOD,
    PERIODS,
    PLAN_WORDS,
    REVIEW_WORDS,
    SECTION,
    SELF_BUILDING,
    SENTENCE_END,
    YEAR,
)

LEAD_MAX = 30  # a paragraph's first sentence up to this length is its lead ("做大做强先进制造业集群。")


def paragraphs(text: str):
    """Yield ``(start, end)`` of every non-empty line of the cleaned text."""
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            yield pos, end
        pos = end + 1


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    out = []
    pos = start
    for m in SENTENCE_END.finditer(text, start, end):
        out.append(Sentence(pos, m.end()))
        pos = m.end()
    if pos < end:
        out.append(Sentence(pos, end))
    return out


def _first_sentence_end(text: str, start: int, end: int) -> int | None:
    m = SENTENCE_END.search(text, start, end)
    return m.end() if m else None


def _is_part(par: str) -> bool:
    if len(par) > 60 or "。" in par or "%" in par or "；" in par:
        return False  # a heading is not a sentence: 一、二、三产增加值分别增长3%… is not a part
    if PART.match(par):
        return True
    return len(par) <= 30 and "，" not in par and not par.endswith(("：", ":")) \
        and bool(UNNUMBERED_PART.match(par)) and bool(PART_WORDS.search(par))


def _part_role(title: str, index: int, delivered: int | None) -> tuple[str | None, int | None]:
    """Role and year of a part from its title; ``index`` is the part's position (0-based)."""
    years = [int(y) for y in YEAR.findall(title)]
    period = PERIOD.search(title)
    if REVIEW_WORDS.search(title) and not (PLAN_WORDS.search(title) and index > 0):
        role = "review"
    elif SELF_BUILDING.search(title) or PLAN_WORDS.search(title) or index > 0:
        role = "plan"
    else:
        role = "review"
    if years:
        year = max(years) if role == "review" else min(years)
    elif period:
        ends = [PERIODS[p] for p in PERIOD.findall(title)]
        year = min(ends) if role == "review" else max(ends)
    elif delivered:
        year = delivered - 1 if role == "review" else delivered
    else:
        year = None
    return role, year


def parse(text: str, delivered: int | None = None) -> OutlineNode:
    """Build the outline tree of ``text``.

    ``delivered`` (the year the report was delivered) fills a part's year when its title
    names none (一、过去一年工作回顾 → delivered - 1).
    """
    root = OutlineNode(level=0, kind="document", title="", start=0, end=len(text))
    stack = [root]
    part_index = 0
    for s, e in paragraphs(text):
        par = text[s:e]
        level, kind = 4, "paragraph"
        title_end = None
        if SECTION.match(par):
            level, kind = 2, "section"
            title_end = _first_sentence_end(text, s, e) or e
        elif _is_part(par):
            level, kind, title_end = 1, "part", e
        elif ITEM.match(par):
            level, kind = 3, "item"
            title_end = _first_sentence_end(text, s, e) or e
        while stack[-1].level >= level:
            stack.pop()
        if kind == "paragraph":
            node = OutlineNode(level=4, kind="paragraph", title="", start=s, end=e,
                               sentences=sentences(text, s, e))
            first = node.sentences[0] if node.sentences else None
            if first and len(node.sentences) > 1 and first.end - first.start <= LEAD_MAX \
                    and text[first.end - 1] == "。":
                node.lead = text[first.start:first.end]
                node.title = node.lead
            stack[-1].children.append(node)
            _extend(stack, e)
            continue
        title = text[s:title_end].rstrip("。；;")
        node = OutlineNode(level=level, kind=kind, title=title, start=s, end=e, title_end=title_end,
                           sentences=sentences(text, s, e))
        if kind == "part":
            node.role, node.year = _part_role(title, part_index, delivered)
            part_index += 1
        stack[-1].children.append(node)
        _extend(stack, e)
        stack.append(node)
    return root


def _extend(stack: list[OutlineNode], end: int) -> None:
    for node in stack[1:]:
        node.end = max(node.end, end)
