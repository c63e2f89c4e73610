"""Reading order of PDF pages from the geometry of their characters.

Pure functions over :class:`~luoshi.ingest.pdf_chars.Char` boxes (no pdfminer here):
page furniture (running headers/footers, page numbers) is dropped, each page is cut
into blocks by a recursive X-Y cut (column gutters, horizontal bands; columns that
share their rows and hold cells make one table block), and the blocks' lines are
joined by :mod:`luoshi.ingest.pdf_lines`.  The method is described step by
step in :mod:`luoshi.ingest.pdf`; :func:`layout_text` is the entry.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from statistics import median

from luoshi.ingest.pdf_chars import Char, Page, group_rows
from luoshi.ingest.pdf_lines import Block, assemble, build_block

__all__ = ["layout_text"]

# Margin zone (fraction of page height) where running headers/footers are looked for.
_ZONE = 0.12


# ─────────────────────────────────────────────────────────────────────────────
# Geometry helpers


def _median_size(chars: list[Char]) -> float:
    return median(c.size for c in chars) if chars else 10.0


@dataclass
class _Gutters:
    valid: list[tuple[float, float]] = field(default_factory=list)
    blocked: bool = False
    spans: list[tuple[float, float]] = field(default_factory=list)  # rows crossing a gutter

    @property
    def columns(self) -> bool:
        return bool(self.valid) and not self.blocked


def _gutters(chars: list[Char], rows: list[list[Char]] | None = None) -> _Gutters:
    """Vertical gutters of a region of non-space characters.

    A candidate is an x-run where (almost) no character's core (its box minus 20 % on
    each side) lies.  It is *blocked* if a crossing character belongs to a run of
    touching characters reaching well past both of its sides (a headline across the
    columns; its row goes to ``spans``), and rejected if in the rows that straddle it
    the gap is no wider than the row's ordinary letter spacing (letter-spaced titles,
    character grids).
    """
    out = _Gutters()
    if len(chars) < 2:
        return out
    em = _median_size(chars)
    min_w = 0.8 * em
    if rows is None:
        rows = group_rows(chars)
    tol = 0 if len(rows) < 3 else max(1, len(rows) // 4)

    events: list[tuple[float, int]] = []
    for c in chars:
        w = c.x1 - c.x0
        a, b = c.x0 + 0.2 * w, c.x1 - 0.2 * w
        if b <= a:
            a = b = c.cx
            b += 0.01
        events.append((a, 1))
        events.append((b, -1))
    events.sort()
    lo, hi = events[0][0], events[-1][0]
    runs: list[tuple[float, float]] = []
    count = 0
    start: float | None = None
    for x, d in events:
        count += d
        if count <= tol:
            if start is None:
                start = x
        elif start is not None:
            if x - start >= min_w and start > lo and x < hi:
                runs.append((start, x))
            start = None
    if not runs:
        return out

    # chain extents: runs of characters in a row with gaps ≤ 0.6 em
    chain_of: dict[int, tuple[float, float, int]] = {}
    row_gap: list[float] = []
    for ri, r in enumerate(rows):
        chain: list[Char] = [r[0]]
        gaps = []
        for a, b in zip(r, r[1:]):
            g = b.x0 - a.x1
            gaps.append(g)
            if g > 0.6 * max(a.size, b.size):
                ext = (chain[0].x0, max(c.x1 for c in chain), ri)
                for c in chain:
                    chain_of[id(c)] = ext
                chain = []
            chain.append(b)
        ext = (chain[0].x0, max(c.x1 for c in chain), ri)
        for c in chain:
            chain_of[id(c)] = ext
        row_gap.append(max(0.0, median(gaps)) if gaps else 0.0)

    span_rows: set[int] = set()
    for r0, r1 in runs:
        if not any(c.cx < r0 for c in chars) or not any(c.cx > r1 for c in chars):
            continue
        blocked = False
        for c in chars:
            w = c.x1 - c.x0
            if c.x0 + 0.2 * w < r1 and c.x1 - 0.2 * w > r0:
                ex0, ex1, ri = chain_of[id(c)]
                d = 0.5 * c.size
                if ex0 < r0 - d and ex1 > r1 + d:
                    blocked = True
                    span_rows.add(ri)
        if blocked:
            out.blocked = True
            continue
        if not _parts_rows(rows, row_gap, (r0 + r1) / 2):
            # Allowed crossings (a long table label reaching into the figures) may have
            # moved the run off the real gutter: try the widest stretch no core crosses.
            free = _widest_free(chars, r0, r1)
            if free is None or free[1] - free[0] < min_w or not _parts_rows(rows, row_gap, sum(free) / 2):
                continue
            r0, r1 = free
        out.valid.append((r0, r1))
    out.spans = [(min(c.top for c in rows[i]), max(c.bottom for c in rows[i])) for i in sorted(span_rows)]
    return out


def _parts_rows(rows: list[list[Char]], row_gap: list[float], mid: float) -> bool:
    """Does a cut at ``mid`` fall in a real gap of (70 % of) the rows it runs through —
    wider than each row's ordinary letter spacing?"""
    straddle = good = 0
    for r, rg in zip(rows, row_gap):
        left = right = None
        for c in r:
            if c.cx < mid:
                left = c
            elif right is None:
                right = c
                break
        if left is None or right is None:
            continue
        straddle += 1
        if right.x0 - left.x1 >= rg + 0.5 * max(left.size, right.size):
            good += 1
    return not straddle or good >= 0.7 * straddle


