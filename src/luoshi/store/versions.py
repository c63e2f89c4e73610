"""Which code made the stored data: each version is luoshi's own and a hash of the code and
tables that decide it, so an upgrade that changes them is noticed.

* :func:`extractor_version` — of every stored document and record: ``luoshi reextract``
  refreshes the documents made by another one, and ``luoshi docs`` says which are current;
* :func:`linker_version` — of every document's links and follow-through (``link_runs``): the stale ones are
  linked again when an import or re-extraction ends, or before a listing of links.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata as pkg_metadata
from pathlib import Path

from .. import __version__

ROOT = Path(__file__).resolve().parents[1]  # src/luoshi
# What decides the records of a document: any change here makes `luoshi reextract` refresh it.
EXTRACTOR_FILES = (
    "ingest/*.py",
    "clean/*.py",
    "outline/*.py",
    "extraction/*.py",
    "data/*.tsv",
    "model.py",
    "pipeline.py",
    "importing/worker.py",
    "store/rows.py",
    "store/segment.py",
)
# What decides the links of two stored documents, besides their records (the extractor's version covers those).
# The follow-through of projects (store/follows.py) is linked data too, with the tables it reads.
LINKER_FILES = (
    "link/*.py",
    "data/indicators.tsv",
    "data/follow.tsv",
    "data/facilities.tsv",
    "data/regions.tsv",
    "store/restore.py",
    "store/links.py",
    "store/follows.py",
)


def _hash(patterns: tuple[str, ...], extra: str = "") -> str:
    """Ten hex digits of the sha256 of the files ``patterns`` match (names and bytes) and ``extra``."""
    h = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(extra.encode())
    return h.hexdigest()[:10]


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """``luoshi version + hash of the extraction code, rule tables and segmenter``, e.g.
    ``0.1.0+3f2a9c01de``."""
    try:
        segmenter = pkg_metadata.version("rjieba")
    except pkg_metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        segmenter = ""
    return f"{__version__}+{_hash(EXTRACTOR_FILES, segmenter)}"


@lru_cache(maxsize=1)
def linker_version() -> str:
    """``luoshi version + hash of the linking code and the indicator table``."""
    return f"{__version__}+{_hash(LINKER_FILES)}"
