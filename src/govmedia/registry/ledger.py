"""The ledger (台账) as .xlsx: export, a blank template, and an all-or-nothing import.

Import contract: every row is validated first and every error is reported with the Excel row a person sees
and the column's Chinese header; only a file without a single error is written, in one transaction, through
``registry.actions.register_account(existing=True)``. A file that cannot be read safely (too big, not an
.xlsx, a zip that would inflate past a bound, too many rows) is refused whole with one message.

An exported file re-imports: its title row is skipped (the header row is the first one containing
「账号名称」) and its export-only columns (状态, 关停日期, 注销日期) are ignored. Re-importing it into the
same registry reports every row as a duplicate; with new account names it imports as running accounts.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.org import access
from govmedia.org.models import Person, Unit
from govmedia.registry import actions
from govmedia.registry.models import Account, Platform, Status, today

logger = logging.getLogger(__name__)

SHEET_TITLE = "政务新媒体台账"
HELP_SHEET_TITLE = "填写说明"
NAME_HEADER = "账号名称"  # the header row is the first row containing it
EXAMPLE_MARK = "【示例】"  # the template's example row starts with it and is skipped on import

# Keys equal the form fields / RegistryError.field values, so a refusal maps to its column.
COLUMNS: list[tuple[str, str]] = [
    ("unit", "主办单位"),
    ("platform", "平台"),
    ("name", NAME_HEADER),
    ("platform_uid", "平台账号ID"),
    ("url", "链接"),
    ("subject", "认证主体"),
    ("purpose", "开设用途"),
    ("managers", "专职管理人员"),
    ("opened_on", "开设日期"),
    *[(f"pre_{key}", label) for key, label in policy.OPENING_PRECONDITIONS.items()],
]
EXPORT_ONLY_COLUMNS: list[tuple[str, str]] = [("status", "状态"), ("closed_on", "关停日期"), ("cancelled_on", "注销日期")]
OPTIONAL_KEYS = frozenset({"platform_uid", "url", "purpose", "managers"})
REQUIRED_HEADERS = [label for key, label in COLUMNS if key not in OPTIONAL_KEYS]
_LABEL = dict(COLUMNS)
_DATE_KEYS = frozenset({"opened_on", "closed_on", "cancelled_on"})

# Bounds on parsing an untrusted upload (not from the regulation: they keep one file from stalling a worker).
_MAX_ZIP_ENTRIES = 500
_MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
_MAX_COLUMNS = 60
_HEADER_SEARCH_ROWS = 20
_EXCEL_MAX_ROW = 1_048_576
_MAX_REPORTED_ERRORS = 200

_MANAGER_SPLIT = re.compile(r"[、,，;；\s]+")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
_HEADER_NOISE = re.compile(r"\s+|\*|（必填）|\(必填\)")

_HELP = {
    "unit": "单位全称，须与系统中的主办单位名称完全一致；只能导入本人有权管理的单位的账号",
    "platform": "平台名称，须在核准的平台名单内",
    "name": "账号在平台上的名称",
    "platform_uid": "平台上的账号ID或原始ID，可不填",
    "url": "账号主页链接，可不填；未写 http(s):// 的按 https:// 处理",
    "subject": "平台认证的主体，须为主办单位全称，内设机构和个人不得作为账号主体（第四条）",
    "purpose": "账号用途，不得为专项活动或专项工作单独开设（第四条）",
    "managers": "本单位人员的用户名或姓名，多人用“、”或“,”分隔；同名的请填用户名；不得全部为外包人员",
    "opened_on": "在平台开设的日期，如 2021-03-15、2021/3/15 或 2021年3月15日，不得晚于今天",
}
_HELP.update({f"pre_{key}": f"开设条件“{label}”的佐证材料（第四条），必填"
              for key, label in policy.OPENING_PRECONDITIONS.items()})

_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDTHS = {"unit": 30, "platform": 12, "name": 20, "platform_uid": 16, "url": 30, "subject": 30, "purpose": 30,
           "managers": 16, "opened_on": 12, "status": 8, "closed_on": 12, "cancelled_on": 12}
_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` is the Excel row number a person sees, ``column`` the Chinese header."""

    row: int | None
    column: str | None
    message: str


