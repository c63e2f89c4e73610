"""Per-document context for extraction: clauses, sentences, parts, section paths, years."""

from __future__ import annotations

import bisect
import re

from ..model import Document
from ..outline.headings import FIRST_YEAR, NEXT_FIVE, PERIODS

CLAUSE_END = re.compile(r"[，,；;。！？!?：:\n]")
SENTENCE_END = re.compile(r"[。！？!?\n]")
# A year named for a target or result inside a sentence: 到2027年, 至2030年底, “十五五”时期/末.
YEAR_NAMED = re.compile(r"(?:到|至|在|于)\s*(20\d\d)\s*年(?:底|末|前)?")
# Not a period the figure belongs to: a comparison's base (比“十三五”, 为“十三五”时期的2.2倍), or
# the first year of a plan (今年是“十五五”开局之年: this year's targets).
PERIOD_NAMED = re.compile(
    r"(?<![较比与为是])(?<![较比与为是]“)“?(十[一二三四五六]五)”?(?:时期|期间|期末|末|规划|以来)?"
    rf"(?!的?(?:{FIRST_YEAR.pattern}|第一年))"
)
# A start level's year the sentence names: 从2020年的645元/月提高到…, 2020年到2025年，…从17.9%提升到35.5%.
START_NAMED = re.compile(r"(?:从|由)\s*(20\d\d)\s*年的|(20\d\d)\s*年(?:到|至)\s*20\d\d\s*年")
YEAR_IN_CLAUSE = re.compile(r"(20\d\d)\s*年(?![\d月])")
ESTIMATED = "预计"


def _zones(doc: Document) -> list[tuple[int, int, str | None, int | None, bool]]:
    """``(start, end, role, year, annex)`` of every part, and of every passage inside a part that
    speaks of another role or year (a node of the part with its own role, see outline/parse.py),
    in document order; a passage lasts to the next one or to its part's end.  A part with no role
    (the glossary after the report) keeps the role and year before it and is marked ``annex``."""
    zones: list[tuple[int, int, str | None, int | None, bool]] = []
    end = len(doc.text)
    for part in doc.outline.children:
        if part.kind != "part":
            if part.role:  # a passage of a report with no part headings
                zones.append((part.start, end, part.role, part.year, False))
            continue
        if part.role is None and zones:
            zones.append((part.start, part.end, zones[-1][2], zones[-1][3], True))
            continue
        zones.append((part.start, part.end, part.role, part.year, part.role is None))
        for node in part.walk():
            if node is not part and node.role:
                zones.append((node.start, part.end, node.role, node.year, False))
    return zones


class Context:
    """Lookups by character position over one document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = text = doc.text
        self.clause_ends = [m.start() for m in CLAUSE_END.finditer(text)]
        self.sentence_ends = [m.start() for m in SENTENCE_END.finditer(text)]
        meta = doc.metadata
        self.default_role = "review"
        self.default_year = meta.year_reviewed
        self.year_reviewed = meta.year_reviewed
        self.year_planned = meta.year_planned
        self.parts = _zones(doc)
        self.part_starts = [p[0] for p in self.parts]
        # Heading nodes (part/section/item) in document order, for the section path.
        self.headings = [n for n in doc.outline.walk() if n.kind in ("part", "section", "item")]
        self.heading_starts = [n.start for n in self.headings]
        self._path_cache: dict[int, str] = {}

    # --- spans -----------------------------------------------------------------------------
    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.clause_ends, pos - 1)
        start = self.clause_ends[i - 1] + 1 if i else 0
        end = self.clause_ends[i] if i < len(self.clause_ends) else len(self.text)
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_ends, pos - 1)
        start = self.sentence_ends[i - 1] + 1 if i else 0
        end = self.sentence_ends[i] if i < len(self.sentence_ends) else len(self.text)
        if end < len(self.text) and self.text[end] != "\n":
            end += 1  # keep the full stop
        return start, end

    # --- kind, year, estimated, section ------------------------------------------------------
    def part_at(self, pos: int):
        i = bisect.bisect_right(self.part_starts, pos) - 1
        if i >= 0 and self.parts[i][0] <= pos <= self.parts[i][1] + 1:
            return self.parts[i]
        return None

    def in_annex(self, pos: int) -> bool:
        """Is ``pos`` in the glossary after the report (有关名词解释), which holds no records?"""
        part = self.part_at(pos)
        return bool(part and part[4])

    def kind_year(self, pos: int) -> tuple[str, int | None]:
        """``(kind, year)`` at ``pos``: the part's role and year, unless the sentence names a year."""
        part = self.part_at(pos)
        role, year = (part[2], part[3]) if part else (self.default_role, self.default_year)
        kind = "target" if role == "plan" else "result"
        s, _ = self.sentence(pos)
        text = self.text
        named = None
        if text.find("年", s, pos) >= 0:  # most sentences name no year: skip the patterns
            for m in YEAR_NAMED.finditer(text, s, pos):
                named = int(m.group(1))
            if kind == "target":  # 技术合同成交额2030年达到600亿元: a later year in the clause
                c0, _ = self.clause(pos)
                for m in YEAR_IN_CLAUSE.finditer(text, c0, pos):
                    if int(m.group(1)) > (year or 0):
                        named = int(m.group(1))
        if (
            named is None
            and kind == "target"
            and self.year_planned
            and text.find("五年", s, pos) >= 0
            and NEXT_FIVE.search(text, s, pos)
        ):  # 五年内每个县新建…: the coming five years
            named = self.year_planned + 4
        if named is not None and kind == "target" and named >= (year or 0):
            year = named
        elif text.find("五", s, pos) >= 0:
            for m in PERIOD_NAMED.finditer(text, s, pos):
                end_year = PERIODS.get(m.group(1))
                if end_year and (
                    kind == "target" and end_year > (year or 0) or kind == "result" and end_year <= (year or 9999) + 0
                ):
                    year = end_year
        return kind, year

    def start_year(self, pos: int, year: int) -> int:
        """The year of a starting level (由1.31万亿元增加到…): the start year the sentence names
        (从2020年的…提高到…, 2020年到2025年，…), else the year before the period it names (2020
        for 十四五), else the year before ``year``."""
        s, _ = self.sentence(pos)
        m = None
        for m in START_NAMED.finditer(self.text, s, pos):
            pass
        if m:
            return int(m.group(1) or m.group(2))
        for m in PERIOD_NAMED.finditer(self.text, s, pos):
            pass
        if m and PERIODS.get(m.group(1)):
            return PERIODS[m.group(1)] - 5
        return year - 1

    def estimated(self, pos: int) -> bool:
        s, _ = self.sentence(pos)
        return self.text.find(ESTIMATED, s, pos) >= 0

    def section(self, pos: int) -> str:
        i = bisect.bisect_right(self.heading_starts, pos) - 1
        if i < 0:
            return ""
        cached = self._path_cache.get(i)
        if cached is not None:
            return cached
        node = self.headings[i]
        path = [node]
        for j in range(i - 1, -1, -1):
            h = self.headings[j]
            if h.level < path[0].level and h.start <= node.start <= h.end + 1:
                path.insert(0, h)
                if h.level == 1:
                    break
        # Only keep headings that still contain pos.
        path = [h for h in path if h.start <= pos <= h.end + 1]
        result = " / ".join(h.title for h in path)
        self._path_cache[i] = result
        return result
