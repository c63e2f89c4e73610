"""Follow-through in the store (store/follows.py, store/projects.py): computed on import from the
stored reports exactly as `luoshi follow` computes it from the files, kept with the links (an
unchanged re-import keeps it, a correction redoes it, a stale linker version refills it), and
read three ways: the scorecard's projects, the reader's records, a tracking item.  Real pairs:
Zhejiang 2025 → 2026 and Longgang 2023 → 2024.  SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import delete, func, select, update

import luoshi
from luoshi import importing, store
from luoshi.link.follow import follow_documents
from luoshi.model import FOLLOW_STATUSES, PROGRESS_VALUES
from luoshi.store import tracking
from luoshi.store.corrections import remove_correction
from luoshi.store.migrations import LATEST, schema_migrations
from luoshi.store.projects import PROJECT_COLUMNS, document_follows, projects, record_follow
from luoshi.store.reading import read_document
from luoshi.store.schema import follows, link_runs, records
from paths import CORPUS, needs_shared
from store_support import BACKENDS, fresh_url

pytestmark = needs_shared
PAIRS = {
    "浙江省": ("zhejiang-2025-gwr.txt", "zhejiang-2026-gwr.txt", 2025),
    "深圳市龙岗区": ("local/longgang-2023-gwr.txt", "local/longgang-2024-gwr.txt", 2023),
}


@pytest.fixture(scope="module", params=BACKENDS)
def followed(request, tmp_path_factory):
    """A database with both pairs imported."""
    folder = tmp_path_factory.mktemp("followed")
    (folder / "reports").mkdir()
    for old, new, _ in PAIRS.values():
        for name in (old, new):
            shutil.copy(CORPUS / name, folder / "reports" / name.split("/")[-1])
    db = store.connect(fresh_url(request.param, folder, "luoshi_follow_store"))
    report = importing.import_paths(db, [folder / "reports"], workers=1)
    assert report.count("imported") == 4, report.results
    yield db
    db.close()


def _ids(db) -> dict[str, int]:
    return {d["name"]: d["id"] for d in store.list_documents(db)}


def _stored(db, old_id: int) -> list:
    with db.engine.connect() as conn:
        return conn.execute(select(follows).where(follows.c.old_document_id == old_id).order_by(follows.c.ord)).all()


@pytest.mark.parametrize("key", list(PAIRS))
def test_the_stored_follow_through_is_that_of_the_files(followed, key):
    old, new, _ = PAIRS[key]
    expected = [f.to_dict() for f in follow_documents(luoshi.extract(CORPUS / old), luoshi.extract(CORPUS / new))]
    ids = _ids(followed)
    rows = _stored(followed, ids[old.split("/")[-1]])
    assert len(rows) == len(expected) > 20
    for row, f in zip(rows, expected):
        assert json.loads(row.task) == f["task"] and row.object == f["task"]["object"]
        assert (row.status, row.progress) == (f["status"], f["progress"])
        assert (json.loads(row.found) if row.found else None) == f["found"]
        assert row.new_document_id == ids[new.split("/")[-1]]


@pytest.mark.parametrize("key", list(PAIRS))
def test_the_projects_listing(followed, key):
    old, new, year = PAIRS[key]
    listing = projects(followed, key, year)
    assert listing.rows and all(tuple(r) == PROJECT_COLUMNS for r in listing.rows)
    assert set(listing.tally) == set(FOLLOW_STATUSES) and sum(listing.tally.values()) == len(listing.rows)
    assert {r["status"] for r in listing.rows} <= set(FOLLOW_STATUSES)
    assert {r["progress"] for r in listing.rows} <= set(PROGRESS_VALUES)
    ids = _ids(followed)
    assert {(r["old_document_id"], r["new_document_id"]) for r in listing.rows} == {
        (ids[old.split("/")[-1]], ids[new.split("/")[-1]])
    }
    with followed.engine.connect() as conn:
        by_id = {
            r.id: r
            for r in conn.execute(
                select(records.c.id, records.c.object, records.c.start, records.c.end, records.c.document_id)
            )
        }
    for r in listing.rows:
        task = by_id[r["task_id"]]  # every planned task is a stored record of the old report
        assert (task.object, task.start, task.end) == (r["object"], r["task_start"], r["task_end"])
        if r["status"] == "not_mentioned":
            assert r["found_evidence"] is None and r["found_id"] is None
            continue
        assert r["found_part"] in ("review", "plan") and r["found_evidence"]
        assert (r["found_part"] == "plan") == (r["status"] == "carried")
        if r["found_id"] is not None:  # the task record of the new report that holds the mention
            found = by_id[r["found_id"]]
            assert found.document_id == r["new_document_id"]
            assert found.start <= r["found_start"] and r["found_end"] <= found.end


def test_what_the_zhejiang_projects_listing_says(followed):
    """丽水机场 建成投运 (done, on track); 温福高铁 开工建设 (started); 衢州先导智能, promised to start,
    only planned again (carried, behind); a project the 2026 report does not name."""
    rows = {r["object"]: r for r in projects(followed, "浙江", 2025).rows}
    assert (rows["丽水机场"]["status"], rows["丽水机场"]["progress"]) == ("done", "on_track")
    assert "丽水机场建成投运" in rows["丽水机场"]["found_evidence"]
    assert rows["温福高铁"]["status"] == "started" and rows["温福高铁"]["found_id"] is not None
    assert (rows["衢州先导智能"]["status"], rows["衢州先导智能"]["progress"]) == ("carried", "behind")
    assert any(r["status"] == "not_mentioned" and r["progress"] == "unknown" for r in rows.values())


def test_the_reader_gets_both_sides(followed):
    ids = _ids(followed)
    old, new = ids["zhejiang-2025-gwr.txt"], ids["zhejiang-2026-gwr.txt"]
    planned = [r for r in read_document(followed, old)["records"] if r["follow"]]
    assert len(planned) == len(_stored(followed, old))
    assert all(len(r["follow"]) == 1 and r["follow"][0]["side"] == "task" and r["type"] == "task" for r in planned)
    lishui = next(r for r in planned if r["object"] == "丽水机场")["follow"][0]
    assert lishui["status"] == "done" and lishui["new_title"] == "2026年浙江省政府工作报告"
    answers = [r for r in read_document(followed, new)["records"] if r["follow"]]
    assert answers and all(f["side"] == "found" and f["found_id"] == r["id"] for r in answers for f in r["follow"])
    with followed.engine.connect() as conn:
        assert document_follows(conn, max(ids.values()) + 1) == {}


def test_a_tracking_item_of_a_planned_task_gets_the_next_report(followed):
    row = next(r for r in projects(followed, "浙江", 2025).rows if r["object"] == "丽水机场")
    item = tracking.create_item(followed, "editor", {}, record_id=row["task_id"])
    got = tracking.get_item(followed, item["id"])
    assert got["follow"] == row and got["light"] == item["light"]  # evidence beside the light, not a new rule
    free = tracking.create_item(followed, "editor", {"title": "独立事项"}, year=2025)
    assert tracking.get_item(followed, free["id"])["follow"] is None
    with followed.engine.connect() as conn:
        target = conn.execute(
            select(records.c.document_id, records.c.key).where(records.c.type == "indicator").limit(1)
        ).first()
    assert record_follow(followed, target.document_id, target.key) is None


def test_the_follow_through_is_kept_and_redone_with_the_links(followed, tmp_path):
    ids = _ids(followed)
    old = ids["zhejiang-2025-gwr.txt"]
    before = [tuple(r) for r in _stored(followed, old)]
    folder = tmp_path / "again"
    folder.mkdir()
    shutil.copy(CORPUS / "zhejiang-2025-gwr.txt", folder)
    assert importing.import_paths(followed, [folder], workers=1).count("unchanged") == 1
    assert [tuple(r) for r in _stored(followed, old)] == before  # an unchanged re-import writes nothing
    lishui = next(r for r in projects(followed, "浙江", 2025).rows if r["object"] == "丽水机场")
    rejected = store.add_correction(followed, "reject", record_id=lishui["task_id"], reviewer="wang")
    assert "丽水机场" not in {r["object"] for r in projects(followed, "浙江", 2025).rows}  # followed again
    remove_correction(followed, rejected, actor="wang")
    assert [r[1:] for r in map(tuple, _stored(followed, old))] == [r[1:] for r in before]  # row ids aside


def test_a_stale_linker_version_follows_again(followed):
    ids = _ids(followed)
    old = ids["longgang-2023-gwr.txt"]
    n = len(_stored(followed, old))
    with followed.write() as conn:
        conn.execute(delete(follows))
        conn.execute(update(link_runs).values(linker_version="0.0.0+old"))
    assert projects(followed, "龙岗", 2023).rows  # a listing links stale documents first
    assert len(_stored(followed, old)) == n
    with followed.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(follows)).scalar() == sum(
            len(_stored(followed, i)) for i in ids.values()
        )


def test_a_database_of_schema_version_6_gets_the_follow_through(tmp_path):
    """Step 7 adds the table and forgets every document's link run, so the next listing (or
    import) links and follows the reports stored before it."""
    (tmp_path / "r").mkdir()
    for name in ("hebei-2025-gwr.txt", "hebei-2026-gwr.txt"):
        shutil.copy(CORPUS / name, tmp_path / "r" / name)
    db = store.connect(tmp_path / "v6.db")
    importing.import_paths(db, [tmp_path / "r"], workers=1)
    rows = projects(db, "河北", 2025).rows
    with db.engine.begin() as conn:  # back to version 6: no follows
        follows.drop(conn)
        conn.execute(delete(schema_migrations).where(schema_migrations.c.version >= 7))
    db.close()
    upgraded = store.connect(tmp_path / "v6.db")
    try:
        with upgraded.engine.connect() as conn:
            assert conn.execute(select(func.max(schema_migrations.c.version))).scalar() == LATEST
            assert conn.execute(select(func.count()).select_from(link_runs)).scalar() == 0
        assert rows and projects(upgraded, "河北", 2025).rows == rows
    finally:
        upgraded.close()
