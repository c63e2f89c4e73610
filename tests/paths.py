"""Where the shared material lies, and a skip for tests that need it."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
DEV = SHARED / "eval" / "dev"
SAMPLE = ROOT / "src" / "luoshi" / "data" / "sample" / "ningbo-2024-part1.txt"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) if CORPUS.exists() else []


needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside the checkout")
