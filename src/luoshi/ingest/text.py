"""Decode the bytes of a plain-text report.

Order of attempts: a byte-order mark (UTF-8, UTF-16 LE/BE), strict UTF-8, UTF-16 without a
BOM (recognised by its many NUL bytes in alternating positions), GB18030 (a superset of GBK
and GB2312), then charset-normalizer's best guess.  When nothing decodes cleanly the text is
decoded with replacement characters and a warning says how many bytes could not be read, so
nothing is dropped silently.
"""
from __future__ import annotations

import codecs

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    # CJK text in UTF-16 has few NULs; ASCII-heavy text has many. Either way one side dominates.
    if odd > 0.2 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.2 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return ``(text, encoding, warnings)``.

    >>> decode("增长6%".encode("gb18030"))[:2]
    ('增长6%', 'gb18030')
    """
    for bom, enc in BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return text, enc, _replacement_warning(text, enc)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    enc16 = _looks_utf16(data)
    if enc16:
        try:
            return data.decode(enc16), enc16, []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    for enc in filter(None, (guess, "utf-8", "gb18030")):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if bad * 50 < len(text) or enc == "gb18030":
            return text, enc, _replacement_warning(text, enc)
    raise AssertionError("unreachable")


def _guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - declared dependency
        return None
    best = from_bytes(data[:200_000]).best()
    return best.encoding if best else None


def _replacement_warning(text: str, enc: str) -> list[str]:
    bad = text.count("\ufffd")
    if not bad:
        return []
    return [f"{bad} character(s) could not be decoded as {enc} and were replaced with U+FFFD"]
