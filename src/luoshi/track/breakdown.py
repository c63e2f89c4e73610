"""A task-breakdown sheet (任务分解表: task, lead unit, supporting units, deadline) read from
XLSX or CSV and matched to a report's extracted records.

* Columns are found by their header words (``data/breakdown_columns.tsv``) in the first rows
  (a title row above the header is usual); merged cells in an XLSX fill every row they span.
* A row with a task but no unit and no deadline is a heading (一、扩大有效需求): kept as the
  ``section`` of the rows below, not imported.
* A row matches the record whose evidence it shares most of (character bigrams, measured on
  the shorter of the two, ≥ ``MATCH``); each record is matched once, best first.  The others
  become free-standing items.

A sheet is read with bounded memory: an XLSX is first checked as the DOCX reader checks its
archives (at most ``MAX_UNZIPPED`` bytes unzipped, and at most 100 times its size: a zip bomb
is refused), then its first worksheet is streamed (openpyxl's read-only mode), rows counted as
they come (more than ``MAX_ROWS`` with data: refused), columns after ``MAX_COLUMNS`` ignored;
a cell longer than ``MAX_CELL`` characters, in XLSX or CSV, is refused with its row and column.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..ingest.archive import check_expansion
from ..link.match import bigrams
from .dates import DeadlineError, parse_deadline

MATCH = 0.6
HEADER_ROWS = 10
MAX_ROWS = 20_000  # rows holding data
MAX_COLUMNS = 64  # columns read; a breakdown sheet has four to ten
MAX_CELL = 2_000  # characters in a cell (a task is a sentence or a paragraph)
MAX_UNZIPPED = 50 * 1024 * 1024  # bytes an XLSX may expand to
MAX_MERGED = MAX_ROWS * MAX_COLUMNS  # cells filled from merged ranges
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


def _too_long(value: str, where: str, column: int) -> InputError:
    from openpyxl.utils import get_column_letter  # start-up time: openpyxl takes 0.2 s to load

    return InputError(
        "sheet", f"{where}, column {get_column_letter(column)}: a cell of {len(value)} characters (at most {MAX_CELL})"
    )


def _too_many_rows() -> InputError:
    return InputError("sheet", f"more than {MAX_ROWS} rows")


def _grid_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook  # start-up time: openpyxl is loaded only when a sheet is read

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_expansion(zf, len(data), "sheet", "XLSX", MAX_UNZIPPED)
    except zipfile.BadZipFile:
        raise InputError("sheet", "not a readable XLSX file (not a zip archive)") from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise InputError("sheet", f"not a readable XLSX file ({type(e).__name__})") from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the stored dimension may lie: read the rows that are there
        grid: list[list] = []
        for n, values in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            row = list(values)
            while row and row[-1] in (None, ""):
                row.pop()
            if not row:
                continue
            if n > MAX_ROWS:
                raise _too_many_rows()
            for c, v in enumerate(row, start=1):
                if isinstance(v, str) and len(v) > MAX_CELL:
                    raise _too_long(v, f"row {n}", c)
            grid.extend([] for _ in range(n - 1 - len(grid)))  # the empty rows before this one
            grid.append(row)
        _fill_merged(grid, _merged_ranges(ws))
    except InputError:
        raise
    except Exception as e:
        raise InputError("sheet", f"not a readable XLSX file ({type(e).__name__})") from None
    finally:
        wb.close()
    return grid


def _merged_ranges(ws) -> list[str]:
    """The ``ref`` of each merged range of a read-only worksheet (openpyxl does not read them in
    that mode): the sheet part streamed once more, each element dropped once seen."""
    from lxml import etree  # start-up time: lxml is loaded only when a sheet is read

    refs = []
    with ws._get_source() as source:  # the worksheet part, as openpyxl's read-only reader opens it
        for _, el in etree.iterparse(
            source, events=("end",), resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
        ):
            if isinstance(el.tag, str) and el.tag.endswith("}mergeCell") and el.get("ref"):
                refs.append(el.get("ref"))
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
    return refs


def _fill_merged(grid: list[list], refs: list[str]) -> None:
    """Every cell of a merged range takes the value of its top-left cell (ranges clipped to the
    rows and columns read)."""
    from openpyxl.utils.cell import range_boundaries  # start-up time: as in _grid_xlsx

    filled = 0
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row is None or min_col is None or min_row > len(grid):
            continue
        top = grid[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        for r in range(min_row, min(max_row or min_row, len(grid)) + 1):
            row = grid[r - 1]
            last = min(max_col or min_col, MAX_COLUMNS)
            filled += max(0, last - min_col + 1)
            if filled > MAX_MERGED:
                raise InputError("sheet", f"merged ranges cover more than {MAX_MERGED} cells")
            for c in range(min_col, last + 1):
                if c - 1 < len(row):
                    row[c - 1] = value
                elif value is not None:
                    row.extend([None] * (c - 1 - len(row)))
                    row.append(value)


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
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            for c, v in enumerate(row[:MAX_COLUMNS], start=1):
                if len(v) > MAX_CELL:
                    raise _too_long(v, f"line {reader.line_num}", c)
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as e:  # a field past the csv module's own limit, a NUL byte…
        if "field limit" in str(e):
            raise InputError(
                "sheet",
                f"line {reader.line_num}: a cell of more than {csv.field_size_limit()} characters (at most {MAX_CELL})",
            ) from None
        raise InputError("sheet", f"line {reader.line_num}: not readable as CSV ({e})") from None
    return rows


def read_sheet(data: bytes, name: str, year: int | None) -> Sheet:
    """The tasks of a breakdown sheet (XLSX by its zip signature, else CSV)."""
    grid = _grid_xlsx(data) if data[:2] == b"PK" else _grid_csv(data)
    for h, raw in enumerate(grid[:HEADER_ROWS]):
        header = _header_map([_text(c) for c in raw])
        if "task" in header and ("lead_unit" in header or "deadline" in header):
            break
    else:
        raise InputError(
            name,
            "no header row with a task column and a lead-unit or deadline column "
            f"(looked for {', '.join(COLUMNS['task'][:4])}… and {', '.join(COLUMNS['lead_unit'][:3])}…)",
        )
    sheet = Sheet(name)
    section = None
    for n, raw in enumerate(grid[h + 1 :], start=h + 2):
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
