"""Deadlines as offices write them: ``2025年12月底``, ``6月底前``, ``年底前``, ``2025-06-30``,
``2025.6``, ``三季度``, or an Excel date cell.  A month means its last day; a quarter its
last day; ``长期``/``持续推进`` and the like mean no deadline (None).

>>> parse_deadline("2025年12月底前", 2025)
datetime.date(2025, 12, 31)
>>> parse_deadline("6月", 2025), parse_deadline("年底前", 2025), parse_deadline("持续推进", 2025)
(datetime.date(2025, 6, 30), datetime.date(2025, 12, 31), None)
>>> parse_deadline("2025-09-15", None), parse_deadline("2026.3", None), parse_deadline("三季度", 2025)
(datetime.date(2025, 9, 15), datetime.date(2026, 3, 31), datetime.date(2025, 9, 30))
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from ..errors import LuoshiError

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_ONGOING = re.compile(r"长期|持续|常态|全年|逐年|每年|按期")
_YMD = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_YM = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月?")
_M = re.compile(r"(?<!\d)(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月")
_Q = re.compile(r"(?:(\d{4})\s*年)?\s*(?:第)?([一二三四1-4])\s*季度")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年)?\s*(?:年底|年末|底前|年内)")
_HALF = re.compile(r"(?:(\d{4})\s*年)?\s*上半年")


class DeadlineError(LuoshiError):
    pass


def _month(token: str) -> int:
    return int(token) if token.isdigit() else _CN_DIGITS.get(token, 0)


def _end_of(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise DeadlineError(f"no month {month}")
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(value, year: int | None) -> date | None:
    """The deadline ``value`` names (a date, datetime or text), with ``year`` for text that
    gives none; None when it names no date (ongoing work, empty).  Unreadable text raises
    :class:`DeadlineError` saying so."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text or _ONGOING.search(text) and not re.search(r"\d{4}|月|季度", text):
        return None
    try:
        if m := _YMD.search(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _YM.search(text):
            return _end_of(int(m[1]), _month(m[2]))
        if m := _Q.search(text):
            q = _month(m[2]) if not m[2].isdigit() else int(m[2])
            return _end_of(int(m[1]) if m[1] else _need(year, text), q * 3)
        if m := _HALF.search(text):
            return date(int(m[1]) if m[1] else _need(year, text), 6, 30)
        if m := _M.search(text):
            return _end_of(_need(year, text), _month(m[1]))
        if m := _YEAR_END.search(text):
            return date(int(m[1]) if m[1] else _need(year, text), 12, 31)
        if m := re.fullmatch(r"(\d{4})\s*年?", text):
            return date(int(m[1]), 12, 31)
    except ValueError as e:
        raise DeadlineError(f"not a date: {text!r} ({e})") from None
    if _ONGOING.search(text):
        return None
    raise DeadlineError(f"cannot read the deadline {text!r}: write it as 2025-12-31, 2025年12月底 or 6月底前")


def _need(year: int | None, text: str) -> int:
    if year is None:
        raise DeadlineError(f"the deadline {text!r} gives no year")
    return year
