"""luoshi (落实): Chinese government work reports → structured, trackable commitments."""
from __future__ import annotations

__version__ = "0.1.0"

# The subpackage luoshi.extract is imported first so that the name ``luoshi.extract`` below
# is the function (importing a subpackage later would otherwise rebind the attribute).
from . import extract as _extract_stage  # noqa: F401
from .errors import InputError, LuoshiError
from .model import Document, Indicator, Metadata, OutlineNode, Record, Task
from .pipeline import extract, load, load_text

__all__ = ["Document", "Indicator", "InputError", "LuoshiError", "Metadata", "OutlineNode", "Record",
           "Task", "__version__", "extract", "load", "load_text"]
