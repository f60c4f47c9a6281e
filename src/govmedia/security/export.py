"""The 账号安全 list as an .xlsx workbook: what the office hands to an inspection or a meeting."""

from __future__ import annotations

import io

import openpyxl
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from govmedia.audit.actions import record
from govmedia.audit.events import EventType

TITLE = "账号安全清单"
COLUMNS = ("主办单位", "平台", "账号名称", "账号状态", "保管人", "登录设备", "上次修改密码", "下次修改期限",
           "密码状态", "问题")
WIDTHS = (30, 12, 20, 10, 14, 40, 18, 18, 10, 40)


def _text(value) -> str | None:
    if value in (None, ""):
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def workbook(rows, *, actor) -> bytes:
    """The given rows (already limited to what ``actor`` may see); cells are text, never formulas."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = TITLE
    ws.append([f"{TITLE}（导出时间：{_when(timezone.now())}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(COLUMNS))
    for cell in ws[2]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        account = row.account
        devices = "；".join(f"{d.get_kind_display()} {d.asset_number}（{d.owner}）" for d in row.devices)
        values = (account.unit.name, account.platform.name, account.name, account.status_label(),
                  row.custodian or "", devices, _when(row.state.changed_at), _when(row.state.due_at),
                  row.state.label, "；".join(row.violations))
        ws.append([_text(v) for v in values])
        for cell in ws[ws.max_row]:
            if cell.value is not None:
                cell.data_type = "s"  # an account named "=..." stays text
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    record(EventType.REPORT_EXPORTED, actor=actor, object_repr=TITLE, after={"count": len(rows)})
    return out.getvalue()
