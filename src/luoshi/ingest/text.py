"""Decode the bytes of a plain-text report.

Order of attempts: a byte-order mark (UTF-8, UTF-16 LE/BE), strict UTF-8, UTF-16 without a
BOM (recognised by its many NUL bytes in alternating positions), GB18030 (a superset of GBK
and GB2312), mixed encodings line by line (a UTF-8 file with a paragraph pasted in GBK: each
line UTF-8, else GB18030, else UTF-8 with replacement characters), then charset-normalizer's
best guess.  When nothing decodes cleanly the text is decoded with replacement characters and a
warning says how many bytes could not be read, so nothing is dropped silently.
"""

from __future__ import annotations

import codecs

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def plausible(text: str) -> float:
    """Share of characters that ordinary Chinese report text is made of."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if ("\u4e00" <= ch <= "\u9fff")
        or (" " <= ch <= "~")
        or ch in "\n\r\t"
        or ("\u3000" <= ch <= "\u303f")
        or ("\uff00" <= ch <= "\uffef")
        or ch in "“”‘’—…·"
    )
    return good / len(text)


def looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the decoding whose text looks like a report, when it clearly does."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            score = plausible(sample.decode(enc))
        except UnicodeDecodeError:
            continue
        if score > best_score:
            best, best_score = enc, score
    if best is None or best_score < 0.9:
        return None
    try:
        other = plausible(sample.decode("gb18030"))
    except UnicodeDecodeError:
        other = 0.0
    return best if best_score > other + 0.05 else None


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
    enc16 = looks_utf16(data)
    if enc16:
        try:
            return data.decode(enc16), enc16, []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError:
        pass
    mixed = _by_line(data)
    if mixed is not None:
        return mixed
    guess = _guess(data)
    for enc in filter(None, (guess, "utf-8", "gb18030")):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if bad * 50 < len(text) or enc == "gb18030":
            return text, enc, _replacement_warning(text, enc)
    raise AssertionError("unreachable")


def _damaged_utf8(line: bytes) -> bool:
    """A UTF-8 line with a few bad bytes (cut short, a flipped bit), not a line in another
    encoding: only its last character is cut, or its valid non-ASCII characters far outnumber
    the bad spots."""
    try:
        line.decode("utf-8")
        return False
    except UnicodeDecodeError as e:
        if e.start >= len(line.rstrip(b"\r\n")) - 3 and not line[: e.start].isascii():
            return True
    u = line.decode("utf-8", errors="replace")
    bad = u.count("\ufffd")
    return sum(1 for ch in u if ord(ch) > 127) - bad > 4 * bad


def _by_line(data: bytes) -> tuple[str, str, list[str]] | None:
    """A mostly-UTF-8 file with lines in GB18030 (or a few bad bytes), decoded line by line;
    None when the file has no UTF-8 line with Chinese in it, or too many bad bytes."""
    out: list[str] = []
    utf8 = gb = bad = 0
    for line in data.splitlines(keepends=True):
        try:
            out.append(line.decode("utf-8"))
            utf8 += not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        if not _damaged_utf8(line):
            try:
                out.append(line.decode("gb18030"))
                gb += 1
                continue
            except UnicodeDecodeError:
                pass
        out.append(line.decode("utf-8", errors="replace"))
        bad += len(line) - len(line.decode("utf-8", errors="ignore").encode("utf-8"))
    if not utf8 or bad * 10 > len(data):
        return None
    warnings = []
    if gb:
        warnings.append(f"mixed encodings: {gb} line(s) were not UTF-8 and were read as GB18030")
    if bad:
        warnings.append(f"{bad} byte(s) could not be decoded as UTF-8 or GB18030 and were replaced with U+FFFD")
    return "".join(out), "utf-8", warnings


def _guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes  # start-up time: only files no other attempt decodes
    except ImportError:  # pragma: no cover - declared dependency
        return None
    best = from_bytes(data[:200_000]).best()
    return best.encoding if best else None


def _replacement_warning(text: str, enc: str) -> list[str]:
    bad = text.count("\ufffd")
    if not bad:
        return []
    return [f"{bad} character(s) could not be decoded as {enc} and were replaced with U+FFFD"]
