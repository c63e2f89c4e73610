"""Output formats, defined once and shared by every listing command: JSON, JSON lines, CSV,
XLSX and the terminal table, with column headers in Chinese (``lang="zh"``, the command line's
default) or as the JSON keys (``"en"``).

One writer per kind of table: :func:`write_table` prints every terminal table (``luoshi
records``, ``docs``, ``search``, ``extract --format table``, ``link``, ``follow``,
``scorecard``…) and :func:`write_xlsx` writes every XLSX sheet (listings, the breakdown draft,
the tracking sheet, the web app's downloads); no cell of a CSV or XLSX file can run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Callable, Iterable, TextIO

from .. import locale
from ..model import FOLLOW_STATUSES, INDICATOR_FIELDS, TASK_FIELDS, Document, OutlineNode, record_dict
from .names import column_headers

RECORD_FORMATS = ("jsonl", "json", "csv", "table", "xlsx")
ALL_FIELDS = tuple(dict.fromkeys(INDICATOR_FIELDS + TASK_FIELDS))
# The columns of `luoshi extract --format table`: an indicator's or a task's own in one column.
RECORD_TABLE = ("kind", "year", "type", "indicator/object", "value", "unit", "measure/action", "qualifier", "evidence")


def write_records(
    records: Iterable, fmt: str, output=None, *, stream: TextIO | None = None, lang: str | None = None
) -> None:
    """Extracted records as ``fmt``: JSON and JSON lines as ``record_dict`` gives them (the
    format of the gold files), CSV and XLSX with every field of both types, or a table."""
    rows = [record_dict(r) for r in records]
    if fmt in ("csv", "xlsx"):  # as every CSV luoshi writes: BOM in a file, no cell runs as a formula
        write_listing(rows, ALL_FIELDS, fmt, output, stream=stream, lang=lang)
        return
    if fmt not in RECORD_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RECORD_FORMATS)}")
    out = open(output, "w", encoding="utf-8", newline="") if output is not None else (stream or sys.stdout)
    try:
        if fmt == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt == "json":
            json.dump(rows, out, ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            write_table([_record_table_row(r, lang) for r in rows], RECORD_TABLE, out, lang=lang)
    finally:
        if output is not None:
            out.close()


def _record_table_row(r: dict, lang: str | None = None) -> dict:
    """A record (``record_dict``) as a row of :data:`RECORD_TABLE`, our words in ``lang`` (the
    measure, action and qualifier; the kind and type are read by :func:`table_cell`).

    >>> row = _record_table_row({"type": "indicator", "kind": "target", "year": None, "indicator": "生产总值",
    ...     "value": 5.5, "value_max": None, "unit": "%", "measure": "change", "qualifier": "about",
    ...     "estimated": True, "evidence": "…"}, "zh")
    >>> row["year"], row["measure/action"], row["qualifier"]
    ('', '增速', '左右（预计）')
    """
    year = "" if r["year"] is None else str(r["year"])
    if r["type"] == "indicator":
        value = f"{r['value']}" + (f"–{r['value_max']}" if r["value_max"] is not None else "")
        qualifier = table_cell(r["qualifier"], "qualifier", lang)
        if r["estimated"]:
            estimated = table_cell("estimated", "qualifier", lang)
            qualifier += f"（{estimated}）" if lang == "zh" else f" ({estimated})"
        return {
            "kind": r["kind"],
            "year": year,
            "type": "indicator",
            "indicator/object": r["indicator"],
            "value": value,
            "unit": r["unit"],
            "measure/action": table_cell(r["measure"], "measure", lang),
            "qualifier": qualifier,
            "evidence": r["evidence"],
        }
    return {
        "kind": r["kind"],
        "year": year,
        "type": "task",
        "indicator/object": r["object"],
        "value": "",
        "unit": "",
        "measure/action": table_cell(r["action"], "action", lang),
        "qualifier": r["verb"],  # the report's own verb
        "evidence": r["evidence"],
    }


def outline_text(doc: Document) -> str:
    """An indented tree of the outline (paragraphs shown by their lead sentence only)."""
    buf = io.StringIO()
    m = doc.metadata
    buf.write(
        f"{m.title or doc.source}  [{m.region or '?'} · {m.level or '?'} · delivered {m.year_delivered or '?'}"
        f" · reviews {m.year_reviewed or '?'} · plans {m.year_planned or '?'}"
        + (f" · {m.speaker}" if m.speaker else "")
        + "]\n"
    )

    def walk(node: OutlineNode, depth: int) -> None:
        for child in node.children:
            if child.kind == "paragraph":
                if child.lead:
                    buf.write("  " * depth + f"· {child.lead}  [{child.start}:{child.end}]\n")
                continue
            extra = f" ({child.role} {child.year})" if child.role else ""
            buf.write("  " * depth + f"{child.title}{extra}  [{child.start}:{child.end}]\n")
            walk(child, depth + 1)

    walk(doc.outline, 0)
    return buf.getvalue()


def document_json(doc: Document, records: bool) -> str:
    return json.dumps(doc.to_dict(records=records), ensure_ascii=False, indent=1)


def amount(rec: dict | None) -> str:
    """A record's value as a reader writes it, from its dict (``record_dict``).

    >>> amount({"value": 5.5, "unit": "%", "qualifier": "about"}), amount({"value": 5, "value_max": 5.5, "unit": "%"})
    ('5.5%左右', '5–5.5%')
    >>> amount(None)
    '—'
    """
    if not rec:
        return "—"
    v = f"{rec['value']:g}" + (f"–{rec['value_max']:g}" if rec.get("value_max") is not None else "")
    q = {"about": "左右", "at_least": "以上", "at_most": "以内"}.get(rec.get("qualifier"), "")
    return f"{v}{rec.get('unit') or ''}{q}"


# --- Listings (luoshi docs, records, search): rows of plain values, one set of formats --------

LIST_FORMATS = ("table", "csv", "json", "jsonl", "xlsx")
_SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".xlsx": "xlsx"}


def listing_format(fmt: str | None, output, default: str = "table", extra: tuple[str, ...] = ()) -> str:
    """The format asked for, else the one the output file's suffix names, else ``default``.

    >>> listing_format(None, "out.xlsx")
    'xlsx'
    >>> listing_format("json", "out.csv")
    'json'
    """
    if fmt:
        if fmt not in LIST_FORMATS + extra:
            raise ValueError(f"unknown --format {fmt!r}; choose one of {', '.join(extra + LIST_FORMATS)}")
        return fmt
    if output is not None:
        return _SUFFIX_FORMATS.get(Path(output).suffix.lower(), default)
    return default


def _plain(value):
    """A cell's value for CSV and XLSX: lists and dicts as JSON, None as empty."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def csv_cell(value):
    """A CSV cell that a spreadsheet cannot run: text starting with = + - @ (or a tab or
    carriage return) gets an apostrophe in front, as spreadsheets themselves do.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("地区生产总值"), csv_cell(-6.9)
    ("'=HYPERLINK(1)", '地区生产总值', -6.9)
    """
    value = _plain(value)
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_listing(
    rows: list[dict],
    columns,
    fmt: str,
    output=None,
    stream: TextIO | None = None,
    table_columns=None,
    lang: str | None = None,
) -> None:
    """Write ``rows`` (dicts with ``columns``) as ``fmt`` to the file ``output`` or to
    ``stream``.  A CSV file starts with a UTF-8 BOM so that Excel reads it as UTF-8, and no
    cell of it can run as a formula (:func:`csv_cell`); an XLSX sheet has a bold header row,
    frozen, and columns sized to their contents; a table shows ``table_columns`` (else
    ``columns``).  CSV, XLSX and table headers are in ``lang`` (:func:`column_headers`); JSON keys
    are always the column names."""
    stream = stream or sys.stdout
    if fmt == "xlsx":
        save_xlsx(rows, columns, output, stream, header=column_headers(columns, lang))
        return
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    out = open(output, "w", encoding=encoding, newline="") if output is not None else stream
    try:
        if fmt == "csv":
            w = csv.writer(out)
            w.writerow(column_headers(columns, lang))
            for row in rows:
                w.writerow([csv_cell(row.get(c)) for c in columns])
        elif fmt == "json":
            json.dump([{c: row.get(c) for c in columns} for row in rows], out, ensure_ascii=False, indent=1)
            out.write("\n")
        elif fmt == "jsonl":
            for row in rows:
                out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
        elif fmt == "table":
            write_table(rows, table_columns or columns, out, lang=lang)
        else:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(LIST_FORMATS)}")
    finally:
        if output is not None:
            out.close()


