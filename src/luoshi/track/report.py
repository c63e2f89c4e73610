"""The tracking report as the XLSX sheet a supervision office circulates: one row per item,
its lead and supporting units, deadline, status, latest progress and traffic light (the cell
filled in the light's colour), grouped by lead unit."""
from __future__ import annotations

import io
from datetime import date

STATUS_ZH = {"not_started": "未启动", "on_track": "按计划推进", "behind": "滞后", "done": "已完成", "dropped": "已终止"}
LIGHT_ZH = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "—"}
FILLS = {"red": "FCA5A5", "yellow": "FDE68A", "green": "86EFAC", "grey": "E5E7EB"}
HEADER = ("序号", "任务", "牵头单位", "配合单位", "完成时限", "状态", "完成比例", "进展情况", "亮灯", "说明", "地区", "年度", "编号")


def tracking_xlsx(items: list[dict], title: str, today: date) -> bytes:
    """The workbook as bytes: a title row, the header, then the items by lead unit."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill

    def clean(row: list) -> list:  # control characters cannot be stored in a sheet
        return [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]

    wb = Workbook()
    ws = wb.active
    ws.title = "督查台账"
    ws.append(clean([f"{title}（截至 {today.isoformat()}）"]))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(HEADER))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    ordered = sorted(items, key=lambda i: (i["lead_unit"] or "~", i["deadline"] or "9999", i["id"]))
    for n, i in enumerate(ordered, start=1):
        latest = (i.get("progress") or [{}])[-1]
        ws.append(clean([n, i["title"], i["lead_unit"] or "", "、".join(i["supporting_units"]), i["deadline"] or "",
                   STATUS_ZH.get(i["status"], i["status"]),
                   f"{i['percent']:g}%" if i.get("percent") is not None else "",
                   latest.get("note") or "", LIGHT_ZH[i["light"]], i["light_reason"] if i["light"] != "green" else "",
                   i.get("region") or "", i.get("year") or "", i["id"]]))
        ws.cell(ws.max_row, 9).fill = PatternFill("solid", fgColor=FILLS[i["light"]])
    widths = (6, 60, 18, 24, 12, 12, 10, 40, 8, 24, 10, 8, 8)
    for col, width in zip("ABCDEFGHIJKLM", widths):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
