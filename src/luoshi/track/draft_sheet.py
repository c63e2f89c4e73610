"""The drafted task breakdown (重点工作分工方案) as data and as a sheet: its items
(:class:`DraftItem`), the sheet's columns (those :mod:`luoshi.track.breakdown` reads back), and
the draft written as XLSX, CSV, JSON lines or a table.  :mod:`luoshi.track.draft` drafts it."""

from __future__ import annotations

import calendar
import io
import json
import sys
from dataclasses import asdict, dataclass, field
from datetime import date

from ..output.formats import save_xlsx, write_listing, write_xlsx

# The sheet: its column headers (those of data/breakdown_columns.tsv for what the import reads)
# and the field of an item each one shows.
SHEET_COLUMNS = (
    ("序号", "number"),
    ("工作任务", "task"),
    ("牵头单位", "lead_unit"),
    ("配合单位", "supporting_units"),
    ("完成时限", "deadline_text"),
    ("时限依据", "deadline_basis"),
    ("单位来源", "units_basis"),
    ("所属部分", "section"),
    ("相关记录", "records_text"),
    ("位置", "span"),
)
TABLE_COLUMNS = ("序号", "工作任务", "牵头单位", "完成时限", "时限依据")
ITEM_FIELDS = (
    "number",
    "kind",
    "task",
    "start",
    "end",
    "section",
    "deadline",
    "deadline_source",
    "deadline_stated",
    "lead_unit",
    "supporting_units",
    "units_suggested",
    "records",
)
SUGGESTED = "建议（待核定）"
# The XLSX sheet: its name, column widths and the columns whose text wraps.
SHEET_NAME = "分工方案"
SHEET_WIDTHS = (6, 60, 22, 30, 16, 18, 14, 40, 40, 12)
SHEET_WRAP = ("工作任务", "配合单位", "所属部分", "相关记录")
DRAFT_FORMATS = ("xlsx", "csv", "jsonl", "table")


@dataclass
class DraftItem:
    """One row of the drafted breakdown.  ``kind``: ``target`` (of the main targets passage),
    ``work`` (a work sentence or clause) or ``project`` (one of a list of named projects)."""

    number: int
    kind: str
    task: str
    start: int
    end: int
    section: str
    deadline: date
    deadline_source: str  # "stated" | "default"
    deadline_stated: str | None = None  # the words of the text that state it
    lead_unit: str | None = None
    supporting_units: list[str] = field(default_factory=list)
    units_suggested: bool = True
    records: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["deadline"] = self.deadline.isoformat()
        return {k: d[k] for k in ITEM_FIELDS}

    def sheet_row(self) -> dict:
        """The row as the sheet shows it, by column header."""
        values = {
            "number": self.number,
            "task": self.task,
            "lead_unit": self.lead_unit or "",
            "supporting_units": "、".join(self.supporting_units),
            "deadline_text": deadline_text(self.deadline),
            "deadline_basis": f"文中：{self.deadline_stated}"
            if self.deadline_source == "stated"
            else "默认：计划年度末",
            "units_basis": SUGGESTED if self.units_suggested else "",
            "section": self.section,
            "records_text": "；".join(f"{r['name']} [{r['start']}:{r['end']}]" for r in self.records),
            "span": f"{self.start}-{self.end}",
        }
        return {header: values[key] for header, key in SHEET_COLUMNS}


@dataclass
class Draft:
    source: str
    title: str
    region: str | None
    level: str | None
    year: int
    items: list[DraftItem] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "region": self.region,
            "level": self.level,
            "year": self.year,
            "items": [i.to_dict() for i in self.items],
        }

    def sheet_rows(self) -> list[dict]:
        return [i.sheet_row() for i in self.items]


def deadline_text(when: date) -> str:
    """A deadline as offices write it in a breakdown (and :func:`parse_deadline` reads back).

    >>> deadline_text(date(2024, 6, 30)), deadline_text(date(2024, 2, 29)), deadline_text(date(2024, 10, 15))
    ('2024年6月底前', '2024年2月底前', '2024-10-15')
    """
    if when.day == calendar.monthrange(when.year, when.month)[1]:
        return f"{when.year}年{when.month}月底前"
    return when.isoformat()


def _sheet(draft: Draft) -> dict:
    """The options of :func:`luoshi.output.formats.write_xlsx` for the draft's sheet."""
    return {"sheet": SHEET_NAME, "title": draft.title, "widths": list(SHEET_WIDTHS), "wrap": SHEET_WRAP}


def draft_xlsx(draft: Draft) -> bytes:
    """The draft as an XLSX workbook: a title row above the header, the layout the breakdown
    import reads."""
    out = io.BytesIO()
    write_xlsx(draft.sheet_rows(), [h for h, _ in SHEET_COLUMNS], out, **_sheet(draft))
    return out.getvalue()


def write_draft(draft: Draft, fmt: str, output=None, stream=None) -> None:
    """The draft as ``fmt``: xlsx (a title row above the header, the layout the breakdown
    import reads), csv, jsonl (one item a line, with its records) or table."""
    headers = [h for h, _ in SHEET_COLUMNS]
    if fmt == "xlsx":
        save_xlsx(draft.sheet_rows(), headers, output, stream, **_sheet(draft))
        return
    if fmt == "jsonl":
        out = open(output, "w", encoding="utf-8") if output is not None else (stream or sys.stdout)
        try:
            for item in draft.items:
                out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        finally:
            if output is not None:
                out.close()
        return
    if fmt not in ("csv", "table"):
        raise ValueError(f"unknown --format {fmt!r}; choose one of {', '.join(DRAFT_FORMATS)}")
    write_listing(draft.sheet_rows(), headers, fmt, output, stream=stream, table_columns=TABLE_COLUMNS)
