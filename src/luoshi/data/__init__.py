"""The rule tables (``*.tsv``, each with a header comment naming its fields) and the bundled
sample report."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_path() -> Path:
    """The bundled sample report (Ningbo 2024, part 1)."""
    return Path(str(resources.files(__name__).joinpath("sample/ningbo-2024-part1.txt")))
