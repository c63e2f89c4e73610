"""Decide a file's format from its content (the extension is only a tie-breaker)."""

from __future__ import annotations

import re

from .text import looks_utf16, plausible

# Magic numbers and markers, checked on the first bytes of the file.
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
HTML_MARKERS = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|title|article)\b", re.I)
# Formats we recognise but cannot read, with the reason shown to the user.
KNOWN_UNSUPPORTED = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Word/Excel (.doc/.xls) file — save it as DOCX or PDF"),
    (b"\x89PNG", "PNG image — OCR is not supported"),
    (b"\xff\xd8\xff", "JPEG image — OCR is not supported"),
    (b"GIF8", "GIF image — OCR is not supported"),
    (b"{\\rtf", "RTF file — save it as DOCX or plain text"),
    (b"\x1f\x8b", "gzip archive — unpack it first"),
    (b"Rar!", "RAR archive — unpack it first"),
    (b"7z\xbc\xaf", "7-Zip archive — unpack it first"),
)


def sniff(data: bytes, suffix: str = "") -> str:
    """Return ``"pdf"``, ``"docx"``, ``"html"``, ``"txt"``, or ``"unsupported:<reason>"``/``"binary"``.

    >>> sniff(b"%PDF-1.7 ...")
    'pdf'
    >>> sniff("<html><body><p>报告</p></body></html>".encode())
    'html'
    """
    head = data[:1024]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.lstrip().startswith(PDF_MAGIC) or PDF_MAGIC in head[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        if b"word/" in data[:65536] or suffix == ".docx":
            return "docx"
        return "unsupported:zip archive that is not a DOCX — unpack it first"
    for magic, reason in KNOWN_UNSUPPORTED:
        if head.startswith(magic):
            return "unsupported:" + reason
    if _is_utf16(head):
        return "txt"
    if HTML_MARKERS.match(stripped) or (suffix in (".html", ".htm") and b"<" in head):
        return "html"
    if _is_binary(head):
        return "binary"
    # An HTML fragment saved with .txt is still HTML if it opens with a tag and has many of them.
    if stripped.startswith(b"<") and len(re.findall(rb"</?(p|div|br|span)\b", data[:20000], re.I)) >= 5:
        return "html"
    return "txt"


def _is_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _is_binary(head: bytes) -> bool:
    """Many control bytes (other than tab/newline/CR/form feed) mean this is not text.

    NUL bytes alone do not: text with NULs scattered in it (a damaged copy, a padded download)
    is still text when what is left reads as UTF-8 or GB18030; the reader drops them with a
    warning.
    """
    if not head:
        return False
    if looks_utf16(head):
        return False
    limit = max(2, len(head) // 100)
    controls = sum(1 for b in head if b < 32 and b not in (0, 9, 10, 12, 13))
    if controls > limit:
        return True
    nuls = head.count(0)
    if nuls <= limit:
        return False
    rest = head.replace(b"\x00", b"")
    if not rest.strip():
        return True
    for enc in ("utf-8", "gb18030"):
        text = rest.decode(enc, errors="replace")
        if text.count("\ufffd") <= 2 and plausible(text) >= 0.9:  # a character cut at the end
            return False
    return True
