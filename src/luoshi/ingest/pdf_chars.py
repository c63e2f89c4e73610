"""Characters of a PDF page as positioned boxes: what they are and how they group into rows.

The shared vocabulary of :mod:`luoshi.ingest.pdf` (which fills it from pdfminer),
:mod:`luoshi.ingest.pdf_furniture` (headers, footers, page numbers),
:mod:`luoshi.ingest.pdf_layout` and :mod:`luoshi.ingest.pdf_columns` (reading order) and
:mod:`luoshi.ingest.pdf_lines` (lines and paragraphs).  Coordinates are in PDF points, in a frame where the text
reads left to right and y grows downwards.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from statistics import median

__all__ = ["Char", "Page", "is_cjkish", "is_wordish", "group_rows", "median_size"]


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float  # grows downwards
    bottom: float
    size: float
    space: bool

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def h(self) -> float:
        return self.bottom - self.top


@dataclass
class Page:
    number: int  # 1-based
    top: float
    bottom: float
    chars: list[Char]
    rotated_dropped: int = 0
    undecodable: int = 0
    failed: bool = False  # pdfminer could not interpret the page


def is_cjkish(ch: str) -> bool:
    """CJK ideographs, kana/hangul, CJK and full-width punctuation, curly quotes."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK symbols & punct, kana, CJK ext A, unified
        or 0xAC00 <= o <= 0xD7AF  # hangul
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= o <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= o <= 0xFFEF  # half/full-width forms
        or 0x20000 <= o <= 0x3FFFF
        or o in (0x2018, 0x2019, 0x201C, 0x201D, 0x2014, 0x2026, 0x00B7, 0x2015)
    )


def is_wordish(ch: str) -> bool:
    """A Latin (or Greek/Cyrillic) letter or a digit: chars between which a word space matters."""
    if ch.isascii():
        return ch.isalnum()
    return not is_cjkish(ch) and unicodedata.category(ch)[0] in "LN"


def median_size(chars: list[Char]) -> float:
    """The median font size of ``chars`` (10 for none): the em the layout measures in."""
    return median(c.size for c in chars) if chars else 10.0


def group_rows(chars: list[Char]) -> list[list[Char]]:
    """Group characters into rows by vertical overlap (top to bottom)."""
    rows: list[list[Char]] = []
    rtop = rbot = 0.0
    for c in sorted(chars, key=lambda c: (c.top, c.x0)):
        if rows:
            ov = min(rbot, c.bottom) - max(rtop, c.top)
            if ov >= 0.5 * min(c.h, rbot - rtop) and ov > 0:
                rows[-1].append(c)
                rbot = max(rbot, c.bottom)
                continue
        rows.append([c])
        rtop, rbot = c.top, c.bottom
    for r in rows:
        r.sort(key=lambda c: c.x0)
    return rows
