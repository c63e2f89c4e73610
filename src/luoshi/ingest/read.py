"""Read one file (or a string) into :class:`RawText`, choosing the reader by content."""

from __future__ import annotations

import os
from pathlib import Path

from .. import settings
from ..errors import InputError
from ..settings import MB as _MB
from . import RawText
from .detect import sniff
from .docx import docx_to_text
from .html import html_to_text
from .pdf import pdf_to_text
from .text import decode


def _mb(n: int) -> str:
    """Bytes as the MB people count (1 MB = 1024 × 1024 bytes, the unit of the limits)."""
    if n < _MB // 10:
        return f"{n:,} bytes"
    mb = n / _MB
    return f"{mb:.0f} MB" if mb == int(mb) else f"{mb:.1f} MB"


def too_large(size: int, limit: int) -> str | None:
    """The reason a file of ``size`` bytes is refused under ``limit``, or None."""
    if size <= limit:
        return None
    return f"file is {_mb(size)}, over the {_mb(limit)} limit (--max-bytes or LUOSHI_MAX_BYTES)"


def read_file(path: str | os.PathLike, max_bytes: int | None = None) -> bytes:
    """The bytes of the file at ``path``, read once: no more than the limit (``max_bytes``, else
    ``LUOSHI_MAX_BYTES``: :mod:`luoshi.settings`) is ever read (a
    file over it is refused by its size before reading, and one that grows past it while
    being read is refused after ``limit + 1`` bytes).  Every failure is an :class:`InputError`."""
    p = Path(path)
    source = str(path)
    limit = settings.max_bytes() if max_bytes is None else max_bytes
    try:
        if p.is_dir():
            raise InputError(source, "is a folder, not a file")
        reason = too_large(p.stat().st_size, limit)
        if reason:
            raise InputError(source, reason)
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except IsADirectoryError:
        raise InputError(source, "is a folder, not a file") from None
    except OSError as e:
        raise InputError(source, f"cannot be read: {e.strerror or e}") from None
    if len(data) > limit:
        raise InputError(source, f"file grew over the {_mb(limit)} limit while being read")
    return data


def read_path(path: str | os.PathLike, max_bytes: int | None = None) -> RawText:
    """Read the file at ``path``; every failure is an :class:`InputError` with a one-line reason."""
    return read_bytes(read_file(path, max_bytes), source=str(path), suffix=Path(path).suffix.lower())


def read_bytes(data: bytes, source: str = "<bytes>", suffix: str = "") -> RawText:
    if not data.strip():
        raise InputError(source, "file is empty")
    if not data.strip(b" \t\r\n\x00"):
        raise InputError(source, "file is empty: it holds only NUL bytes (an unfinished download?)")
    fmt = sniff(data, suffix)
    if fmt.startswith("unsupported:"):
        raise InputError(source, "unsupported format: " + fmt.split(":", 1)[1])
    if fmt == "binary":
        raise InputError(source, "binary file, not a report (expected text, PDF, HTML or DOCX)")
    warnings: list[str] = []
    if fmt == "pdf":
        text, warnings = pdf_to_text(data, source)
    elif fmt == "docx":
        text = docx_to_text(data, source)
    else:
        text, _enc, warnings = decode(data)
        if fmt == "html":
            text = html_to_text(text, source)
    if "\x00" in text:
        n = text.count("\x00")
        text = text.replace("\x00", "")
        warnings.append(f"{n} NUL character(s) removed")
    if not text.strip():
        raise InputError(source, f"no text found in this {fmt.upper()} file")
    return RawText(text=text, format=fmt, source=source, warnings=warnings)


def read_text(text: str, source: str = "<text>") -> RawText:
    """Wrap an in-memory string (already decoded) as raw text."""
    return RawText(text=text, format="txt", source=source, warnings=[])
