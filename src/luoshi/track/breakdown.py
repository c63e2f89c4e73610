"""A task-breakdown sheet (任务分解表: task, lead unit, supporting units, deadline) read from
XLSX or CSV and matched to a report's extracted records.

* Columns are found by their header words (``data/breakdown_columns.tsv``) in the first rows
  (a title row above the header is usual); merged cells in an XLSX fill every row they span.
* A row with a task but no unit and no deadline is a heading (一、扩大有效需求): kept as the
  ``section`` of the rows below, not imported.
* A row matches the record whose evidence it shares most of (character bigrams, measured on
  the shorter of the two, ≥ ``MATCH``); each record is matched once, best first.  The others
  become free-standing items.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..link.match import bigrams
from .dates import DeadlineError, parse_deadline

MATCH = 0.6
HEADER_ROWS = 10
MAX_ROWS = 20_000
_PUNCT = re.compile(r"[\s，。；、：:,.;（）()“”\"'《》【】\[\]—\-·!！?？]+")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")


def _columns() -> dict[str, list[str]]:
    out = {}
    text = resources.files("luoshi.data").joinpath("breakdown_columns.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, words = line.split("\t")
            out[name] = words.split("|")
    return out


COLUMNS = _columns()


@dataclass
class Row:
    """One task of the sheet: ``line`` is its row number in the sheet (1-based)."""

    line: int
    task: str
    lead_unit: str | None = None
    supporting_units: str | None = None
    deadline: date | None = None
    deadline_text: str | None = None
    section: str | None = None
    error: str | None = None
    record_id: int | None = None
    score: float = 0.0


@dataclass
class Sheet:
    name: str
    rows: list[Row] = field(default_factory=list)
    headings: int = 0


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_map(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for field_name, words in COLUMNS.items():
        for exact in (True, False):
            for i, cell in enumerate(cells):
                c = _PUNCT.sub("", cell).lower()
                if c and i not in found.values() and any(c == w.lower() if exact else w.lower() in c for w in words):
                    found.setdefault(field_name, i)
            if field_name in found:
                break
    return found


def _grid_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise InputError("sheet", f"not a readable XLSX file ({type(e).__name__})") from None
    ws = wb.worksheets[0]
    if ws.max_row > MAX_ROWS:
        raise InputError("sheet", f"{ws.max_row} rows: more than {MAX_ROWS}")
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
    return grid


def _grid_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("sheet", "the CSV is neither UTF-8 nor GB18030")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if len(rows) > MAX_ROWS:
        raise InputError("sheet", f"{len(rows)} rows: more than {MAX_ROWS}")
    return rows


def read_sheet(data: bytes, name: str, year: int | None) -> Sheet:
    """The tasks of a breakdown sheet (XLSX by its zip signature, else CSV)."""
    grid = _grid_xlsx(data) if data[:2] == b"PK" else _grid_csv(data)
    for h, raw in enumerate(grid[:HEADER_ROWS]):
        header = _header_map([_text(c) for c in raw])
        if "task" in header and ("lead_unit" in header or "deadline" in header):
            break
    else:
        raise InputError(name, "no header row with a task column and a lead-unit or deadline column "
                               f"(looked for {', '.join(COLUMNS['task'][:4])}… and {', '.join(COLUMNS['lead_unit'][:3])}…)")
    sheet = Sheet(name)
    section = None
    for n, raw in enumerate(grid[h + 1:], start=h + 2):
        cells = [_text(c) for c in raw]

        def get(field_name: str) -> str:
            i = header.get(field_name)
            return cells[i] if i is not None and i < len(cells) else ""

        task = get("task")
        if not task:
            first = next((c for c in cells if c), "")
            if _HEADING.match(first):
                section = first
                sheet.headings += 1
            continue
        lead, supporting, deadline_text = get("lead_unit"), get("supporting_units"), get("deadline")
        if not lead and not deadline_text and (_HEADING.match(task) or len(task) < 30):
            section = task
            sheet.headings += 1
            continue
        row = Row(n, task, lead or None, supporting or None, section=section, deadline_text=deadline_text or None)
        raw_deadline = raw[header["deadline"]] if "deadline" in header and header["deadline"] < len(raw) else None
        try:
            row.deadline = parse_deadline(raw_deadline, year)
        except DeadlineError as e:
            row.error = str(e)
        sheet.rows.append(row)
    return sheet


def _bigrams(text: str) -> frozenset[str]:
    return bigrams(_PUNCT.sub("", text))


def similarity(a: str, b: str) -> float:
    """Share of the shorter text's character bigrams found in the other.

    >>> similarity("开工建设梅山铁路专用线", "2025年，开工建设梅山铁路专用线、完成…")
    1.0
    """
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def match(rows: list[Row], records: list[dict]) -> None:
    """Set each row's ``record_id`` to its best record (≥ MATCH), each record used once."""
    grams = [(r["id"], _bigrams(r.get("evidence") or "")) for r in records if r.get("id") is not None]
    pairs = []
    for i, row in enumerate(rows):
        g = _bigrams(row.task)
        for rid, rg in grams:
            if g and rg:
                score = len(g & rg) / min(len(g), len(rg))
                if score >= MATCH:
                    pairs.append((score, -i, rid, i))
    used_rows, used_records = set(), set()
    for score, _, rid, i in sorted(pairs, reverse=True):
        if i in used_rows or rid in used_records:
            continue
        rows[i].record_id, rows[i].score = rid, round(score, 3)
        used_rows.add(i)
        used_records.add(rid)


def read_file(path: str | Path, year: int | None) -> Sheet:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(str(p), e.strerror or str(e)) from None
    return read_sheet(data, p.name, year)