@dataclass
class ImportResult:
    ok: bool
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Refused(Exception):
    """The whole file is refused with one message."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.error = RowError(row, None, message)


@dataclass
class _Plan:
    row: int
    values: dict


# --- export -----------------------------------------------------------------------------------------------


def _cell_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(ws, row: int, col: int, value):
    """Write a value; text stays text (an account named "=..." must not become a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, date):
        cell.value = value
        cell.number_format = _DATE_FORMAT
    elif value in (None, ""):
        cell.value = None
    else:
        cell.value = _cell_text(str(value))
        cell.data_type = "s"
    return cell


def _style_header(ws, row: int, columns: list[tuple[str, str]]) -> None:
    for col, (key, label) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(key, 24)
    ws.row_dimensions[row].height = 32


def _to_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_accounts(qs, *, actor) -> bytes:
    """The given accounts (already limited to what ``actor`` may see) as the ledger workbook.

    Managers are written by 姓名, or by username where the name is shared within the unit (or empty), so
    the file imports back unambiguously. A fixed number of queries whatever the number of accounts.
    """
    accounts = list(qs.select_related("unit", "platform").prefetch_related("managers"))
    shared_names = set(
        Person.objects.exclude(full_name="").values("unit_id", "full_name").annotate(n=Count("id"))
        .filter(n__gt=1).values_list("unit_id", "full_name")
    )
    columns = COLUMNS + EXPORT_ONLY_COLUMNS
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    last = get_column_letter(len(columns))
    ws["A1"] = f"政务新媒体账号台账（导出日期：{today():%Y-%m-%d}）"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 28
    _style_header(ws, 2, columns)
    for row, account in enumerate(accounts, start=3):
        code = getattr(account, "status_code", None)
        values = {
            "unit": account.unit.name, "platform": account.platform.name, "name": account.name,
            "platform_uid": account.platform_uid, "url": account.url, "subject": account.subject,
            "purpose": account.purpose,
            "managers": "、".join(
                p.username if not p.full_name or (account.unit_id, p.full_name) in shared_names else p.full_name
                for p in account.managers.all()
            ),
            "opened_on": account.opened_on, "closed_on": account.closed_on, "cancelled_on": account.cancelled_on,
            "status": (Status(code) if code else account.status()).label,
            **{f"pre_{key}": (account.preconditions or {}).get(key, "") for key in policy.OPENING_PRECONDITIONS},
        }
        for col, (key, _) in enumerate(columns, start=1):
            _put(ws, row, col, values[key]).border = _BORDER
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{max(2, len(accounts) + 2)}"
    data = _to_bytes(wb)
    record(EventType.LEDGER_EXPORTED, actor=actor, object_repr=SHEET_TITLE, after={"count": len(accounts)})
    return data


