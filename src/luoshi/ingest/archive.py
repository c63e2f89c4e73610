"""The zip-bomb guard shared by the readers of Office Open XML files: DOCX reports
(``ingest/docx.py``) and XLSX breakdown sheets (``track/breakdown.py``). The sizes are read from
the archive's directory, before anything is unzipped."""

from __future__ import annotations

import zipfile

from luoshi.errors import InputError

MB = 1024 * 1024
MAX_RATIO = 100  # uncompressed / archive size, refused above this …
RATIO_FLOOR = 10 * MB  # … when the uncompressed total is also above this


def megabytes(n: float) -> str:
    mb = n / MB
    return f"{mb:.0f}" if mb >= 10 else f"{mb:.2g}"


def check_expansion(
    zf: zipfile.ZipFile, archive_size: int, source: str, kind: str, max_uncompressed: int
) -> list[zipfile.ZipInfo]:
    """The archive's members, once their total unzipped size is under ``max_uncompressed`` and
    under :data:`MAX_RATIO` times ``archive_size``; else an :class:`InputError` naming ``kind``
    (DOCX, XLSX) as a possible zip bomb."""
    infos = zf.infolist()
    total = sum(max(0, i.file_size) for i in infos)
    if total > max_uncompressed:
        raise InputError(
            source,
            f"{kind} expands to {megabytes(total)} MB when unzipped "
            f"(limit {megabytes(max_uncompressed)} MB) — refusing a possible zip bomb",
        )
    ratio = total / max(1, archive_size)
    if ratio > MAX_RATIO and total > RATIO_FLOOR:
        raise InputError(
            source,
            f"{kind} expands to {megabytes(total)} MB when unzipped "
            f"({ratio:.0f} times its size, limit {MAX_RATIO}) — refusing a possible zip bomb",
        )
    return infos
