"""Printed lines of a block of PDF characters, and the paragraphs they form.

Inside a block, characters are grouped by their vertical position and sorted by x:
one output line per printed line, with a space only where two Latin letters/digits
stand a word space apart; a table block gives one line per row, its cells apart by a
tab.  Consecutive lines are then joined with a paragraph break where the geometry
suggests one (indent, outdent, font size, a larger gap, a short line ending a
sentence, a centred line); every table row is a paragraph of its own.  Pure
functions, no pdfminer.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from statistics import median

from luoshi.ingest.pdf_chars import Char, group_rows, is_cjkish, is_wordish

__all__ = ["Block", "assemble", "build_block"]


# ─────────────────────────────────────────────────────────────────────────────
# Lines

_WORD_GAP_EM = 0.6  # in a table row, a wider gap may part two cells
_CUT_GAP_EM = 0.15  # ... and a narrower one where a column cut runs between the characters


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class Block:
    lines: list[_Line]
    boundary: str
    left: float = 0.0
    right: float = 0.0
    table: bool = False  # rows of a table: each row its own paragraph


def _line_text(row: list[Char]) -> str:
    ink = [c for c in row if not c.space]
    gaps = [b.x0 - a.x1 for a, b in zip(ink, ink[1:])]
    base = max(0.0, median(gaps)) if gaps else 0.0
    out: list[str] = []
    prev: Char | None = None
    pending = False
    for c in row:
        if c.space:
            pending = prev is not None
            continue
        if prev is not None:
            a, b = prev.text[-1], c.text[0]
            if pending:
                if not (is_cjkish(a) and is_cjkish(b)):
                    out.append(" ")
            elif is_wordish(a) and is_wordish(b):
                gap = c.x0 - prev.x1
                size = max(prev.size, c.size)
                if gap > base + 0.2 * size and gap > 0.15 * size:
                    out.append(" ")
        out.append(c.text)
        prev = c
        pending = False
    return "".join(out).strip()


def _dedupe(row: list[Char]) -> list[Char]:
    """Drop characters drawn twice at (almost) the same place (fake bold, shadows)."""
    out: list[Char] = []
    for c in row:
        w = max(c.x1 - c.x0, 0.1)
        if any(
            p.text == c.text and abs(p.x0 - c.x0) < 0.3 * w and abs(p.top - c.top) < 0.3 * max(c.h, 0.1)
            for p in out[-4:]
        ):
            continue
        out.append(c)
    return out


def _lines(chars: list[Char]) -> list[_Line]:
    ink = [c for c in chars if not c.space]
    rows = group_rows(ink)
    if not rows:
        return []
    spaces = [c for c in chars if c.space]
    if spaces:
        centers = [median(c.cy for c in r) for r in rows]
        bounds = [(min(c.top for c in r), max(c.bottom for c in r)) for r in rows]
        for s in spaces:
            i = bisect_left(centers, s.cy)
            best = min((j for j in (i - 1, i) if 0 <= j < len(rows)), key=lambda j: abs(centers[j] - s.cy))
            rt, rb = bounds[best]
            if rt - 0.25 * (rb - rt) <= s.cy <= rb + 0.25 * (rb - rt):
                rows[best].append(s)  # a space far from any line is layout debris: dropped
        for r in rows:
            r.sort(key=lambda c: c.x0)
    out = []
    for r in rows:
        r = _dedupe(r)
        text = _line_text(r)
        if not text:
            continue
        rink = [c for c in r if not c.space]
        out.append(
            _Line(
                text,
                rink[0].x0,
                max(c.x1 for c in rink),
                min(c.top for c in rink),
                max(c.bottom for c in rink),
                median(c.size for c in rink),
            )
        )
    return out


def _edge(values: list[float], prefer_low: bool) -> float:
    """Most common (rounded) value; ties go to the outermost one."""
    cnt = Counter(round(v) for v in values)
    best = max(cnt.values())
    cands = [v for v, n in cnt.items() if n == best]
    return float(min(cands) if prefer_low else max(cands))


def _words(row: list[Char], cuts: list[float]) -> list[list[Char]]:
    """Runs of a row's characters that touch: a cell's text goes to one column whole, by
    its middle, even where a column cut runs through it.  Two characters are apart when
    their gap is over ``_WORD_GAP_EM``, or over ``_CUT_GAP_EM`` with a cut between them
    (a long label close to a right-aligned figure)."""
    out: list[list[Char]] = [[row[0]]]
    for a, b in zip(row, row[1:]):
        gap = b.x0 - a.x1
        size = max(a.size, b.size)
        if gap > _WORD_GAP_EM * size or (
            gap > _CUT_GAP_EM * size and bisect_left(cuts, a.cx) != bisect_left(cuts, b.cx)
        ):
            out.append([])
        out[-1].append(b)
    return out


def _table_lines(chars: list[Char], cuts: list[float]) -> list[_Line]:
    """One line per table row: the cells (columns cut at ``cuts``) apart by a tab.

    An empty cell stays an empty field, so that the columns keep their places; a cell
    printed over several lines is read line by line.
    """
    ink = [c for c in chars if not c.space]
    out = []
    for row in group_rows(ink):
        cells: list[list[Char]] = [[] for _ in range(len(cuts) + 1)]
        for word in _words(row, cuts):
            mid = (word[0].x0 + max(c.x1 for c in word)) / 2
            cells[bisect_left(cuts, mid)].extend(word)
        texts = ["".join(_line_text(_dedupe(sub)) for sub in group_rows(cell)) for cell in cells]
        text = "\t".join(texts).rstrip("\t")
        if not text.strip():
            continue
        out.append(
            _Line(
                text,
                row[0].x0,
                max(c.x1 for c in row),
                min(c.top for c in row),
                max(c.bottom for c in row),
                median(c.size for c in row),
            )
        )
    return out


def build_block(chars: list[Char], boundary: str, cuts: list[float] | None = None) -> Block | None:
    """The printed lines of a block with its usual left and right edges; None if it has no text.

    With ``cuts`` the block is a table whose columns are cut there: it is read row by row.
    """
    lines = _table_lines(chars, cuts) if cuts else _lines(chars)
    if not lines:
        return None
    b = Block(lines, boundary, table=bool(cuts))
    b.left = _edge([ln.x0 for ln in lines], prefer_low=True)
    b.right = _edge([ln.x1 for ln in lines], prefer_low=False)
    return b


# ─────────────────────────────────────────────────────────────────────────────
# Paragraphs


_TERMINAL = set("。！？!?；;：:…")
_CLOSERS = set("”’」』）)】》")


def _ends_sentence(text: str) -> bool:
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in _TERMINAL:
        return True
    return len(t) >= 2 and t[-1] in _CLOSERS and t[-2] in _TERMINAL


def assemble(blocks: list[Block]) -> str:
    # normal blank space between consecutive lines of a block, and the body text size
    # (from running text: a budget report's annex tables have more lines than its text)
    gaps = []
    sizes = []
    prose = [b for b in blocks if not b.table] or blocks
    for b in prose:
        for a, c in zip(b.lines, b.lines[1:]):
            if abs(a.size - c.size) <= 0.15 * max(a.size, c.size):
                gaps.append(c.top - a.bottom)
        sizes.extend(line.size for line in b.lines)
    normal_gap = median(gaps) if gaps else 0.0
    body = median(sizes) if sizes else 10.0
    out: list[str] = []
    prev: _Line | None = None
    prev_block: Block | None = None
    for b in blocks:
        for i, line in enumerate(b.lines):
            if prev is not None and prev_block is not None:
                brk = _breaks(prev, prev_block, line, b, "line" if i else b.boundary, normal_gap, body)
                out.append("\n\n" if brk else "\n")
            out.append(line.text)
            prev, prev_block = line, b
    return "".join(out).strip() + "\n" if out else ""


def _centred(line: _Line, block: Block) -> bool:
    if len(block.lines) < 3:
        return False
    em = line.size
    lm, rm = line.x0 - block.left, block.right - line.x1
    return lm > 2 * em and rm > 2 * em and abs(lm - rm) < 1.5 * em


def _breaks(prev: _Line, pb: Block, cur: _Line, cb: Block, boundary: str, normal_gap: float, body: float) -> bool:
    if boundary == "band" or cb.table or pb.table:
        return True
    if abs(prev.size - cur.size) > 0.15 * max(prev.size, cur.size):
        return True
    em = cur.size
    if boundary == "line" and cur.top - prev.bottom > normal_gap + 0.45 * max(em, prev.size):
        return True
    if min(prev.size, cur.size) > 1.15 * body:
        return False  # a heading set larger than the body, wrapped over several lines
    if len(cb.lines) >= 2:
        if cur.x0 - cb.left >= 1.5 * em or cb.left - cur.x0 >= 1.5 * em:
            return True
    if prev.x1 < pb.right - 1.5 * prev.size and _ends_sentence(prev.text):
        return True
    return _centred(prev, pb) or _centred(cur, cb)