def template_workbook() -> bytes:
    """A blank ledger: the import header, one example row (grey italic, skipped on import) and 填写说明."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    _style_header(ws, 1, COLUMNS)
    example = {
        "unit": f"{EXAMPLE_MARK}苏州市吴江区人力资源和社会保障局", "platform": "微信公众号", "name": "吴江人社",
        "platform_uid": "gh_0123456789ab", "url": "https://mp.weixin.qq.com/", "subject": "苏州市吴江区人力资源和社会保障局",
        "purpose": "发布人社政策、办事指南，回应群众关切", "managers": "李明、zhaomin", "opened_on": date(2019, 5, 20),
        "pre_managing_body": "局办公室为管理机构（文件号）", "pre_trained_staff": "专职信息员2名，已完成岗前培训",
        "pre_funding": "年度部门预算列支运维经费", "pre_rules": "《政务新媒体管理制度》《信息发布三级审核制度》",
    }
    grey = Font(italic=True, color="808080")
    for col, (key, _) in enumerate(COLUMNS, start=1):
        _put(ws, 2, col, example[key]).font = grey
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet(HELP_SHEET_TITLE)
    help_ws.append(["列名", "是否必填", "填写要求"])
    for col in range(1, 4):
        cell = help_ws.cell(row=1, column=col)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
    for key, label in COLUMNS:
        help_ws.append([label, "选填" if key in OPTIONAL_KEYS else "必填", _HELP[key]])
    approved = "、".join(Platform.objects.filter(approved=True).values_list("name", flat=True)) or "（暂无）"
    rules = [
        "规则",
        "1. 认证主体须为主办单位全称；内设机构和个人不得作为账号主体（第四条）。",
        f"2. 只能在核准的平台开设政务新媒体（第四条）。当前核准平台：{approved}。",
        "3. 不得为专项活动或专项工作单独开设政务新媒体（第四条）。",
        "4. 一个单位在同一平台原则上只开设一个账号（第五条）；台账中已有的多个账号可以导入，导入后列入“清理整合”待整合。",
        "5. 同一单位、同一平台、同名的账号不得重复导入。",
        f"6. 第2行为示例（灰色斜体，主办单位以“{EXAMPLE_MARK}”开头），导入时自动跳过，可直接删除。",
        "7. 导入前逐行校验全部数据，有任何错误则一条也不导入，并列出出错的行、列和原因。",
        f"8. 文件须为 .xlsx 格式，不超过 {policy.LEDGER_IMPORT_MAX_BYTES // (1024 * 1024)} MB、"
        f"{policy.LEDGER_IMPORT_MAX_ROWS} 行；导出的台账可直接导入（“状态”“关停日期”“注销日期”列不导入）。",
    ]
    help_ws.append([])
    for line in rules:
        help_ws.append([line])
        help_ws.merge_cells(start_row=help_ws.max_row, start_column=1, end_row=help_ws.max_row, end_column=3)
    help_ws.cell(row=len(COLUMNS) + 3, column=1).font = _HEADER_FONT
    help_ws.column_dimensions["A"].width = 36
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 80
    for row in help_ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _to_bytes(wb)


# --- import: reading --------------------------------------------------------------------------------------


def _read_upload(file) -> tuple[str, bytes]:
    """The upload's name and bytes, refusing anything over the size limit without reading it all."""
    limit = policy.LEDGER_IMPORT_MAX_BYTES
    name = str(getattr(file, "name", "") or "")
    size = getattr(file, "size", None)
    data = b""
    if size is None or size <= limit:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        size = len(data)
    if size > limit:
        raise _Refused(f"文件过大（{size / 1024 / 1024:.1f} MB），台账文件不得超过 {limit // (1024 * 1024)} MB")
    return name.rsplit("/", 1)[-1], data


def _unreadable(reason: str) -> _Refused:
    return _Refused(f"文件无法读取：{reason}。请上传 .xlsx 格式的台账（可先下载导入模板）")


