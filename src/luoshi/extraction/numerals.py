"""Numerals as written in reports → numbers.

Arabic numerals are read directly; Chinese numerals are converted span by span with cn2an
(never a whole-text converter, which would turn 一般 into 1般).
"""

from __future__ import annotations

_SIMPLE = {c: i for i, c in enumerate("零一二三四五六七八九")}
_SIMPLE.update({"〇": 0, "两": 2})
_BARE_UNITS = "百千万亿"


def parse_arabic(s: str) -> float:
    """
    >>> parse_arabic("1,065.5")
    1065.5
    >>> parse_arabic("3.15")
    3.15
    """
    return float(s.replace(",", ""))


def parse_chinese(s: str) -> float | None:
    """Convert one Chinese numeral span; None when it is not a number.

    >>> parse_chinese("两"), parse_chinese("十二"), parse_chinese("一百五十")
    (2.0, 12.0, 150.0)
    >>> parse_chinese("千"), parse_chinese("百")
    (1000.0, 100.0)
    >>> parse_chinese("第") is None
    True
    """
    if not s:
        return None
    if len(s) == 1 and s in _SIMPLE:
        return float(_SIMPLE[s])
    if s[0] in _BARE_UNITS:  # 千名, 百亿元: a bare 百/千/万 is one of it
        s = "一" + s
    try:
        import cn2an  # here, not at the top: it takes longer to import than luoshi (CLI and web start-up)

        return float(cn2an.cn2an(s.replace("两", "二").replace("〇", "零"), "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
