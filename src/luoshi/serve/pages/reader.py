"""The reader: a report's cleaned text with every record marked, the outline beside it and a
card for the record clicked (its fields, section and links); editors fix, reject and add
records from it through the corrections API.

The text is laid out as data first: :func:`layout` cuts each paragraph at every record
boundary into a flat list of pieces — text, the opening of a record's ``<mark>``, a closing, a
section anchor — that nest properly however the records overlap.  :func:`render_text` then
writes them as HTML with every piece of text and every attribute escaped (report text is
untrusted input), and the card data goes in as HTML-safe JSON.  Both are kept per document
until the database's generation changes (:func:`luoshi.store.memo.generation`: any import,
re-extraction, correction or relinking), so a page costs little more than its template.
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate
from typing import NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import Response
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from ...store.memo import generation

from ...store.reading import read_document
from ...extraction.topics import topic_ids
from ...store.tracking import items_by_record
from ...store.users import User
from ..auth import viewer
from ..respond import Id, page, twin, wants_json

router = APIRouter(tags=["documents"])


class Span(NamedTuple):
    """A record's place in the text (``start`` inclusive, ``end`` exclusive) and what its
    ``<mark>`` shows: ``ref`` (``data-id``) and ``classes``."""

    start: int
    end: int
    ref: str
    classes: str


class Piece(NamedTuple):
    """One step of a paragraph: ``kind`` is ``text`` (``text`` at ``start``), ``open`` (the
    mark of ``span``; ``first`` for the first piece of its record, which carries the anchor),
    ``close``, or ``anchor`` (``text`` is the section anchor's id)."""

    kind: str
    start: int
    text: str = ""
    span: Span | None = None
    first: bool = False


class Paragraph(NamedTuple):
    start: int
    end: int
    pieces: list[Piece]
    heading: bool


def mark_classes(rec: dict) -> str:
    """``rec target|result|task`` and ``corrected`` (fixed or added) or ``rejected``."""
    classes = ["rec", "task" if rec["type"] == "task" else rec["kind"]]
    if rec.get("correction") in ("fixed", "added"):
        classes.append("corrected")
    elif rec.get("correction") == "rejected":
        classes.append("rejected")
    return " ".join(classes)


def layout(
    text: str, spans: list[Span], anchors: dict[int, list[str]] | None = None, headings: set[int] | None = None
) -> list[Paragraph]:
    """The paragraphs of ``text`` (split on ``\\n``) as pieces that nest.

    A span outside the text or empty gets no mark; one across paragraphs gets a piece in each.
    ``anchors`` maps offsets to the ids of section anchors placed there; ``headings`` are the
    starts of paragraphs that are section headings.
    """
    anchors, headings = anchors or {}, headings or set()
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    inside: list[list[int]] = [[] for _ in lines]  # per paragraph, the spans in it, outermost first
    valid = [i for i, s in enumerate(spans) if 0 <= s.start < s.end <= len(text)]
    for i in sorted(valid, key=lambda i: (spans[i].start, -spans[i].end, i)):
        s = spans[i]
        for k in range(bisect_right(starts, s.start) - 1, bisect_right(starts, s.end - 1)):
            if max(s.start, starts[k]) < min(s.end, starts[k] + len(lines[k])):
                inside[k].append(i)
    started: set[int] = set()
    return [
        Paragraph(at, at + len(line), _pieces(text, at, at + len(line), spans, ids, anchors, started), at in headings)
        for at, line, ids in zip(starts, lines, inside)
    ]


def _pieces(
    text: str, start: int, end: int, spans: list[Span], ids: list[int], anchors: dict[int, list[str]], started: set[int]
) -> list[Piece]:
    """The pieces of the paragraph ``text[start:end]``.  At each boundary the marks that end
    there close (a mark still open above one that closes is closed with it and opened again: a
    record that crosses another is shown in two pieces), section anchors are placed, and the
    marks that start there open, longest first (identical spans in the order given), so an
    inner record's mark lies inside the outer's.  ``started``: the spans already shown."""
    ends = {i: min(spans[i].end, end) for i in ids}
    opening: dict[int, list[int]] = {}
    for i in ids:
        opening.setdefault(max(spans[i].start, start), []).append(i)
    bounds = sorted({start, end, *ends.values(), *opening, *(p for p in anchors if start <= p <= end)})
    pieces: list[Piece] = []
    stack: list[int] = []
    for pos, following in zip(bounds, bounds[1:] + [end]):
        closing = next((k for k, i in enumerate(stack) if ends[i] == pos), None)
        if closing is not None:
            reopen = [i for i in stack[closing:] if ends[i] != pos]
            pieces.extend(Piece("close", pos) for _ in stack[closing:])
            del stack[closing:]
            pieces.extend(Piece("open", pos, span=spans[i]) for i in reopen)
            stack.extend(reopen)
        pieces.extend(Piece("anchor", pos, name) for name in anchors.get(pos, ()))
        for i in opening.get(pos, ()):
            pieces.append(Piece("open", pos, span=spans[i], first=i not in started))
            started.add(i)
            stack.append(i)
        if following > pos:
            pieces.append(Piece("text", pos, text[pos:following]))
    return pieces


def _spans(records: list[dict]) -> list[Span]:
    return [
        Span(r["start"], r["end"], r["ref"], mark_classes(r))
        for r in records
        if isinstance(r.get("start"), int) and isinstance(r.get("end"), int)
    ]


def _anchors(sections: list[dict]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for s in sections:
        out.setdefault(s["start"], []).append(f"s{s['ord']}")
    return out


def _headings(text: str, sections: list[dict]) -> set[int]:
    """Starts of the paragraphs that are a section's heading line and nothing more."""
    out = set()
    for s in sections:
        start, end = s["start"], s["start"] + len(s["title"])
        if (
            (start == 0 or text[start - 1] == "\n")
            and text[start:end] == s["title"]
            and (end == len(text) or text[end] == "\n")
        ):
            out.add(start)
    return out


def render_text(paragraphs: list[Paragraph]) -> Markup:
    """The paragraphs as HTML: ``<p data-start data-end>`` holding the text, escaped, with the
    records' ``<mark>``s and the section anchors; nothing of the template's own in between, so
    each ``<p>``'s text is exactly ``text[data-start:data-end]``."""
    out: list[str] = []
    for p in paragraphs:
        heading = ' class="heading"' if p.heading else ""
        out.append(f'<p data-start="{p.start}" data-end="{p.end}"{heading}>')
        for x in p.pieces:
            if x.kind == "text":
                out.append(escape(x.text))
            elif x.kind == "open":
                ref = escape(x.span.ref)
                anchor = f' id="r{ref}"' if x.first else ""
                out.append(f'<mark class="{escape(x.span.classes)}" data-id="{ref}" data-start="{x.start}"{anchor}>')
            elif x.kind == "close":
                out.append("</mark>")
            else:
                out.append(f'<a class="anchor" id="{escape(x.text)}"></a>')
        out.append("</p>\n")
    return Markup("".join(out))


class View(NamedTuple):
    """What a reader page shows of one document, made once per generation."""

    data: dict  # read_document's dict: the JSON twin
    json: bytes  # the same, serialised
    text_html: Markup  # render_text of the document's paragraphs
    card_json: Markup  # document, sections and records as HTML-safe JSON for reader.js


_views: OrderedDict[tuple, View] = OrderedDict()
_views_lock = threading.Lock()
VIEWS_KEPT = 160  # documents whose view is kept (each some hundreds of kilobytes; the corpus has 87 reports, and a round robin over more reports than this would miss every time)


def view(db, document_id: int) -> View:
    """The document's :class:`View`, from the cache while the database is unchanged."""
    key = (id(db.engine), document_id, generation(db))
    with _views_lock:
        found = _views.get(key)
        if found is not None:
            _views.move_to_end(key)
            return found
    data = read_document(db, document_id)
    text, sections = data["text"], data["sections"]
    paragraphs = layout(text, _spans(data["records"]), _anchors(sections), _headings(text, sections))
    made = View(
        data,
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        render_text(paragraphs),
        htmlsafe_json_dumps(
            {"document": data["document"], "sections": sections, "records": data["records"]},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
    )
    with _views_lock:
        _views[key] = made
        while len(_views) > VIEWS_KEPT:
            _views.popitem(last=False)
    return made


@twin(router, "/documents/{document_id:int}")
def reader(request: Request, document_id: Id, user: User = viewer):
    """A report's text with its records marked, its outline, and each record's fields and links."""
    v = view(request.app.state.db, document_id)  # an unknown id: the store's NotFound, a 404
    tracked = _tracked(request.app.state.db, document_id, v.data["records"])
    if wants_json(request):  # the cached document JSON with the (uncached) tracking map in front
        return Response(
            b'{"tracking":' + json.dumps(tracked, ensure_ascii=False).encode("utf-8") + b"," + v.json[1:],
            media_type="application/json",
        )
    return page(
        request,
        "reader.html",
        v.data,
        text_html=v.text_html,
        card_json=v.card_json,
        tracking_json=htmlsafe_json_dumps(tracked, ensure_ascii=False),
        can_edit=bool(user and user.can("editor")),
        topics=topic_ids(),
    )


def _tracked(db, document_id: int, records: list[dict]) -> dict[str, dict]:
    """Record id → the tracking item following it (id, status, light, lead unit, deadline)."""
    items = items_by_record(db, document_id)
    if not items:
        return {}
    fields = ("id", "status", "light", "light_reason", "lead_unit", "deadline")
    return {
        str(r["id"]): {k: items[r["key"]][k] for k in fields}
        for r in records
        if r.get("id") is not None and r.get("key") in items
    }
