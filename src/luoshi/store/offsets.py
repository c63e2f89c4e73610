"""The offset map (cleaned character ``i`` → raw position ``offsets[i]``), stored compactly.

Cleaning copies most text as it is, so the map is long runs of consecutive positions; it is
stored as JSON ``[raw_start, length, raw_start, length, …]``, one pair per run.
"""

from __future__ import annotations

import json


def pack(offsets: list[int]) -> str:
    """
    >>> pack([0, 1, 2, 5, 6, 9])
    '[0,3,5,2,9,1]'
    >>> pack([])
    '[]'
    """
    runs: list[int] = []
    start = prev = None
    length = 0
    for pos in offsets:
        if prev is not None and pos == prev + 1:
            length += 1
        else:
            if start is not None:
                runs += (start, length)
            start, length = pos, 1
        prev = pos
    if start is not None:
        runs += (start, length)
    return json.dumps(runs, separators=(",", ":"))


def unpack(packed: str) -> list[int]:
    """
    >>> unpack('[0,3,5,2,9,1]')
    [0, 1, 2, 5, 6, 9]
    """
    runs = json.loads(packed)
    out: list[int] = []
    for i in range(0, len(runs), 2):
        out.extend(range(runs[i], runs[i] + runs[i + 1]))
    return out
