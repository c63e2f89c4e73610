"""Reading order of PDF pages from the geometry of their characters.

Pure functions over :class:`~luoshi.ingest.pdf_chars.Char` boxes (no pdfminer here):
page furniture (running headers/footers, page numbers) is dropped
(:mod:`luoshi.ingest.pdf_furniture`), each page is cut into blocks by a recursive X-Y cut
(column gutters, :mod:`luoshi.ingest.pdf_columns`; horizontal bands; columns that share their
rows and hold cells make one table block), and the blocks' lines are joined by
:mod:`luoshi.ingest.pdf_lines`.  The method is described step by step in
:mod:`luoshi.ingest.pdf`; :func:`layout_text` is the entry.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from statistics import median

from luoshi.ingest.pdf_chars import Char, Page, group_rows, median_size
from luoshi.ingest.pdf_columns import Gutters, gutters
from luoshi.ingest.pdf_furniture import remove_furniture
from luoshi.ingest.pdf_lines import Block, assemble, build_block

__all__ = ["layout_text"]


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
    g = gutters(ink)
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
    em = median_size(ink)
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
    return total >= 2 and cell_aligned >= _TABLE_CELLS_ALIGNED * cell_total and aligned >= _TABLE_ALL_ALIGNED * total


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
    em = median_size(ink)
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

    def info(part: list[Char]) -> Gutters:
        return gutters([c for c in part if not c.space])

    merged: list[list[Char]] = [parts[0]]
    ginfo = [info(parts[0])]
    for part in parts[1:]:
        gi = info(part)
        gp = ginfo[-1]
        prev_bottom = max(c.bottom for c in merged[-1] if not c.space)
        this_top = min(c.top for c in part if not c.space)
        if (not gp.columns and not gi.columns) or (
            gp.columns and gi.columns and this_top - prev_bottom <= 2.5 * em and _compatible(gp.valid, gi.valid)
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
    remove_furniture(pages)
    blocks: list[Block] = []
    for p in pages:
        pb = _page_blocks(p)
        if pb and blocks:
            pb[0].boundary = "col"  # a page turn behaves like a column break
        blocks.extend(pb)
    return assemble(blocks)
