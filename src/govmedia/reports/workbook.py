"""Workbooks (.xlsx): the report with native Excel charts, the dashboard's list, the compliance summary.

Text is always written as text (an account named "=…" never becomes a formula); numbers as numbers, so the
charts and the reader's own sums work.
"""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from django.utils import timezone
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from govmedia.reports import states
from govmedia.reports.figures import Report

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
PERCENT = "0.0%"
TIME = "yyyy-mm-dd hh:mm"


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: local wall time
    return value


def _put(ws, row: int, col: int, value, number_format: str | None = None):
    cell = ws.cell(row=row, column=col)
    value = _value(value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    cell.border = BORDER
    return cell


def _title(ws, text: str, width: int) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 28


def _header(ws, row: int, labels: tuple[str, ...], widths: tuple[int, ...] | None = None) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = (widths[col - 1] if widths else 14)
    ws.row_dimensions[row].height = 30


def _ratio(percent: float | None):
    return None if percent is None else percent / 100


def _bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the monthly / quarterly report ---------------------------------------------------------------------------

UNIT_COLUMNS = ("单位", "账号数", "发布量", "原创", "原创占比", *(s.label for s in states.ORDER), "更新合规率",
                "最长未更新（天）", "应转载", "按时转载")
ACCOUNT_COLUMNS = ("单位", "平台", "账号名称", "发布量", "原创", "原创占比", "最长未更新（天）", "期末最近发布",
                   "期末状态", "应转载", "按时转载")


def report_xlsx(report: Report) -> bytes:
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "汇总"
    _title(summary, f"{report.period.title}（{report.period.label}）", 4)
    summary.cell(row=2, column=1, value=f"统计范围：{report.scope}")
    summary.cell(row=3, column=1, value=report.summary()).alignment = Alignment(wrap_text=True, vertical="top")
    summary.merge_cells("A3:D3")
    summary.row_dimensions[3].height = 90
    _header(summary, 5, ("指标", "数值", "", ""), (26, 14, 14, 14))
    counts = report.state_counts
    figures = [("纳入统计账号（个）", len(report.accounts), None), ("发布量（条）", report.posts, None),
               ("原创（条）", report.originals, None), ("原创占比", _ratio(report.share), PERCENT),
               *((f"{s.label}（个）", counts[s.value], None) for s in states.ORDER),
               ("更新合规率", _ratio(report.compliance), PERCENT),
               ("应转载（账号次）", report.directives, None), ("按时转载（账号次）", report.directives_on_time, None)]
    for row, (label, value, fmt) in enumerate(figures, start=6):
        _put(summary, row, 1, label)
        _put(summary, row, 2, value, fmt)

    units = wb.create_sheet("单位统计")
    _title(units, f"各单位情况（{report.period.label}）", len(UNIT_COLUMNS))
    _header(units, 2, UNIT_COLUMNS, (30, 8, 8, 8, 10, 8, 8, 10, 10, 10, 10, 12, 8, 8))
    for row, u in enumerate(report.units, start=3):
        c = u.state_counts
        values = [u.unit.name, len(u.accounts), u.posts, u.originals, _ratio(u.share),
                  *(c[s.value] for s in states.ORDER), _ratio(u.compliance), u.longest_gap, u.directives,
                  u.directives_on_time]
        for col, value in enumerate(values, start=1):
            _put(units, row, col, value, PERCENT if col in (5, 11) else None)
    if report.units:
        chart = BarChart()
        chart.title, chart.y_axis.title = "各单位发布量", "条"
        last = 2 + len(report.units)
        chart.add_data(Reference(units, min_col=3, max_col=4, min_row=2, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(units, min_col=1, min_row=3, max_row=last))
        chart.width, chart.height = 22, 10
        units.add_chart(chart, f"A{last + 3}")

    accounts = wb.create_sheet("账号明细")
    _title(accounts, f"各账号情况（{report.period.label}）", len(ACCOUNT_COLUMNS))
    _header(accounts, 2, ACCOUNT_COLUMNS, (28, 12, 20, 8, 8, 10, 12, 17, 11, 8, 8))
    for row, a in enumerate(report.accounts, start=3):
        values = [a.account.unit.name, a.account.platform.name, a.account.name, a.posts, a.originals,
                  _ratio(a.share), a.longest_gap, a.last_post_at, a.end_label, a.directives, a.directives_on_time]
        for col, value in enumerate(values, start=1):
            _put(accounts, row, col, value, PERCENT if col == 6 else TIME if col == 8 else None)
    accounts.freeze_panes = "A3"

    weekly = wb.create_sheet("周发布量")
    _title(weekly, "各周发布量", 2)
    _header(weekly, 2, ("周（周一）", "发布量"), (14, 10))
    for row, (monday, n) in enumerate(zip(report.weeks, report.weekly, strict=True), start=3):
        _put(weekly, row, 1, f"{monday:%Y-%m-%d}")
        _put(weekly, row, 2, n)
    line = LineChart()
    line.title, line.y_axis.title = "各周发布量", "条"
    last = 2 + len(report.weeks)
    line.add_data(Reference(weekly, min_col=2, min_row=2, max_row=last), titles_from_data=True)
    line.set_categories(Reference(weekly, min_col=1, min_row=3, max_row=last))
    line.width, line.height = 20, 9
    weekly.add_chart(line, "D2")
    return _bytes(wb)


# --- the dashboard's list -------------------------------------------------------------------------------------

DASHBOARD_COLUMNS = ("单位", "平台", "账号名称", "状态", "距上次更新（天）", "最近发布", "应更新时间", "逾期未转载")


def dashboard_xlsx(rows, now: datetime) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "更新监测"
    _title(ws, f"政务新媒体更新监测（{timezone.localtime(now):%Y-%m-%d %H:%M}）", len(DASHBOARD_COLUMNS))
    _header(ws, 2, DASHBOARD_COLUMNS, (30, 12, 20, 11, 10, 17, 17, 10))
    for i, r in enumerate(rows, start=3):
        values = [r.account.unit.name, r.account.platform.name, r.account.name, r.status_label, r.days,
                  r.last_post_at if r.last_post_at else "从未发布", r.due_at, r.directives_overdue]
        for col, value in enumerate(values, start=1):
            _put(ws, i, col, value, TIME if col in (6, 7) and not isinstance(value, str) else None)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(DASHBOARD_COLUMNS))}{max(2, len(rows) + 2)}"
    return _bytes(wb)


