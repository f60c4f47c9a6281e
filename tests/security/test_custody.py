"""第十二条(一)(二), 第二条: each account's custodian is a cleared staff member on post, never a vendor; devices are
registered and public or unsafe ones refused; accounts that break these rules are listed as violations."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from govmedia.audit.events import EventType
from govmedia.demo import BUREAU, DEMO_PASSWORD
from govmedia.org import actions as org
from govmedia.org.models import Role, Unit
from govmedia.registry.models import Account
from govmedia.security import actions
from govmedia.security.actions import SecurityError
from govmedia.security.models import Custody, Device, DeviceKind

from .helpers import kuaishou


def _new_person(username="newbie", **dates):
    return org.create_person(username=username, password=DEMO_PASSWORD, full_name="新同事", unit=Unit.objects.get(name=BUREAU),
                             actor="测试", **dates)


# --- custodian -------------------------------------------------------------------------------------------

def test_the_office_names_a_custodian_and_the_change_is_audited_once(bureau, office, clerk2, wechat, audit):
    audit.mark()
    custody = actions.set_custodian(wechat, clerk2, actor=office)
    again = actions.set_custodian(wechat, clerk2, actor=office)
    assert (custody.person, again.pk) == (clerk2, custody.pk)
    assert audit.new() == [EventType.CUSTODIAN_SET]


def test_a_clerk_of_the_unit_may_name_the_custodian_a_signer_or_auditor_may_not(bureau, clerk, leader, auditor,
                                                                              clerk2, wechat):
    actions.set_custodian(wechat, clerk2, actor=clerk)
    for person in (leader, auditor):
        with pytest.raises(PermissionDenied):
            actions.set_custodian(wechat, clerk, actor=person)
    assert Custody.objects.get(account=wechat).person == clerk2


def test_a_vendor_is_never_the_custodian(bureau, office, vendor, wechat):
    with pytest.raises(SecurityError) as refused:
        actions.set_custodian(wechat, vendor, actor=office)
    assert refused.value.field == "custodian"
    assert "「吴晓」是外包人员" in refused.value.message and "第二条" in refused.value.message


def test_a_person_without_clearance_and_training_is_refused_naming_what_is_missing(bureau, office, wechat):
    newbie = _new_person(trained_on=date(2026, 1, 5))
    with pytest.raises(SecurityError) as refused:
        actions.set_custodian(wechat, newbie, actor=office)
    assert refused.value.message == ("「新同事」尚未登记保密审查日期，不能担任账号保管人"
                                     "（第十二条(二)：上岗前须通过保密审查，完成岗前安全及业务培训）")
    assert Custody.objects.get(account=wechat).person.username == "clerk"


def test_staff_of_another_unit_cannot_keep_the_account(bureau, office, outsider, wechat):
    with pytest.raises(SecurityError, match="不属于主办单位"):
        actions.set_custodian(wechat, outsider, actor=office)


# --- devices ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "reason"), [
    (DeviceKind.PUBLIC, "不得在网吧等公共场所的设备上登录账号（第十二条(一)）"),
    (DeviceKind.UNSAFE, "不得在无安全保障的设备上登录账号（第十二条(一)）"),
])
def test_public_or_unsafe_devices_are_refused(bureau, office, clerk, wechat, kind, reason):
    with pytest.raises(SecurityError) as refused:
        actions.add_device(wechat, owner=clerk, kind=kind, asset_number="X-1", actor=office)
    assert (refused.value.message, refused.value.field) == (reason, "kind")
    assert not Device.objects.filter(asset_number="X-1").exists()


def test_a_device_is_registered_then_removed_with_a_reason(bureau, clerk, wechat, audit):
    audit.mark()
    device = actions.add_device(wechat, owner=clerk, kind=DeviceKind.WORK_PHONE, asset_number="WJRS-MP-0099",
                                description="华为 Mate 60", actor=clerk)
    with pytest.raises(SecurityError, match="已登记在该账号下"):
        actions.add_device(wechat, owner=clerk, kind=DeviceKind.OFFICE_PC, asset_number="WJRS-MP-0099", actor=clerk)
    with pytest.raises(SecurityError, match="请填写停用原因"):
        actions.remove_device(device, reason=" ", actor=clerk)
    actions.remove_device(device, reason="设备报废", actor=clerk)
    actions.remove_device(device, reason="再次停用", actor=clerk)  # harmless
    device.refresh_from_db()
    assert (device.removed_reason, device.removed_by) == ("设备报废", "clerk（李明）")
    assert audit.new() == [EventType.DEVICE_ADDED, EventType.DEVICE_REMOVED]
    # The asset number is free again once the device is removed.
    actions.add_device(wechat, owner=clerk, kind=DeviceKind.WORK_PHONE, asset_number="WJRS-MP-0099", actor=clerk)


def test_a_device_owner_needs_clearance_too(bureau, office, wechat):
    newbie = _new_person(clearance_on=date(2026, 1, 5))
    with pytest.raises(SecurityError, match="尚未登记岗前培训日期，不能担任登录设备使用人"):
        actions.add_device(wechat, owner=newbie, kind=DeviceKind.OFFICE_PC, asset_number="X-2", actor=office)


def test_the_device_form_refuses_a_public_device_in_the_page(bureau, signed_in, office, clerk, wechat):
    response = signed_in(office).post(f"/security/accounts/{wechat.pk}/devices/",
                                      {"owner": clerk.pk, "kind": "public", "asset_number": "NB-01"})
    assert response.status_code == 200
    assert "不得在网吧等公共场所的设备上登录账号" in response.content.decode()
    assert not Device.objects.filter(asset_number="NB-01").exists()


# --- violations and the 账号安全 page ---------------------------------------------------------------------

def _violations(client) -> dict[str, list[str]]:
    response = client.get("/security/accounts/", {"violation": "1"})
    return {str(row.account): row.violations for row in response.context["page"]}


def test_accounts_without_a_proper_custodian_are_listed_as_violations(bureau, office, clerk2, signed_in):
    client = signed_in(office)
    assert _violations(client) == {"微信视频号「吴江人社视频号」": ["未指定保管人"]}

    org.grant_role(clerk2, Role.VENDOR, actor=office)                     # the weibo's custodian turns vendor
    actions.record_clearance(bureau["staff2"], clearance_on=None, trained_on=date(2025, 1, 1), actor=office)

    assert _violations(client) == {
        "新浪微博「吴江人社」": ["保管人「赵敏」是外包人员，账号不得全权交由非在编在岗人员管理"],
        "微信公众号「吴江人才服务」": ["保管人「冯雪」未登记保密审查"],
        "微信视频号「吴江人社视频号」": ["未指定保管人"],
    }
    home = client.get("/")
    assert home.context["security"]["counts"]["violations"] == 3
    assert "保管违规 3" in home.content.decode()


def test_the_security_page_filters_sorts_and_shows_each_password_state(bureau, office, signed_in):
    client = signed_in(office)
    rows = client.get("/security/accounts/", {"sort": "status"}).context["page"]
    assert [(r.account.name, r.account.platform.name, r.state.status) for r in rows] == [
        ("吴江人社", "抖音", "overdue"),            # 130 days
        ("吴江人社", "新浪微博", "due"),            # 80 days
        ("吴江人才服务", "微信公众号", "due"),      # 85 days
        ("吴江人社", "微信公众号", "ok"),           # 20 days
        ("吴江劳动监察", "微信公众号", "ok"),       # 45 days
        ("吴江人社视频号", "微信视频号", "ok"),     # opened 10 days ago, no change recorded
    ]
    overdue = client.get("/security/accounts/", {"status": "overdue"}).context["page"]
    assert [r.account.platform.name for r in overdue] == ["抖音"]
    found = client.get("/security/accounts/", {"q": "赵敏"}).context["page"]
    assert [r.account.platform.name for r in found] == ["新浪微博"]
    page = client.get("/security/accounts/", {"unit": Unit.objects.get(name=BUREAU).pk, "sort": "-due"}).content.decode()
    assert page.index("吴江人社视频号") < page.index("抖音")


def test_a_person_sees_only_their_units_accounts(bureau, outsider, signed_in):
    rows = signed_in(outsider).get("/security/accounts/").context["page"]
    assert [r.account.name for r in rows] == ["吴江劳动监察"]


def test_the_export_is_a_real_workbook_of_the_filtered_rows(bureau, office, signed_in, audit):
    client = signed_in(office)
    audit.mark()
    response = client.get("/security/accounts/export.xlsx", {"status": "due"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sheet["A2"].value == "主办单位"
    assert sorted((r[2], r[4], r[8]) for r in rows) == [("吴江人才服务", "冯雪", "即将到期"), ("吴江人社", "赵敏", "即将到期")]
    assert "单位配发手机 WJRS-MP-0032（赵敏）" in [r[5] for r in rows]
    assert audit.new() == [EventType.REPORT_EXPORTED]


def test_the_security_page_runs_a_bounded_number_of_queries(bureau, office, clerk, signed_in,
                                                            django_assert_max_num_queries):
    for i in range(15):
        account = kuaishou()
        Account.objects.filter(pk=account.pk).update(name=f"快手{i}")
        actions.set_custodian(account, clerk, actor=office)
        actions.add_device(account, owner=clerk, kind=DeviceKind.OFFICE_PC, asset_number=f"PC-{i}", actor=office)
    client = signed_in(office)
    with django_assert_max_num_queries(16):
        response = client.get("/security/accounts/")
    assert len(response.context["page"]) == 21


def test_the_home_page_of_a_custodian_shows_their_passwords_due(bureau, clerk2, signed_in):
    home = signed_in(clerk2).get("/")
    mine = home.context["security"]["mine"]
    assert [(r.account.platform.name, r.state.status) for r in mine] == [("新浪微博", "due")]
    due = timezone.localtime(mine[0].state.due_at)
    assert timedelta(days=9) < due - timezone.now() < timedelta(days=10)  # changed 80 days (and 2 hours) ago
    assert f"须于{due:%Y-%m-%d}前修改密码" in home.content.decode()
