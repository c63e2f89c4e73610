"""Repair the layout of raw report text, keeping a map back to every raw character.

The cleaned text has one paragraph per line.  ``CleanText.offsets[i]`` is the position in
the raw text of cleaned character ``i``; a character that stands for a removed line break
(a space kept between Latin words across a wrapped line) maps to that line break.

Steps, in order: drop a scraper's field lines atop the text (标题：, 发文单位：, …: read by
``scraper_fields``), chrome lines and continuation marks; group lines into paragraphs
(wrapped newspaper lines are joined, blank lines or indents start a paragraph); inside a
paragraph fold layout whitespace (none between CJK characters, digits and CJK, or around
punctuation; one space next to a Latin word); turn full-width digits, letters and % into
half-width.
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field

from ..model import raw_span
from .rules import (
    CHROME_LINE,
    CONTINUATION,
    FULLWIDTH_POINT,
    LAYOUT_SPACE,
    PAGE_NUMBER,
    SCRAPER_FIELDS,
    SCRAPER_HEADER,
    SENTENCE_END,
    WIDTH,
)

_LINE = re.compile(r"[^\n]*")
_INDENT = re.compile(r"^(?:\u3000|\s{2,})")


@dataclass
class CleanText:
    """Cleaned text plus its offset map to the raw text."""

    text: str
    raw: str
    offsets: list[int] = field(repr=False)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span ``[start, end)`` to the raw span that covers it."""
        return raw_span(self.offsets, len(self.raw), start, end)

    def to_clean(self, raw_pos: int) -> int:
        """The first cleaned character at or after raw position ``raw_pos``."""
        return bisect.bisect_left(self.offsets, raw_pos)


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF


def _keep_space(left: str, right: str) -> bool:
    """One space survives between a Latin word and a Latin word, a digit, or a CJK character."""
    if _is_latin(left):
        return _is_latin(right) or right.isdigit() or _is_cjk(right)
    if _is_latin(right):
        return left.isdigit() or _is_cjk(left)
    return False


