"""The rectification list as .xlsx: what the person sees with their filters, one row per item."""

from __future__ import annotations

import io

import openpyxl
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.registry.models import today

COLUMNS = [("编号", 8), ("责任单位", 26), ("账号", 26), ("来源", 8), ("严重程度", 10), ("问题", 60),
           ("下发时间", 18), ("整改期限", 12), ("状态", 12), ("最近提交整改材料", 18), ("验收通过", 18)]
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
OVERDUE_FILL = PatternFill("solid", fgColor="F8D7DA")


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _clean(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def export_rectifications(qs, *, actor) -> bytes:
    on = today()
    items = list(qs)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改事项"
    last = get_column_letter(len(COLUMNS))
    ws["A1"] = f"政务新媒体整改事项清单（导出日期：{on:%Y-%m-%d}）"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 28
    for col, (label, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=col, value=label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, item in enumerate(items, start=3):
        status = item.status(on)
        values = [item.pk, item.unit.name, str(item.account), item.get_source_display(), item.get_severity_display(),
                  item.problem, _when(item.opened_at), item.due_date, status.label, _when(item.answered_at),
                  _when(item.accepted_at)]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=_clean(value))
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col == 6)
            if col == 8:
                cell.number_format = "yyyy-mm-dd"
            if status.value == "overdue":
                cell.fill = OVERDUE_FILL
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{max(2, len(items) + 2)}"
    out = io.BytesIO()
    wb.save(out)
    record(EventType.REPORT_EXPORTED, actor=actor, object_repr="整改事项清单", after={"rows": len(items)})
    return out.getvalue()
