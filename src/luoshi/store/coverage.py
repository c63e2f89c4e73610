"""What the stored links cover: which regions and years have a scorecard, which indicators and
years can be compared across regions (the web app's choosers).  Like the listings of
:mod:`.scorecard`, they count only a region's latest reports of two consecutive years, and
link stale documents first (:func:`.scorecard.fresh`)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from .db import Database
from .schema import links
from .scorecard import fresh, indicator_condition


def scorecard_tallies(
    db: Database, region: str | None = None, year: int | None = None
) -> dict[tuple[str, int], Counter]:
    """``(region, year)`` → the verdict counts of the targets its scorecard lists (the links of
    the region's latest reports of ``year`` and ``year + 1``), for every region (containing
    ``region``) and year (``year``) with links."""
    fresh(db)
    where = []
    if region:
        where.append(links.c.region.contains(region, autoescape=True))
    if year is not None:
        where.append(links.c.year == year)
    query = (
        select(
            links.c.region,
            links.c.year,
            links.c.old_document_id,
            links.c.new_document_id,
            links.c.verdict,
            func.count().label("n"),
        )
        .where(*where)
        .group_by(links.c.region, links.c.year, links.c.old_document_id, links.c.new_document_id, links.c.verdict)
    )
    pairs: dict[tuple[str, int], dict[tuple[int, int], Counter]] = {}
    with db.engine.connect() as conn:
        for r in conn.execute(query):
            pairs.setdefault((r.region, r.year), {}).setdefault((r.old_document_id, r.new_document_id), Counter())[
                r.verdict
            ] += r.n
    return {key: by_pair[max(by_pair)] for key, by_pair in pairs.items()}


def indicator_regions(db: Database) -> dict[str, dict[int, int]]:
    """Canonical indicator id → year → how many regions have a link of it that year."""
    fresh(db)
    query = (
        select(links.c.indicator_id, links.c.year, func.count(links.c.region.distinct()).label("regions"))
        .where(links.c.indicator_id.is_not(None))
        .group_by(links.c.indicator_id, links.c.year)
    )
    found: dict[str, dict[int, int]] = {}
    with db.engine.connect() as conn:
        for r in conn.execute(query):
            found.setdefault(r.indicator_id, {})[r.year] = r.regions
    return found


def indicator_years(db: Database, indicator: str) -> list[int]:
    """The years with links for ``indicator`` (as :func:`.scorecard.compare` reads it), newest first."""
    condition, _ = indicator_condition(indicator)
    with db.engine.connect() as conn:
        return list(
            conn.execute(select(links.c.year).where(condition).distinct().order_by(links.c.year.desc())).scalars()
        )
