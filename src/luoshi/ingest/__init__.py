"""Ingest: bytes of a file in whatever form people have it → raw text.

Each format has its own module (``text``, ``html``, ``pdf``, ``docx``); ``detect`` decides
which one by looking at the content, not just the extension.  The raw text that comes out
keeps the document's own line structure (one line per printed line where the source has
them, blank lines between paragraphs); cleaning (``luoshi.clean``) repairs it afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RawText"]


@dataclass
class RawText:
    """Text pulled out of one file, before cleaning."""

    text: str
    format: str  # "txt" | "html" | "pdf" | "docx"
    source: str = "<text>"
    warnings: list[str] = field(default_factory=list)
