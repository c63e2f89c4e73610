"""Output formats, defined once and shared by every listing command."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, TextIO

from ..model import INDICATOR_FIELDS, TASK_FIELDS, Document, OutlineNode, record_dict

RECORD_FORMATS = ("jsonl", "json", "csv", "table")
DOCUMENT_FORMATS = ("text", "outline", "json")
ALL_FIELDS = tuple(dict.fromkeys(INDICATOR_FIELDS + TASK_FIELDS))


def write_records(records: Iterable, fmt: str, out: TextIO) -> None:
    rows = [record_dict(r) for r in records]
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        w = csv.DictWriter(out, fieldnames=ALL_FIELDS, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow(row)
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