def _widest_free(chars: list[Char], r0: float, r1: float) -> tuple[float, float] | None:
    """The widest x-range inside ``[r0, r1]`` that no character's core (its box minus 20 %
    on each side) reaches into."""
    cores = sorted((c.x0 + 0.2 * (c.x1 - c.x0), c.x1 - 0.2 * (c.x1 - c.x0)) for c in chars)
    best: tuple[float, float] | None = None
    pos = r0
    for a, b in cores:
        if b <= pos:
            continue
        if a >= r1:
            break
        if a > pos and (best is None or a - pos > best[1] - best[0]):
            best = (pos, a)
        pos = max(pos, b)
    if pos < r1 and (best is None or r1 - pos > best[1] - best[0]):
        best = (pos, r1)
    return best


def _holes(chars: list[Char]) -> list[tuple[float, float]]:
    """Blank y-ranges between the vertical extents of the characters (top to bottom)."""
    spans = sorted((c.top, c.bottom) for c in chars)
    out = []
    cur_b = spans[0][1]
    for t, b in spans[1:]:
        if t > cur_b:
            out.append((cur_b, t))
        cur_b = max(cur_b, b)
    return out


def _split_by(chars: list[Char], cuts: list[float], key) -> list[list[Char]]:  # noqa: ANN001
    parts: list[list[Char]] = [[] for _ in range(len(cuts) + 1)]
    for c in chars:
        parts[bisect_left(cuts, key(c))].append(c)
    return parts


# ─────────────────────────────────────────────────────────────────────────────
# Segmentation into blocks


@dataclass
class _Leaf:
    chars: list[Char]
    boundary: str  # how it is separated from the previous leaf: "col" | "band"
    cuts: list[float] | None = None  # a table's column cuts: its rows are read across them


def _segment(chars: list[Char], depth: int = 0) -> list[_Leaf]:
    ink = [c for c in chars if not c.space]
    if not ink:
        return []
    if len(ink) < 2 or depth > 60:
        return [_Leaf(chars, "band")]
    g = _gutters(ink)
    if g.columns:
        cuts = sorted((a + b) / 2 for a, b in g.valid)
        if _is_table(ink, cuts):
            return [_Leaf(chars, "band", cuts)]
        return _split_columns(chars, g.valid, depth)

    bands = _bands(chars, ink, g.spans)
    if len(bands) > 1:
        out: list[_Leaf] = []
        for band in bands:
            sub = _segment(band, depth + 1)
            if sub:
                sub[0].boundary = "band"
            out.extend(sub)
        return out
    if g.valid:  # a spanning line glued to the columns: best effort
        cuts = sorted((a + b) / 2 for a, b in g.valid)
        if _is_table(ink, cuts):  # a cell across a column cut (a wide name, a header)
            return [_Leaf(chars, "band", cuts)]
        return _split_columns(chars, g.valid, depth)
    return [_Leaf(chars, "band")]


# A column of table cells rather than of running text: narrower than this many ems, or
# with at least this share of its lines made of figures only.
_CELL_WIDTH_EM = 6.0
_CELL_NUMERIC_SHARE = 0.5
_FIGURE = re.compile(r"^[-+−–—]?[\d.,，．%％‰()（）\s-]*\d[\d.,，．%％‰()（）\s-]*$")
# Lines of different columns on one row: baselines within this share of an em.
_ROW_TOL_EM = 0.35
# Share of the cell columns' lines that must have a partner on their row in another
# column, and share of all lines (a wrapped label has lines of its own).
_TABLE_CELLS_ALIGNED = 0.7
_TABLE_ALL_ALIGNED = 0.4