def _lines(raw: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    out = []
    pos = 0
    n = len(raw)
    while pos <= n:
        nl = raw.find("\n", pos)
        if nl < 0:
            out.append((pos, n))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


def _segments(raw: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """The parts of a line that remain once continuation marks are cut out.

    Each is ``(start, end, brk)``: ``brk`` is the raw position of the line break before the
    segment that opens the line (-1 for the others), so that only a real line break counts
    as layout whitespace when lines are joined."""
    line = raw[start:end]
    segs = []
    pos = 0
    for m in CONTINUATION.finditer(line):
        segs.append((start + pos, start + m.start()))
        pos = m.end()
    segs.append((start + pos, end))
    kept = [(s, e) for s, e in segs if raw[s:e].strip()]
    return [(s, e, start - 1 if i == 0 else -1) for i, (s, e) in enumerate(kept)]


def _header_lines(raw: str):
    """The scraper's field lines atop ``raw``: (line start, line end, field, value) for each,
    up to the first line that is neither blank nor a field."""
    s, n = 0, len(raw)
    while s <= n:
        e = raw.find("\n", s)
        e = n if e < 0 else e
        line = raw[s:e]
        s_line, s = s, e + 1
        if not line.strip(" \t\r\u3000\u00a0\ufeff"):
            continue
        m = SCRAPER_HEADER.match(line)
        if not m:
            return
        yield s_line, e, m.group(1), m.group(2)


def scraper_fields(raw: str) -> dict[str, str]:
    """The metadata in a scraper's field lines atop ``raw``: ``{"title": …, "issuer": …,
    "date": …, "speaker": …, "source_url": …}`` for the fields present and not empty."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    out: dict[str, str] = {}
    for _s, _e, name, value in _header_lines(raw):
        key = SCRAPER_FIELDS[name]
        if key and value and key not in out:
            out[key] = value
    return out


def _paragraphs(raw: str) -> list[list[tuple[int, int, int]]]:
    """Group the kept line segments into paragraphs."""
    header = {s for s, _e, _name, _value in _header_lines(raw)}
    lines = []  # (segments, stripped text, raw line start) or None for a blank line
    for s, e in _lines(raw):
        text = raw[s:e]
        stripped = text.strip(" \t\r\u3000\u00a0\ufeff")
        if not stripped or s in header or CHROME_LINE.match(stripped):
            lines.append(None)
            continue
        segs = _segments(raw, s, e)
        if not segs:
            lines.append(None)
            continue
        lines.append((segs, stripped, text))
    # Lone page numbers standing as their own block are page furniture.
    for i, item in enumerate(lines):
        if item and PAGE_NUMBER.match(item[1]):
            before = lines[i - 1] if i else None
            after = lines[i + 1] if i + 1 < len(lines) else None
            if before is None and after is None:
                lines[i] = None

    nonblank = [item for item in lines if item]
    if not nonblank:
        return []
    first_i = next(i for i, item in enumerate(lines) if item)
    last_i = max(i for i, item in enumerate(lines) if item)
    blanks = sum(1 for item in lines[first_i:last_i] if item is None)  # blank lines between text
    median = statistics.median(len(item[1]) for item in nonblank)
    wrapped = median <= 60 and len(nonblank) >= 3
    by_blank = blanks >= 0.05 * len(nonblank)

    paras: list[list[tuple[int, int, int]]] = []
    current: list[tuple[int, int, int]] = []
    prev_text = None
    for item in lines:
        if item is None:
            if current:
                paras.append(current)
                current = []
            prev_text = None
            continue
        segs, stripped, text = item
        new_para = True
        if current and wrapped:
            if by_blank:
                new_para = False
            else:
                indented = bool(_INDENT.match(text))
                ended = bool(prev_text) and (prev_text[-1] in SENTENCE_END or len(prev_text) < 0.7 * median)
                new_para = indented or ended
        if new_para and current:
            paras.append(current)
            current = []
        current.extend(segs)
        prev_text = stripped
    if current:
        paras.append(current)
    return paras


def clean(raw: str) -> CleanText:
    """Clean ``raw`` text; see the module docstring for what is done.

    >>> c = clean("增长 6 %\\n左右，LNG\\n加注")
    >>> c.text
    '增长6%左右，LNG 加注'
    >>> c.raw[c.offsets[2]]
    '6'
    >>> clean("地区\\t2017年\\t10228.96\\t1903.77").text  # a table row: a tab between cells
    '地区\\t2017年\\t10228.96\\t1903.77'
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    chars: list[str] = []
    offsets: list[int] = []
    for para in _paragraphs(raw):
        if chars:
            chars.append("\n")
            brk = raw.rfind("\n", offsets[-1] + 1, para[0][0])  # the line break before the paragraph
            offsets.append(brk if brk >= 0 else offsets[-1] + 1)
        pending = -1  # raw position of pending layout whitespace, -1 when none
        tab = -1  # raw position of a tab in it: a table's cell boundary (ingest/pdf.py writes one)
        first = True
        for s, e, brk in para:
            if not first and brk >= 0:
                pending = brk if pending < 0 else pending  # the line break between lines
            first = False
            for i in range(s, e):
                ch = raw[i]
                if ch in LAYOUT_SPACE:
                    if pending < 0:
                        pending = i
                    if ch == "\t":
                        tab = i
                    continue
                ch = WIDTH.get(ch, ch)
                if pending >= 0:
                    if chars and chars[-1] != "\n" and tab >= 0:
                        chars.append("\t")  # cells stay apart: 10228.96\t1903.77
                        offsets.append(tab)
                    elif chars and chars[-1] != "\n" and _keep_space(chars[-1], ch):
                        chars.append(" ")
                        offsets.append(pending)
                    pending = tab = -1
                if ch == FULLWIDTH_POINT and chars and chars[-1].isdigit():
                    ch = "."
                chars.append(ch)
                offsets.append(i)
    return CleanText("".join(chars), raw, offsets)
