"""The tracking report as the XLSX sheet a supervision office circulates: one row per item,
its lead and supporting units, deadline, status, latest progress and traffic light (the cell
filled in the light's colour), grouped by lead unit.

The sheet is written by the project's one XLSX writer (:func:`luoshi.output.formats.write_xlsx`),
so a title or unit that starts with ``=`` (a breakdown sheet can bring one in) stays text,
never a live formula."""

from __future__ import annotations

import io
from datetime import date

from ..output.formats import write_xlsx

STATUS_ZH = {"not_started": "未启动", "on_track": "按计划推进", "behind": "滞后", "done": "已完成", "dropped": "已终止"}
LIGHT_ZH = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "—"}
FILLS = {"red": "FCA5A5", "yellow": "FDE68A", "green": "86EFAC", "grey": "E5E7EB"}
HEADER = (
    "序号",
    "任务",
    "牵头单位",
    "配合单位",
    "完成时限",
    "状态",
    "完成比例",
    "进展情况",
    "亮灯",
    "说明",
    "地区",
    "年度",
    "编号",
)
WIDTHS = (6, 60, 18, 24, 12, 12, 10, 40, 8, 24, 10, 8, 8)


def tracking_rows(items: list[dict]) -> list[dict]:
    """The sheet's rows (keyed by :data:`HEADER`), by lead unit, then deadline."""
    ordered = sorted(items, key=lambda i: (i["lead_unit"] or "~", i["deadline"] or "9999", i["id"]))
    rows = []
    for n, i in enumerate(ordered, start=1):
        latest = (i.get("progress") or [{}])[-1]
        values = (
            n,
            i["title"],
            i["lead_unit"] or "",
            "、".join(i["supporting_units"]),
            i["deadline"] or "",
            STATUS_ZH.get(i["status"], i["status"]),
            f"{i['percent']:g}%" if i.get("percent") is not None else "",
            latest.get("note") or "",
            LIGHT_ZH[i["light"]],
            i["light_reason"] if i["light"] != "green" else "",
            i.get("region") or "",
            i.get("year") or "",
            i["id"],
        )
        rows.append({**dict(zip(HEADER, values)), "_light": i["light"]})
    return rows


def tracking_xlsx(items: list[dict], title: str, today: date) -> bytes:
    """The workbook as bytes: a title row, the header, then the items by lead unit."""
    out = io.BytesIO()
    write_xlsx(
        tracking_rows(items),
        HEADER,
        out,
        sheet="督查台账",
        title=f"{title}（截至 {today.isoformat()}）",
        widths=WIDTHS,
        wrap=("任务",),
        fills=lambda row: {"亮灯": FILLS[row["_light"]]},
    )
    return out.getvalue()
