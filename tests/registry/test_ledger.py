"""The ledger as .xlsx: export, template, and the all-or-nothing import, through the real pages."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.demo import BUREAU, DEMO_PASSWORD
from govmedia.org import actions as org
from govmedia.org.models import Role, Unit
from govmedia.registry import actions, ledger
from govmedia.registry.models import Account, Filing, Platform, Status, today

INSTITUTION = "苏州市吴江区劳动保障监察大队"
LABELS = [label for _, label in ledger.COLUMNS]
EXPORT_LABELS = LABELS + ["状态", "关停日期", "注销日期"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIDENCE = {
    label: f"{label}的佐证（吴人社〔2023〕12号）" for label in policy.OPENING_PRECONDITIONS.values()
}


def row(**overrides) -> dict:
    """A valid ledger row for the bureau, by Chinese header; keyword names are the COLUMNS keys."""
    values = {
        "unit": BUREAU, "platform": "快手", "name": "吴江人社快手号", "platform_uid": "ks_wjrs",
        "url": "https://example.gov.cn/ks", "subject": BUREAU, "purpose": "发布人社政策、办事指南",
        "managers": "李明、clerk2", "opened_on": date(2021, 3, 15),
    }
    values.update(overrides)
    by_label = {dict(ledger.COLUMNS)[key]: value for key, value in values.items()}
    return {**EVIDENCE, **by_label}


def workbook(rows: list[dict], headers: list[str] = LABELS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def imported_audits():
    return AuditEvent.objects.filter(event_type=EventType.LEDGER_IMPORTED)


def errors_of(result) -> list[tuple]:
    return [(e.row, e.column) for e in result.errors]


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


# --- import ----------------------------------------------------------------------------------------------


def test_a_valid_ledger_uploaded_through_the_page_imports_every_row(signed_in, office, clerk, clerk2):
    before, filings = Account.objects.count(), Filing.objects.count()
    data = workbook([
        row(),
        row(unit=INSTITUTION, subject=INSTITUTION, platform="抖音", name="吴江劳动监察", managers="staff1",
            opened_on="2020/7/1", url="example.gov.cn/jc", platform_uid=123456789),
    ])
    response = signed_in(office).post("/accounts/import/", {"file": upload(data)})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert Account.objects.count() == before + 2
    kuaishou = Account.objects.get(name="吴江人社快手号")
    assert (kuaishou.unit.name, kuaishou.platform.name, kuaishou.subject) == (BUREAU, "快手", BUREAU)
    assert set(kuaishou.managers.all()) == {clerk, clerk2}
    assert kuaishou.opened_on == date(2021, 3, 15) and kuaishou.status() == Status.RUNNING
    assert kuaishou.preconditions == {key: EVIDENCE[label] for key, label in policy.OPENING_PRECONDITIONS.items()}
    douyin = Account.objects.get(name="吴江劳动监察", platform__name="抖音")
    assert douyin.opened_on == date(2020, 7, 1)
    assert douyin.url == "https://example.gov.cn/jc" and douyin.platform_uid == "123456789"
    assert Filing.objects.count() == filings  # history: no new filing is due
    audit = imported_audits().get()
    assert audit.after == {"count": 2, "file": "台账.xlsx"}
    assert audit.actor_id == office.pk


def test_a_ledger_with_errors_in_rows_3_and_5_imports_nothing_and_reports_both_rows(signed_in, office):
    client = signed_in(office)
    before, audits = Account.objects.count(), AuditEvent.objects.count()
    data = workbook([
        row(name="账号甲"),
        row(name="账号乙", platform="小红书", subject="就业促进科"),
        row(name="账号丙", platform="哔哩哔哩"),
        row(name="账号丁", platform="今日头条", purpose="2024就业专项活动宣传", opened_on="2021-02-30"),
    ])
    response = client.post("/accounts/import/", {"file": upload(data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "未导入任何数据" in page and "发现3处错误" in page
    result = ledger.import_accounts(upload(data), actor=office)
    assert not result.ok and result.created == 0
    assert errors_of(result) == [(3, "认证主体"), (5, "开设用途"), (5, "开设日期")]
    assert "内设机构「就业促进科」不得作为账号主体" in result.errors[0].message
    assert "不得为专项活动或专项工作单独开设" in result.errors[1].message
    assert "不是有效日期" in result.errors[2].message
    for message in (e.message for e in result.errors):
        assert message in page
    assert Account.objects.count() == before
    assert not imported_audits().exists()
    assert AuditEvent.objects.count() == audits


def test_fully_blank_rows_are_skipped_and_errors_name_the_row_excel_shows(office):
    data = workbook([row(name="账号甲"), {}, row(name="账号乙", opened_on=None)])
    result = ledger.import_accounts(upload(data), actor=office)
    assert errors_of(result) == [(4, "开设日期")]


@pytest.mark.parametrize("content", [
    "主办单位,平台,账号名称\n区人社局,抖音,吴江人社\n".encode(),
    b"PK\x03\x04 not really a zip",
])
def test_a_file_that_is_not_an_xlsx_is_refused_and_changes_nothing(signed_in, office, content):
    before = Account.objects.count()
    response = signed_in(office).post("/accounts/import/", {"file": upload(content)})
    assert response.status_code == 200
    assert "文件无法读取：不是有效的 .xlsx 文件。请上传 .xlsx 格式的台账" in response.content.decode()
    assert Account.objects.count() == before and not imported_audits().exists()


def test_a_zip_that_is_not_a_workbook_is_refused(office):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    result = ledger.import_accounts(upload(out.getvalue()), actor=office)
    assert [(e.row, e.column) for e in result.errors] == [(None, None)]
    assert result.errors[0].message.startswith("文件无法读取：")


def test_a_zip_that_would_inflate_far_past_its_size_is_refused_before_parsing(office):
    out = io.BytesIO()
    with (zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
          archive.open("xl/worksheets/sheet1.xml", "w") as entry):
        for _ in range(70):
            entry.write(b"\0" * (1024 * 1024))
    assert len(out.getvalue()) < policy.LEDGER_IMPORT_MAX_BYTES
    result = ledger.import_accounts(upload(out.getvalue()), actor=office)
    assert not result.ok
    assert result.errors[0].message == "文件无法读取：压缩内容异常（解压后过大）。请上传 .xlsx 格式的台账（可先下载导入模板）"


def test_a_file_over_the_size_limit_is_refused(signed_in, office):
    data = b"\0" * (policy.LEDGER_IMPORT_MAX_BYTES + 1)
    response = signed_in(office).post("/accounts/import/", {"file": upload(data)})
    assert "文件过大（5.0 MB），台账文件不得超过 5 MB" in response.content.decode()
    assert not imported_audits().exists()


def test_missing_header_columns_are_named(office):
    data = workbook([row()], headers=["主办单位", "平台", "账号名称", "开设用途"])
    result = ledger.import_accounts(upload(data), actor=office)
    assert errors_of(result) == [(1, None)]
    message = result.errors[0].message
    assert message.startswith("表头缺少必填列：「认证主体」、「开设日期」、「有明确的管理机构」")
    assert "「政务新媒体各项管理制度健全、完备」" in message and "开设用途" not in message


def test_a_sheet_without_a_header_row_is_refused(office):
    data = workbook([{"x": "吴江人社"}], headers=["x", "y"])
    result = ledger.import_accounts(upload(data), actor=office)
    assert result.errors[0].message.startswith("未找到表头行（应含「主办单位」「平台」「账号名称」")


def test_an_empty_sheet_is_refused(office):
    result = ledger.import_accounts(upload(workbook([], headers=[])), actor=office)
    assert [e.message for e in result.errors] == ["表格中没有数据：工作表是空的"]
    result = ledger.import_accounts(upload(workbook([])), actor=office)
    assert [e.message for e in result.errors] == ["表格中没有可导入的账号：表头下方没有数据"]


def test_more_rows_than_the_limit_are_refused(office, monkeypatch):
    monkeypatch.setattr(policy, "LEDGER_IMPORT_MAX_ROWS", 3)
    data = workbook([row(name=f"账号{i}") for i in range(4)])
    result = ledger.import_accounts(upload(data), actor=office)
    assert [e.message for e in result.errors] == ["数据行数超过 3 行，请分成多个文件导入"]
    assert ledger.import_accounts(upload(workbook([row(name=f"账号{i}") for i in range(3)])), actor=office).ok


def test_a_clerk_cannot_import_an_institutions_account(clerk):
    data = workbook([row(), row(unit=INSTITUTION, subject=INSTITUTION, managers="staff1")])
    result = ledger.import_accounts(upload(data), actor=clerk)
    assert errors_of(result) == [(3, "主办单位")]
    assert result.errors[0].message == f"无权导入该单位的账号：「{INSTITUTION}」"
    assert not Account.objects.filter(name="吴江人社快手号").exists()


def test_the_auditor_cannot_reach_the_import_page(signed_in, auditor):
    client = signed_in(auditor)
    assert client.get("/accounts/import/").status_code == 403
    assert client.post("/accounts/import/", {"file": upload(workbook([row()]))}).status_code == 403
    assert not Account.objects.filter(name="吴江人社快手号").exists()


def test_a_second_wechat_account_of_a_unit_is_accepted_and_listed_for_consolidation(signed_in, office):
    client = signed_in(office)
    assert "没有发现同一平台重复开设的账号" in client.get("/consolidation/").content.decode()
    data = workbook([row(platform="微信公众号", name="吴江人社服务号")])
    assert client.post("/accounts/import/", {"file": upload(data)}).status_code == 302
    page = client.get("/consolidation/").content.decode()
    assert f"<td>{BUREAU}</td><td>微信公众号</td>" in page
    assert "吴江人社服务号" in page and ">吴江人社</a>" in page


def test_a_row_duplicating_an_account_or_another_row_is_refused(office):
    data = workbook([row(platform="微信公众号", name="吴江人社"), row(), row()])
    result = ledger.import_accounts(upload(data), actor=office)
    assert errors_of(result) == [(2, "账号名称"), (4, "账号名称")]
    assert result.errors[0].message.startswith("与已有账号重复：")
    assert result.errors[1].message == "与第3行的账号重复（同一单位、同一平台、同名）"


def test_dates_are_read_as_excel_dates_or_common_text_forms_and_never_in_the_future(office):
    tomorrow = today() + timedelta(days=1)
    forms = [date(2021, 3, 5), 44260, "2021/3/5", "2021年3月5日", " 2021-03-05 "]  # 44260: an Excel serial
    bad = workbook([row(name="甲", opened_on=tomorrow), row(name="乙", opened_on="三月五日")])
    result = ledger.import_accounts(upload(bad), actor=office)
    assert errors_of(result) == [(2, "开设日期"), (3, "开设日期")]
    assert result.errors[0].message == f"开设日期{tomorrow:%Y-%m-%d}晚于今天"
    good = workbook([row(name=f"账号{i}", opened_on=value) for i, value in enumerate(forms)])
    assert ledger.import_accounts(upload(good), actor=office).created == len(forms)
    opened = Account.objects.filter(name__startswith="账号").values_list("opened_on", flat=True)
    assert list(opened) == [date(2021, 3, 5)] * len(forms)


def test_a_manager_name_shared_by_two_people_must_be_given_as_username(office):
    bureau = Unit.objects.get(name=BUREAU)
    twin = org.create_person(username="liming2", password=DEMO_PASSWORD, full_name="李明", unit=bureau,
                             roles=(Role.CLERK,), actor=office, clearance_on=date(2026, 1, 5), trained_on=date(2026, 1, 6))
    data = workbook([row(managers="李明"), row(name="乙", managers="nobody"), row(name="丙", managers="钱进")])
    result = ledger.import_accounts(upload(data), actor=office)
    assert errors_of(result) == [(2, "专职管理人员"), (3, "专职管理人员"), (4, "专职管理人员")]
    assert result.errors[0].message == f"「{BUREAU}」有2人名为「李明」，请改填用户名"
    assert result.errors[2].message == f"「钱进」不是「{BUREAU}」的人员（请填写本单位人员的用户名或姓名）"
    assert ledger.import_accounts(upload(workbook([row(managers="liming2")])), actor=office).ok
    assert list(Account.objects.get(name="吴江人社快手号").managers.all()) == [twin]


def test_managers_who_are_all_vendors_are_refused(office):
    result = ledger.import_accounts(upload(workbook([row(managers="vendor")])), actor=office)
    assert errors_of(result) == [(2, "专职管理人员")]
    assert "不得将账号全权交由外包人员管理" in result.errors[0].message


def test_an_unknown_unit_an_unapproved_platform_and_missing_evidence_are_row_errors(office):
    actions.set_platform_approved(Platform.objects.get(name="快手"), False, actor=office)
    data = workbook([
        row(unit="区人社局", platform="抖音"), row(platform="快手"), row(platform="知乎"),
        {**row(platform="抖音", name="乙"), "有明确的管理机构": "", "有必要的经费保障": " "},
    ])
    result = ledger.import_accounts(upload(data), actor=office)
    assert errors_of(result) == [
        (2, "主办单位"), (3, "平台"), (4, "平台"), (5, "有明确的管理机构"), (5, "有必要的经费保障"),
    ]
    assert result.errors[0].message == f"单位「区人社局」不存在，请填写单位全称「{BUREAU}」"
    assert result.errors[1].message == "「快手」不在核准的平台名单内，不得开设政务新媒体（第四条）"
    assert result.errors[3].message == "开设条件不完整：缺少「有明确的管理机构」的佐证材料（第四条）"


def test_a_failure_while_writing_rolls_back_every_row(office, monkeypatch):
    real, calls = actions.register_account, []

    def fail_on_second_row(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise actions.RegistryError("平台名单已变化", "platform")
        return real(**kwargs)

    monkeypatch.setattr(actions, "register_account", fail_on_second_row)
    before = Account.objects.count()
    result = ledger.import_accounts(upload(workbook([row(name="甲"), row(name="乙")])), actor=office)
    assert not result.ok and errors_of(result) == [(3, "平台")]
    assert result.errors[0].message == "平台名单已变化（未导入任何数据）"
    assert Account.objects.count() == before and not imported_audits().exists()
    assert not AuditEvent.objects.filter(event_type=EventType.ACCOUNT_REGISTERED, object_repr__contains="甲").exists()


# --- export and template ---------------------------------------------------------------------------------


def test_the_office_exports_every_account_with_headers_and_real_dates(signed_in, office):
    response = signed_in(office).get("/accounts/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load(response.content)[ledger.SHEET_TITLE]
    assert ws["A1"].value == f"政务新媒体账号台账（导出日期：{today():%Y-%m-%d}）"
    assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == EXPORT_LABELS
    assert ws["A2"].font.b and ws["A2"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:P{2 + Account.objects.count()}"
    names = [r[2] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(Account.objects.values_list("name", flat=True))
    first = next(ws.iter_rows(min_row=3, max_row=3))
    opened = first[LABELS.index("开设日期")]
    assert isinstance(opened.value, datetime) and opened.number_format == "yyyy-mm-dd"
    assert opened.value.date() == Account.objects.get(name=first[2].value, platform__name=first[1].value).opened_on
    assert first[LABELS.index("专职管理人员")].value == "李明"
    assert first[EXPORT_LABELS.index("状态")].value == "运行"


def test_the_bureau_clerk_exports_only_the_bureaus_accounts(signed_in, clerk):
    ws = load(signed_in(clerk).get("/accounts/export.xlsx").content).active
    units = {r[0] for r in ws.iter_rows(min_row=3, values_only=True)}
    assert units == {BUREAU}
    assert ws.max_row - 2 == Account.objects.filter(unit__name=BUREAU).count()


def test_export_writes_one_audit_row_and_needs_the_same_queries_for_more_accounts(office):
    def export():
        with CaptureQueriesContext(connection) as queries:
            ledger.export_accounts(Account.objects.with_status(), actor=office)
        return len(queries)

    few = export()
    bureau = Unit.objects.get(name=BUREAU)
    for name in ("小红书", "哔哩哔哩", "今日头条"):
        ledger.import_accounts(upload(workbook([row(platform=name, name=f"吴江人社{name}")])), actor=office)
    assert Account.objects.filter(unit=bureau).count() == 7
    assert export() == few
    audits = AuditEvent.objects.filter(event_type=EventType.LEDGER_EXPORTED).order_by("seq")
    assert [a.after for a in audits] == [{"count": 6}, {"count": 9}]


def test_a_closed_account_exports_its_status_and_closing_date(office):
    account = Account.objects.get(name="吴江人社", platform__name="新浪微博")
    actions.record_event(account, kind="close", effective_date=today(), notice="https://example.gov.cn/n",
                         actor=office)
    ws = load(ledger.export_accounts(Account.objects.filter(pk=account.pk).with_status(), actor=office)).active
    values = dict(zip(EXPORT_LABELS, next(ws.iter_rows(min_row=3, values_only=True)), strict=True))
    assert values["状态"] == "关停" and values["关停日期"].date() == today() and values["注销日期"] is None


def test_an_account_name_starting_with_equals_is_exported_as_text_not_a_formula(office):
    bureau = Unit.objects.get(name=BUREAU)
    actions.register_account(unit=bureau, platform=Platform.objects.get(name="快手"), name='=HYPERLINK("http://x")',
                             subject=BUREAU, preconditions=dict.fromkeys(policy.OPENING_PRECONDITIONS, "有"),
                             actor=office)
    ws = load(ledger.export_accounts(Account.objects.filter(platform__name="快手"), actor=office)).active
    cell = ws.cell(row=3, column=3)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_the_template_downloads_with_the_import_columns_an_example_and_instructions(signed_in, clerk):
    response = signed_in(clerk).get("/accounts/import/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load(response.content)
    assert wb.sheetnames == [ledger.SHEET_TITLE, "填写说明"]
    ws = wb[ledger.SHEET_TITLE]
    assert [c.value for c in ws[1]] == LABELS
    example = ws[2]
    assert example[0].value.startswith("【示例】") and all(c.font.i for c in example)
    assert example[0].font.color.rgb.endswith("808080")
    assert isinstance(example[LABELS.index("开设日期")].value, datetime)
    help_text = "\n".join(str(c.value) for r in wb["填写说明"].iter_rows() for c in r if c.value)
    for label in LABELS:
        assert label in help_text
    for rule in ("单位全称", "核准的平台", "不得为专项活动", "同一平台原则上只开设一个账号", "微信公众号"):
        assert rule in help_text


def test_a_filled_in_template_imports_and_its_example_row_is_skipped(signed_in, office):
    client = signed_in(office)
    wb = load(client.get("/accounts/import/template.xlsx").content)
    ws = wb[ledger.SHEET_TITLE]
    ws.append([row()[label] for label in LABELS])
    out = io.BytesIO()
    wb.save(out)
    result = ledger.import_accounts(upload(out.getvalue()), actor=office)
    assert result.ok and result.created == 1
    assert not Account.objects.filter(unit__name__startswith="【示例】").exists()
    only_example = ledger.import_accounts(upload(client.get("/accounts/import/template.xlsx").content), actor=office)
    assert [e.message for e in only_example.errors] == ["表格中没有可导入的账号：只有示例行"]


def test_an_exported_ledger_reimported_into_the_same_registry_reports_every_row_as_a_duplicate(
    signed_in, office
):
    client = signed_in(office)
    before = Account.objects.count()
    response = client.post("/accounts/import/", {"file": upload(client.get("/accounts/export.xlsx").content)})
    assert response.status_code == 200
    result = ledger.import_accounts(upload(client.get("/accounts/export.xlsx").content), actor=office)
    assert errors_of(result) == [(n, "账号名称") for n in range(3, 3 + before)]  # header found on row 2
    assert all(e.message.startswith("与已有账号重复") for e in result.errors)
    assert Account.objects.count() == before


def test_an_exported_ledger_with_new_account_names_imports_as_the_same_accounts(signed_in, office):
    client = signed_in(office)
    wb = load(client.get("/accounts/export.xlsx").content)
    ws = wb.active
    for (cell,) in ws.iter_rows(min_row=3, min_col=3, max_col=3):
        cell.value = f"{cell.value}（新）"
    out = io.BytesIO()
    wb.save(out)
    originals = list(Account.objects.all())
    result = ledger.import_accounts(upload(out.getvalue(), "ledger-export.xlsx"), actor=office)
    assert result.ok and result.created == len(originals)

    def facts(account):
        return (account.unit_id, account.platform_id, account.platform_uid, account.url, account.subject,
                account.purpose, account.preconditions, account.opened_on,
                sorted(account.managers.values_list("pk", flat=True)))

    for account in originals:
        copy = Account.objects.get(unit=account.unit, platform=account.platform, name=f"{account.name}（新）")
        assert facts(copy) == facts(account)
    assert imported_audits().get().after == {"count": len(originals), "file": "ledger-export.xlsx"}
