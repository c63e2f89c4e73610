"""PDF → raw text, in reading order recovered from character geometry.

The order in which a PDF stores its text says nothing reliable about the order in
which people read it: newspaper pages in particular are often written row by row
*across* their columns.  So this module ignores stream order entirely.  It takes
every character with its box (pdfminer.six, MIT) and rebuilds the page:

0. **Boxes from baselines** — a character's vertical extent is rebuilt from its
   baseline and font size, never taken from its glyph box: Founder's digit and
   punctuation fonts (E-BZ, NEU-BZ) declare a descent that puts their boxes up to a
   line below the text they stand in.
1. **Page furniture** — lines in the top or bottom margin zone whose text repeats on
   several pages (digits ignored, so ``第1版`` / ``第2版`` match) and lone page
   numbers (``3``, ``- 3 -``, ``─ 17 ─``, ``第3页``) are dropped before anything else.
2. **Blocks** — a recursive X-Y cut.  A *gutter* is an x-range crossed by (almost)
   no character across the whole region; gutters split the region into columns,
   read left to right.  When some line runs *across* a would-be gutter (a headline
   above the columns), the region is first cut into horizontal bands — at its wide
   blank y-gaps and just above and below that line — and each band is cut into its
   own columns; neighbouring bands with the same columns are glued back together.
   Columns that share their rows (almost every line has a partner on its baseline in
   another column) and of which one holds cells (narrow, or mostly figures) are a
   **table**: it is read row by row, a tab between cells, each row a line of its own.
3. **Lines** — inside a block, characters are grouped by their vertical position
   and sorted by x: one output line per printed line.  Spaces are never invented
   between CJK characters; a space is only added between two Latin letters/digits
   whose gap is clearly a word space.
4. **Paragraphs** — a blank line goes before a line that is indented (≈ two
   characters), outdented, set in another font size, preceded by a larger vertical
   gap than normal, or that follows a short line ending a sentence or a centred line.

At most ``LUOSHI_MAX_PDF_PAGES`` pages (:mod:`luoshi.settings`) are read: pdfminer takes seconds
over a dense newspaper page, and a work report has far fewer; later pages are skipped with a
warning.

``pdf_to_text`` returns ``(raw_text, warnings)`` and raises
:class:`luoshi.errors.InputError` for encrypted, damaged and scanned (image-only)
PDFs, and for PDFs whose fonts have no Unicode mapping for more than a quarter of their
characters (what remains would be fragments); no pdfminer exception escapes.

This module reads the PDF (pdfminer.six) and turns its glyphs into normalised character
boxes (:mod:`luoshi.ingest.pdf_chars`); step 1 is in :mod:`luoshi.ingest.pdf_furniture`, step 2
in :mod:`luoshi.ingest.pdf_layout` (with the gutters of :mod:`luoshi.ingest.pdf_columns`), steps
3–4 in :mod:`luoshi.ingest.pdf_lines`.
"""

from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
from collections import Counter

from luoshi import settings
from luoshi.errors import InputError
from luoshi.ingest.pdf_chars import Char, Page
from luoshi.ingest.pdf_layout import layout_text

__all__ = ["pdf_to_text"]

DESCENT = 0.12  # share of the em below the baseline: a character's box is rebuilt from its baseline
SCANNED_REASON = "no text layer — this PDF is scanned; OCR is not supported"
ENCRYPTED_REASON = "encrypted PDF — remove the password first"


# ─────────────────────────────────────────────────────────────────────────────
# Character normalisation


