"""Page furniture of a PDF: running headers and footers, and page numbers, dropped before the
pages are laid out (step 1 of :mod:`luoshi.ingest.pdf`).

Looked for only in the top and bottom margin zones.  A piece of text there is furniture when
the same text (digits ignored, so ``第1版`` and ``第2版`` match) stands at about the same height
in about the same size on at least 2 pages and 40 % of the pages; a lone page number (``3``,
``- 3 -``, ``─ 17 ─``, ``第3页``) is dropped when nothing else is on its line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import median

from luoshi.ingest.pdf_chars import Char, Page, group_rows

__all__ = ["remove_furniture"]

# Margin zone (fraction of page height) where running headers/footers are looked for.
_ZONE = 0.12
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


def remove_furniture(pages: list[Page]) -> None:
    """Drop running headers/footers and lone page numbers from ``pages`` (conservatively)."""
    need = max(2, math.ceil(0.4 * len(pages)))
    by_key: dict[str, list[_Seg]] = {}
    for sg in _margin_pieces(pages):
        by_key.setdefault(sg.key, []).append(sg)
    drop: set[int] = set()
    for key, group in by_key.items():
        for sg in group:
            if _PAGENO_RE.match(key):
                if sg.alone:
                    drop.update(id(c) for c in sg.chars)
                continue
            alike = {o.page for o in group if abs(o.pos - sg.pos) <= 0.03 and abs(o.size - sg.size) <= 0.15 * sg.size}
            if len(alike) < need:
                continue
            if not any(ch.isalpha() for ch in key) and not sg.alone:
                continue  # a bare number inside other text (a table, say): keep
            drop.update(id(c) for c in sg.chars)
    if drop:
        for p in pages:
            p.chars = [c for c in p.chars if id(c) not in drop]


def _margin_pieces(pages: list[Page]) -> list[_Seg]:
    """The pieces of text in the margin zones of every page: each row cut at wide gaps, keyed
    by its text with digits as ``#`` and without spaces."""
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
                    segs.append(
                        _Seg(
                            p.number,
                            key,
                            piece,
                            (min(c.top for c in piece) - p.top) / h,
                            median(c.size for c in piece),
                            alone,
                        )
                    )
    return segs


def _row_alone(p: Page, top: float, bottom: float, piece: list[Char]) -> bool:
    ids = {id(c) for c in piece}
    for c in p.chars:
        if c.space or id(c) in ids:
            continue
        if min(bottom, c.bottom) - max(top, c.top) > 0:
            return False
    return True
