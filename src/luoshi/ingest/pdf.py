"""PDF → raw text, in reading order recovered from character geometry.

The order in which a PDF stores its text says nothing reliable about the order in
which people read it: newspaper pages in particular are often written row by row
*across* their columns.  So this module ignores stream order entirely.  It takes
every character with its box (pdfminer.six, MIT) and rebuilds the page:

1. **Page furniture** — lines in the top or bottom margin zone whose text repeats on
   several pages (digits ignored, so ``第1版`` / ``第2版`` match) and lone page
   numbers are dropped before anything else.
2. **Blocks** — a recursive X-Y cut.  A *gutter* is an x-range crossed by (almost)
   no character across the whole region; gutters split the region into columns,
   read left to right.  When some line runs *across* a would-be gutter (a headline
   above the columns), the region is first cut into horizontal bands — at its wide
   blank y-gaps and just above and below that line — and each band is cut into its
   own columns; neighbouring bands with the same columns are glued back together.
3. **Lines** — inside a block, characters are grouped by their vertical position
   and sorted by x: one output line per printed line.  Spaces are never invented
   between CJK characters; a space is only added between two Latin letters/digits
   whose gap is clearly a word space.
4. **Paragraphs** — a blank line goes before a line that is indented (≈ two
   characters), outdented, set in another font size, preceded by a larger vertical
   gap than normal, or that follows a short line ending a sentence or a centred line.

``pdf_to_text`` returns ``(raw_text, warnings)`` and raises
:class:`luoshi.errors.InputError` for encrypted, damaged and scanned (image-only)
PDFs; no pdfminer exception escapes.
"""
from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from luoshi.errors import InputError

__all__ = ["pdf_to_text"]

SCANNED_REASON = "no text layer — this PDF is scanned; OCR is not supported"
ENCRYPTED_REASON = "encrypted PDF — remove the password first"

# Margin zone (fraction of page height) where running headers/footers are looked for.
_ZONE = 0.12


# ─────────────────────────────────────────────────────────────────────────────
# Characters


@dataclass(slots=True)
class _Char:
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
class _Page:
    number: int  # 1-based
    top: float
    bottom: float
    chars: list[_Char]
    rotated_dropped: int = 0
    undecodable: int = 0
    failed: bool = False  # pdfminer could not interpret the page


_CID_RE = re.compile(r"\(cid:\d+\)")


def _is_cjkish(ch: str) -> bool:
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


def _fix_char(ch: str) -> str:
    """Spaces to a plain space; font artefacts to the ordinary ideograph.

    Fonts embedded by some producers map glyphs to CJK *compatibility* ideographs
    (U+F900–FAFF, e.g. U+F98E for 年) or to Kangxi radicals (U+2F00–2FDF, e.g. ⼈ for
    人); they look identical but break every text search, so they are normalised here.
    """
    if ch in "\t\u3000\xa0\u2002\u2003\u2009":
        return " "
    o = ord(ch)
    if 0xF900 <= o <= 0xFAFF:
        return unicodedata.normalize("NFC", ch)
    if 0x2F00 <= o <= 0x2FDF or 0x2E80 <= o <= 0x2EFF:
        return unicodedata.normalize("NFKC", ch)
    return ch


def _is_wordish(ch: str) -> bool:
    """A Latin (or Greek/Cyrillic) letter or a digit: chars between which a word space matters."""
    if ch.isascii():
        return ch.isalnum()
    return not _is_cjkish(ch) and unicodedata.category(ch)[0] in "LN"


# ─────────────────────────────────────────────────────────────────────────────
# Reading the PDF (pdfminer.six)