def write_table(
    rows: list[dict],
    columns,
    out: TextIO,
    *,
    lang: str | None = None,
    width: int = 200,
    styles: Callable[[dict], dict[str, str]] | None = None,
) -> None:
    """``rows`` as a terminal table of ``columns``, headers in ``lang`` (:func:`column_headers`),
    long text folded to fit ``width`` characters; ``styles``, a function of a row giving
    ``{column: style}`` (a verdict in colour), styles its cells.  Text is never read as markup."""
    from rich.console import Console  # start-up time: rich is loaded only when a table is printed
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False)
    for header in column_headers(columns, lang):
        table.add_column(header, overflow="fold")
    for row in rows:
        style = styles(row) if styles is not None else {}
        table.add_row(*[Text(table_cell(row.get(c), c, lang), style=style.get(c, "")) for c in columns])
    Console(file=out, width=width, markup=False, highlight=False).print(table)


# Columns whose cells are our words (达成, 左右, 已完成) or our sentences (a verdict's rule), read in
# the table's language; the others hold the reports' own words and numbers.
WORD_COLUMNS = frozenset(
    {"verdict", "kind", "measure", "qualifier", "action", "status", "progress", "type", "change", "light", "found_part"}
)
# columns whose words are read in their own vocabulary (locale.FAMILIES): a project's progress
# against its promise (按期), not a tracked item's (按计划推进)
COLUMN_FAMILIES = {"progress": "progress", "found_part": "part"}
SENTENCE_COLUMNS = frozenset({"rule", "note", "reason"})


