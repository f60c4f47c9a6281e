"""Reading an uploaded table (.xlsx or .csv) of posts or interactions, and writing workbooks, safely.

Builds on the ledger's helpers (registry/ledger.py: row errors, the whole-file refusal, cell writing and header
styling) so both imports refuse alike. A file is refused whole, with one Chinese message, when it is too big, is
neither .xlsx nor .csv, is a zip that would inflate past a bound, has too many rows, or has no header row.
CSV may be UTF-8 (with or without BOM) or GB18030/GBK, as Excel on a Chinese Windows saves it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

import openpyxl
from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from govmedia import policy
from govmedia.registry import ledger
from govmedia.registry.ledger import ImportResult, RowError  # noqa: F401  (re-exported for the importers)

Refused = ledger._Refused
EXAMPLE_MARK = ledger.EXAMPLE_MARK
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

_DATETIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T\s]\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})\s*秒?)?\s*分?)?"
)


@dataclass
class Table:
    header_row: int
    index: dict[str, int]               # column key → position
    rows: list[tuple[int, tuple]]       # (row number a person sees, values), blank rows left out


def read_upload(file) -> tuple[str, bytes]:
    """The upload's name and bytes, refusing anything over the size limit without reading it all."""
    limit = policy.POST_IMPORT_MAX_BYTES
    name = str(getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    size = getattr(file, "size", None)
    data = b""
    if size is None or size <= limit:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        size = len(data)
    if size > limit:
        raise Refused(f"文件过大（{size / 1024 / 1024:.1f} MB），不得超过 {limit // (1024 * 1024)} MB，请分成多个文件导入")
    return name, data


def _unreadable(reason: str) -> Refused:
    return Refused(f"文件无法读取：{reason}。请上传 .xlsx 或 .csv 文件（可先下载导入模板）")


def read_table(file, columns: list[tuple[str, str]], required: set[str]) -> tuple[str, Table]:
    """(file name, table): the header row is the first of the first rows holding every required header."""
    name, data = read_upload(file)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx" or (suffix != "csv" and data[:2] == b"PK"):
        raw = _xlsx_rows(data)
    elif suffix in ("csv", "txt", ""):
        raw = _csv_rows(data)
    else:
        raise _unreadable(f"不支持 .{suffix} 格式")
    must = [label for key, label in columns if key in required]
    header_row, index, rows, seen_any = 0, {}, [], False
    try:
        for number, values in raw:
            if not header_row:
                texts = [ledger._header_text(v) for v in values]
                seen_any = seen_any or any(texts)
                if all(label in texts for label in must):
                    header_row = number
                    index = {key: texts.index(label) for key, label in columns if label in texts}
                elif number >= ledger._HEADER_SEARCH_ROWS:
                    break
                continue
            if ledger._is_blank(values):
                continue
            rows.append((number, values))
            if len(rows) > policy.POST_IMPORT_MAX_ROWS:
                raise Refused(f"数据行数超过 {policy.POST_IMPORT_MAX_ROWS} 行，请分成多个文件导入")
    except Refused:
        raise
    except csv.Error as error:
        raise _unreadable(f"CSV 格式有误（{error}）") from error
    except Exception as error:  # sheets are parsed lazily: broken XML shows up while iterating
        raise _unreadable("表格内容已损坏") from error
    if not header_row:
        if not seen_any:
            raise Refused("表格中没有数据：文件是空的")
        raise Refused("未找到表头行（应含「" + "」「".join(must) + "」列），请使用导入模板")
    if not rows:
        raise Refused("表格中没有可导入的数据：表头下方没有数据", header_row)
    return name, Table(header_row, index, rows)


def _xlsx_rows(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable("不是有效的 .xlsx 文件") from error
    if len(entries) > ledger._MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > ledger._MAX_UNZIPPED_BYTES:
        raise _unreadable("压缩内容异常（解压后过大）")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # an untrusted file: any parser failure means "cannot read", never a crash
        raise _unreadable("不是有效的 .xlsx 文件") from error
    if not wb.worksheets:
        wb.close()
        raise Refused("表格中没有数据：文件里没有工作表")
    ws = wb.worksheets[0]
    ws.reset_dimensions()  # a wrong <dimension> would otherwise silently cut rows off

    def rows():
        try:
            for number, values in enumerate(ws.iter_rows(max_col=ledger._MAX_COLUMNS, values_only=True), start=1):
                if number > ledger._EXCEL_MAX_ROW:
                    raise _unreadable("行数超出 Excel 的范围")
                yield number, values
        finally:
            wb.close()

    return rows()


def _csv_rows(data: bytes):
    if b"\x00" in data[:4096]:
        raise _unreadable("不是文本格式的 CSV 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable("无法识别文字编码（请另存为 UTF-8 或 GBK 编码的 CSV）")
    reader = csv.reader(io.StringIO(text, newline=""))
    # A record is what Excel shows as one row, even when a quoted cell spans several lines.
    return ((number, tuple(values[:ledger._MAX_COLUMNS])) for number, values in enumerate(reader, start=1))


# --- cell values ------------------------------------------------------------------------------------------


text = ledger._text


def parse_datetime(value) -> datetime | None:
    """An aware time from an Excel date/time, an Excel serial number, or text such as 2026-05-01 10:30,
    2026/5/1 10:30:00, 2026年5月1日 10时30分 or ISO 8601 with an offset. Without an offset it is local time;
    a date alone is the start of that day."""
    if isinstance(value, datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None
        if isinstance(converted, datetime):
            return timezone.make_aware(converted)
        return None
    raw = text(value)
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is not None:
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
    match = _DATETIME.fullmatch(raw)
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return timezone.make_aware(datetime(*parts))  # noqa: DTZ001 (made aware at once)
    except ValueError:
        return None


# --- writing ----------------------------------------------------------------------------------------------


def put(ws, row: int, col: int, value):
    """Write a cell; an aware time is written as local time (Excel has no time zones)."""
    if isinstance(value, datetime):
        cell = ws.cell(row=row, column=col, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    return ledger._put(ws, row, col, value)


def workbook(title: str, columns: list[tuple[str, str]], rows, widths: dict[str, int], *,
             caption: str = "") -> bytes:
    """One sheet: an optional caption row, the header, then ``rows`` (dicts by column key)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    header = 1
    if caption:
        ws["A1"] = caption
        ws["A1"].font = Font(bold=True)
        header = 2
    _header(ws, header, columns, widths)
    last = header
    for last, values in enumerate(rows, start=header + 1):
        for col, (key, _) in enumerate(columns, start=1):
            put(ws, last, col, values.get(key)).border = ledger._BORDER
    ws.freeze_panes = f"A{header + 1}"
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{max(header, last)}"
    return ledger._to_bytes(wb)


def _header(ws, row: int, columns, widths) -> None:
    ledger._style_header(ws, row, columns)
    for col, (key, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(key, 16)


def template(title: str, columns: list[tuple[str, str]], example: dict, help_rows: list[tuple[str, str, str]],
             rules: list[str], widths: dict[str, int]) -> bytes:
    """A blank import file: the header, one grey example row (skipped on import) and a 填写说明 sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    _header(ws, 1, columns, widths)
    grey = Font(italic=True, color="808080")
    for col, (key, _) in enumerate(columns, start=1):
        put(ws, 2, col, example.get(key)).font = grey
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(ledger.HELP_SHEET_TITLE)
    help_ws.append(["列名", "是否必填", "填写要求"])
    for col in range(1, 4):
        cell = help_ws.cell(row=1, column=col)
        cell.font, cell.fill, cell.border = ledger._HEADER_FONT, ledger._HEADER_FILL, ledger._BORDER
    for line in help_rows:
        help_ws.append(list(line))
    help_ws.append([])
    help_ws.append(["规则"])
    help_ws.cell(row=help_ws.max_row, column=1).font = ledger._HEADER_FONT
    for line in rules:
        help_ws.append([line])
        help_ws.merge_cells(start_row=help_ws.max_row, start_column=1, end_row=help_ws.max_row, end_column=3)
    help_ws.column_dimensions["A"].width = 16
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 90
    for row in help_ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return ledger._to_bytes(wb)