def _is_table(ink: list[Char], cuts: list[float]) -> bool:
    """Do the columns cut at ``cuts`` form a table (read row by row) rather than text columns?

    A table's columns share their rows: some columns hold cells (narrow, or mostly
    figures) and (almost) every line of those stands on the baseline of a line in another
    column; a column of labels may wrap over lines of its own.  Newspaper columns may
    share a baseline grid too, but each is several ems wide and holds running text.
    """
    em = _median_size(ink)
    parts = _split_by(ink, cuts, lambda c: c.cx)
    if any(not p for p in parts):
        return False
    part_rows = [group_rows(p) for p in parts]
    cellish = [_cell_column(p, rows, em) for p, rows in zip(parts, part_rows)]
    if not any(cellish):
        return False
    bases = [[median(c.bottom for c in r) for r in rows] for rows in part_rows]
    tol = _ROW_TOL_EM * em
    aligned = total = cell_aligned = cell_total = 0
    for i, own in enumerate(bases):
        others = sorted(b for j, o in enumerate(bases) if j != i for b in o)
        for b in own:
            k = bisect_left(others, b - tol)
            hit = k < len(others) and others[k] <= b + tol
            total += 1
            aligned += hit
            if cellish[i]:
                cell_total += 1
                cell_aligned += hit
    return (total >= 2 and cell_aligned >= _TABLE_CELLS_ALIGNED * cell_total
            and aligned >= _TABLE_ALL_ALIGNED * total)


def _cell_column(part: list[Char], rows: list[list[Char]], em: float) -> bool:
    width = max(c.x1 for c in part) - min(c.x0 for c in part)
    if width < _CELL_WIDTH_EM * em:
        return True
    figures = sum(1 for r in rows if _FIGURE.match("".join(c.text for c in r)))
    return figures >= _CELL_NUMERIC_SHARE * len(rows)


def _split_columns(chars: list[Char], runs: list[tuple[float, float]], depth: int) -> list[_Leaf]:
    cuts = sorted((a + b) / 2 for a, b in runs)
    out: list[_Leaf] = []
    for i, part in enumerate(_split_by(chars, cuts, lambda c: c.cx)):
        sub = _segment(part, depth + 1)
        if sub:
            sub[0].boundary = "col" if i else "band"
        out.extend(sub)
    return out


