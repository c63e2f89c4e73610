"""Output formats, defined once and shared by every listing command."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, TextIO

from ..model import INDICATOR_FIELDS, TASK_FIELDS, Document, OutlineNode, record_dict

RECORD_FORMATS = ("jsonl", "json", "csv", "table")
ALL_FIELDS = tuple(dict.fromkeys(INDICATOR_FIELDS + TASK_FIELDS))


def write_records(records: Iterable, fmt: str, out: TextIO) -> None:
    rows = [record_dict(r) for r in records]
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":  # as every CSV luoshi writes: no cell can run as a formula (csv_cell)
        w = csv.writer(out)
        w.writerow(ALL_FIELDS)
        for row in rows:
            w.writerow([csv_cell(row.get(c)) for c in ALL_FIELDS])
    elif fmt == "table":
        _table(rows, out)
    else:  # pragma: no cover - the CLI validates choices
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RECORD_FORMATS)}")


def _table(rows: list[dict], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    cols = ("kind", "year", "type", "indicator/object", "value", "unit", "measure/action", "qualifier", "evidence")
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in rows:
        if r["type"] == "indicator":
            value = f"{r['value']}" + (f"–{r['value_max']}" if r["value_max"] is not None else "")
            table.add_row(r["kind"], str(r["year"]), "indicator", r["indicator"], value, r["unit"],
                          r["measure"], r["qualifier"] + (" (预计)" if r["estimated"] else ""), r["evidence"])
        else:
            table.add_row(r["kind"], str(r["year"]), "task", r["object"], "", "", r["action"], r["verb"],
                          r["evidence"])
    Console(file=out, width=200, markup=False).print(table)


def outline_text(doc: Document) -> str:
    """An indented tree of the outline (paragraphs shown by their lead sentence only)."""
    buf = io.StringIO()
    m = doc.metadata
    buf.write(f"{m.title or doc.source}  [{m.region or '?'} · {m.level or '?'} · delivered {m.year_delivered or '?'}"
              f" · reviews {m.year_reviewed or '?'} · plans {m.year_planned or '?'}"
              + (f" · {m.speaker}" if m.speaker else "") + "]\n")

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
        from pathlib import Path

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


def write_listing(rows: list[dict], columns, fmt: str, output=None, stream: TextIO | None = None,
                  table_columns=None) -> None:
    """Write ``rows`` (dicts with ``columns``) as ``fmt`` to the file ``output`` or to
    ``stream``.  A CSV file starts with a UTF-8 BOM so that Excel reads it as UTF-8, and no
    cell of it can run as a formula (:func:`csv_cell`); an XLSX sheet has a bold header row,
    frozen, and columns sized to their contents."""
    import sys

    stream = stream or sys.stdout
    if fmt == "xlsx":
        if output is None and stream.isatty():
            raise ValueError("XLSX is a binary file: give -o FILE.xlsx")
        if output is not None:
            with open(output, "wb") as fh:
                write_xlsx(rows, columns, fh)
        else:
            stream.flush()
            write_xlsx(rows, columns, stream.buffer)
            stream.buffer.flush()
        return
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    out = open(output, "w", encoding=encoding, newline="") if output is not None else stream
    try:
        if fmt == "csv":
            w = csv.writer(out)
            w.writerow(columns)
            for row in rows:
                w.writerow([csv_cell(row.get(c)) for c in columns])
        elif fmt == "json":
            json.dump([{c: row.get(c) for c in columns} for row in rows], out, ensure_ascii=False, indent=1)
            out.write("\n")
        elif fmt == "jsonl":
            for row in rows:
                out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
        elif fmt == "table":
            _listing_table(rows, table_columns or columns, out)
        else:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(LIST_FORMATS)}")
    finally:
        if output is not None:
            out.close()


def _listing_table(rows: list[dict], columns, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*["" if row.get(c) is None else str(_plain(row.get(c))) for c in columns])
    Console(file=out, width=200, markup=False, highlight=False).print(table)


def _width(value) -> int:
    """Display width: a CJK character counts two."""
    s = str(value)
    return len(s) + sum(1 for ch in s if ord(ch) > 0x2E7F)


def csv_bytes(rows: list[dict], columns) -> bytes:
    """``rows`` as a CSV download: UTF-8 with a BOM (Excel then reads it as UTF-8), a header
    row, no cell that can run as a formula (:func:`csv_cell`)."""
    out = io.StringIO()
    write_listing(rows, columns, "csv", stream=out)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_value(value):
    """A cell's value for XLSX: text without the control characters a sheet cannot hold;
    lists and dicts as JSON; numbers, booleans and None as they are."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = _plain(value) if value is not None else None
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_xlsx(rows: list[dict], columns, fh, *, sheet: str = "luoshi", title: str | None = None,
               header=None, widths=None, wrap=(), fills=None) -> None:
    """One sheet: bold header (``header``, else the column names), frozen, values as numbers,
    booleans or text (text is never a formula, even when it starts with ``=``).

    Column widths come from the first 500 rows (8 to 60 characters) unless ``widths`` gives
    them.  Options for a report sheet: ``title``, a bold first row above the header; ``wrap``,
    columns whose text wraps; ``fills``, a function of a row giving ``{column: "RRGGBB"}``
    to fill those of its cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A3" if title is not None else "A2"
    names = list(header or columns)
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
