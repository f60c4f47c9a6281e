"""Posts and interactions from real .xlsx and .csv files: all or nothing, row errors, idempotent re-imports."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.monitoring import imports
from govmedia.monitoring.models import Interaction, Post, PostSource
from govmedia.monitoring.tables import EXAMPLE_MARK

from .conftest import csv_file, xlsx

POST_HEADER = ["账号", "发布时间", "标题", "链接", "类型", "正文"]
INTERACTION_HEADER = ["账号", "类型", "留言人", "内容", "留言时间", "回复时间", "回复内容"]


def _when(days: float) -> str:
    return f"{timezone.localtime() - timedelta(days=days):%Y-%m-%d %H:%M}"


def _errors(result) -> list[tuple]:
    return [(e.row, e.column) for e in result.errors]


_DEMO = {"last": 0}


@pytest.fixture(autouse=True)
def _demo_posts(bureau):
    _DEMO["last"] = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _imported(account) -> list[str]:
    """Titles of the posts imported by the test (not the demo's), oldest first."""
    return list(Post.objects.filter(account=account, source=PostSource.IMPORT, pk__gt=_DEMO["last"])
                .order_by("published_at").values_list("title", flat=True))


def test_a_valid_workbook_imports_every_row_and_a_second_import_adds_nothing(wechat, brigade, office, audit):
    rows = [
        [str(wechat.pk), _when(3), "就业补贴申领指南", "https://mp.weixin.qq.com/s/a", "原创", "正文一"],
        ["微信公众号/吴江劳动监察", datetime(2026, 5, 1, 10, 30), "欠薪投诉指引", "", "转载", ""],  # noqa: DTZ001
        ["微信公众号「吴江人社」", "2026年5月2日 9时5分", "五一假期服务安排", "", "原创", "假期安排"],
    ]
    audit.mark()

    first = imports.import_posts(xlsx(POST_HEADER, rows), actor=office)
    second = imports.import_posts(xlsx(POST_HEADER, rows), actor=office)

    assert (first.ok, first.created, first.skipped) == (True, 3, 0)
    assert (second.ok, second.created, second.skipped) == (True, 0, 3)
    assert _imported(wechat) == ["五一假期服务安排", "就业补贴申领指南"]
    reprint = Post.objects.get(account=brigade, title="欠薪投诉指引")
    assert reprint.kind == "reprint"
    assert reprint.published_at == datetime.fromisoformat("2026-05-01T10:30:00+08:00")  # an Excel time is local
    assert Post.objects.get(title="五一假期服务安排").published_at == datetime.fromisoformat("2026-05-02T09:05:00+08:00")
    assert audit.new() == [EventType.POSTS_IMPORTED]  # the second import changed nothing


def test_one_bad_row_refuses_the_whole_file_naming_every_row_column_and_reason(wechat, office):
    rows = [
        [str(wechat.pk), _when(2), "第一篇没有问题", "", "原创", ""],
        ["微信公众号/不存在的号", _when(2), "账号不存在", "", "原创", ""],
        [str(wechat.pk), "下周一", "", "www.example", "自编", ""],
        [str(wechat.pk), _when(-1), "发布时间在将来", "", "原创", ""],
        [str(wechat.pk), _when(2), "第一篇没有问题", "", "原创", ""],
    ]

    result = imports.import_posts(xlsx(POST_HEADER, rows), actor=office)

    assert not result.ok
    assert _errors(result) == [(3, "账号"), (4, "发布时间"), (4, "类型"), (4, "标题"), (4, "链接"), (5, "发布时间"),
                               (6, None)]
    messages = [e.message for e in result.errors]
    assert "未找到账号「微信公众号/不存在的号」" in messages[0]
    assert messages[1] == "发布时间「下周一」不是有效的时间，请按 2026-05-01 10:30 的格式填写"
    assert messages[2] == "类型「自编」无效，应为原创或转载"
    assert "晚于当前时间" in messages[5]
    assert messages[6].startswith("与第2行是同一条内容")
    assert _imported(wechat) == []


def test_accounts_of_other_units_are_refused_to_a_units_clerk(wechat, brigade, outsider, clerk):
    own = imports.import_posts(xlsx(POST_HEADER, [[str(brigade.pk), _when(1), "本单位", "", "原创", ""]]),
                               actor=outsider)
    other = imports.import_posts(xlsx(POST_HEADER, [[str(wechat.pk), _when(1), "他单位", "", "原创", ""]]),
                                 actor=outsider)
    seen = imports.import_posts(xlsx(POST_HEADER, [[str(brigade.pk), _when(1), "他单位", "", "原创", ""]]),
                                actor=clerk)

    assert own.ok
    assert (other.ok, other.errors[0].message) == (False, f"未找到账号「{wechat.pk}」（{imports.ACCOUNT_HELP}）")
    assert not seen.ok


def test_the_auditor_sees_every_account_but_imports_none(brigade, auditor):
    result = imports.import_posts(xlsx(POST_HEADER, [[str(brigade.pk), _when(1), "审计员", "", "原创", ""]]),
                                  actor=auditor)

    assert not result.ok
    assert result.errors[0].message.startswith("无权导入该账号的内容")


def test_a_csv_file_in_utf8_or_gbk_imports_like_a_workbook(wechat, office):
    utf8 = csv_file(POST_HEADER, [["微信公众号/吴江人社", _when(4), "CSV一", "", "原创", "多行\n正文"]])
    gbk = csv_file(POST_HEADER, [["微信公众号/吴江人社", _when(5), "CSV二", "", "转载", "GBK编码"]],
                   name="导出.csv", encoding="gb18030")

    assert imports.import_posts(utf8, actor=office).created == 1
    assert imports.import_posts(gbk, actor=office).created == 1
    assert _imported(wechat) == ["CSV二", "CSV一"]
    assert Post.objects.get(title="CSV一").text == "多行\n正文"


def test_a_csv_with_a_bad_row_names_its_row(wechat, office):
    result = imports.import_posts(csv_file(POST_HEADER, [
        ["微信公众号/吴江人社", _when(4), "好的", "", "原创", ""],
        ["微信公众号/吴江人社", "", "没有时间", "", "原创", ""],
    ]), actor=office)

    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, "发布时间", "请填写发布时间")]
    assert _imported(wechat) == []


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("posts.xlsx", b"PK\x03\x04 not really a zip"), "文件无法读取：不是有效的 .xlsx 文件"),
    (SimpleUploadedFile("posts.pdf", b"%PDF-1.4"), "文件无法读取：不支持 .pdf 格式"),
    (SimpleUploadedFile("posts.csv", b""), "表格中没有数据：文件是空的"),
    (SimpleUploadedFile("posts.csv", "标题,正文\n一,二\n".encode()), "未找到表头行（应含「账号」「发布时间」「标题」「类型」列）"),
    (SimpleUploadedFile("posts.csv", "账号,发布时间,标题,类型\n".encode()), "表格中没有可导入的数据：表头下方没有数据"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(office, upload, message):
    result = imports.import_posts(upload, actor=office)

    assert not result.ok
    assert result.errors[0].message.startswith(message)


def test_size_and_row_limits_refuse_the_file(office, wechat, monkeypatch):
    monkeypatch.setattr(policy, "POST_IMPORT_MAX_ROWS", 2)
    rows = [[str(wechat.pk), _when(i + 1), f"第{i}篇", "", "原创", ""] for i in range(3)]
    too_many = imports.import_posts(xlsx(POST_HEADER, rows), actor=office)
    monkeypatch.setattr(policy, "POST_IMPORT_MAX_BYTES", 100)
    too_big = imports.import_posts(csv_file(POST_HEADER, rows[:1] * 5), actor=office)

    assert too_many.errors[0].message == "数据行数超过 2 行，请分成多个文件导入"
    assert too_big.errors[0].message.startswith("文件过大")
    assert _imported(wechat) == []


def test_the_template_imports_as_nothing_but_its_example_and_documents_each_column(office):
    data = imports.post_template()
    wb = openpyxl.load_workbook(io.BytesIO(data))

    assert [c.value for c in wb.active[1]] == [label for _, label in imports.POST_COLUMNS]
    assert wb.active["A2"].value.startswith(EXAMPLE_MARK)
    assert [r[0].value for r in wb["填写说明"].iter_rows(min_row=2, max_row=8)] == [label for _, label in imports.POST_COLUMNS]
    result = imports.import_posts(SimpleUploadedFile("template.xlsx", data), actor=office)
    assert result.errors[0].message == "表格中没有可导入的数据：只有示例行"


def test_an_exported_list_re_imports_as_already_recorded(wechat, office):
    posts = Post.objects.filter(account=wechat).select_related("account__unit", "account__platform")
    data = imports.export_posts(posts, actor=office, total=posts.count())

    wb = openpyxl.load_workbook(io.BytesIO(data))
    header = [c.value for c in wb.active[1]]
    assert header == ["主办单位", "账号", "发布时间", "标题", "链接", "类型", "正文", "来源", "平台内容ID"]
    assert wb.active["B2"].value == "微信公众号「吴江人社」"
    result = imports.import_posts(SimpleUploadedFile("export.xlsx", data), actor=office)
    assert (result.ok, result.created, result.skipped) == (True, 0, posts.count())


# --- interactions -----------------------------------------------------------------------------------------


def test_interactions_import_and_a_later_file_brings_the_reply(wechat, office, audit):
    received = _when(2)
    first = imports.import_interactions(xlsx(INTERACTION_HEADER, [
        ["微信公众号/吴江人社", "留言", "网友乙", "工伤认定要多久？", received, "", ""],
        ["微信公众号/吴江人社", "评论", "", "点赞", _when(1), _when(0.5), "谢谢支持"],
    ], name="留言.xlsx"), actor=office)
    audit.mark()
    second = imports.import_interactions(xlsx(INTERACTION_HEADER, [
        ["微信公众号/吴江人社", "留言", "网友乙", "工伤认定要多久？", received, _when(1), "一般60日内作出认定"],
    ]), actor=office)

    assert (first.ok, first.created) == (True, 2)
    assert (second.ok, second.created, second.replied, second.skipped) == (True, 0, 1, 0)
    answered = Interaction.objects.get(text="工伤认定要多久？")
    assert answered.reply == "一般60日内作出认定" and answered.replied_at is not None
    assert audit.new() == [EventType.INTERACTIONS_IMPORTED]


def test_an_interaction_file_with_errors_imports_nothing(wechat, office):
    result = imports.import_interactions(csv_file(INTERACTION_HEADER, [
        ["微信公众号/吴江人社", "私信", "甲", "内容", _when(2), "", ""],
        ["微信公众号/吴江人社", "留言", "乙", "", _when(2), "", ""],
        ["微信公众号/吴江人社", "留言", "丙", "内容", _when(2), _when(3), "回复早于留言"],
        ["微信公众号/吴江人社", "留言", "丁", "内容", _when(2), "", "只有回复内容"],
    ]), actor=office)

    assert _errors(result) == [(2, "类型"), (3, "内容"), (4, "回复时间"), (5, "回复时间")]
    assert result.errors[0].message == "类型「私信」无效，应为留言或评论"
    assert result.errors[3].message == "填写了回复内容，请同时填写回复时间"
    assert not Interaction.objects.filter(author__in=["甲", "乙", "丙", "丁"]).exists()