def _bands(chars: list[Char], ink: list[Char], spans: list[tuple[float, float]]) -> list[list[Char]]:
    """Cut into horizontal bands, then glue back neighbours with the same column structure.

    Cuts go at wide blank y-gaps, and just above and below every row that runs across
    a gutter (``spans``), however narrow the blank there.
    """
    holes = _holes(ink)
    if not holes:
        return [chars]
    em = _median_size(ink)
    sizes = sorted(b - a for a, b in holes)
    t = 0.8 * em
    if len(sizes) >= 5:
        t = max(t, 1.5 * sizes[len(sizes) // 2])
    cuts = {(a + b) / 2 for a, b in holes if b - a >= t}
    lo = min(c.top for c in ink)
    hi = max(c.bottom for c in ink)
    for top, bottom in spans:
        # the blank just above/below the row; if the row touches its neighbours,
        # its own edge (characters are assigned to bands by their centres)
        above = [h for h in holes if h[1] <= top + 0.5]
        below = [h for h in holes if h[0] >= bottom - 0.5]
        if above and top - above[-1][1] <= 0.3 * em:
            cuts.add(sum(above[-1]) / 2)
        elif top > lo + 0.5:
            cuts.add(top)
        if below and below[0][0] - bottom <= 0.3 * em:
            cuts.add(sum(below[0]) / 2)
        elif bottom < hi - 0.5:
            cuts.add(bottom)
    if not cuts:
        return [chars]
    parts = [p for p in _split_by(chars, sorted(cuts), lambda c: c.cy) if any(not c.space for c in p)]
    if len(parts) < 2:
        return [chars]

    def info(part: list[Char]) -> _Gutters:
        return _gutters([c for c in part if not c.space])

    merged: list[list[Char]] = [parts[0]]
    ginfo = [info(parts[0])]
    for part in parts[1:]:
        gi = info(part)
        gp = ginfo[-1]
        prev_bottom = max(c.bottom for c in merged[-1] if not c.space)
        this_top = min(c.top for c in part if not c.space)
        if (not gp.columns and not gi.columns) or (
            gp.columns and gi.columns and this_top - prev_bottom <= 2.5 * em
            and _compatible(gp.valid, gi.valid)
        ):
            merged[-1] = merged[-1] + part
            ginfo[-1] = info(merged[-1])
        else:
            merged.append(part)
            ginfo.append(gi)
    return merged


def _compatible(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(s0 < b1 and b0 < s1 for b0, b1 in big) for s0, s1 in small)


# ─────────────────────────────────────────────────────────────────────────────
# Page furniture


# Rules and dashes that flank a page number: ASCII and CJK dashes, box-drawing lines
# (Word's "─ 17 ─"), the full-width hyphen.
_DASHES = "-—–―─━－_~·•"
_PAGENO_RE = re.compile(
    rf"^(?:[{_DASHES}(（\[［<〈]*#[{_DASHES})）\]］>〉]*|第#页|第#页共#页|共#页第#页|#/#|page#|page#of#"
    rf"|[{_DASHES}]?[ivxlc]+[{_DASHES}]?)$",
)


@dataclass
class _Seg:
    page: int
    key: str
    chars: list[Char]
    pos: float  # top as a fraction of the page height
    size: float
    alone: bool  # nothing else printed at this height


def _remove_furniture(pages: list[Page]) -> None:
    """Drop running headers/footers and lone page numbers (conservatively).

    Looked for only in the top and bottom margin zones.  A piece of text there is
    furniture when the same text (digits ignored) stands at about the same height in
    about the same size on at least 2 pages and 40 % of the pages; a lone page
    number ("3", "- 3 -", "第3页") is dropped when nothing else is on its line.
    """
    segs: list[_Seg] = []
    for p in pages:
        h = p.bottom - p.top
        if h <= 0:
            continue
        lo, hi = p.top + _ZONE * h, p.bottom - _ZONE * h
        zone = [c for c in p.chars if not c.space and (c.bottom <= lo or c.top >= hi)]
        for row in group_rows(zone):
            rt, rb = min(c.top for c in row), max(c.bottom for c in row)
            pieces: list[list[Char]] = [[row[0]]]
            for a, b in zip(row, row[1:]):
                if b.x0 - a.x1 > 1.5 * max(a.size, b.size):
                    pieces.append([])
                pieces[-1].append(b)
            alone = len(pieces) == 1 and _row_alone(p, rt, rb, pieces[0])
            for piece in pieces:
                key = re.sub(r"\d+", "#", "".join(c.text for c in piece))
                key = re.sub(r"\s+", "", key).lower()
                if key:
                    segs.append(_Seg(p.number, key, piece, (min(c.top for c in piece) - p.top) / h,
                                     median(c.size for c in piece), alone))
    need = max(2, math.ceil(0.4 * len(pages)))
    by_key: dict[str, list[_Seg]] = {}
    for sg in segs:
        by_key.setdefault(sg.key, []).append(sg)
    drop: set[int] = set()
    for key, group in by_key.items():
        for sg in group:
            if _PAGENO_RE.match(key):
                if sg.alone:
                    drop.update(id(c) for c in sg.chars)
                continue
            alike = {o.page for o in group
                     if abs(o.pos - sg.pos) <= 0.03 and abs(o.size - sg.size) <= 0.15 * sg.size}
            if len(alike) < need:
                continue
            if not any(ch.isalpha() for ch in key) and not sg.alone:
                continue  # a bare number inside other text (a table, say): keep
            drop.update(id(c) for c in sg.chars)
    if drop:
        for p in pages:
            p.chars = [c for c in p.chars if id(c) not in drop]


def _row_alone(p: Page, top: float, bottom: float, piece: list[Char]) -> bool:
    ids = {id(c) for c in piece}
    for c in p.chars:
        if c.space or id(c) in ids:
            continue
        if min(bottom, c.bottom) - max(top, c.top) > 0:
            return False
    return True


# ─────────────────────────────────────────────────────────────────────────────
# Whole document


def _page_blocks(page: Page) -> list[Block]:
    blocks = []
    for leaf in _segment(page.chars):
        b = build_block(leaf.chars, leaf.boundary, leaf.cuts)
        if b is not None:
            blocks.append(b)
    return blocks


def layout_text(pages: list[Page]) -> str:
    """The text of ``pages`` in reading order, one line per printed line, paragraphs apart.

    Drops page furniture first (from the pages themselves), then cuts every page into
    blocks; a page turn counts as a column break.
    """
    _remove_furniture(pages)
    blocks: list[Block] = []
    for p in pages:
        pb = _page_blocks(p)
        if pb and blocks:
            pb[0].boundary = "col"  # a page turn behaves like a column break
        blocks.extend(pb)
    return assemble(blocks)