# --- the compliance summary -----------------------------------------------------------------------------------

COMPLIANCE_COLUMNS = ("单位", "运行账号", *(s.label for s in states.ORDER), "更新合规率", "逾期未转载")


def compliance_xlsx(units, now: datetime) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "合规汇总"
    _title(ws, f"各单位政务新媒体合规汇总（{timezone.localtime(now):%Y-%m-%d %H:%M}）", len(COMPLIANCE_COLUMNS))
    _header(ws, 2, COMPLIANCE_COLUMNS, (30, 10, 8, 10, 10, 10, 10, 11, 11))
    for i, u in enumerate(units, start=3):
        values = [u["unit"].name, u["accounts"], *(u["counts"][s.value] for s in states.ORDER),
                  _ratio(u["compliance"]), u["directives_overdue"]]
        for col, value in enumerate(values, start=1):
            _put(ws, i, col, value, PERCENT if col == 8 else None)
    if units:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = "各单位账号更新状态"
        last = 2 + len(units)
        chart.add_data(Reference(ws, min_col=3, max_col=7, min_row=2, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=last))
        for series, s in zip(chart.series, states.ORDER, strict=True):
            series.graphicalProperties.solidFill = states.COLORS[s.value].lstrip("#")
        chart.width, chart.height = 22, 10
        ws.add_chart(chart, f"A{last + 3}")
    return _bytes(wb)
