"""Parse the outline of cleaned report text: parts, sections, items, paragraphs, sentences.

Every node carries ``start``/``end`` in the cleaned text.  Parts get a ``role`` (``review``
or ``plan``) and the ``year`` they speak of, which extraction uses for ``kind`` and ``year``.
"""

from __future__ import annotations

from ..model import OutlineNode, Sentence
from .headings import (
    ANNEX,
    FIRST_YEAR,
    ITEM,
    NEXT_FIVE,
    PART,
    PART_WORDS,
    PAST_FIVE,
    PLAN_PASSAGE,
    PLAN_WORDS,
    REVIEW_PASSAGE,
    REVIEW_WORDS,
    SECTION,
    SELF_BUILDING,
    SENTENCE_END,
    TITLE_JOIN,
    UNNUMBERED_PART,
    YEAR,
    periods,
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
    if PART.match(par) or ANNEX.match(par):
        return True
    return (
        len(par) <= 30
        and "，" not in par
        and not par.endswith(("：", ":"))
        and bool(UNNUMBERED_PART.match(par))
        and bool(PART_WORDS.search(par))
    )


def _title_years(title: str, role: str | None, delivered: int | None) -> int | None:
    """The year a heading (or a piece of one) speaks of, from its own words; ``None`` if it names
    none.  A review takes its last year, a plan its first; a five-year plan its last year, unless
    the heading plans the plan's first year (开好局、起好步)."""
    years = [int(y) for y in YEAR.findall(title)]
    if years:
        return max(years) if role == "review" else min(years)
    ends = periods(title)
    if ends:
        if role == "plan" and delivered and FIRST_YEAR.search(title):
            return delivered
        return min(ends) if role == "review" else max(ends)
    if delivered and role == "review" and PAST_FIVE.search(title):
        return delivered - 1
    if delivered and role == "plan" and NEXT_FIVE.search(title):
        return delivered + 4
    return None


def _timed(title: str) -> bool:
    """Does a heading name a year, a five-year plan or the five years before or after?"""
    return bool(YEAR.search(title) or periods(title) or PAST_FIVE.search(title) or NEXT_FIVE.search(title))


def _part_role(title: str, index: int, delivered: int | None, opening: str = "") -> tuple[str | None, int | None]:
    """Role and year of a part from its title; ``index`` is the part's position (0-based);
    ``opening`` the first sentence of its passage, read when the title's words do not decide."""
    years = [int(y) for y in YEAR.findall(title)]
    review_words = REVIEW_WORDS.search(title) or PAST_FIVE.search(title)
    plan_words = PLAN_WORDS.search(title) or NEXT_FIVE.search(title)
    if review_words and not (plan_words and index > 0):
        role = "review"
    elif SELF_BUILDING.search(title) or plan_words:
        role = "plan"
    elif years and delivered:  # 2024年主要工作 in the report of 2024; 2023年主要工作 a year later
        role = "review" if max(years) < delivered else "plan"
    elif REVIEW_PASSAGE.search(opening):
        role = "review"
    elif PLAN_PASSAGE.search(opening) or index > 0:
        role = "plan"
    else:
        role = "review"
    year = _title_years(title, role, delivered) if YEAR.search(title) or periods(title) else None
    if year is None and role == "plan" and not PLAN_PASSAGE.search(opening):
        ends = periods(opening)  # 二、一张蓝图绘到底… opens with “十五五”时期是…
        if ends:
            year = max(ends)
    if year is None:  # 过去五年工作回顾, 今后五年发展目标
        year = _title_years(title, role, delivered)
    if year is None and delivered:
        year = delivered - 1 if role == "review" else delivered
    return role, year


def _opening(text: str, node: OutlineNode) -> str:
    """The first sentence of a node's passage: a paragraph's first sentence, a heading's title;
    for a part, that of its first child."""
    if node.kind == "part":
        return _opening(text, node.children[0]) if node.children else ""
    if node.kind == "paragraph":
        first = node.sentences[0] if node.sentences else None
        return text[first.start : first.end] if first else ""
    return node.title


def _pieces(title: str, role: str, year: int | None, delivered: int | None) -> list[tuple[str, int]]:
    """The (role, year) of each thing a heading names, in its order: “十四五”时期发展成就和
    “十五五”时期主要目标任务 → review 2025, plan 2030.  A piece without words of its own takes
    them from the next piece (2025年和“十四五”时期工作回顾), a piece without a year from its
    neighbours."""
    body = PART.sub(lambda m: m.group(0)[-1], title, count=1)
    pieces = [p for p in TITLE_JOIN.split(body) if p.strip()]
    roles: list[str | None] = []
    for p in pieces:
        r = (
            "review"
            if REVIEW_WORDS.search(p) or PAST_FIVE.search(p)
            else "plan"
            if PLAN_WORDS.search(p) or NEXT_FIVE.search(p)
            else None
        )
        roles.append(r)
    for i in range(len(roles) - 2, -1, -1):
        roles[i] = roles[i] or roles[i + 1]
    roles = [r or role for r in roles]
    years = [_title_years(p, r, delivered) for p, r in zip(pieces, roles)]
    for i in range(1, len(years)):
        years[i] = years[i] if years[i] is not None else years[i - 1]
    for i in range(len(years) - 2, -1, -1):
        years[i] = years[i] if years[i] is not None else years[i + 1]
    out: list[tuple[str, int]] = []
    for r, y in zip(roles, years):
        y = y if y is not None else year
        if y is not None and (not out or out[-1] != (r, y)):
            out.append((r, y))
    return out


def _opens(sentence: str, role: str, year: int, delivered: int) -> bool:
    """Does a passage opening with ``sentence`` speak of (role, year)?"""
    if role == "review":
        return bool(REVIEW_PASSAGE.search(sentence))
    if year > delivered:  # the five-year plan: it names the period, or the next five years
        return year in periods(sentence) or bool(NEXT_FIVE.search(sentence)) or f"到{year}年" in sentence
    return bool(PLAN_PASSAGE.search(sentence)) or sentence.startswith(f"{year}年")


def _segments(text: str, node: OutlineNode, delivered: int | None) -> None:
    """Passages of one part that speak of another year or role than the part as a whole.

    A heading naming two things (“十五五”时期目标任务和2026年工作安排) has a passage for each,
    in the heading's order; the second begins where a paragraph opens with its words (今年是
    “十五五”开局之年…).  A part planning a five-year period that holds this year's targets has
    them from the paragraph that opens with this year (今年…, 2026年是…).  The paragraph where
    a passage begins carries its role and year; the passage lasts to the next one or the part's end.
    """
    if not delivered or node.year is None or node.role is None:
        return
    pieces = _pieces(node.title, node.role, node.year, delivered)
    if len(pieces) == 1 and node.role == "plan" and node.year > delivered and not YEAR.search(node.title):
        pieces.append(("plan", delivered))
    if len(pieces) < 2:
        return
    children = [c for c in node.children if c.kind in ("paragraph", "section", "item")]
    marks = []
    k = 1
    for child in children[1:]:
        if k == len(pieces):
            break
        role, year = pieces[k]
        if _opens(_opening(text, child), role, year, delivered):
            marks.append((child, pieces[k]))
            k += 1
    if not marks:
        return
    if children and pieces[0] != (node.role, node.year):
        children[0].role, children[0].year = pieces[0]
    for child, (role, year) in marks:
        child.role, child.year = role, year


def _assign_roles(text: str, parts: list[tuple[OutlineNode, bool]], delivered: int | None) -> None:
    """Role and year of every part, in order.

    An unnumbered part heading (2023年工作回顾, 2024年主要工作) opens a division of the report;
    the numbered parts after it that name no year of their own (一、激发…的干劲，推动经济回升向好)
    are its chapters and take its role and year.  A numbered part that names a year has its own;
    if that is not the division's role, the division has ended.  The glossary after the report (有关名词解释) gets no role.
    """
    division: tuple[str | None, int | None] | None = None
    for index, (node, numbered) in enumerate(parts):
        if ANNEX.match(node.title):  # the glossary: no role, no year
            continue
        if numbered and division is not None and not _timed(node.title):
            node.role, node.year = division
            continue
        node.role, node.year = _part_role(node.title, index, delivered, _opening(text, node))
        if not numbered:
            division = (node.role, node.year)
        elif division is not None and node.role != division[0]:
            division = None  # 二、2024年目标任务 after an unnumbered review: the numbered parts stand alone
        _segments(text, node, delivered)


def parse(text: str, delivered: int | None = None) -> OutlineNode:
    """Build the outline tree of ``text``.

    ``delivered`` (the year the report was delivered) fills a part's year when its title
    names none (一、过去一年工作回顾 → delivered - 1).
    """
    root = OutlineNode(level=0, kind="document", title="", start=0, end=len(text))
    stack = [root]
    parts: list[tuple[OutlineNode, bool]] = []
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
            node = OutlineNode(level=4, kind="paragraph", title="", start=s, end=e, sentences=sentences(text, s, e))
            first = node.sentences[0] if node.sentences else None
            if (
                first
                and len(node.sentences) > 1
                and first.end - first.start <= LEAD_MAX
                and text[first.end - 1] == "。"
            ):
                node.lead = text[first.start : first.end]
                node.title = node.lead
            stack[-1].children.append(node)
            _extend(stack, e)
            continue
        title = text[s:title_end].rstrip("。；;")
        node = OutlineNode(
            level=level, kind=kind, title=title, start=s, end=e, title_end=title_end, sentences=sentences(text, s, e)
        )
        if kind == "part":
            parts.append((node, bool(PART.match(par))))
        stack[-1].children.append(node)
        _extend(stack, e)
        stack.append(node)
    _assign_roles(text, parts, delivered)
    if not parts:
        _headless(text, root, delivered)
    return root


def _headless(text: str, root: OutlineNode, delivered: int | None) -> None:
    """A report with no part headings (abridged: baoding-2024 starts at 今年政府工作的总体要求是…):
    a paragraph opening with this year (今年…) or the past (过去一年…) begins a passage of that
    role, as in the parts of a whole report; the paragraph carries its role and year."""
    if not delivered:
        return
    role = None
    for node in root.children:
        opening = _opening(text, node)
        found = "plan" if PLAN_PASSAGE.search(opening) else "review" if REVIEW_PASSAGE.search(opening) else None
        if found and found != role:
            role = found
            node.role, node.year = role, delivered if role == "plan" else delivered - 1


def _extend(stack: list[OutlineNode], end: int) -> None:
    for node in stack[1:]:
        node.end = max(node.end, end)
