"""The vendor pages as the office and the auditor use them: forms, uploads, lists, the export and the API."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from django.utils import timezone
from samples import pdf_bytes, upload

from govmedia.audit.events import EventType
from govmedia.vendors.models import Agreement, Assignment, Contract, StaffLink, Supervision, Vendor


def test_the_office_records_a_vendor_and_its_contract_through_the_pages(signed_in, office, audit):
    client = signed_in(office)
    day = timezone.localdate()
    scan = pdf_bytes()
    audit.mark()

    created = client.post("/vendors/new/", {"name": "吴江星辰文化传媒有限公司", "contact": "陆明", "phone": "0512-1234"})
    vendor = Vendor.objects.get(name="吴江星辰文化传媒有限公司")
    contract_page = client.post(f"/vendors/{vendor.pk}/contracts/new/", {
        "number": "HT-1", "starts_on": day.isoformat(), "ends_on": (day + timedelta(days=365)).isoformat(),
        "scope": "微信公众号排版", "responsibilities": "甲方审核", "file": upload("服务合同.pdf", scan)})
    contract = Contract.objects.get(vendor=vendor)
    download = client.get(f"/vendors/contracts/{contract.pk}/file/")

    assert created.status_code == 302 and created["Location"] == f"/vendors/{vendor.pk}/"
    assert contract_page.status_code == 302
    assert b"".join(download.streaming_content) == scan
    assert "filename*=UTF-8''%E6%9C%8D%E5%8A%A1%E5%90%88%E5%90%8C.pdf" in download["Content-Disposition"]
    assert audit.new() == [EventType.VENDOR_SAVED, EventType.CONTRACT_SAVED]


def test_an_agreement_upload_that_is_not_a_document_is_refused_on_the_page_and_nothing_is_stored(
        signed_in, office, yunfan):
    day = timezone.localdate()

    response = signed_in(office).post(f"/vendors/{yunfan.pk}/agreements/new/", {
        "signed_on": day.isoformat(), "ends_on": (day + timedelta(days=365)).isoformat(),
        "file": upload("协议.pdf", b"<html>not a pdf</html>", "application/pdf")})

    assert response.status_code == 200
    assert "文件「协议.pdf」不是 PDF、Word（.docx）或图片（PNG、JPEG）文件" in response.content.decode()
    assert Agreement.objects.filter(vendor=yunfan).count() == 1


def test_an_agreement_without_a_file_is_refused_on_the_page(signed_in, office, yunfan):
    day = timezone.localdate()

    response = signed_in(office).post(f"/vendors/{yunfan.pk}/agreements/new/", {
        "signed_on": day.isoformat(), "ends_on": (day + timedelta(days=365)).isoformat()})

    assert "请上传签字盖章的保密与安全协议" in response.content.decode()
    assert Agreement.objects.filter(vendor=yunfan).count() == 1


def test_the_office_links_staff_assigns_and_takes_back_an_account(signed_in, office, yunfan, new_vendor_person,
                                                                   weibo):
    person = new_vendor_person("weibo_editor")
    client = signed_in(office)

    staff_form = client.get(f"/vendors/{yunfan.pk}/staff/new/").content.decode()
    client.post(f"/vendors/{yunfan.pk}/staff/new/", {"person": person.pk})
    client.post(f"/vendors/{yunfan.pk}/assignments/new/", {"person": person.pk, "account": weibo.pk})
    assignment = Assignment.objects.get(person=person)
    detail = client.get(f"/vendors/{yunfan.pk}/").content.decode()
    client.post(f"/vendors/assignments/{assignment.pk}/end/")
    assignment.refresh_from_db()

    assert "weibo_editor" in staff_form and "（vendor）" not in staff_form  # only people not yet linked
    assert StaffLink.objects.get(person=person).vendor == yunfan
    assert "新浪微博「吴江人社」" in detail
    assert assignment.ended_at is not None and assignment.ended_by.startswith("office")


def test_an_assignment_refused_by_the_rules_shows_why(signed_in, office, yunfan, vendor):
    from govmedia.registry.models import Account

    institution_account = Account.objects.get(name="吴江劳动监察")

    response = signed_in(office).post(f"/vendors/{yunfan.pk}/assignments/new/",
                                      {"person": vendor.pk, "account": institution_account.pk})

    assert response.status_code == 200
    assert "不能分配「苏州市吴江区劳动保障监察大队」的账号" in response.content.decode()


def test_the_office_records_a_supervision_and_a_bad_score_is_named(signed_in, office, yunfan):
    client = signed_in(office)
    base = {"evaluated_on": timezone.localdate().isoformat(), "period": "2026年第一季度", "evaluator": "王芳",
            "grade": "pass", "findings": "2处排版错误已整改"}

    refused = client.post(f"/vendors/{yunfan.pk}/supervisions/new/", base | {"score": "120"})
    accepted = client.post(f"/vendors/{yunfan.pk}/supervisions/new/", base | {"score": "75"})

    assert "得分不能大于100" in refused.content.decode()
    assert accepted.status_code == 302
    assert Supervision.objects.filter(vendor=yunfan, period="2026年第一季度").get().score == 75


def test_the_auditor_reads_everything_and_sees_no_form(signed_in, auditor, yunfan):
    page = signed_in(auditor).get(f"/vendors/{yunfan.pk}/").content.decode()

    assert yunfan.name in page and "吴人社采〔2025〕18号" in page and "吴晓" in page and "上一季度" in page
    assert "登记合同" not in page and "收回" not in page


def test_the_list_filters_sorts_and_exports_what_it_shows(signed_in, office, yunfan, make_vendor):
    make_vendor("吴江稳妥科技有限公司")  # contract and agreement valid for 200 days: nothing to look at
    client = signed_in(office)

    attention = client.get("/vendors/?state=attention").content.decode()
    ascending = client.get("/vendors/?sort=name").content.decode()
    descending = client.get("/vendors/?sort=-name").content.decode()
    export = client.get("/vendors/export.xlsx?state=attention")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))

    assert yunfan.name in attention and "吴江稳妥科技有限公司" not in attention
    assert ascending.index("吴江稳妥科技有限公司") < ascending.index(yunfan.name)  # 吴 sorts before 苏
    assert descending.index("吴江稳妥科技有限公司") > descending.index(yunfan.name)
    assert rows[0][:3] == ("单位名称", "统一社会信用代码", "联系人")
    assert [r[0] for r in rows[1:]] == [yunfan.name]
    assert rows[1][4] == "即将到期" and rows[1][6] == "有效" and rows[1][8] == 1


def test_the_api_lists_vendors_with_their_cover_for_the_office_and_auditor(api, office, auditor, clerk, vendor,
                                                                            yunfan):
    rows = api(office).get("/vendors").json()
    assert api(auditor).get("/vendors").json() == rows
    refused = api(clerk).get("/vendors")

    row = next(r for r in rows if r["name"] == yunfan.name)
    assert row["contract"] | {"until": None} == {"status": "expiring", "status_label": "即将到期", "until": None,
                                                  "days_left": 20}
    assert row["agreement"]["status"] == "valid"
    assert (row["staff"], row["assigned_accounts"]) == (["vendor"], ["微信公众号「吴江人社」"])
    assert (refused.status_code, refused.json()["detail"]) == (403, "只有局办公室和审计员可以查看外包服务管理")
    assert api(vendor).get("/vendors").status_code == 403
    assert api().get("/vendors").status_code == 401