def table_cell(value, column: str, lang: str | None) -> str:
    """A terminal table's cell: our words and sentences in ``lang`` (``zh``: through the catalog
    of :mod:`luoshi.locale`), anything else as it is.

    >>> table_cell("missed", "verdict", "zh"), table_cell("about: needs ≥ 5.225", "rule", "zh")
    ('未达成', '目标：需 ≥ 5.225')
    >>> table_cell("missed", "verdict", "en"), table_cell(None, "gap", "zh")
    ('missed', '')
    >>> table_cell("carried", "status", "zh"), table_cell("on_track", "progress", "zh"), table_cell("plan", "found_part", "zh")
    ('续列计划', '按期', '计划部分')
    """
    if value is None:
        return ""
    text = str(_plain(value))
    if lang == "zh" and column in WORD_COLUMNS:
        family = "follow" if column == "status" and text in FOLLOW_STATUSES else COLUMN_FAMILIES.get(column)
        return locale.value(text, locale.DEFAULT, family)
    if lang == "zh" and column in SENTENCE_COLUMNS:
        return locale.sentence(text, locale.DEFAULT)
    return text


def _width(value) -> int:
    """Display width: a CJK character counts two."""
    s = str(value)
    return len(s) + sum(1 for ch in s if ord(ch) > 0x2E7F)


def csv_bytes(rows: list[dict], columns, lang: str | None = None) -> bytes:
    """``rows`` as a CSV download: UTF-8 with a BOM (Excel then reads it as UTF-8), a header
    row (in ``lang``: :func:`column_headers`), no cell that can run as a formula (:func:`csv_cell`)."""
    out = io.StringIO()
    write_listing(rows, columns, "csv", stream=out, lang=lang)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_value(value):
    """A cell's value for XLSX: text without the control characters a sheet cannot hold;
    lists and dicts as JSON; numbers, booleans and None as they are."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # start-up time: openpyxl takes 0.2 s to load

    value = _plain(value) if value is not None else None
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_xlsx(
    rows: list[dict],
    columns,
    fh,
    *,
    sheet: str = "luoshi",
    title: str | None = None,
    header=None,
    widths=None,
    wrap=(),
    fills=None,
    lang: str | None = None,
) -> None:
    """One sheet: bold header (``header``, else the column names in ``lang``), frozen, values as numbers,
    booleans or text (text is never a formula, even when it starts with ``=``).

    Column widths come from the first 500 rows (8 to 60 characters) unless ``widths`` gives
    them.  Options for a report sheet: ``title``, a bold first row above the header; ``wrap``,
    columns whose text wraps; ``fills``, a function of a row giving ``{column: "RRGGBB"}``
    to fill those of its cells."""
    from openpyxl import Workbook  # start-up time: openpyxl takes 0.2 s to load
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A3" if title is not None else "A2"
    names = list(header or column_headers(columns, lang))
    for i, (c, name) in enumerate(zip(columns, names), 1):
        if widths is not None:
            width = widths[i - 1]
        else:
            width = min(60, max(8, max([_width(name)] + [_width(_plain(r.get(c))) for r in rows[:500]]) + 2))
        ws.column_dimensions[get_column_letter(i)].width = width

    def cell(value, **style):
        value = xlsx_value(value)
        made = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            made.data_type = "s"  # text stays text, even when it starts with "="
        for k, v in style.items():
            setattr(made, k, v)
        return made

    if title is not None:
        ws.append([cell(title, font=Font(bold=True, size=14))])
    bold = Font(bold=True)
    ws.append([cell(name, font=bold) for name in names])
    wrapped = Alignment(wrap_text=True, vertical="top")
    for r in rows:
        colours = fills(r) if fills is not None else {}
        cells = []
        for c in columns:
            style = {"alignment": wrapped} if c in wrap else {}
            if c in colours:
                style["fill"] = PatternFill("solid", fgColor=colours[c])
            cells.append(cell(r.get(c), **style))
        ws.append(cells)
    wb.save(fh)


def save_xlsx(rows: list[dict], columns, output=None, stream: TextIO | None = None, **sheet) -> None:
    """One sheet (:func:`write_xlsx`, with its options ``sheet``) to the file ``output``, else to
    the bytes of ``stream`` (standard output), which must not be a terminal."""
    stream = stream or sys.stdout
    if output is None and stream.isatty():
        raise ValueError("XLSX is a binary file: give -o FILE.xlsx")
    if output is not None:
        with open(output, "wb") as fh:
            write_xlsx(rows, columns, fh, **sheet)
        return
    stream.flush()
    write_xlsx(rows, columns, stream.buffer, **sheet)
    stream.buffer.flush()
