"""Which files an import reads: the report files named, and those found in the folders named."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .report import FileResult

SUFFIXES = (".txt", ".pdf", ".html", ".htm", ".docx")  # what a folder is searched for


def find_files(paths: Iterable[str | os.PathLike]) -> tuple[list[str], list[FileResult]]:
    """The report files named by ``paths``: files as given, folders searched recursively for
    ``.txt .pdf .html .htm .docx`` (hidden files and folders skipped).  Missing paths come
    back as failures."""
    files: list[str] = []
    missing: list[FileResult] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if f.is_file() and f.suffix.lower() in SUFFIXES and not any(x.startswith(".") for x in rel):
                    files.append(str(f))
        elif path.is_file():
            files.append(str(path))
        else:
            missing.append(FileResult(str(p), "failed", "no such file or folder"))
    return list(dict.fromkeys(files)), missing


def same(path: str, name: str) -> str:
    """What an unchanged file's result says: the stored report it repeats, unless it has its name."""
    return "" if Path(path).name == name else f"same content as {name}"
