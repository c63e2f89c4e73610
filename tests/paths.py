"""Where the shared material lies, and the marker of the tests that need it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
DEV = SHARED / "eval" / "dev"
SAMPLE = ROOT / "src" / "luoshi" / "data" / "sample" / "ningbo-2024-part1.txt"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) if CORPUS.exists() else []


@lru_cache(maxsize=1)
def corpus_and_eval_text() -> tuple[str, str]:
    """(every corpus report's text, every eval text's): sentence cases must be in the first and
    not in the second. The corpus holds the provinces' reports and, under local/, those of
    cities, districts and counties; a local report that is a dev-set document counts as eval."""
    dev = {p.name[: -len(".gold.jsonl")] for p in DEV.glob("*.gold.jsonl")}
    local = sorted((CORPUS / "local").glob("*.txt"))
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")) + local)
    evalset = "\n".join(
        [p.read_text(encoding="utf-8") for p in sorted((SHARED / "eval").rglob("*.txt"))]
        + [p.read_text(encoding="utf-8") for p in local if p.stem in dev]
    )
    return corpus, evalset


# The ``shared`` marker: conftest.py skips a test carrying it when ../shared is not beside the checkout.
needs_shared = pytest.mark.shared

# The region each report series of ../shared/corpus (national and provinces) names, by file prefix.
CORPUS_REGIONS = {
    "national": "国务院",
    "zhejiang": "浙江省",
    "fujian": "福建省",
    "gansu": "甘肃省",
    "guangxi": "广西壮族自治区",
    "guizhou": "贵州省",
    "hebei": "河北省",
    "heilongjiang": "黑龙江省",
    "henan": "河南省",
    "hunan": "湖南省",
    "jiangxi": "江西省",
    "liaoning": "辽宁省",
    "ningxia": "宁夏回族自治区",
    "shandong": "山东省",
    "shanxi": "山西省",
    "xinjiang": "新疆维吾尔自治区",
}
