"""Column gutters of a region of a PDF page: the x-ranges that cut it into columns.

A candidate is an x-run where (almost) no character's core (its box minus 20 % on each side)
lies.  It is *blocked* if a crossing character belongs to a run of touching characters reaching
well past both of its sides (a headline across the columns; its row goes to ``spans``), and
rejected if in the rows that straddle it the gap is no wider than the row's ordinary letter
spacing (letter-spaced titles, character grids).  Pure functions over
:class:`~luoshi.ingest.pdf_chars.Char` boxes; :mod:`luoshi.ingest.pdf_layout` cuts at the
gutters found here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from luoshi.ingest.pdf_chars import Char, group_rows, median_size

__all__ = ["Gutters", "gutters"]

# A run of characters in a row whose gaps are at most this share of their size: one chain.
_CHAIN_GAP = 0.6


@dataclass
class Gutters:
    valid: list[tuple[float, float]] = field(default_factory=list)
    blocked: bool = False
    spans: list[tuple[float, float]] = field(default_factory=list)  # rows crossing a gutter

    @property
    def columns(self) -> bool:
        return bool(self.valid) and not self.blocked


def gutters(chars: list[Char], rows: list[list[Char]] | None = None) -> Gutters:
    """Vertical gutters of a region of non-space characters (see the module docstring)."""
    out = Gutters()
    if len(chars) < 2:
        return out
    em = median_size(chars)
    min_w = 0.8 * em
    if rows is None:
        rows = group_rows(chars)
    runs = _free_runs(chars, 0 if len(rows) < 3 else max(1, len(rows) // 4), min_w)
    if not runs:
        return out
    chain_of, row_gap = _chains(rows)
    span_rows: set[int] = set()
    for r0, r1 in runs:
        if not any(c.cx < r0 for c in chars) or not any(c.cx > r1 for c in chars):
            continue
        crossing = _crossing_rows(chars, r0, r1, chain_of)
        if crossing:
            out.blocked = True
            span_rows |= crossing
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


def _free_runs(chars: list[Char], tol: int, min_w: float) -> list[tuple[float, float]]:
    """The x-runs at least ``min_w`` wide, strictly inside the region, where at most ``tol``
    characters' cores lie."""
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
    return runs


def _chains(rows: list[list[Char]]) -> tuple[dict[int, tuple[float, float, int]], list[float]]:
    """Each character's chain (the run of touching characters it belongs to in its row) as
    ``(x0, x1, row index)``, by ``id``; and each row's ordinary letter spacing (its median gap)."""
    chain_of: dict[int, tuple[float, float, int]] = {}
    row_gap: list[float] = []
    for ri, r in enumerate(rows):
        chain: list[Char] = [r[0]]
        gaps = []
        for a, b in zip(r, r[1:]):
            g = b.x0 - a.x1
            gaps.append(g)
            if g > _CHAIN_GAP * max(a.size, b.size):
                ext = (chain[0].x0, max(c.x1 for c in chain), ri)
                for c in chain:
                    chain_of[id(c)] = ext
                chain = []
            chain.append(b)
        ext = (chain[0].x0, max(c.x1 for c in chain), ri)
        for c in chain:
            chain_of[id(c)] = ext
        row_gap.append(max(0.0, median(gaps)) if gaps else 0.0)
    return chain_of, row_gap


def _crossing_rows(chars: list[Char], r0: float, r1: float, chain_of: dict[int, tuple[float, float, int]]) -> set[int]:
    """The rows of the characters in ``[r0, r1]`` whose chain reaches well past both sides
    (half their size): a line running across the gutter."""
    rows: set[int] = set()
    for c in chars:
        w = c.x1 - c.x0
        if c.x0 + 0.2 * w < r1 and c.x1 - 0.2 * w > r0:
            ex0, ex1, ri = chain_of[id(c)]
            d = 0.5 * c.size
            if ex0 < r0 - d and ex1 > r1 + d:
                rows.add(ri)
    return rows


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
