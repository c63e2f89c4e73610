"""Filters shared by the listing functions, checked once with messages that say what is allowed."""

from __future__ import annotations

import re

from sqlalchemy import func, or_
from sqlalchemy.sql.elements import ColumnElement

from ..extraction.topics import topic_ids
from ..model import KINDS, MEASURES, RECORD_TYPES
from .errors import StoreError
from .schema import documents

CHOICES = {"kind": KINDS, "type": RECORD_TYPES, "measure": MEASURES}


def check_choice(name: str, value: str | None) -> None:
    allowed = topic_ids() if name == "topic" else CHOICES.get(name)
    if value is not None and allowed and value not in allowed:
        raise StoreError(f"unknown {name} {value!r}; choose one of {', '.join(allowed)}")


def document_year():
    """A document's year: the year it plans (also the year it is delivered, for nearly all)."""
    return func.coalesce(documents.c.year_planned, documents.c.year_delivered)


def document_conditions(
    region: str | None = None, year: int | None = None, document: str | int | None = None
) -> list[ColumnElement]:
    """SQL conditions on ``documents``: region contains ``region``; the document's year is
    ``year``; ``document`` is an id, a file name or path, a part of one, or a hash prefix."""
    conds: list[ColumnElement] = []
    if region:
        conds.append(documents.c.region.contains(region, autoescape=True))
    if year is not None:
        conds.append(document_year() == year)
    if document is not None and str(document) != "":
        value = str(document)
        if value.isdecimal() and len(value) <= 9:  # an id (longer digit strings are names or hashes)
            conds.append(documents.c.id == int(value))
        else:
            alternatives = [
                documents.c.name == value,
                documents.c.source == value,
                documents.c.name.contains(value, autoescape=True),
            ]
            if re.fullmatch(r"[0-9a-f]{6,64}", value):
                alternatives.append(documents.c.content_hash.startswith(value))
            conds.append(or_(*alternatives))
    return conds