_CID_RE = re.compile(r"\(cid:\d+\)")
# What a glyph of a font without a Unicode mapping comes out as, besides "(cid:N)": a
# private-use code point (fonts that number their glyphs there) or U+FFFD.
_UNMAPPED_RE = re.compile("[\ue000-\uf8ff\ufffd]")
# Share of a PDF's characters that may be undecodable before the whole PDF is refused:
# past it, what is left is fragments, not the report.
MAX_UNDECODABLE_SHARE = 0.25
UNMAPPED_REASON = (
    "the PDF's fonts have no Unicode mapping, so its text cannot be read (OCR of the printed pages is not supported)"
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


def _open_document(data: bytes, source: str):
    """pdfminer's document of ``data``; an InputError for a file that is no readable PDF."""
    # start-up time: pdfminer.six takes 0.1 s to load; only PDFs need it
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    head = data[:1024]
    if b"%PDF-" not in head:
        raise InputError(source, "not a readable PDF: no %PDF header")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(source, "not a readable PDF: the file is truncated (no %%EOF marker at its end)")
    try:
        parser = PDFParser(io.BytesIO(data))
        return PDFDocument(parser, password="")
    except PDFPasswordIncorrect:
        raise InputError(source, ENCRYPTED_REASON) from None
    except PDFEncryptionError:
        raise InputError(source, ENCRYPTED_REASON) from None
    except Exception as exc:  # noqa: BLE001 — pdfminer raises anything on damaged input
        raise InputError(source, f"not a readable PDF: {_short(exc)}") from None


def _read_pages(data: bytes, source: str) -> tuple[list[Page], list[str]]:
    # start-up time: pdfminer.six takes 0.1 s to load; only PDFs need it
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    doc = _open_document(data, source)
    warnings: list[str] = []
    rsrc = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rsrc, laparams=None)
    interp = PDFPageInterpreter(rsrc, device)
    pages: list[Page] = []
    failed: list[int] = []
    limit = settings.max_pdf_pages()
    try:
        for number, page in enumerate(PDFPage.create_pages(doc), start=1):
            if number > limit:
                warnings.append(
                    f"the PDF has more than {limit} pages: only the first {limit} were read (LUOSHI_MAX_PDF_PAGES)"
                )
                break
            try:
                interp.process_page(page)
                layout = device.get_result()
            except PDFPasswordIncorrect:
                raise InputError(source, ENCRYPTED_REASON) from None
            except Exception:  # noqa: BLE001
                failed.append(number)
                pages.append(Page(number, 0.0, 0.0, [], failed=True))
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
        warnings.append(
            f"{len(failed)} of {len(pages)} pages could not be read and were skipped (pages {_ranges(failed)})"
        )
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


def _convert_page(number: int, layout) -> Page:  # noqa: ANN001 — pdfminer LTPage
    from pdfminer.layout import LTChar, LTContainer  # start-up time: as in _read_pages

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
    chars: list[Char] = []
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
        if _UNMAPPED_RE.search(text):  # private-use code points: a font with no real mapping
            undecodable += 1
            continue
        text = "".join(_fix_char(ch) for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or ch == "\t")
        if not text:
            continue
        x0, y0, x1, y1 = _rotate_box(orient, item.x0, item.y0, item.x1, item.y1)  # type: ignore[attr-defined]
        ox, oy = item.matrix[4], item.matrix[5]  # type: ignore[attr-defined]  # the glyph's origin
        start, base = _rotate_box(orient, ox, oy, ox, oy)[:2]
        if not all(map(math.isfinite, (x0, y0, x1, y1, base, start))):
            continue
        size = y1 - y0
        if size <= 0:
            size = max(x1 - x0, 1.0)
        # The vertical extent comes from the baseline and the font size, not from the glyph
        # box: fonts with a wrong descent (Founder's E-BZ/NEU-BZ digits and punctuation)
        # have boxes shifted or stretched off their line.  Only for glyphs set left to right
        # from their origin (a vertical-writing font's origin is the top middle of its box).
        if abs(start - x0) <= 0.05 * size and abs(base - y0) <= 3 * size:
            y0, y1 = base - DESCENT * size, base + (1 - DESCENT) * size
        cxm, cym = (x0 + x1) / 2, (y0 + y1) / 2
        if not (px0 - 1 <= cxm <= px1 + 1 and py0 - 1 <= cym <= py1 + 1):
            continue  # outside the visible page
        chars.append(Char(text, x0, x1, -y1, -y0, size, text.isspace()))
    return Page(number, -py1, -py0, chars, dropped, undecodable)


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


def _pages_to_text(pages: list[Page], warnings: list[str], source: str) -> tuple[str, list[str]]:
    undecodable = sum(p.undecodable for p in pages)
    rotated = sum(p.rotated_dropped for p in pages)
    with_text = [p for p in pages if any(not c.space for c in p.chars)]
    if not with_text:
        if undecodable:
            raise InputError(source, UNMAPPED_REASON)
        raise InputError(source, SCANNED_REASON)
    ink = sum(1 for p in pages for c in p.chars if not c.space)
    if undecodable > MAX_UNDECODABLE_SHARE * (ink + undecodable):
        raise InputError(source, f"{UNMAPPED_REASON}: {undecodable} of {ink + undecodable} characters")
    n_empty = sum(1 for p in pages if not p.failed) - len(with_text)
    if n_empty:
        warnings.append(f"{n_empty} of {len(pages)} pages have no text layer and were skipped")
    if undecodable:
        warnings.append(
            f"{undecodable} characters could not be decoded (font without Unicode mapping) and were dropped"
        )
    if rotated:
        warnings.append(f"{rotated} characters set at an angle (watermarks, rotated labels) were skipped")

    text = layout_text(with_text)
    if not text.strip():
        raise InputError(source, SCANNED_REASON)
    return text, warnings
