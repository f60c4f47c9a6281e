"""Posts and interactions from .xlsx or .csv files, all or nothing; their templates and exports.

Import contract (the ledger's, registry/ledger.py): every row is checked first and every error is reported with
the row a person sees, the column's Chinese header and the reason; only a file without a single error is written,
in one transaction. Rows already stored (the same account and platform ID, link, or time and title) are counted
as skipped, so importing a file twice adds nothing the second time. An exported list re-imports unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.monitoring import access, actions, tables
from govmedia.monitoring.actions import InteractionData, MonitoringError, PostData
from govmedia.monitoring.models import InteractionKind, PostKind
from govmedia.monitoring.tables import EXAMPLE_MARK, ImportResult, Refused, RowError
from govmedia.registry.models import Account

ACCOUNT_HELP = "账号编号，或“平台/账号名称”（如 微信公众号/吴江人社），导出的“微信公众号「吴江人社」”写法也可以"
POST_COLUMNS = [("account", "账号"), ("published_at", "发布时间"), ("title", "标题"), ("url", "链接"),
                ("kind", "类型"), ("text", "正文"), ("external_id", "平台内容ID")]
POST_REQUIRED = {"account", "published_at", "title", "kind"}
INTERACTION_COLUMNS = [("account", "账号"), ("kind", "类型"), ("author", "留言人"), ("text", "内容"),
                       ("received_at", "留言时间"), ("replied_at", "回复时间"), ("reply", "回复内容"),
                       ("external_id", "平台ID")]
INTERACTION_REQUIRED = {"account", "kind", "text", "received_at"}
KIND_WORDS = {"原创": PostKind.ORIGINAL, "转载": PostKind.REPRINT, "original": PostKind.ORIGINAL,
              "reprint": PostKind.REPRINT}
INTERACTION_WORDS = {"留言": InteractionKind.MESSAGE, "评论": InteractionKind.COMMENT,
                     "message": InteractionKind.MESSAGE, "comment": InteractionKind.COMMENT}
WIDTHS = {"account": 24, "published_at": 17, "title": 40, "url": 36, "kind": 8, "text": 60, "external_id": 20,
          "author": 12, "received_at": 17, "replied_at": 17, "reply": 40, "unit": 20, "source": 14,
          "status": 10}
_ACCOUNT_REF = re.compile(r"\s*(?P<platform>[^「/／:：\s]+)\s*(?:「(?P<a>.+)」|[/／:：\s]\s*(?P<b>.+))\s*")
_MAX_REPORTED_ERRORS = 200


@dataclass
class Result(ImportResult):
    skipped: int = 0
    replied: int = 0


# --- shared checking --------------------------------------------------------------------------------------


class _Checker:
    """Resolves accounts against what the actor may record, once, and collects every error."""

    def __init__(self, actor, labels: dict[str, str]):
        self.actor, self.labels = actor, labels
        self.visible = list(access.visible_accounts(actor))
        self.by_id = {a.pk: a for a in self.visible}
        self.recordable = set(access.recordable_units(actor).values_list("pk", flat=True))
        self.errors: list[RowError] = []
        self.now = timezone.now()

    def error(self, row: int, key: str | None, message: str) -> None:
        self.errors.append(RowError(row, self.labels.get(key) if key else None, message))

    def account(self, row: int, ref: str) -> Account | None:
        if not ref:
            self.error(row, "account", f"请填写账号：{ACCOUNT_HELP}")
            return None
        if ref.isdigit():
            found = [self.by_id[int(ref)]] if int(ref) in self.by_id else []
        elif match := _ACCOUNT_REF.fullmatch(ref):
            platform, name = match["platform"], (match["a"] or match["b"]).strip()
            found = [a for a in self.visible if a.platform.name == platform and a.name == name]
        else:
            found = []
        if not found:
            self.error(row, "account", f"未找到账号「{ref}」（{ACCOUNT_HELP}）")
            return None
        if len(found) > 1:
            self.error(row, "account", f"有{len(found)}个账号为「{ref}」，请改填账号编号（"
                       + "、".join(f"{a.unit.short_name or a.unit.name}：{a.pk}" for a in found) + "）")
            return None
        account = found[0]
        if account.unit_id not in self.recordable:
            self.error(row, "account", f"无权导入该账号的内容：{account}（{account.unit.name}）")
            return None
        return account

    def moment(self, row: int, key: str, raw, *, required: bool):
        if tables.text(raw) == "":
            if required:
                self.error(row, key, f"请填写{self.labels[key]}")
            return None
        moment = tables.parse_datetime(raw)
        if moment is None:
            self.error(row, key, f"{self.labels[key]}「{tables.text(raw)}」不是有效的时间，请按 2026-05-01 10:30 的格式填写")
        return moment

    def choice(self, row: int, key: str, raw: str, words: dict[str, str]) -> str | None:
        if not raw:
            self.error(row, key, f"请填写{self.labels[key]}（" + "或".join(list(words)[:2]) + "）")
            return None
        value = words.get(raw.lower())
        if value is None:
            self.error(row, key, f"{self.labels[key]}「{raw}」无效，应为" + "或".join(list(words)[:2]))
        return value

    def refusal(self, row: int, error: MonitoringError) -> None:
        self.error(row, error.field if error.field in self.labels else None, error.message)

    def report(self) -> list[RowError]:
        errors = self.errors
        if len(errors) > _MAX_REPORTED_ERRORS:
            hidden = len(errors) - _MAX_REPORTED_ERRORS
            errors = [*errors[:_MAX_REPORTED_ERRORS],
                      RowError(None, None, f"另有{hidden}处错误未列出，请先修改以上错误后重新导入")]
        return errors


def _values(values: tuple, index: dict[str, int], raw_keys: set[str]) -> dict:
    """Cells by key: text for most, the raw cell for times (an Excel date stays a date)."""
    out = {}
    for key, i in index.items():
        cell = values[i] if i < len(values) else None
        out[key] = cell if key in raw_keys else tables.text(cell)
    return out


def _read(file, columns, required) -> tuple[str, list[tuple[int, dict]]]:
    raw_keys = {"published_at", "received_at", "replied_at"}
    name, table = tables.read_table(file, columns, required)
    rows = [(number, _values(values, table.index, raw_keys)) for number, values in table.rows]
    rows = [(n, v) for n, v in rows if not str(v.get("account", "")).startswith(EXAMPLE_MARK)]
    if not rows:
        raise Refused("表格中没有可导入的数据：只有示例行", table.header_row)
    return name, rows


def _duplicate(seen: dict, key, row: int) -> int | None:
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = row
    return earlier


# --- posts ------------------------------------------------------------------------------------------------


def import_posts(file, *, actor) -> Result:
    """Check every row of an uploaded list of posts, then store them all in one transaction, or none."""
    try:
        filename, rows = _read(file, POST_COLUMNS, POST_REQUIRED)
    except Refused as refused:
        return Result(ok=False, errors=[refused.error])
    checker = _Checker(actor, dict(POST_COLUMNS))
    items, seen = [], {}
    for row, v in rows:
        before = len(checker.errors)
        account = checker.account(row, v.get("account", ""))
        published_at = checker.moment(row, "published_at", v.get("published_at"), required=True)
        kind = checker.choice(row, "kind", v.get("kind", ""), KIND_WORDS)
        title = v.get("title", "")
        if not title:
            checker.error(row, "title", "请填写标题")
        try:
            actions.check_url(v.get("url", ""))
        except MonitoringError as error:
            checker.refusal(row, error)
        if len(checker.errors) > before:
            continue
        try:
            item = actions.check_post(PostData(account, published_at, title, v.get("url", ""), kind,
                                               v.get("text", ""), v.get("external_id", "")), checker.now)
        except MonitoringError as error:
            checker.refusal(row, error)
            continue
        if (earlier := _duplicate(seen, (account.pk, item.external_id), row)) is not None:
            checker.error(row, None, f"与第{earlier}行是同一条内容（同一账号、相同的平台内容ID、链接或发布时间和标题）")
            continue
        items.append(item)
    if checker.errors:
        return Result(ok=False, errors=checker.report())
    created, skipped = actions.add_posts(items, source="import", actor=actor, event=EventType.POSTS_IMPORTED,
                                         object_repr=filename or "发布内容", details={"file": filename})
    return Result(ok=True, created=created, skipped=skipped)


def post_template() -> bytes:
    example = {"account": f"{EXAMPLE_MARK}微信公众号/吴江人社", "published_at": "2026-05-01 10:30",
               "title": "2026年高校毕业生就业补贴申领指南", "url": "https://mp.weixin.qq.com/s/example",
               "kind": "原创", "text": "符合条件的毕业生可申领一次性求职补贴……", "external_id": ""}
    help_rows = [
        ("账号", "必填", ACCOUNT_HELP + "；只能导入本人有权登记的账号"),
        ("发布时间", "必填", "如 2026-05-01 10:30、2026/5/1 10:30 或 2026年5月1日 10时30分；不得早于账号开设日期，不得晚于现在"),
        ("标题", "必填", "内容的标题；微博等无标题的，填写内容开头"),
        ("链接", "选填", "内容在平台上的链接，以 http:// 或 https:// 开头；同一账号同一链接只登记一次"),
        ("类型", "必填", "原创 或 转载（第六条：多发原创内容；统计原创占比）"),
        ("正文", "选填", "纯文本；巡检按它复查隐私、敏感词等问题"),
        ("平台内容ID", "选填", "平台上的内容编号；填写后按它识别同一条内容"),
    ]
    rules = [
        "1. 导入前逐行校验全部数据，有任何错误则一条也不导入，并列出出错的行、列和原因。",
        "2. 已登记过的内容（同一账号下平台内容ID、链接或“发布时间+标题”相同）自动跳过，重复导入不会重复登记。",
        f"3. 第2行为示例（灰色斜体，账号以“{EXAMPLE_MARK}”开头），导入时自动跳过，可直接删除。",
        f"4. 文件为 .xlsx，或相同表头的 .csv（UTF-8 或 GBK 编码），不超过 "
        f"{policy.POST_IMPORT_MAX_BYTES // (1024 * 1024)} MB、{policy.POST_IMPORT_MAX_ROWS} 行；导出的发布内容可直接导入。",
    ]
    return tables.template("发布内容", POST_COLUMNS, example, help_rows, rules, WIDTHS)


def export_posts(posts, *, actor, total: int) -> bytes:
    columns = [("unit", "主办单位"), *POST_COLUMNS[:6], ("source", "来源"), POST_COLUMNS[6]]
    rows = ({"unit": p.account.unit.name, "account": str(p.account), "published_at": p.published_at,
             "title": p.title, "url": p.url, "kind": p.get_kind_display(), "text": p.text,
             "source": p.get_source_display(), "external_id": p.external_id} for p in posts)
    caption = "" if total <= policy.POST_IMPORT_MAX_ROWS else \
        f"共{total}条，仅导出最新的{policy.POST_IMPORT_MAX_ROWS}条，请缩小筛选范围后分批导出"
    data = tables.workbook("发布内容", columns, rows, WIDTHS, caption=caption)
    record(EventType.REPORT_EXPORTED, actor=actor, object_repr="发布内容",
           after={"count": min(total, policy.POST_IMPORT_MAX_ROWS)})
    return data


# --- interactions -----------------------------------------------------------------------------------------


def import_interactions(file, *, actor) -> Result:
    """Messages and comments needing a reply; a row already stored gains the reply a later file brings."""
    try:
        filename, rows = _read(file, INTERACTION_COLUMNS, INTERACTION_REQUIRED)
    except Refused as refused:
        return Result(ok=False, errors=[refused.error])
    checker = _Checker(actor, dict(INTERACTION_COLUMNS))
    items, seen = [], {}
    for row, v in rows:
        before = len(checker.errors)
        account = checker.account(row, v.get("account", ""))
        kind = checker.choice(row, "kind", v.get("kind", ""), INTERACTION_WORDS)
        received_at = checker.moment(row, "received_at", v.get("received_at"), required=True)
        replied_at = checker.moment(row, "replied_at", v.get("replied_at"), required=False)
        if not v.get("text"):
            checker.error(row, "text", "请填写留言内容")
        if len(checker.errors) > before:
            continue
        try:
            item = actions.check_interaction(InteractionData(
                account, kind, v.get("text", ""), received_at, v.get("author", ""), replied_at, v.get("reply", ""),
                v.get("external_id", "")), checker.now)
        except MonitoringError as error:
            checker.refusal(row, error)
            continue
        if (earlier := _duplicate(seen, (account.pk, item.external_id), row)) is not None:
            checker.error(row, None, f"与第{earlier}行是同一条留言（同一账号、相同的平台ID或留言人、时间和内容）")
            continue
        items.append(item)
    if checker.errors:
        return Result(ok=False, errors=checker.report())
    counts = actions.add_interactions(items, actor=actor, object_repr=filename or "互动留言")
    return Result(ok=True, created=counts["created"], replied=counts["replied"], skipped=counts["skipped"])


def interaction_template() -> bytes:
    example = {"account": f"{EXAMPLE_MARK}微信公众号/吴江人社", "kind": "留言", "author": "网友A",
               "text": "请问灵活就业人员社保补贴什么时候发放？", "received_at": "2026-05-01 09:15",
               "replied_at": "2026-05-01 16:40", "reply": "您好，补贴按季度发放，请留意短信通知。"}
    help_rows = [
        ("账号", "必填", ACCOUNT_HELP),
        ("类型", "必填", "留言 或 评论"),
        ("留言人", "选填", "平台上的昵称"),
        ("内容", "必填", "留言或评论的内容"),
        ("留言时间", "必填", "如 2026-05-01 09:15"),
        ("回复时间", "选填", "已回复的填写；与回复内容同时填写，不得早于留言时间"),
        ("回复内容", "选填", "已回复的填写"),
        ("平台ID", "选填", "平台上的留言编号；填写后按它识别同一条留言"),
    ]
    rules = [
        "1. 导入前逐行校验全部数据，有任何错误则一条也不导入，并列出出错的行、列和原因。",
        "2. 已导入的留言自动跳过；之前未回复、这次带有回复的，登记其回复。",
        f"3. 第2行为示例（灰色斜体，账号以“{EXAMPLE_MARK}”开头），导入时自动跳过，可直接删除。",
        f"4. 文件为 .xlsx，或相同表头的 .csv（UTF-8 或 GBK 编码），不超过 "
        f"{policy.POST_IMPORT_MAX_BYTES // (1024 * 1024)} MB、{policy.POST_IMPORT_MAX_ROWS} 行。",
    ]
    return tables.template("互动留言", INTERACTION_COLUMNS, example, help_rows, rules, WIDTHS)


def export_interactions(interactions, *, actor, total: int) -> bytes:
    columns = [("unit", "主办单位"), *INTERACTION_COLUMNS]
    rows = ({"unit": i.account.unit.name, "account": str(i.account), "kind": i.get_kind_display(),
             "author": i.author, "text": i.text, "received_at": i.received_at, "replied_at": i.replied_at,
             "reply": i.reply, "external_id": i.external_id} for i in interactions)
    caption = "" if total <= policy.POST_IMPORT_MAX_ROWS else \
        f"共{total}条，仅导出最新的{policy.POST_IMPORT_MAX_ROWS}条，请缩小筛选范围后分批导出"
    data = tables.workbook("互动留言", columns, rows, WIDTHS, caption=caption)
    record(EventType.REPORT_EXPORTED, actor=actor, object_repr="互动留言",
           after={"count": min(total, policy.POST_IMPORT_MAX_ROWS)})
    return data
