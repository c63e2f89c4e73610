"""``luoshi search``: full-text search over the stored reports.

The paragraphs of every report are indexed by their segmented words (:mod:`.segment`) — an
FTS5 table on SQLite, a GIN index over ``to_tsvector('simple', …)`` on PostgreSQL.  A query
is split at spaces into terms that must all occur; each term is segmented the same way, the
index finds the paragraphs holding all the words, and the text itself then confirms each
term and gives the exact character offsets of every hit.  A term without a dictionary word
of two Chinese characters or more (粮, GDP, 5.5%) is looked for in the text directly.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import and_, func, literal_column, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from .db import Database
from .errors import StoreError
from .filters import check_choice, document_conditions, document_year
from .schema import documents, passages
from .segment import query_words

SEARCH_COLUMNS = (
    "document_id",
    "document",
    "region",
    "year",
    "hits",
    "section",
    "start",
    "end",
    "snippet",
    "marks",
    "topic",
)
CONTEXT_BEFORE = 40
SNIPPET_CHARS = 120


def search(
    db: Database,
    query: str,
    *,
    region: str | None = None,
    year: int | None = None,
    topic: str | None = None,
    document: str | int | None = None,
    limit: int = 20,
    per_document: int = 3,
) -> list[dict]:
    """Paragraphs holding every term of ``query``, best documents first (most hits), at most
    ``per_document`` snippets each.

    Each result: the document (id, name, region, year), its total ``hits``, the paragraph's
    ``section`` and ``topic``, the snippet's span ``start``/``end`` in the cleaned text, the
    ``snippet`` itself and ``marks``: the ``[start, end)`` offsets of each hit in the cleaned
    text (``luoshi extract FILE --format text``).
    """
    terms = list(dict.fromkeys(query.split()))
    if not terms:
        raise StoreError("give words to search for")
    check_choice("topic", topic)
    words: list[str] = []
    direct: list[str] = []
    for term in terms:
        found = query_words(term)
        if found:
            words.extend(found)
        else:
            direct.append(term)
    conds = [*document_conditions(region, year, document)]
    if topic:
        conds.append(passages.c.topic == topic)
    conds += [passages.c.text.contains(t, autoescape=True) for t in direct]
    with db.engine.connect() as conn:
        if words:
            conds.append(_index_condition(conn.dialect.name, list(dict.fromkeys(words))))
        found = _paragraphs(conn, conds, [re.compile(re.escape(t), re.I) for t in terms])
    return _results(found, limit, per_document)


def _paragraphs(conn: Connection, conds: list[ColumnElement], patterns: list[re.Pattern]) -> dict[int, list]:
    """Document id → ``[(paragraph row, marks)]`` of the paragraphs ``conds`` finds where the
    text holds every pattern, in document order."""
    q = (
        select(
            passages.c.document_id,
            passages.c.start,
            passages.c.end,
            passages.c.section,
            passages.c.topic,
            passages.c.text,
            documents.c.name,
            documents.c.region,
            document_year().label("year"),
        )
        .join(documents, documents.c.id == passages.c.document_id)
        .where(and_(*conds))
        .order_by(passages.c.document_id, passages.c.start)
    )
    found = defaultdict(list)
    for r in conn.execute(q):
        marks = _marks(r.text, patterns)
        if marks is not None:
            found[r.document_id].append((r, marks))
    return found


def _results(found: dict[int, list], limit: int, per_document: int) -> list[dict]:
    """The best ``limit`` documents (most hits), each with its best ``per_document`` snippets."""
    ranked = sorted(found, key=lambda d: (-sum(len(m) for _, m in found[d]), d))[:limit]
    out = []
    for doc_id in ranked:
        hits = sum(len(m) for _, m in found[doc_id])
        best = sorted(found[doc_id], key=lambda pm: (-len(pm[1]), pm[0].start))[:per_document]
        for r, marks in sorted(best, key=lambda pm: pm[0].start):
            s, e, shown = _window(r.text, marks)
            out.append(
                {
                    "document_id": doc_id,
                    "document": r.name,
                    "region": r.region,
                    "year": r.year,
                    "hits": hits,
                    "section": r.section,
                    "start": r.start + s,
                    "end": r.start + e,
                    "snippet": r.text[s:e],
                    "marks": [[r.start + a, r.start + b] for a, b in shown],
                    "topic": r.topic,
                }
            )
    return out


def _index_condition(dialect: str, words: list[str]) -> ColumnElement:
    if dialect == "sqlite":
        match = " AND ".join(f'"{w}"' for w in words)  # words are letters and digits only
        return passages.c.id.in_(
            text("SELECT rowid FROM passage_fts WHERE passage_fts MATCH :match")
            .bindparams(match=match)
            .columns(passages.c.id)
        )
    simple = literal_column("'simple'::regconfig")
    return func.to_tsvector(simple, passages.c.tokens).op("@@")(func.plainto_tsquery(simple, " ".join(words)))


def _marks(body: str, patterns: list[re.Pattern]) -> list[tuple[int, int]] | None:
    """Every hit of every term in the paragraph (overlapping hits merged), or None when a
    term is missing."""
    marks: list[tuple[int, int]] = []
    for p in patterns:
        found = [(m.start(), m.end()) for m in p.finditer(body)]
        if not found:
            return None
        marks += found
    merged: list[tuple[int, int]] = []
    for a, b in sorted(marks):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _window(body: str, marks: list[tuple[int, int]]) -> tuple[int, int, list[tuple[int, int]]]:
    """A stretch of about ``SNIPPET_CHARS`` around the first hit, and the hits inside it."""
    first = marks[0]
    start = max(0, first[0] - CONTEXT_BEFORE)
    end = min(len(body), max(start + SNIPPET_CHARS, first[1]))
    return start, end, [m for m in marks if m[0] >= start and m[1] <= end]


def highlight(row: dict, before: str = "[", after: str = "]") -> str:
    """The snippet with each hit marked.

    >>> highlight({"start": 10, "end": 16, "snippet": "确保粮食安全", "marks": [[12, 14]]})
    '确保[粮食]安全'
    """
    s, snippet = row["start"], row["snippet"]
    out, pos = [], 0
    for a, b in row["marks"]:
        out += [snippet[pos : a - s], before, snippet[a - s : b - s], after]
        pos = b - s
    out.append(snippet[pos:])
    return "".join(out)
