"""Names in Chinese: the column headers of tables, CSV and XLSX (``data/labels.tsv``), and the
values a person may type in Chinese on the command line (``--kind 目标``, ``--topic 农业``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

LANGS = ("zh", "en")


def _data_rows(name: str) -> list[list[str]]:
    text = resources.files("luoshi.data").joinpath(name).read_text(encoding="utf-8")
    return [
        [f.strip() for f in line.split("\t")] for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=None)
def zh_names(group: str) -> dict[str, tuple[str, ...]]:
    """``{name: (Chinese name, other accepted Chinese names…)}`` of ``group`` in
    ``data/labels.tsv`` (column, kind, type, measure, verdict); ``topic`` from ``data/topics.tsv``.

    >>> zh_names("verdict")["missed"][0], zh_names("topic")["agriculture"][0]
    ('未达成', '农业与农村')
    """
    if group == "topic":
        return {r[0]: (r[2],) for r in _data_rows("topics.tsv")}
    return {name: tuple(w.strip() for w in zh.split(",")) for g, name, zh in _data_rows("labels.tsv") if g == group}


def column_headers(columns, lang: str | None) -> list[str]:
    """Column headers: ``zh`` their Chinese names (a column without one keeps its name), ``en``
    or None the names themselves (the JSON keys).

    >>> column_headers(("region", "verdict", "牵头单位"), "zh"), column_headers(("region",), "en")
    (['地区', '判定', '牵头单位'], ['region'])
    """
    if lang not in (None,) + LANGS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    if lang != "zh":
        return list(columns)
    names = zh_names("column")
    return [names[c][0] if c in names else c for c in columns]


def canonical_name(group: str, value: str) -> str:
    """The name of a value of ``group`` given by a Chinese name; any other value as it is (the
    library checks it).  A topic may be named by part of its Chinese name when only one has it.

    >>> canonical_name("kind", "目标"), canonical_name("verdict", "未达成"), canonical_name("measure", "change")
    ('target', 'missed', 'change')
    >>> canonical_name("topic", "农业"), canonical_name("topic", "生态环境与能源")
    ('agriculture', 'environment')
    """
    names = zh_names(group)
    found = [name for name, words in names.items() if value.strip() in words]
    if not found and group == "topic" and len(value.strip()) >= 2:
        found = [name for name, words in names.items() if value.strip() in words[0]]
    return found[0] if len(found) == 1 else value
