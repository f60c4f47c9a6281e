"""第十二条(一): a departure or change of post at once ends the person's sessions, tokens and roles, and opens the
handover tasks of every account they held — each with a deadline, closed only with evidence, overdue ones on the
office's home page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.org.actions import issue_token
from govmedia.org.models import ApiToken, Person, RoleGrant
from govmedia.publishing.models import Notification
from govmedia.registry.models import Account, today
from govmedia.security import actions, reminders
from govmedia.security.actions import SecurityError
from govmedia.security.models import Custody, Device, HandoverKind, HandoverTask
from govmedia.workcal.calendar import add_workdays

STRONG = "Wj2026#Rs!kq"
CLERK_ACCOUNTS = {  # the demo: clerk keeps and manages two accounts and manages the video account
    "微信公众号「吴江人社」": ["change_password", "revoke_access", "recover_devices", "new_custodian"],
    "抖音「吴江人社」": ["change_password", "revoke_access", "recover_devices", "new_custodian"],
    "微信视频号「吴江人社视频号」": ["change_password", "revoke_access", "recover_devices"],
}


def _tasks_by_account(person) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for task in HandoverTask.objects.filter(person=person).select_related("account__platform").order_by("id"):
        found.setdefault(str(task.account), []).append(task.kind)
    return found


def _task(person, account, kind) -> HandoverTask:
    return HandoverTask.objects.with_progress().get(person=person, account=account, kind=kind)


@pytest.fixture
def departed(bureau, office, clerk):
    """clerk, departed today through the real action."""
    actions.record_departure(clerk, on=today(), actor=office)
    clerk.refresh_from_db()
    return clerk


# --- at once ---------------------------------------------------------------------------------------------

def test_the_clerks_departure_ends_their_token_session_and_roles_at_once(bureau, office, clerk, api, browser_of, audit):
    clerk_api = api(clerk)
    assert clerk_api.get("/accounts").status_code == 200
    clerk_browser = browser_of(clerk)
    assert clerk_browser.get("/").status_code == 200
    office_api = api(office)
    audit.mark()

    response = office_api.post("/people/clerk/departure", {"date": f"{today():%Y-%m-%d}"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["sessions_ended"], body["tokens_revoked"], body["roles_removed"]) == (1, 1, ["信息员"])
    assert clerk_api.get("/accounts").status_code == 401                               # the next call: refused
    assert clerk_browser.get("/accounts/")["Location"] == "/login/?next=/accounts/"     # signed out
    clerk.refresh_from_db()
    assert (clerk.departed_on, clerk.is_active) == (today(), False)
    assert not RoleGrant.objects.filter(person=clerk).exists()
    assert not ApiToken.objects.filter(person=clerk, revoked_at__isnull=True).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(clerk.pk)]
    assert audit.new() == [EventType.ROLE_REVOKED, EventType.TOKEN_REVOKED, EventType.SESSIONS_ENDED,
                           EventType.PERSON_DEPARTED]
    assert {(t["account_name"], t["kind"]) for t in body["tasks"]} == {
        (name, kind) for name, kinds in CLERK_ACCOUNTS.items() for kind in kinds}


def test_the_departure_opens_tasks_for_every_account_held_with_their_deadlines(bureau, departed):
    assert _tasks_by_account(departed) == CLERK_ACCOUNTS
    for task in HandoverTask.objects.filter(person=departed):
        assert task.due_date == add_workdays(today(), policy.HANDOVER_WORKDAYS[task.kind]).date
        assert task.state() == "open"


def test_the_office_and_the_units_editors_are_told(bureau, office, clerk, chief, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_departure(clerk, on=today(), actor=office)
    for person in (office, chief):
        note = Notification.objects.get(person=person, url="/security/handovers/?person=clerk")
        assert note.text.startswith("【离岗交接】「李明」已离岗")
        assert "11项交接任务" in note.text
    assert not Notification.objects.filter(person=clerk, url__startswith="/security/").exists()


def test_a_departed_custodian_is_a_violation_until_a_new_one_is_named(bureau, departed, office, clerk2, signed_in,
                                                                      wechat):
    client = signed_in(office)
    listed = {str(r.account): r.violations for r in client.get("/security/accounts/", {"violation": "1"}).context["page"]}
    assert listed[str(wechat)] == [f"保管人「李明」已于{today():%Y-%m-%d}离岗"]
    actions.set_custodian(wechat, clerk2, actor=office)
    listed = {str(r.account) for r in client.get("/security/accounts/", {"violation": "1"}).context["page"]}
    assert str(wechat) not in listed


def test_a_departed_person_can_be_neither_custodian_nor_reviewer(bureau, departed, office, weibo):
    with pytest.raises(SecurityError, match=f"「李明」已于{today():%Y-%m-%d}离岗，不能担任账号保管人"):
        actions.set_custodian(weibo, departed, actor=office)


# --- refusals --------------------------------------------------------------------------------------------

def test_only_the_office_records_a_departure(bureau, clerk2, auditor, director, api, clerk):
    for person in (clerk2, auditor, director):
        response = api(person).post("/people/clerk/departure", {"date": f"{today():%Y-%m-%d}"})
        assert response.status_code == 403
    clerk.refresh_from_db()
    assert clerk.departed_on is None and clerk.is_active


def test_a_departure_is_refused_twice_for_oneself_in_the_future_and_for_nobody(bureau, office, clerk, api):
    client = api(office)
    day = f"{today():%Y-%m-%d}"
    tomorrow = f"{today() + timedelta(days=1):%Y-%m-%d}"
    future = client.post("/people/clerk/departure", {"date": tomorrow})
    assert (future.status_code, future.json()["field"]) == (422, "date")
    assert client.post("/people/nobody/departure", {"date": day}).status_code == 404
    own = client.post("/people/office/departure", {"date": day})
    assert (own.status_code, own.json()["detail"]) == (409, "不能登记本人离岗，请由其他局办公室管理员办理")
    assert client.post("/people/clerk/departure", {"date": day}).status_code == 200
    twice = client.post("/people/clerk/departure", {"date": day})
    assert (twice.status_code, twice.json()["detail"]) == (409, f"「李明」已于{day}登记离岗")
    assert HandoverTask.objects.filter(person=clerk).count() == 11


# --- closing the tasks -----------------------------------------------------------------------------------

def test_a_task_closes_only_with_evidence(bureau, departed, office, wechat, audit):
    task = _task(departed, wechat, HandoverKind.REVOKE_ACCESS)
    with pytest.raises(SecurityError, match="请填写完成情况及佐证材料"):
        actions.close_handover_task(task, evidence="  ", actor=office)
    audit.mark()
    actions.close_handover_task(task, evidence="已在公众平台移除李明的运营者权限（截图存档）", actor=office)
    task = _task(departed, wechat, HandoverKind.REVOKE_ACCESS)
    assert task.state() == "done"
    assert task.settled_by() == "已在公众平台移除李明的运营者权限（截图存档）"
    assert audit.new() == [EventType.HANDOVER_TASK_CLOSED]
    with pytest.raises(SecurityError, match="该任务已完成") as again:
        actions.close_handover_task(task, evidence="再次", actor=office)
    assert again.value.status == 409


def test_the_password_task_closes_itself_when_a_change_is_recorded_after_the_departure(bureau, departed, office, wechat):
    task = _task(departed, wechat, HandoverKind.CHANGE_PASSWORD)
    with pytest.raises(SecurityError, match="请登记修改后的新密码"):
        actions.close_handover_task(task, evidence="已改", actor=office)
    assert _task(departed, wechat, HandoverKind.CHANGE_PASSWORD).state() == "open"

    actions.record_rotation(wechat, changed_at=timezone.now(), new_password=STRONG, actor=office)

    task = _task(departed, wechat, HandoverKind.CHANGE_PASSWORD)
    assert task.state() == "done"
    assert task.settled_by().startswith("已登记修改密码")
    douyin = Account.objects.get(platform__name="抖音")
    assert _task(departed, douyin, HandoverKind.CHANGE_PASSWORD).state() == "open"  # another account's password


def test_a_change_recorded_before_the_departure_day_does_not_count(bureau, office, clerk, wechat):
    actions.record_departure(clerk, on=today() - timedelta(days=15), actor=office)
    task = _task(clerk, wechat, HandoverKind.CHANGE_PASSWORD)
    assert task.rotated_at is None    # the demo's last change was 20 days ago, before the departure
    assert task.state() == "overdue"  # due one working day after a departure 15 days ago


def test_the_new_custodian_task_closes_only_by_naming_one(bureau, departed, office, clerk2, vendor, wechat):
    task = _task(departed, wechat, HandoverKind.NEW_CUSTODIAN)
    with pytest.raises(SecurityError, match="请指定新的保管人"):
        actions.close_handover_task(task, evidence="已交接", actor=office)
    with pytest.raises(SecurityError, match="外包人员"):
        actions.close_handover_task(task, custodian=vendor, actor=office)
    actions.close_handover_task(task, custodian=clerk2, actor=office)
    assert Custody.objects.get(account=wechat).person == clerk2
    task = _task(departed, wechat, HandoverKind.NEW_CUSTODIAN)
    assert (task.state(), task.evidence) == ("done", "指定「赵敏」为保管人")


def test_naming_a_custodian_on_the_account_page_also_settles_the_task(bureau, departed, office, clerk2, signed_in):
    douyin = Account.objects.get(platform__name="抖音")
    response = signed_in(office).post(f"/security/accounts/{douyin.pk}/custodian/", {"custodian": clerk2.pk})
    assert response.status_code == 302
    assert _task(departed, douyin, HandoverKind.NEW_CUSTODIAN).state() == "done"


def test_recovering_the_devices_stops_the_departed_persons_devices(bureau, departed, office, wechat):
    device = Device.objects.get(account=wechat, owner=departed)
    actions.close_handover_task(_task(departed, wechat, HandoverKind.RECOVER_DEVICES),
                                evidence="已收回办公电脑 WJRS-PC-0107 并清除登录信息", actor=office)
    device.refresh_from_db()
    assert device.removed_at is not None
    assert device.removed_reason == "人员离岗收回：已收回办公电脑 WJRS-PC-0107 并清除登录信息"


def test_the_api_closes_a_task_and_refuses_one_without_evidence(bureau, departed, office, chief, auditor, api, wechat):
    task = _task(departed, wechat, HandoverKind.REVOKE_ACCESS)
    path = f"/handover-tasks/{task.pk}/close"
    assert api(auditor).post(path, {"evidence": "x"}).status_code == 403
    empty = api(chief).post(path, {"evidence": ""})
    assert (empty.status_code, empty.json()["field"]) == (422, "evidence")
    done = api(chief).post(path, {"evidence": "已移除权限"})
    assert (done.status_code, done.json()["state"], done.json()["closed_by"]) == (200, "done", "chief（张伟）")
    assert api(chief).post(path, {"evidence": "再次"}).status_code == 409
    listed = api(office).get("/handover-tasks", state="open", person="clerk").json()
    assert listed["count"] == 10


def test_the_handover_page_requires_evidence(bureau, departed, office, signed_in, wechat):
    task = _task(departed, wechat, HandoverKind.REVOKE_ACCESS)
    client = signed_in(office)
    refused = client.post(f"/security/handovers/{task.pk}/", {"evidence": ""})
    assert refused.status_code == 200
    assert "请填写完成情况及佐证材料" in refused.content.decode()
    assert _task(departed, wechat, HandoverKind.REVOKE_ACCESS).state() == "open"
    done = client.post(f"/security/handovers/{task.pk}/", {"evidence": "已移除权限"})
    assert done.status_code == 302
    assert "已移除权限" in client.get(done["Location"]).content.decode()


# --- overdue on the office's home page, and reminders ----------------------------------------------------

def test_overdue_tasks_show_on_the_office_home_page_and_are_reminded_once(bureau, departed, office, signed_in):
    assert signed_in(office).get("/").context["security"]["overdue_tasks"] == []
    later = timezone.now() + timedelta(days=30)  # past every deadline, whatever holidays fall between
    with time_machine.travel(later, tick=False):
        home = signed_in(office).get("/")  # a new sign-in: the earlier session has long been idle
        security = home.context["security"]
        assert (len(security["overdue_tasks"]), security["overdue_task_count"], security["more_tasks"]) == (10, 11, True)
        assert "逾期的离岗交接任务（11）" in home.content.decode()
        # To the office and the bureau's registry editors on post: clerk2, chief, deputy, director.
        assert reminders.send_handover_reminders() == 11 * 5
        assert reminders.send_handover_reminders() == 0
    assert Notification.objects.filter(person=office, text__startswith="【交接逾期】").count() == 11


def test_passwords_due_or_overdue_are_reminded_to_the_custodian_and_the_office_once(bureau, office, clerk2):
    sent = reminders.send_password_reminders()
    assert sent == 3 + 3  # 抖音 (overdue), 微博 and 人才服务 (due): each to its custodian and the office
    assert reminders.send_password_reminders() == 0
    note = Notification.objects.get(person=clerk2)
    assert note.text.startswith("【密码即将到期】新浪微博「吴江人社」的密码须于")


def test_the_office_records_a_departure_through_the_page(bureau, office, signed_in, audit):
    client = signed_in(office)
    page = client.get("/security/people/clerk/departure/")
    assert "确认后将立即" in page.content.decode() and "微信公众号「吴江人社」（保管人）" in page.content.decode()
    audit.mark()
    response = client.post("/security/people/clerk/departure/", {"date": f"{today():%Y-%m-%d}"})
    assert (response.status_code, response["Location"]) == (302, "/security/handovers/?person=clerk")
    listed = client.get(response["Location"])
    assert len(listed.context["rows"]) == 11
    assert EventType.PERSON_DEPARTED in audit.new()
    assert Person.objects.get(username="clerk").departed_on == today()


def test_a_token_issued_before_is_refused_and_no_new_one_works(bureau, departed, api):
    token = issue_token(departed, actor="测试")  # even one issued after the departure
    response = api().client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