def _check_zip(data: bytes) -> None:
    """An .xlsx is a zip: bound its entries and inflated size before any parser reads it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable("不是有效的 .xlsx 文件") from error
    if len(entries) > _MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > _MAX_UNZIPPED_BYTES:
        raise _unreadable("压缩内容异常（解压后过大）")


def _header_text(value) -> str:
    return _HEADER_NOISE.sub("", str(value)) if value is not None else ""


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _read_rows(data: bytes) -> tuple[int, dict[str, int], list[tuple[int, tuple]]]:
    """(header row number, column index by key, non-blank data rows with their Excel row numbers)."""
    _check_zip(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # an untrusted file: any parser failure means "cannot read", never a crash
        raise _unreadable("不是有效的 .xlsx 文件") from error
    try:
        return _scan(wb)
    except _Refused:
        raise
    except Exception as error:  # sheets are parsed lazily, so broken XML shows up while iterating
        raise _unreadable("表格内容已损坏") from error
    finally:
        wb.close()


def _scan(wb) -> tuple[int, dict[str, int], list[tuple[int, tuple]]]:
    if SHEET_TITLE in wb.sheetnames:
        ws = wb[SHEET_TITLE]
    elif wb.worksheets:
        ws = wb.worksheets[0]
    else:
        raise _Refused("表格中没有数据：文件里没有工作表")
    ws.reset_dimensions()  # a wrong <dimension> would otherwise silently cut rows off
    header_row, index, rows, seen_any = 0, {}, [], False
    for number, values in enumerate(ws.iter_rows(max_col=_MAX_COLUMNS, values_only=True), start=1):
        if number > _EXCEL_MAX_ROW:
            raise _unreadable("行数超出 Excel 的范围")
        if not header_row:
            texts = [_header_text(v) for v in values]
            seen_any = seen_any or any(texts)
            if NAME_HEADER in texts:
                header_row = number
                for key, label in COLUMNS:
                    if label in texts:
                        index[key] = texts.index(label)
            elif number >= _HEADER_SEARCH_ROWS:
                break
            continue
        if _is_blank(values):
            continue
        rows.append((number, values))
        if len(rows) > policy.LEDGER_IMPORT_MAX_ROWS:
            raise _Refused(f"数据行数超过 {policy.LEDGER_IMPORT_MAX_ROWS} 行，请分成多个文件导入")
    if not header_row:
        if not seen_any:
            raise _Refused("表格中没有数据：工作表是空的")
        raise _Refused("未找到表头行（应含「" + "」「".join(REQUIRED_HEADERS) + "」等列），请使用导入模板")
    missing = [label for key, label in COLUMNS if key not in OPTIONAL_KEYS and key not in index]
    if missing:
        raise _Refused("表头缺少必填列：" + "、".join(f"「{m}」" for m in missing) + "，请使用导入模板", header_row)
    if not rows:
        raise _Refused("表格中没有可导入的账号：表头下方没有数据", header_row)
    return header_row, index, rows


# --- import: checking -------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_date(value) -> date | None:
    """An Excel date, an Excel serial number, or text YYYY-MM-DD / YYYY/MM/DD / YYYY年M月D日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None
        return converted.date() if isinstance(converted, datetime) else None
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        if match := pattern.fullmatch(text):
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _max_length(key: str) -> int:
    return Account._meta.get_field(key).max_length


