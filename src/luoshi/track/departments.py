"""Suggested lead and supporting departments (牵头单位 / 配合单位) for a work item, from the
policy-area words of ``data/departments.tsv``, named as the government of that level names
them (省发展改革委, 市发展改革委, 区发展和改革局).

Only a suggestion, marked as one wherever it is shown: the office that issues the breakdown
decides.  A deployment edits its own copy of the table and names it with the environment
variable ``LUOSHI_DEPARTMENTS`` or ``luoshi breakdown --departments FILE``.

>>> table = load_departments()
>>> suggest("加快推进镇海绿色石化基地二期等在建项目", table, "宁波市", "municipal")
('市发展改革委', ['市经济和信息化局'])
>>> suggest("地区生产总值增长6%左右", table, "深圳市龙岗区", "county")
('区发展和改革局', ['区统计局'])
>>> prefix("广西壮族自治区", "provincial"), prefix("保定市高阳县", "county"), prefix("北京市", "provincial")
('自治区', '县', '市')
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .. import settings
from ..errors import InputError

TIERS = ("national", "provincial", "municipal", "county")
MAX_SUPPORTING = 3
# The prefix a government puts before its departments' names, by the last characters of its
# region's name (longest first): 浙江省 → 省发展改革委, 深圳市龙岗区 → 区发展和改革局.
PREFIXES = (
    ("自治区", "自治区"),
    ("自治州", "州"),
    ("自治县", "县"),
    ("特别行政区", ""),
    ("省", "省"),
    ("市", "市"),
    ("州", "州"),
    ("盟", "盟"),
    ("区", "区"),
    ("县", "县"),
    ("旗", "旗"),
)
# The tier whose names a government uses when its level does not say (a provincial-level 市
# such as 北京市 names its departments as a city does: 市发展改革委).
_TIER_OF_LEVEL = {"national": "national", "provincial": "provincial", "municipal": "municipal", "county": "county"}


@dataclass(frozen=True)
class Department:
    key: str
    names: dict[str, str]  # tier → name pattern, "{}" for the prefix
    keywords: tuple[str, ...]


def _parse(text: str, source: str) -> tuple[Department, ...]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != 2 + len(TIERS):
            raise InputError(
                source,
                f"line {n}: {len(fields)} fields; a department row has "
                "key, national, provincial, municipal, county, keywords (tab-separated)",
            )
        key, *names, words = fields
        out.append(Department(key, dict(zip(TIERS, names)), tuple(w for w in words.split("|") if w)))
    if not out:
        raise InputError(source, "no department rows")
    return tuple(out)


def load_departments(path: str | Path | None = None) -> tuple[Department, ...]:
    """The department table: ``path``, else the file ``LUOSHI_DEPARTMENTS`` names, else the
    bundled ``data/departments.tsv``."""
    path = path or settings.departments_file()
    if path is None:
        text = resources.files("luoshi.data").joinpath("departments.tsv").read_text(encoding="utf-8")
        return _parse(text, "departments.tsv")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(str(path), e.strerror or str(e)) from None
    except UnicodeDecodeError:
        raise InputError(str(path), "the department table is not UTF-8") from None
    return _parse(text, str(path))


def prefix(region: str | None, level: str | None) -> str:
    """The prefix of the government's departments (省, 市, 区, 县…), from its region's name."""
    if level == "national" or not region:
        return ""
    for ending, pre in PREFIXES:
        if region.endswith(ending):
            return pre
    return {"provincial": "省", "municipal": "市", "county": "县"}.get(level or "", "")


def tier(region: str | None, level: str | None) -> str:
    """Which column of names applies: a provincial-level 市 (北京市) names its departments as a
    city does."""
    if level == "provincial" and region and region.endswith("市"):
        return "municipal"
    return _TIER_OF_LEVEL.get(level or "", "municipal")


def name(dept: Department, region: str | None, level: str | None) -> str:
    return dept.names[tier(region, level)].replace("{}", prefix(region, level))


def suggest(text: str, table, region: str | None, level: str | None, context: str = "") -> tuple[str | None, list[str]]:
    """``(lead, supporting)`` for a work item: departments ranked by their words in ``text``
    (each occurrence counts 3) and in ``context``, its section headings (each word found counts
    1); ties go to the row higher in the table.  Supporting departments are those with a word in
    ``text`` itself.  ``(None, [])`` when no word matches."""
    scored = []
    for rank, dept in enumerate(table):
        own = sum(text.count(w) for w in dept.keywords)
        score = 3 * own + sum(1 for w in dept.keywords if w in context)
        if score:
            scored.append((-score, rank, own, dept))
    scored.sort(key=lambda s: (s[0], s[1]))
    if not scored:
        return None, []
    lead = name(scored[0][3], region, level)
    supporting = [name(d, region, level) for _, _, own, d in scored[1:] if own]
    return lead, [n for n in dict.fromkeys(supporting) if n != lead][:MAX_SUPPORTING]
