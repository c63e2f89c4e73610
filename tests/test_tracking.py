"""Tracking items: traffic lights at their boundaries, deadlines as offices write them,
conflicts between two editors, the breakdown sheet, and one audit entry per write."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from luoshi import importing, store
from luoshi.store import audit
from luoshi.store import tracking as tr
from luoshi.store.errors import Conflict, NotFound, StoreError
from luoshi.track.breakdown import read_sheet, similarity
from luoshi.track.dates import DeadlineError, parse_deadline
from luoshi.track.light import light, why
from luoshi.track.report import tracking_xlsx
from paths import SAMPLE

D = date(2025, 12, 31)
START = date(2025, 1, 1)


@pytest.mark.parametrize(
    "status, today, percent, expected",
    [
        ("on_track", D, None, "yellow"),  # due today: 0 days left
        ("on_track", D + timedelta(days=1), None, "red"),  # a day late
        ("on_track", D - timedelta(days=14), 100, "yellow"),  # 14 days left: still within the warning
        ("on_track", D - timedelta(days=15), 100, "green"),  # 15 days left, progress ahead
        ("behind", D - timedelta(days=200), 90, "red"),  # reported behind
        ("done", D + timedelta(days=30), None, "green"),  # done after the deadline: not overdue
        ("dropped", D + timedelta(days=30), None, "grey"),
        ("not_started", date(2025, 7, 2), 49, "yellow"),  # 49% done, 50% of the time gone
        ("on_track", date(2025, 7, 2), 50, "green"),  # exactly on pace
        ("on_track", date(2025, 7, 2), None, "yellow"),  # no progress reported at half time
    ],
)
def test_traffic_light_boundaries(status, today, percent, expected):
    assert light(status, D, today, percent, START) == expected


def test_light_without_deadline_and_its_reason():
    assert light("on_track", None, D) == "green"
    assert why("on_track", D, D + timedelta(days=3)) == "overdue by 3 days"
    assert why("on_track", D, D - timedelta(days=5)) == "due in 5 days"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025年12月底前", date(2025, 12, 31)),
        ("2025年6月", date(2025, 6, 30)),
        ("9月底前", date(2025, 9, 30)),
        ("年底前", date(2025, 12, 31)),
        ("2026-03-15", date(2026, 3, 15)),
        ("2025.11", date(2025, 11, 30)),
        ("第二季度", date(2025, 6, 30)),
        ("上半年", date(2025, 6, 30)),
        ("2027年", date(2027, 12, 31)),
        ("十月", date(2025, 10, 31)),
        ("长期坚持", None),
        ("持续推进", None),
        ("", None),
    ],
)
def test_deadlines_as_offices_write_them(text, expected):
    assert parse_deadline(text, 2025) == expected


def test_unreadable_deadlines_say_so():
    with pytest.raises(DeadlineError, match="cannot read the deadline"):
        parse_deadline("尽快", 2025)
    with pytest.raises(DeadlineError, match="gives no year"):
        parse_deadline("6月底", None)


@pytest.fixture
def db(backend):
    """The sample in a fresh database, on SQLite and (when LUOSHI_TEST_PG is set) PostgreSQL."""
    database = store.connect(backend)
    importing.import_paths(database, [SAMPLE], workers=1)
    yield database
    database.close()


def _a_task(db) -> dict:
    return next(r for r in store.list_records(db, type="task") if "梅山" in r["evidence"])


def test_an_item_follows_a_record_and_each_write_leaves_one_audit_entry(db):
    rec = _a_task(db)
    item = tr.create_item(
        db,
        "li",
        {"lead_unit": "市发改委", "supporting_units": "市交通局、北仑区政府", "deadline": "2024年12月底"},
        record_id=rec["id"],
    )
    assert item["title"] == rec["evidence"] and item["record_id"] == rec["id"] and item["region"] == "宁波市"
    assert item["supporting_units"] == ["市交通局", "北仑区政府"] and item["deadline"] == "2024-12-31"
    assert item["version"] == 1 and item["status"] == "not_started"
    n = len(audit.entries(db))
    item = tr.update_item(db, "li", item["id"], 1, {"deadline": "2024-10-31"})
    assert item["version"] == 2 and len(audit.entries(db)) == n + 1
    item = tr.add_progress(
        db, "wang", item["id"], {"date": "2024-06-30", "status": "on_track", "percent": 40, "note": "完成征地"}
    )
    assert item["version"] == 3 and item["percent"] == 40 and len(audit.entries(db)) == n + 2
    tr.update_item(db, "li", item["id"], 3, {"deadline": "2024-10-31"})  # no change: no write, no entry
    assert len(audit.entries(db)) == n + 2
    last = audit.entries(db, entity="item", entity_id=item["id"])[0]
    assert last["actor"] == "wang" and last["action"] == "progress.add"
    assert last["before"]["status"] == "not_started" and last["after"]["status"] == "on_track"
    with pytest.raises(Conflict, match="already tracked"):
        tr.create_item(db, "li", {}, record_id=rec["id"])
    free = tr.create_item(db, "li", {"title": "进度未写状态"}, year=2024)
    free = tr.add_progress(db, "wang", free["id"], {"date": "2024-06-30", "percent": 40})
    assert free["status"] == "on_track"  # progress on an item not yet started starts it
    importing.reextract(db, everything=True, workers=1)
    again = tr.get_item(db, item["id"])
    assert again["record_id"] is not None and again["progress"][0]["note"] == "完成征地"


def test_two_editors_never_lose_an_update(db):
    item = tr.create_item(db, "li", {"title": "建成宁波西枢纽", "deadline": "2025-12-31"}, year=2025)
    tr.update_item(db, "li", item["id"], 1, {"lead_unit": "市交通局"})
    with pytest.raises(Conflict) as e:
        tr.update_item(db, "wang", item["id"], 1, {"lead_unit": "市住建局"})
    assert "changed by li" in str(e.value)
    assert e.value.current["lead_unit"] == "市交通局"
    assert e.value.changes["lead_unit"] == {"before": None, "after": "市交通局", "by": "li"}
    assert tr.get_item(db, item["id"])["lead_unit"] == "市交通局"


def test_simultaneous_saves_of_one_version_let_exactly_one_through(db):
    import threading

    item = tr.create_item(db, "li", {"title": "同时保存", "deadline": "2025-12-31"}, year=2025)
    barrier, outcomes = threading.Barrier(6), []

    def save(unit: str) -> None:
        barrier.wait()
        try:
            tr.update_item(db, unit, item["id"], 1, {"lead_unit": unit})
            outcomes.append(("saved", unit))
        except Conflict:
            outcomes.append(("conflict", unit))

    threads = [threading.Thread(target=save, args=(f"单位{k}",)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [u for what, u in outcomes if what == "saved"]
    assert len(saved) == 1 and len(outcomes) == 6
    now = tr.get_item(db, item["id"])
    assert now["lead_unit"] == saved[0] and now["version"] == 2
    assert len(audit.entries(db, entity="item", entity_id=item["id"])) == 2  # the creation and the one save


def test_bad_changes_are_refused_with_reasons(db):
    item = tr.create_item(db, "li", {"title": "x 任务"}, year=2025)
    for changes, message in [
        ({"status": "late"}, "unknown status"),
        ({"status": "behind"}, "say why"),
        ({"colour": "red"}, "unknown field"),
        ({"deadline": "尽快"}, "cannot read"),
        ({"title": " "}, "needs a title"),
    ]:
        with pytest.raises(StoreError, match=message):
            tr.update_item(db, "li", item["id"], 1, changes)
    for update_, message in [
        ({"percent": 120}, "between 0 and 100"),
        ({"percent": "half"}, "must be a number"),
        ({"date": "June"}, "not a date"),
        ({"evidence_url": "javascript:alert(1)"}, "starts with"),
    ]:
        with pytest.raises(StoreError, match=message):
            tr.add_progress(db, "li", item["id"], update_)
    with pytest.raises(NotFound):
        tr.update_item(db, "li", 999, 1, {"title": "y"})


def _breakdown_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年市政府工作报告重点任务分解表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    for r in rows:
        ws.append(r)
    ws.merge_cells(start_row=4, start_column=3, end_row=5, end_column=3)  # one lead unit for two rows
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_breakdown_sheet_matches_records_and_keeps_the_rest(db):
    doc = store.list_documents(db)[0]
    data = _breakdown_xlsx(
        [
            ["一、扩大有效需求", None, None, None, None],
            [1, "开工建设梅山铁路专用线", "市交通局", "北仑区政府、宁波舟山港集团", "2024年12月底前"],
            [2, "建成投用一批城市书房", None, "市文广旅游局", "年底前"],
            [3, "推动营商环境持续优化，市场主体满意度保持全省前列", "市发改委", None, "长期坚持"],
            [4, "某项无法解析时限的任务", "市经信局", None, "尽快"],
        ]
    )
    sheet = read_sheet(data, "分解表.xlsx", 2024)
    assert [r.line for r in sheet.rows] == [4, 5, 6, 7] and sheet.headings == 1
    assert sheet.rows[1].lead_unit == "市交通局"  # from the merged cell
    assert sheet.rows[0].section == "一、扩大有效需求"
    report = tr.import_breakdown(db, "li", data, "分解表.xlsx", doc["id"])
    outcome = {r["line"]: r["outcome"] for r in report["rows"]}
    assert outcome[4] == "matched" and outcome[7].startswith("skipped: cannot read the deadline")
    assert report["created"] == 3 and report["skipped"] == 1
    items = {i["title"]: i for i in tr.list_items(db)}
    meishan = items["开工建设梅山铁路专用线"]
    assert meishan["record_id"] is not None and meishan["deadline"] == "2024-12-31"
    assert meishan["supporting_units"] == ["北仑区政府", "宁波舟山港集团"]
    again = tr.import_breakdown(db, "li", data, "分解表.xlsx", doc["id"])
    assert again["created"] == 0 and again["skipped"] == 4  # importing the sheet again tracks nothing twice
    assert sum("already tracked" in r["outcome"] for r in again["rows"]) == 3


def test_a_breakdown_csv_in_gb18030_and_sheets_without_a_header(db):
    csv_bytes = "任务,责任单位,完成时间\n建成投用一批城市书房,市文广旅游局,2024-09-30\n".encode("gb18030")
    sheet = read_sheet(csv_bytes, "x.csv", 2024)
    assert sheet.rows[0].lead_unit == "市文广旅游局" and sheet.rows[0].deadline == date(2024, 9, 30)
    from luoshi.errors import InputError

    with pytest.raises(InputError, match="no header row"):
        read_sheet("a,b\n1,2\n".encode(), "y.csv", 2024)
    assert similarity("开工建设梅山铁路专用线", "加快开工建设梅山铁路专用线等项目") == 1.0


def test_views_by_unit_and_the_tracking_sheet(db):
    today = date(2025, 3, 1)
    a = tr.create_item(
        db, "li", {"title": "甲", "lead_unit": "市交通局", "deadline": "2025-02-01"}, year=2025, today=today
    )
    tr.create_item(db, "li", {"title": "乙", "lead_unit": "市交通局", "deadline": "2025-12-31"}, year=2025, today=today)
    tr.create_item(
        db, "li", {"title": "丙", "lead_unit": "市财政局", "supporting_units": ["市交通局"]}, year=2025, today=today
    )
    items = tr.list_items(db, today=today)
    units = tr.by_unit(items)
    assert units[0]["unit"] == "市交通局" and units[0]["total"] == 2 and units[0]["light"]["red"] == 1
    assert units[0]["overdue"] == [{"id": a["id"], "title": "甲", "deadline": "2025-02-01"}]
    assert {i["title"] for i in tr.list_items(db, unit="市交通局", today=today)} == {"甲", "乙", "丙"}
    assert [i["title"] for i in tr.list_items(db, light_="red", today=today)] == ["甲"]
    data = tracking_xlsx(tr.attach_progress(db, items), "宁波市 2025 年督查台账", today)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "序号" and ws["B3"].value in {"甲", "乙", "丙"} and ws.max_row == 5