class _Checker:
    """Validates rows against the registry as it stands, loaded once, and collects every error."""

    def __init__(self, actor, rows: list[tuple[int, dict]]):
        self.actor = actor
        self.units = {u.name: u for u in Unit.objects.all()}
        self.short_names = {u.short_name: u for u in self.units.values() if u.short_name}
        self.editable = set(access.editable_units(actor).values_list("pk", flat=True))
        self.platforms = {p.name: p for p in Platform.objects.all()}
        named = [self.units[v["unit"]] for _, v in rows if v["unit"] in self.units]
        self.existing = set(Account.objects.filter(unit__in=named).values_list("unit_id", "platform_id", "name"))
        self.people: dict[int, list[Person]] = defaultdict(list)
        for person in Person.objects.filter(unit__in=named):
            self.people[person.unit_id].append(person)
        self.subject_checks: dict[tuple[int, str], actions.RegistryError | None] = {}
        self.seen: dict[tuple[int, int, str], int] = {}
        self.errors: list[RowError] = []
        self.url_validator = URLValidator(schemes=["http", "https"])

    def error(self, row: int, key: str | None, message: str) -> None:
        self.errors.append(RowError(row, _LABEL.get(key) if key else None, message))

    def refusal(self, row: int, error: actions.RegistryError, default_key: str | None = None) -> None:
        self.error(row, error.field if error.field in _LABEL else default_key, error.message)

    def check(self, row: int, v: dict) -> _Plan | None:
        before = len(self.errors)
        unit = self._unit(row, v["unit"])
        platform = self._platform(row, v["platform"])
        name = v["name"]
        if not name:
            self.error(row, "name", "请填写账号名称")
        for key in ("name", "platform_uid", "subject", "purpose"):
            if len(v[key]) > _max_length(key):
                self.error(row, key, f"{_LABEL[key]}不能超过{_max_length(key)}个字")
        url = self._url(row, v["url"])
        if unit is not None:
            self._subject(row, unit, v["subject"])
        try:
            actions.check_purpose(v["purpose"])
        except actions.RegistryError as error:
            self.refusal(row, error, "purpose")
        preconditions = self._preconditions(row, v)
        managers = self._managers(row, unit, v["managers"]) if unit is not None else []
        opened_on = self._opened_on(row, v["opened_on_raw"])
        if unit is not None and platform is not None and name:
            key = (unit.pk, platform.pk, name)
            if key in self.existing:
                self.error(row, "name", f"与已有账号重复：「{unit.name}」在{platform.name}已有账号「{name}」")
            elif key in self.seen:
                self.error(row, "name", f"与第{self.seen[key]}行的账号重复（同一单位、同一平台、同名）")
            else:
                self.seen[key] = row
        if len(self.errors) > before:
            return None
        return _Plan(row, {
            "unit": unit, "platform": platform, "name": name, "subject": v["subject"], "purpose": v["purpose"],
            "platform_uid": v["platform_uid"], "url": url, "managers": managers, "preconditions": preconditions,
            "opened_on": opened_on,
        })

    def _unit(self, row: int, name: str) -> Unit | None:
        if not name:
            self.error(row, "unit", "请填写主办单位（单位全称）")
            return None
        unit = self.units.get(name)
        if unit is None:
            hint = self.short_names.get(name)
            self.error(row, "unit", f"单位「{name}」不存在" + (f"，请填写单位全称「{hint.name}」" if hint else ""))
            return None
        if unit.pk not in self.editable:
            self.error(row, "unit", f"无权导入该单位的账号：「{unit.name}」")
            return None
        return unit

    def _platform(self, row: int, name: str) -> Platform | None:
        if not name:
            self.error(row, "platform", "请填写平台")
            return None
        platform = self.platforms.get(name)
        if platform is None or not platform.approved:
            self.error(row, "platform", f"「{name}」不在核准的平台名单内，不得开设政务新媒体（第四条）")
            return None
        return platform

    def _url(self, row: int, url: str) -> str:
        if not url:
            return ""
        if "://" not in url:
            url = f"https://{url}"
        try:
            self.url_validator(url)
        except ValidationError:
            self.error(row, "url", f"链接格式不正确：{url}")
        if len(url) > _max_length("url"):
            self.error(row, "url", f"链接不能超过{_max_length('url')}个字符")
        return url

    def _subject(self, row: int, unit: Unit, subject: str) -> None:
        key = (unit.pk, subject)
        if key not in self.subject_checks:  # check_subject queries; the same pair recurs on many rows
            try:
                actions.check_subject(unit, subject)
                self.subject_checks[key] = None
            except actions.RegistryError as error:
                self.subject_checks[key] = error
        if (error := self.subject_checks[key]) is not None:
            self.refusal(row, error, "subject")

    def _preconditions(self, row: int, v: dict) -> dict:
        evidence = {key: v[f"pre_{key}"] for key in policy.OPENING_PRECONDITIONS}
        missing = dict(evidence)
        for _ in policy.OPENING_PRECONDITIONS:  # one refusal per missing item, each in its own column
            try:
                actions.check_preconditions(missing)
                break
            except actions.RegistryError as error:
                self.refusal(row, error)
                if not (error.field or "").startswith("pre_"):
                    break
                missing[error.field.removeprefix("pre_")] = "reported"
        return evidence

    def _managers(self, row: int, unit: Unit, text: str) -> list[Person]:
        people = self.people[unit.pk]
        found: list[Person] = []
        for token in filter(None, _MANAGER_SPLIT.split(text)):
            by_username = [p for p in people if p.username == token]
            matches = by_username or [p for p in people if p.full_name == token]
            if len(matches) > 1:
                self.error(row, "managers", f"「{unit.name}」有{len(matches)}人名为「{token}」，请改填用户名")
            elif not matches:
                self.error(row, "managers", f"「{token}」不是「{unit.name}」的人员（请填写本单位人员的用户名或姓名）")
            elif matches[0] not in found:
                found.append(matches[0])
        try:
            actions.check_managers(unit, found)
        except actions.RegistryError as error:
            self.refusal(row, error, "managers")
        return found

    def _opened_on(self, row: int, raw) -> date | None:
        if _text(raw) == "":
            self.error(row, "opened_on", "请填写开设日期（导入的是已开设的账号）")
            return None
        opened_on = _parse_date(raw)
        if opened_on is None:
            self.error(row, "opened_on", f"开设日期「{_text(raw)}」不是有效日期，请按 2021-03-15 的格式填写")
        elif opened_on > today():
            self.error(row, "opened_on", f"开设日期{opened_on:%Y-%m-%d}晚于今天")
            return None
        return opened_on


