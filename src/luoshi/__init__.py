"""luoshi (落实): Chinese government work reports → structured, trackable commitments."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError, LuoshiError
from .model import Document, Indicator, Metadata, OutlineNode, Record, Task
from .pipeline import extract, load, load_text

__all__ = [
    "Document",
    "Indicator",
    "InputError",
    "LuoshiError",
    "Metadata",
    "OutlineNode",
    "Record",
    "Task",
    "__version__",
    "extract",
    "load",
    "load_text",
]
