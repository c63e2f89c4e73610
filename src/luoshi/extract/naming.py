"""Indicator names: trim a clause fragment to the phrase that names what is measured, split
coordinated subjects, and find the canonical indicator id."""
from __future__ import annotations

import re

from .lexicon import lexicon

_EDGE_PUNCT = " 、，,；;：:（(）)—-「」\u3000"
_SUBJECT_SPLIT = re.compile(r"、|以及|和|及|与")
_STREAK = re.compile(r"连续\d+年|连续[一二两三四五六七八九十]+年")
PROTECTED_ENDS = ("年均", "人均", "亩均")  # 均 here is part of the indicator, not "both"
_INDICATOR_EDGE = re.compile(r"^(?:全省|全市|全区|全国|全年|地区)?")


def trim(name: str) -> str:
    """Trim lead/trail words and punctuation; no spaces.

    >>> trim("预计全年地区生产总值")
    '地区生产总值'
    >>> trim("政策性融资担保余额和增量均")
    '政策性融资担保余额和增量'
    """
    lex = lexicon()
    name = _STREAK.sub("", name.replace(" ", ""))
    changed = True
    while changed and name:
        changed = False
        stripped = name.strip(_EDGE_PUNCT)
        if stripped != name:
            name, changed = stripped, True
        for w in lex.name_lead:
            if name.startswith(w):
                name, changed = name[len(w):], True
                break
        for w in lex.name_trail:
            if name.endswith(w) and not name.endswith(PROTECTED_ENDS):
                name, changed = name[: -len(w)], True
                break
    if name.count("“") > name.count("”"):
        name = name.replace("“", "", 1) if name.startswith("“") else name + "”"
    if name.count("”") > name.count("“"):
        name = name[:-1] if name.endswith("”") else "“" + name
    return name


def split_subjects(name: str, wanted: int | None = None) -> list[str]:
    """Coordinated subjects, sharing a head noun and a prefix.

    >>> split_subjects("城镇居民和农村居民人均可支配收入")
    ['城镇居民人均可支配收入', '农村居民人均可支配收入']
    >>> split_subjects("规上工业企业亩均税收、亩均增加值")
    ['规上工业企业亩均税收', '规上工业企业亩均增加值']
    >>> split_subjects("本外币存贷款增速", wanted=2)
    ['本外币存款增速', '本外币贷款增速']
    """
    lex = lexicon()
    parts = [p for p in _SUBJECT_SPLIT.split(name) if p]
    if len(parts) < 2:
        if wanted == 2 or wanted is None:
            for word, (a, b) in sorted(lex.contractions.items(), key=lambda kv: -len(kv[0])):
                if word in name and wanted == 2:
                    return [name.replace(word, a, 1), name.replace(word, b, 1)]
        return [name]
    first, last = parts[0], parts[-1]
    tail = ""
    first_headed = any(first.endswith(h) for h in lex.heads)
    for h in lex.heads:
        if last.endswith(h) and len(last) > len(h):
            core = last[: -len(h)]
            core_headed = any(core.endswith(x) for x in lex.heads)
            if core_headed or (not first_headed and len(first) <= len(core) + 2):
                tail = h
                parts[-1] = core
            break
    peer = min(parts[1:], key=len)
    prefix = ""
    k = first.find(peer[:2]) if len(peer) >= 2 else -1
    if k > 0:
        prefix = first[:k]
    elif not tail and (not first_headed or len(peer) <= 3) and len(first) >= len(peer) + 2:
        prefix = first[: len(first) - len(peer)]
    out = [parts[0] + tail] + [prefix + p + tail for p in parts[1:]]
    return out


def indicator_id(name: str) -> str | None:
    """The canonical id of a main indicator (linking.md), or None.

    >>> indicator_id("全省生产总值"), indicator_id("海洋生产总值"), indicator_id("城镇调查失业率")
    ('gdp', None, 'unemployment')
    """
    core = _INDICATOR_EDGE.sub("", name, count=1)
    for canonical, ind_id, _direction in lexicon().indicators:
        if core == canonical or name == canonical:
            return ind_id
        if core.startswith(canonical) and core[len(canonical):] in ("增速", "增长", "总量", "规模"):
            return ind_id
    return None
