"""外包服务管理 through its actions: what is recorded, what is refused (with the field and a Chinese reason)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from samples import docx_bytes, pdf_bytes, png_bytes, upload

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.org import actions as org
from govmedia.org.models import Role, Unit
from govmedia.registry.models import Account
from govmedia.vendors import actions
from govmedia.vendors.models import Agreement, Assignment, Contract, Grade, StaffLink, Supervision, Vendor


def _refusal(call) -> actions.VendorError:
    with pytest.raises(actions.VendorError) as caught:
        call()
    return caught.value


def test_the_office_records_a_vendor_its_contract_agreement_staff_and_supervision(
        office, new_vendor_person, wechat, audit):
    day = timezone.localdate()
    person = new_vendor_person("wx_editor")
    scan = pdf_bytes()
    audit.mark()

    vendor = actions.save_vendor(name="吴江星辰文化传媒有限公司", credit_code="91320509MA1ABCDE2F", actor=office)
    contract = actions.add_contract(vendor, number="HT-2026-01", starts_on=day, ends_on=day + timedelta(days=365),
                                    scope="微信公众号排版", responsibilities="甲方负责审核，乙方负责排版",
                                    upload=upload("合同.pdf", scan), actor=office)
    agreement = actions.add_agreement(vendor, signed_on=day, ends_on=day + timedelta(days=365),
                                      upload=upload("保密协议.docx", docx_bytes()), actor=office)
    actions.link_staff(vendor, person, actor=office)
    actions.assign_account(person, wechat, actor=office)
    actions.record_supervision(vendor, evaluated_on=day, period="2026年第一季度", evaluator="王芳", score=92,
                               grade=Grade.EXCELLENT, findings="未发现问题", actor=office)

    assert audit.new() == [EventType.VENDOR_SAVED, EventType.CONTRACT_SAVED, EventType.AGREEMENT_SAVED,
                           EventType.VENDOR_STAFF_ASSIGNED, EventType.VENDOR_STAFF_ASSIGNED,
                           EventType.SUPERVISION_RECORDED]
    assert contract.file.name.endswith(".pdf") and contract.file_name == "合同.pdf"
    assert contract.file.read() == scan
    assert agreement.file.name.endswith(".docx") and agreement.starts_on == day  # term starts when signed
    assert StaffLink.objects.get(person=person).vendor == vendor
    assert list(Assignment.objects.current().filter(person=person).values_list("account", flat=True)) == [wechat.pk]
    assert Supervision.objects.get(vendor=vendor).get_grade_display() == "优秀"


def test_saving_a_vendor_unchanged_writes_nothing(office, yunfan, audit):
    fields = {key: getattr(yunfan, key) for key in actions.VENDOR_FIELDS}
    audit.mark()

    actions.save_vendor(yunfan, actor=office, **fields)
    actions.save_vendor(yunfan, actor=office, **(fields | {"phone": "0512-6311 1111"}))

    assert audit.new() == [EventType.VENDOR_SAVED]
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.before["phone"], event.after["phone"]) == ("0512-6300 0000", "0512-6311 1111")


def test_a_second_vendor_with_the_same_name_is_refused(office, yunfan):
    error = _refusal(lambda: actions.save_vendor(name=yunfan.name, actor=office))

    assert (error.field, error.message) == ("name", f"外包单位「{yunfan.name}」已登记")


def test_a_contract_that_ends_before_it_starts_is_refused_and_nothing_is_written(office, yunfan, audit):
    day = timezone.localdate()
    audit.mark()

    error = _refusal(lambda: actions.add_contract(yunfan, scope="排版", responsibilities="甲方审核", starts_on=day,
                                                  ends_on=day - timedelta(days=1), actor=office))

    assert error.field == "ends_on"
    assert "截止日期" in error.message and "不能早于起始日期" in error.message
    assert Contract.objects.filter(vendor=yunfan).count() == 1
    assert audit.new() == []


@pytest.mark.parametrize(("field", "kwargs", "message"), [
    ("scope", {"scope": " "}, "请填写服务范围"),
    ("responsibilities", {"responsibilities": ""}, "请填写双方责任"),
])
def test_a_contract_needs_its_scope_and_responsibilities(office, yunfan, field, kwargs, message):
    day = timezone.localdate()
    values = {"scope": "排版", "responsibilities": "甲方审核", "starts_on": day, "ends_on": day} | kwargs

    error = _refusal(lambda: actions.add_contract(yunfan, actor=office, **values))

    assert error.field == field and error.message.startswith(message)


@pytest.mark.parametrize(("name", "data"), [
    ("协议.pdf", b"<html><script>alert(1)</script></html>"),      # named like a PDF, is HTML
    ("协议.docx", b"PK\x03\x04not really a zip"),                  # a zip signature, not a document
    ("协议.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
])
def test_an_agreement_file_that_is_not_a_document_is_refused_by_its_content(office, yunfan, name, data):
    day = timezone.localdate()

    error = _refusal(lambda: actions.add_agreement(yunfan, signed_on=day, ends_on=day + timedelta(days=30),
                                                   upload=upload(name, data), actor=office))

    assert error.field == "file"
    assert error.message == f"文件「{name}」不是 PDF、Word（.docx）或图片（PNG、JPEG）文件，请上传签字盖章的扫描件或电子文本"
    assert Agreement.objects.filter(vendor=yunfan).count() == 1


def test_an_image_scan_of_an_agreement_is_accepted(office, yunfan):
    day = timezone.localdate()

    agreement = actions.add_agreement(yunfan, signed_on=day, ends_on=day + timedelta(days=30),
                                      upload=upload("scan.jpeg", png_bytes()), actor=office)

    assert agreement.file.name.endswith(".png")  # stored by what it is, not by what it was called


def test_an_agreement_file_over_the_size_limit_is_refused(office, yunfan):
    day = timezone.localdate()
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)

    error = _refusal(lambda: actions.add_agreement(yunfan, signed_on=day, ends_on=day + timedelta(days=30),
                                                   upload=upload("大.pdf", big), actor=office))

    assert (error.field, error.message) == ("file", "文件「大.pdf」过大（10.0MB），上限10MB")


def test_an_agreement_needs_its_signing_date(office, yunfan):
    error = _refusal(lambda: actions.add_agreement(yunfan, signed_on=None, ends_on=timezone.localdate(),
                                                   actor=office))

    assert (error.field, error.message) == ("signed_on", "请填写签订日期")


def test_only_people_with_the_vendor_role_become_vendor_staff(office, clerk, yunfan):
    error = _refusal(lambda: actions.link_staff(yunfan, clerk, actor=office))

    assert error.field == "person"
    assert error.message == "「李明」没有“外包人员”角色，不能登记为外包单位人员"


def test_a_person_works_for_one_vendor_only_and_linking_again_changes_nothing(
        office, vendor, yunfan, make_vendor, audit):
    other = make_vendor("吴江另一家传媒公司")
    audit.mark()

    error = _refusal(lambda: actions.link_staff(other, vendor, actor=office))
    again = actions.link_staff(yunfan, vendor, actor=office)

    assert error.message == f"「吴晓」已登记为「{yunfan.name}」的人员，一人只能属于一个外包单位"
    assert again.vendor == yunfan
    assert audit.new() == []


def test_an_account_is_assigned_only_to_linked_staff_of_its_own_unit(office, new_vendor_person, yunfan, wechat):
    stranger = new_vendor_person("not_linked")
    institution_account = Account.objects.get(name="吴江劳动监察")

    unlinked = _refusal(lambda: actions.assign_account(stranger, wechat, actor=office))
    actions.link_staff(yunfan, stranger, actor=office)
    other_unit = _refusal(lambda: actions.assign_account(stranger, institution_account, actor=office))

    assert (unlinked.field, unlinked.message) == ("person", "「外包not_linked」尚未登记为外包单位人员，请先登记")
    assert other_unit.field == "account"
    assert "不能分配「苏州市吴江区劳动保障监察大队」的账号" in other_unit.message


def test_assigning_twice_changes_nothing_and_ending_twice_too(office, vendor, wechat, audit):
    assignment = Assignment.objects.current().get(person=vendor, account=wechat)
    audit.mark()

    assert actions.assign_account(vendor, wechat, actor=office) == assignment
    actions.end_assignment(assignment, actor=office)
    actions.end_assignment(assignment, actor=office)

    assert audit.new() == [EventType.VENDOR_STAFF_ASSIGNED]
    assert not Assignment.objects.current().filter(person=vendor).exists()
    again = actions.assign_account(vendor, wechat, actor=office)  # a new assignment after the old one ended
    assert again.pk != assignment.pk


@pytest.mark.parametrize("persona", ["auditor", "clerk", "vendor", "director"])
def test_only_the_office_records_vendors(bureau, persona):
    with pytest.raises(PermissionDenied, match="只有局办公室管理员可以登记外包服务事项"):
        actions.save_vendor(name="未经授权的公司", actor=bureau[persona])
    assert not Vendor.objects.filter(name="未经授权的公司").exists()


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"score": 101}, "score", "得分应为0到100之间的整数"),
    ({"grade": "great"}, "grade", "请选择评价等级"),
    ({"findings": " "}, "findings", "请填写发现的问题及意见（没有问题的写“未发现问题”）"),
    ({"evaluated_on": "tomorrow"}, "evaluated_on", "评价日期不能晚于今天"),
])
def test_a_supervision_record_is_checked(office, yunfan, kwargs, field, message):
    day = timezone.localdate()
    if kwargs.get("evaluated_on") == "tomorrow":
        kwargs = {"evaluated_on": day + timedelta(days=1)}
    values = {"evaluated_on": day, "period": "第一季度", "evaluator": "王芳", "score": 80, "grade": Grade.GOOD,
              "findings": "良好"} | kwargs

    error = _refusal(lambda: actions.record_supervision(yunfan, actor=office, **values))

    assert (error.field, error.message) == (field, message)


def test_a_departed_person_cannot_be_linked(office, new_vendor_person, yunfan):
    person = new_vendor_person("gone")
    person.departed_on = timezone.localdate()
    person.save(update_fields=["departed_on"])
    org.grant_role(person, Role.VENDOR, actor=office)

    error = _refusal(lambda: actions.link_staff(yunfan, person, actor=office))

    assert error.message.endswith("离岗")


def test_the_demo_vendor_is_recorded_as_the_brief_says(yunfan, vendor, wechat):
    assert list(Assignment.objects.current().filter(person=vendor).values_list("account", flat=True)) == [wechat.pk]
    assert yunfan.contracts.get().ends_on == timezone.localdate() + timedelta(days=20)
    assert yunfan.agreements.count() == 1
    assert Unit.objects.get(kind=Unit.Kind.BUREAU) == wechat.unit