class _Quiet:
    """Silence pdfminer's logging (it warns about every harmless oddity) while we run."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("pdfminer")
        self.level = self.logger.level
        if self.level == logging.NOTSET:
            self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    msg = msg[:120]
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _read_pages(data: bytes, source: str) -> tuple[list[_Page], list[str]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    head = data[:1024]
    if b"%PDF-" not in head:
        raise InputError(source, "not a readable PDF: no %PDF header")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(source, "not a readable PDF: the file is truncated (no %%EOF marker at its end)")

    warnings: list[str] = []
    try:
        parser = PDFParser(io.BytesIO(data))
        doc = PDFDocument(parser, password="")
    except PDFPasswordIncorrect:
        raise InputError(source, ENCRYPTED_REASON) from None
    except PDFEncryptionError:
        raise InputError(source, ENCRYPTED_REASON) from None
    except Exception as exc:  # noqa: BLE001 — pdfminer raises anything on damaged input
        raise InputError(source, f"not a readable PDF: {_short(exc)}") from None

    rsrc = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rsrc, laparams=None)
    interp = PDFPageInterpreter(rsrc, device)
    pages: list[_Page] = []
    failed: list[int] = []
    try:
        for number, page in enumerate(PDFPage.create_pages(doc), start=1):
            try:
                interp.process_page(page)
                layout = device.get_result()
            except PDFPasswordIncorrect:
                raise InputError(source, ENCRYPTED_REASON) from None
            except Exception:  # noqa: BLE001
                failed.append(number)
                pages.append(_Page(number, 0.0, 0.0, [], failed=True))
                continue
            pages.append(_convert_page(number, layout))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 — broken page tree
        if not pages:
            raise InputError(source, f"not a readable PDF: {_short(exc)}") from None
        warnings.append(f"the page tree is damaged after page {len(pages)}; later pages were skipped")
    if not pages:
        raise InputError(source, "not a readable PDF: it has no pages")
    if failed and len(failed) == len(pages):
        raise InputError(source, "not a readable PDF: no page could be read")
    if failed:
        warnings.append(f"{len(failed)} of {len(pages)} pages could not be read and were skipped "
                        f"(pages {_ranges(failed)})")
    return pages, warnings


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    start = prev = nums[0]
    for n in nums[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def _orientation(matrix: tuple[float, ...]) -> int | None:
    """0/90/180/270 for axis-aligned text directions, None for skewed text."""
    a, b, c, d = matrix[:4]
    eps = 1e-3 * max(abs(a), abs(b), abs(c), abs(d), 1e-9)
    if abs(b) <= eps and abs(c) <= eps:
        if a > 0 and d > 0:
            return 0
        if a < 0 and d < 0:
            return 180
        return None  # mirrored
    if abs(a) <= eps and abs(d) <= eps:
        if b > 0 and c < 0:
            return 90
        if b < 0 and c > 0:
            return 270
    return None


def _rotate_box(orient: int, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """Box in a frame turned so that text of orientation ``orient`` reads left→right."""
    if orient == 0:
        return x0, y0, x1, y1
    if orient == 90:  # (x, y) → (y, -x)
        return y0, -x1, y1, -x0
    if orient == 180:  # (x, y) → (-x, -y)
        return -x1, -y1, -x0, -y0
    return -y1, x0, -y0, x1  # 270: (x, y) → (-y, x)


def _convert_page(number: int, layout) -> _Page:  # noqa: ANN001 — pdfminer LTPage
    from pdfminer.layout import LTChar, LTContainer

    raw: list[tuple[int | None, object]] = []
    undecodable = 0
    stack = [layout]
    while stack:
        obj = stack.pop()
        for item in obj:
            if isinstance(item, LTChar):
                raw.append((_orientation(item.matrix), item))
            elif isinstance(item, LTContainer):
                stack.append(item)

    counts = Counter(o for o, _ in raw if o is not None)
    orient = 0
    if counts and counts.get(0, 0) < max(counts.values()):
        orient = counts.most_common(1)[0][0]
    px0, py0, px1, py1 = _rotate_box(orient, *layout.bbox)
    chars: list[_Char] = []
    dropped = 0
    for o, item in raw:
        if o != orient:
            if item.get_text().strip():  # type: ignore[attr-defined]
                dropped += 1
            continue
        text: str = item.get_text()  # type: ignore[attr-defined]
        if "(cid:" in text:
            text = _CID_RE.sub("", text)
            if not text:
                undecodable += 1
                continue
        text = "".join(_fix_char(ch) for ch in text
                       if unicodedata.category(ch) not in ("Cc", "Cf") or ch == "\t")
        if not text:
            continue
        x0, y0, x1, y1 = _rotate_box(orient, item.x0, item.y0, item.x1, item.y1)  # type: ignore[attr-defined]
        if not all(map(math.isfinite, (x0, y0, x1, y1))):
            continue
        cxm, cym = (x0 + x1) / 2, (y0 + y1) / 2
        if not (px0 - 1 <= cxm <= px1 + 1 and py0 - 1 <= cym <= py1 + 1):
            continue  # outside the visible page
        size = y1 - y0
        if size <= 0:
            size = max(x1 - x0, 1.0)
        chars.append(_Char(text, x0, x1, -y1, -y0, size, text.isspace()))
    return _Page(number, -py1, -py0, chars, dropped, undecodable)


# ─────────────────────────────────────────────────────────────────────────────
# Geometry helpers


def _rows(chars: list[_Char]) -> list[list[_Char]]:
    """Group characters into rows by vertical overlap (top to bottom)."""
    rows: list[list[_Char]] = []
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


def _median_size(chars: list[_Char]) -> float:
    return median(c.size for c in chars) if chars else 10.0


@dataclass
class _Gutters:
    valid: list[tuple[float, float]] = field(default_factory=list)
    blocked: bool = False
    spans: list[tuple[float, float]] = field(default_factory=list)  # rows crossing a gutter

    @property
    def columns(self) -> bool:
        return bool(self.valid) and not self.blocked


def _gutters(chars: list[_Char], rows: list[list[_Char]] | None = None) -> _Gutters:
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
        rows = _rows(chars)
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
        chain: list[_Char] = [r[0]]
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
        mid = (r0 + r1) / 2
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
        if straddle and good < 0.7 * straddle:
            continue
        out.valid.append((r0, r1))
    out.spans = [(min(c.top for c in rows[i]), max(c.bottom for c in rows[i])) for i in sorted(span_rows)]
    return out


def _holes(chars: list[_Char]) -> list[tuple[float, float]]:
    """Blank y-ranges between the vertical extents of the characters (top to bottom)."""
    spans = sorted((c.top, c.bottom) for c in chars)
    out = []
    cur_b = spans[0][1]
    for t, b in spans[1:]:
        if t > cur_b:
            out.append((cur_b, t))
        cur_b = max(cur_b, b)
    return out


def _split_by(chars: list[_Char], cuts: list[float], key) -> list[list[_Char]]:  # noqa: ANN001
    parts: list[list[_Char]] = [[] for _ in range(len(cuts) + 1)]
    for c in chars:
        parts[bisect_left(cuts, key(c))].append(c)
    return parts


# ─────────────────────────────────────────────────────────────────────────────
# Segmentation into blocks


@dataclass
class _Leaf:
    chars: list[_Char]
    boundary: str  # how it is separated from the previous leaf: "col" | "band"


def _segment(chars: list[_Char], depth: int = 0) -> list[_Leaf]:
    ink = [c for c in chars if not c.space]
    if not ink:
        return []
    if len(ink) < 2 or depth > 60:
        return [_Leaf(chars, "band")]
    g = _gutters(ink)
    if g.columns:
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
        return _split_columns(chars, g.valid, depth)
    return [_Leaf(chars, "band")]


def _split_columns(chars: list[_Char], runs: list[tuple[float, float]], depth: int) -> list[_Leaf]:
    cuts = sorted((a + b) / 2 for a, b in runs)
    out: list[_Leaf] = []
    for i, part in enumerate(_split_by(chars, cuts, lambda c: c.cx)):
        sub = _segment(part, depth + 1)
        if sub:
            sub[0].boundary = "col" if i else "band"
        out.extend(sub)
    return out


def _bands(chars: list[_Char], ink: list[_Char], spans: list[tuple[float, float]]) -> list[list[_Char]]:
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

    def info(part: list[_Char]) -> _Gutters:
        return _gutters([c for c in part if not c.space])

    merged: list[list[_Char]] = [parts[0]]
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
# Lines


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _Block:
    lines: list[_Line]
    boundary: str
    left: float = 0.0
    right: float = 0.0


def _line_text(row: list[_Char]) -> str:
    ink = [c for c in row if not c.space]
    gaps = [b.x0 - a.x1 for a, b in zip(ink, ink[1:])]
    base = max(0.0, median(gaps)) if gaps else 0.0
    out: list[str] = []
    prev: _Char | None = None
    pending = False
    for c in row:
        if c.space:
            pending = prev is not None
            continue
        if prev is not None:
            a, b = prev.text[-1], c.text[0]
            if pending:
                if not (_is_cjkish(a) and _is_cjkish(b)):
                    out.append(" ")
            elif _is_wordish(a) and _is_wordish(b):
                gap = c.x0 - prev.x1
                size = max(prev.size, c.size)
                if gap > base + 0.2 * size and gap > 0.15 * size:
                    out.append(" ")
        out.append(c.text)
        prev = c
        pending = False
    return "".join(out).strip()


def _dedupe(row: list[_Char]) -> list[_Char]:
    """Drop characters drawn twice at (almost) the same place (fake bold, shadows)."""
    out: list[_Char] = []
    for c in row:
        w = max(c.x1 - c.x0, 0.1)
        if any(p.text == c.text and abs(p.x0 - c.x0) < 0.3 * w and abs(p.top - c.top) < 0.3 * max(c.h, 0.1)
               for p in out[-4:]):
            continue
        out.append(c)
    return out


def _lines(chars: list[_Char]) -> list[_Line]:
    ink = [c for c in chars if not c.space]
    rows = _rows(ink)
    if not rows:
        return []
    spaces = [c for c in chars if c.space]
    if spaces:
        centers = [median(c.cy for c in r) for r in rows]
        bounds = [(min(c.top for c in r), max(c.bottom for c in r)) for r in rows]
        for s in spaces:
            i = bisect_left(centers, s.cy)
            best = min((j for j in (i - 1, i) if 0 <= j < len(rows)),
                       key=lambda j: abs(centers[j] - s.cy))
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
        out.append(_Line(text, rink[0].x0, max(c.x1 for c in rink), min(c.top for c in rink),
                         max(c.bottom for c in rink), median(c.size for c in rink)))
    return out


def _edge(values: list[float], prefer_low: bool) -> float:
    """Most common (rounded) value; ties go to the outermost one."""
    cnt = Counter(round(v) for v in values)
    best = max(cnt.values())
    cands = [v for v, n in cnt.items() if n == best]
    return float(min(cands) if prefer_low else max(cands))


# ─────────────────────────────────────────────────────────────────────────────
# Page furniture


_PAGENO_RE = re.compile(
    r"^(?:[-—–_~·•(（\[［<〈]*#[-—–_~·•)）\]］>〉]*|第#页|第#页共#页|共#页第#页|#/#|page#|page#of#"
    r"|[-—–]?[ivxlc]+[-—–]?)$",
)


@dataclass
class _Seg:
    page: int
    key: str
    chars: list[_Char]
    pos: float  # top as a fraction of the page height
    size: float
    alone: bool  # nothing else printed at this height


def _remove_furniture(pages: list[_Page]) -> None:
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
        for row in _rows(zone):
            rt, rb = min(c.top for c in row), max(c.bottom for c in row)
            pieces: list[list[_Char]] = [[row[0]]]
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


def _row_alone(p: _Page, top: float, bottom: float, piece: list[_Char]) -> bool:
    ids = {id(c) for c in piece}
    for c in p.chars:
        if c.space or id(c) in ids:
            continue
        if min(bottom, c.bottom) - max(top, c.top) > 0:
            return False
    return True


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


def _assemble(blocks: list[_Block]) -> str:
    # normal blank space between consecutive lines of a block
    gaps = []
    sizes = []
    for b in blocks:
        for a, c in zip(b.lines, b.lines[1:]):
            if abs(a.size - c.size) <= 0.15 * max(a.size, c.size):
                gaps.append(c.top - a.bottom)
        sizes.extend(line.size for line in b.lines)
    normal_gap = median(gaps) if gaps else 0.0
    body = median(sizes) if sizes else 10.0
    out: list[str] = []
    prev: _Line | None = None
    prev_block: _Block | None = None
    for b in blocks:
        for i, line in enumerate(b.lines):
            if prev is not None and prev_block is not None:
                brk = _breaks(prev, prev_block, line, b, "line" if i else b.boundary, normal_gap, body)
                out.append("\n\n" if brk else "\n")
            out.append(line.text)
            prev, prev_block = line, b
    return "".join(out).strip() + "\n" if out else ""


def _centred(line: _Line, block: _Block) -> bool:
    if len(block.lines) < 3:
        return False
    em = line.size
    lm, rm = line.x0 - block.left, block.right - line.x1
    return lm > 2 * em and rm > 2 * em and abs(lm - rm) < 1.5 * em


def _breaks(prev: _Line, pb: _Block, cur: _Line, cb: _Block, boundary: str, normal_gap: float,
            body: float) -> bool:
    if boundary == "band":
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


def _page_blocks(page: _Page) -> list[_Block]:
    blocks = []
    for leaf in _segment(page.chars):
        lines = _lines(leaf.chars)
        if not lines:
            continue
        b = _Block(lines, leaf.boundary)
        b.left = _edge([ln.x0 for ln in lines], prefer_low=True)
        b.right = _edge([ln.x1 for ln in lines], prefer_low=False)
        blocks.append(b)
    return blocks


# ─────────────────────────────────────────────────────────────────────────────
# Public API


def pdf_to_text(data: bytes, source: str = "<pdf>") -> tuple[str, list[str]]:
    """Return (raw_text, warnings).

    The text of every page in reading order (columns found from the gutters between
    them, left to right, top to bottom), one line per printed line, a blank line
    between paragraphs.  Raises :class:`InputError` for encrypted, damaged and
    image-only PDFs.
    """
    with _Quiet():
        pages, warnings = _read_pages(bytes(data), source)
        try:
            return _pages_to_text(pages, warnings, source)
        except InputError:
            raise
        except RecursionError:
            raise InputError(source, "not a readable PDF: page layout too deeply nested") from None


def _pages_to_text(pages: list[_Page], warnings: list[str], source: str) -> tuple[str, list[str]]:
    undecodable = sum(p.undecodable for p in pages)
    rotated = sum(p.rotated_dropped for p in pages)
    with_text = [p for p in pages if any(not c.space for c in p.chars)]
    if not with_text:
        if undecodable:
            raise InputError(source, "the PDF's fonts have no Unicode mapping, so its text cannot be read")
        raise InputError(source, SCANNED_REASON)
    n_empty = sum(1 for p in pages if not p.failed) - len(with_text)
    if n_empty:
        warnings.append(f"{n_empty} of {len(pages)} pages have no text layer and were skipped")
    if undecodable:
        warnings.append(f"{undecodable} characters could not be decoded (font without Unicode mapping) "
                        "and were dropped")
    if rotated:
        warnings.append(f"{rotated} characters set at an angle (watermarks, rotated labels) were skipped")

    _remove_furniture(with_text)
    blocks: list[_Block] = []
    for p in with_text:
        pb = _page_blocks(p)
        if pb and blocks:
            pb[0].boundary = "col"  # a page turn behaves like a column break
        blocks.extend(pb)
    text = _assemble(blocks)
    if not text.strip():
        raise InputError(source, SCANNED_REASON)
    return text, warnings
