"""Report metadata: title, region, level, years, speaker, date."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from ..model import Metadata, OutlineNode

HEAD_CHARS = 800  # title, by-line and speaker are looked for in the report's opening
CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
DATE = re.compile(r"((?:20|19)\d\d|[二〇零一三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
CONGRESS = re.compile(r"在([^\s，。、]{2,12}?)第?[一二三四五六七八九十]{1,3}届人民代表大会")
SPEAKER = re.compile(r"(总理|代理?省长|省长|代理?市长|市长|代理?主席|自治区主席|主席|代理?县长|县长|区长|州长|盟长)[\s\u3000]*([\u4e00-\u9fff]{2,3}?)(?=作|在|的|代表|\s|\n|，|$|同志)")


def _cn_int(s: str) -> int:
    if s.isdecimal():
        return int(s)
    if all(c in CN_NUM for c in s):  # 二〇二六 read digit by digit
        return int("".join(str(CN_NUM[c]) for c in s))
    if s.startswith("十"):
        return 10 + (CN_NUM.get(s[1], 0) if len(s) > 1 else 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return CN_NUM[tens] * 10 + (CN_NUM[ones] if ones else 0)
    return CN_NUM.get(s, 0)


@lru_cache(maxsize=1)
def gazetteer() -> list[tuple[str, str, str, str]]:
    """Rows of ``data/regions.tsv``: (name, short, level, parent)."""
    try:
        data = resources.files("luoshi.data").joinpath("regions.tsv").read_text(encoding="utf-8")
    except FileNotFoundError:  # pragma: no cover - shipped with the package
        return []
    rows = []
    for line in data.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = (line.split("\t") + ["", "", "", ""])[:4]
        rows.append(tuple(p.strip() for p in parts))
    return rows


def _region(text: str, head: str) -> tuple[str | None, str | None]:
    if re.search(r"全国人民代表大会|国务院总理|代表国务院", head):
        return "国务院", "national"
    rows = gazetteer()
    m = CONGRESS.search(head)
    spots = [m.group(1)] if m else []
    title = head.split("\n", 3)[:3]
    spots += [t for t in title if "报告" in t]
    for spot in spots:
        best = None
        for name, short, level, _parent in rows:
            if level == "national":
                continue
            for form in (name, short):
                if form and form in spot and (best is None or len(form) > len(best[0])):
                    best = (form, name, level)
        if best:
            return best[1], best[2]
    # No title or by-line: the region named most often in the text.
    tally = Counter()
    levels = {}
    for name, short, lvl, _parent in rows:
        form = short if len(short) >= 2 else name
        if lvl != "national" and form:
            n = text.count(form)
            if n:
                tally[name] += n
                levels[name] = lvl
    if not tally:
        return None, None
    name = tally.most_common(1)[0][0]
    return name, levels[name]


def detect(text: str, outline: OutlineNode) -> Metadata:
    head = text[:HEAD_CHARS]
    meta = Metadata()
    for line in head.split("\n")[:6]:
        if "政府工作报告" in line and len(line) <= 80:
            meta.title = re.split(r"——|—\s|（|\(", line)[0].strip() or line.strip()
            break
    d = DATE.search(head)
    if d:
        y, mo, da = (_cn_int(x) for x in d.groups())
        if 1949 < y < 2100 and 1 <= mo <= 12 and 1 <= da <= 31:
            meta.year_delivered = y
            meta.date = f"{y:04d}-{mo:02d}-{da:02d}"
    if meta.year_delivered is None and meta.title:
        y = re.search(r"(20\d\d)\s*年", meta.title)
        if y:
            meta.year_delivered = int(y.group(1))
    parts = [c for c in outline.children if c.kind == "part"]
    reviews = [p.year for p in parts if p.role == "review" and p.year]
    plans = [p.year for p in parts if p.role == "plan" and p.year]
    if reviews:
        meta.year_reviewed = min(reviews) if meta.year_delivered is None else max(
            (y for y in reviews if y < (meta.year_delivered or 9999)), default=min(reviews))
    if plans:
        meta.year_planned = min(plans)
    if meta.year_delivered is None:
        if meta.year_planned:
            meta.year_delivered = meta.year_planned
        elif meta.year_reviewed:
            meta.year_delivered = meta.year_reviewed + 1
    if meta.year_reviewed is None and meta.year_delivered:
        meta.year_reviewed = meta.year_delivered - 1
    if meta.year_planned is None and meta.year_delivered:
        meta.year_planned = meta.year_delivered
    meta.region, meta.level = _region(text, head)
    s = SPEAKER.search(head)
    if s:
        meta.speaker = s.group(2)
    return meta
