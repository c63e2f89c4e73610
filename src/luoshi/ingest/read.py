"""Read one file (or a string) into :class:`RawText`, choosing the reader by content."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from . import RawText
from .detect import sniff
from .text import decode

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MB; LUOSHI_MAX_BYTES or --max-bytes change it


def max_bytes_default() -> int:
    value = os.environ.get("LUOSHI_MAX_BYTES")
    if value:
        try:
            return int(value)
        except ValueError:
            raise InputError("LUOSHI_MAX_BYTES", f"not a whole number of bytes: {value!r}") from None
    return DEFAULT_MAX_BYTES


def read_path(path: str | os.PathLike, max_bytes: int | None = None) -> RawText:
    """Read the file at ``path``; every failure is an :class:`InputError` with a one-line reason."""
    p = Path(path)
    source = str(path)
    limit = max_bytes_default() if max_bytes is None else max_bytes
    try:
        if p.is_dir():
            raise InputError(source, "is a folder, not a file")
        size = p.stat().st_size
        if size > limit:
            raise InputError(source, f"file is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit (--max-bytes or LUOSHI_MAX_BYTES)")
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
        raise InputError(source, f"file grew over the {limit / 1e6:.1f} MB limit while being read")
    return read_bytes(data, source=source, suffix=p.suffix.lower())


def read_bytes(data: bytes, source: str = "<bytes>", suffix: str = "") -> RawText:
    if not data.strip():
        raise InputError(source, "file is empty")
    fmt = sniff(data, suffix)
    if fmt.startswith("unsupported:"):
        raise InputError(source, "unsupported format: " + fmt.split(":", 1)[1])
    if fmt == "binary":
        raise InputError(source, "binary file, not a report (expected text, PDF, HTML or DOCX)")
    warnings: list[str] = []
    if fmt == "pdf":
        from .pdf import pdf_to_text

        text, warnings = pdf_to_text(data, source)
    elif fmt == "docx":
        from .docx import docx_to_text

        text = docx_to_text(data, source)
    else:
        text, _enc, warnings = decode(data)
        if fmt == "html":
            from .html import html_to_text

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
