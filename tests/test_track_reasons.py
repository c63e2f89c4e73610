"""A breakdown sheet the office cannot import says why in Chinese in the Chinese UI: each
reason ``track/breakdown.py`` gives reads through ``locale/patterns.tsv``."""

from __future__ import annotations

import re

import pytest

from luoshi import locale
from luoshi.errors import InputError
from luoshi.track.breakdown import MAX_CELL, MAX_ROWS, read_sheet

HEADER = "序号,工作任务,牵头单位,完成时限\n"
# words a Chinese reason may keep in Latin letters: formats, encodings, the column letter
LATIN = re.compile(r"XLSX|CSV|UTF-8|GB18030|zip|BadZipFile|\b[A-Z]\b")


def _reason(data: bytes, name: str) -> str:
    with pytest.raises(InputError) as caught:
        read_sheet(data, name, 2025)
    return caught.value.reason


@pytest.mark.parametrize(
    "data, name",
    [
        (b"PK\x03\x04" + b"\0" * 40, "分工.xlsx"),  # a damaged XLSX
        ("标题,备注\n一,二\n".encode(), "分工.csv"),  # no task column
        ((HEADER + "".join(f"{i},任务{i},发改委,12月底前\n" for i in range(MAX_ROWS + 1))).encode(), "长.csv"),
        ((HEADER + f"1,{'长' * (MAX_CELL + 1)},发改委,12月底前\n").encode(), "宽.csv"),
    ],
)
def test_a_sheet_reason_reads_in_chinese(data, name):
    reason = _reason(data, name)
    zh = locale.sentence(reason, "zh_CN")
    assert zh != reason, f"no Chinese for {reason!r} (add a pattern to locale/patterns.tsv)"
    assert not re.search(r"[A-Za-z]{2,}", LATIN.sub("", zh)), zh