def _row_values(values: tuple, index: dict[str, int]) -> dict:
    v = {key: _text(values[i]) if i < len(values) else "" for key, i in index.items()}
    for key, _ in COLUMNS:
        v.setdefault(key, "")
    i = index["opened_on"]
    v["opened_on_raw"] = values[i] if i < len(values) else None
    return v


# --- import -----------------------------------------------------------------------------------------------


def import_accounts(file, *, actor) -> ImportResult:
    """Check every row of an uploaded ledger, then create all its accounts in one transaction, or none.

    Accounts are recorded as already running (``existing=True``): no new filing is due for them, and a
    second account of a unit on one platform is accepted and listed on the consolidation page (第五条).
    """
    try:
        filename, data = _read_upload(file)
        _, index, raw_rows = _read_rows(data)
    except _Refused as refused:
        return ImportResult(ok=False, errors=[refused.error])
    rows = [(number, _row_values(values, index)) for number, values in raw_rows]
    rows = [(number, v) for number, v in rows if not v["unit"].startswith(EXAMPLE_MARK)]
    if not rows:
        return ImportResult(ok=False, errors=[RowError(None, None, "表格中没有可导入的账号：只有示例行")])
    checker = _Checker(actor, rows)
    plans = [checker.check(number, v) for number, v in rows]
    if checker.errors:
        errors = checker.errors
        if len(errors) > _MAX_REPORTED_ERRORS:
            hidden = len(errors) - _MAX_REPORTED_ERRORS
            errors = [*errors[:_MAX_REPORTED_ERRORS],
                      RowError(None, None, f"另有{hidden}处错误未列出，请先修改以上错误后重新导入")]
        return ImportResult(ok=False, errors=errors)
    current = None
    try:
        with transaction.atomic():
            for current in plans:
                actions.register_account(**current.values, existing=True, actor=actor)
            record(EventType.LEDGER_IMPORTED, actor=actor, object_repr=filename or SHEET_TITLE,
                   after={"count": len(plans), "file": filename})
    except actions.RegistryError as error:
        column = _LABEL.get(error.field or "")
        return ImportResult(ok=False, errors=[RowError(current.row, column, f"{error.message}（未导入任何数据）")])
    except Exception:  # rolled back whole; say so rather than show a server error
        logger.exception("ledger import failed while writing row %s", current.row if current else None)
        return ImportResult(ok=False, errors=[RowError(
            current.row if current else None, None, "写入时出错，已全部撤销，未导入任何数据；请稍后重试或联系管理员",
        )])
    return ImportResult(ok=True, created=len(plans))
