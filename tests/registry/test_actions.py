"""The regulation's rules for registering and running accounts, through the real actions (第三条—第五条)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.demo import BUREAU
from govmedia.registry import actions
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import Account, EventKind, Filing, LifecycleEvent, Platform, Status, today

from .lookups import EVIDENCE, INSPECTORATE, TALENT_CENTRE, _account, _platform, _unit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _register(actor, **overrides) -> Account:
    """Register a new bureau account on 快手 (a platform the bureau has no account on yet)."""
    args = {
        "unit": _unit(), "platform": _platform("快手"), "name": "吴江人社快手号", "subject": BUREAU,
        "purpose": "发布人社政策、办事指南", "preconditions": dict(EVIDENCE), "managers": [],
    }
    args.update(overrides)
    return actions.register_account(actor=actor, **args)


def _counts() -> tuple[int, int, int, int]:
    return (Account.objects.count(), LifecycleEvent.objects.count(), Filing.objects.count(),
            AuditEvent.objects.count())


def _audit_mark() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _audit_since(mark: int) -> list[EventType]:
    return [EventType(t) for t in
            AuditEvent.objects.filter(seq__gt=mark).order_by("seq").values_list("event_type", flat=True)]


def _refusal(call) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        call()
    return caught.value


# --- Registration: the opening checklist (第四条) and one account per platform (第五条) ----------------


def test_a_section_cannot_be_the_certification_subject(office, clerk):
    error = _refusal(lambda: _register(office, subject="就业促进科", managers=[clerk]))
    assert error.field == "subject"
    assert error.message == f"内设机构「就业促进科」不得作为账号主体或认证主体，认证主体应为「{BUREAU}」（第四条）"


def test_a_persons_name_cannot_be_the_certification_subject(office, clerk):
    error = _refusal(lambda: _register(office, subject=clerk.full_name, managers=[clerk]))
    assert error.field == "subject"
    assert error.message == f"不得以个人名义开设政务新媒体，认证主体应为「{BUREAU}」（第四条）"


def test_a_subject_other_than_the_owning_unit_is_refused(office, clerk):
    error = _refusal(lambda: _register(office, subject=TALENT_CENTRE, managers=[clerk]))
    assert error.field == "subject"
    assert error.message == f"认证主体「{TALENT_CENTRE}」与主办单位不符，应为「{BUREAU}」（第四条）"


def test_an_account_on_a_platform_the_office_has_not_approved_is_refused(office, clerk):
    actions.set_platform_approved(_platform("快手"), False, actor=office)
    error = _refusal(lambda: _register(office, managers=[clerk]))
    assert error.field == "platform"
    assert error.message == "「快手」不在核准的平台名单内，不得开设政务新媒体（第四条）"


def test_an_account_for_a_campaign_is_refused(office, clerk):
    error = _refusal(lambda: _register(office, purpose="2026年春风行动专项活动宣传", managers=[clerk]))
    assert error.field == "purpose"
    assert "不得为专项活动或专项工作单独开设政务新媒体（第四条）" in error.message
    assert "「专项活动」" in error.message


@pytest.mark.parametrize("key", list(policy.OPENING_PRECONDITIONS))
def test_a_missing_precondition_is_refused_naming_the_missing_item(office, clerk, key):
    evidence = {**EVIDENCE, key: "   "}
    error = _refusal(lambda: _register(office, preconditions=evidence, managers=[clerk]))
    assert error.field == f"pre_{key}"
    assert error.message == f"开设条件不完整：缺少「{policy.OPENING_PRECONDITIONS[key]}」的佐证材料（第四条）"


def test_a_second_account_of_a_unit_on_the_same_platform_names_the_existing_account(office, clerk):
    error = _refusal(lambda: _register(office, platform=_platform("微信公众号"), managers=[clerk]))
    assert error.field == "platform"
    assert error.message.startswith(f"「{BUREAU}」在微信公众号已有账号「吴江人社」")
    assert error.message.endswith("（第五条）")


def test_another_unit_may_open_on_a_platform_the_bureau_already_uses(outsider):
    inspectorate = _unit(INSPECTORATE)
    account = _register(outsider, unit=inspectorate, subject=INSPECTORATE, platform=_platform("抖音"),
                        name="吴江劳动监察抖音号", managers=[outsider])
    assert account.unit == inspectorate


def test_a_cancelled_account_no_longer_holds_the_units_place_on_the_platform(office, clerk):
    douyin = _account("吴江人社", "抖音")
    day = today()
    actions.record_event(douyin, kind=EventKind.CLOSE, effective_date=day, notice="停更公告", actor=office)
    actions.record_event(douyin, kind=EventKind.CANCEL, effective_date=day, actor=office)
    account = _register(office, platform=_platform("抖音"), name="吴江人社新抖音号", managers=[clerk])
    assert account.platform.name == "抖音"


def test_outsourced_staff_cannot_be_the_only_managers(office, vendor):
    error = _refusal(lambda: _register(office, managers=[vendor]))
    assert error.field == "managers"
    assert error.message == "不得将账号全权交由外包人员管理，须有本单位在编在岗人员（第二条、第十二条）"


def test_outsourced_staff_may_manage_alongside_the_units_own_staff(office, clerk, vendor):
    account = _register(office, managers=[clerk, vendor])
    assert set(account.managers.all()) == {clerk, vendor}


def test_a_manager_from_another_unit_is_refused(office, clerk, outsider):
    error = _refusal(lambda: _register(office, managers=[clerk, outsider]))
    assert error.field == "managers"
    assert error.message == f"专职管理人员「{outsider.full_name}」不属于「{BUREAU}」"


def test_a_registration_without_an_opening_date_is_in_preparation_with_no_filing(office, clerk):
    account = _register(office, managers=[clerk])
    assert account.status() == Status.PREPARING
    assert account.preconditions == EVIDENCE
    assert not account.events.exists()


# --- A refusal changes nothing ----------------------------------------------------------------------

REFUSED_REGISTRATIONS = {
    "section as subject": lambda p: {"subject": "就业促进科"},
    "person as subject": lambda p: {"subject": p["clerk"].full_name},
    "subject of another unit": lambda p: {"subject": TALENT_CENTRE},
    "campaign purpose": lambda p: {"purpose": "专项活动"},
    "missing precondition": lambda p: {"preconditions": {**EVIDENCE, "funding": ""}},
    "second account on a platform": lambda p: {"platform": _platform("微信公众号"), "opened_on": today()},
    "vendors only": lambda p: {"managers": [p["vendor"]], "opened_on": today()},
    "manager of another unit": lambda p: {"managers": [p["staff1"]], "opened_on": today()},
    "unapproved platform": lambda p: {
        "platform": actions.set_platform_approved(_platform("快手"), False, actor=p["office"]),
        "opened_on": today(),
    },
}


@pytest.mark.parametrize("case", list(REFUSED_REGISTRATIONS))
def test_a_refused_registration_changes_nothing(bureau, case):
    overrides = REFUSED_REGISTRATIONS[case](bureau)
    before = _counts()
    with pytest.raises(RegistryError):
        _register(bureau["office"], **overrides)
    assert _counts() == before


REFUSED_EVENTS = {
    "close without notice": lambda a, p: {"kind": EventKind.CLOSE, "notice": "  "},
    "cancel before close": lambda a, p: {"kind": EventKind.CANCEL},
    "open twice": lambda a, p: {"kind": EventKind.OPEN},
    "before opening": lambda a, p: {"kind": EventKind.CHANGE, "changes": {"name": "新名称"},
                                    "effective_date": a.opened_on - timedelta(days=1)},
    "new unit without notice": lambda a, p: {"kind": EventKind.CHANGE,
                                             "changes": {"unit": _unit(TALENT_CENTRE)}},
    "section as new subject": lambda a, p: {"kind": EventKind.CHANGE, "changes": {"subject": "办公室"}},
    "campaign as new purpose": lambda a, p: {"kind": EventKind.CHANGE, "changes": {"purpose": "临时活动宣传"}},
}


@pytest.mark.parametrize("case", list(REFUSED_EVENTS))
def test_a_refused_event_changes_nothing(bureau, case):
    weibo = _account("吴江人社", "新浪微博")
    kwargs = {"effective_date": today(), **REFUSED_EVENTS[case](weibo, bureau)}
    before, snapshot = _counts(), Account.objects.filter(pk=weibo.pk).values().get()
    with pytest.raises(RegistryError):
        actions.record_event(weibo, actor=bureau["office"], **kwargs)
    assert _counts() == before
    assert Account.objects.filter(pk=weibo.pk).values().get() == snapshot


# --- Lifecycle: 开设, 变更, 关停, 注销 (第三条) ---------------------------------------------------------


def test_opening_sets_the_opening_date_and_creates_a_filing(office, clerk):
    account = _register(office, managers=[clerk])
    day = today()
    event = actions.record_event(account, kind=EventKind.OPEN, effective_date=day, actor=clerk)
    account.refresh_from_db()
    assert account.opened_on == day
    assert account.status() == Status.RUNNING
    assert event.filing.filed_on is None
    assert event.filing.due_date > day


def test_registering_with_an_opening_date_opens_the_account_with_its_filing(office, clerk):
    day = today()
    account = _register(office, managers=[clerk], opened_on=day)
    event = account.events.get()
    assert (account.opened_on, event.kind, event.effective_date) == (day, EventKind.OPEN, day)
    assert Filing.objects.filter(event=event, filed_on__isnull=True).exists()


def test_an_imported_running_account_keeps_its_opening_date_without_a_filing(office, clerk):
    opened = today() - timedelta(days=400)
    account = _register(office, managers=[clerk], opened_on=opened, existing=True)
    assert account.opened_on == opened
    assert account.status() == Status.RUNNING
    assert not account.events.exists()


def test_an_account_cannot_be_opened_twice(office):
    weibo = _account("吴江人社", "新浪微博")
    error = _refusal(lambda: actions.record_event(weibo, kind=EventKind.OPEN, effective_date=today(), actor=office))
    assert error.message == f"该账号已于{weibo.opened_on:%Y-%m-%d}开设"


@pytest.mark.parametrize("kind", [EventKind.CHANGE, EventKind.CLOSE])
def test_an_account_not_yet_opened_cannot_be_changed_or_closed(office, clerk, kind):
    account = _register(office, managers=[clerk])
    error = _refusal(lambda: actions.record_event(account, kind=kind, effective_date=today(), notice="公告",
                                                  actor=office))
    assert error.message == "该账号尚未开设，请先登记开设"


def test_a_change_applies_the_changes_and_records_before_and_after(office, clerk):
    weibo = _account("吴江人社", "新浪微博")
    mark = _audit_mark()
    event = actions.record_event(
        weibo, kind=EventKind.CHANGE, effective_date=today(), actor=clerk,
        changes={"name": "吴江人社发布", "url": "https://weibo.com/wjrs", "purpose": None},
    )
    weibo.refresh_from_db()
    assert (weibo.name, weibo.url) == ("吴江人社发布", "https://weibo.com/wjrs")
    assert event.details == {"name": ["吴江人社", "吴江人社发布"],
                             "url": ["https://example.gov.cn/wjrs", "https://weibo.com/wjrs"]}
    row = AuditEvent.objects.get(seq__gt=mark)
    assert (row.before["name"], row.after["name"]) == ("吴江人社", "吴江人社发布")
    assert row.after["details"] == event.details


def test_a_new_owning_unit_without_a_public_notice_is_refused(office):
    weibo = _account("吴江人社", "新浪微博")
    error = _refusal(lambda: actions.record_event(
        weibo, kind=EventKind.CHANGE, effective_date=today(), changes={"unit": _unit(TALENT_CENTRE)}, actor=office,
    ))
    assert error.field == "public_notice"
    assert error.message == "主办单位发生变化的，应向社会公告（第三条）：请填写公告的链接或内容"
    weibo.refresh_from_db()
    assert weibo.unit.name == BUREAU


def test_with_a_public_notice_the_account_and_its_subject_follow_the_new_unit(office):
    weibo = _account("吴江人社", "新浪微博")
    event = actions.record_event(
        weibo, kind=EventKind.CHANGE, effective_date=today(), changes={"unit": _unit(TALENT_CENTRE)},
        public_notice="https://example.gov.cn/notice/1", actor=office,
    )
    weibo.refresh_from_db()
    assert (weibo.unit.name, weibo.subject) == (TALENT_CENTRE, TALENT_CENTRE)
    assert event.details["unit"] == [BUREAU, TALENT_CENTRE]
    assert event.details["subject"] == [BUREAU, TALENT_CENTRE]
    assert event.details["public_notice"] == "https://example.gov.cn/notice/1"


def test_moving_an_account_to_a_unit_that_has_one_on_that_platform_names_the_existing_account(office):
    wechat = _account("吴江人社", "微信公众号")
    error = _refusal(lambda: actions.record_event(
        wechat, kind=EventKind.CHANGE, effective_date=today(), changes={"unit": _unit(TALENT_CENTRE)},
        public_notice="公告", actor=office,
    ))
    assert error.field == "platform"
    assert "已有账号「吴江人才服务」" in error.message
    assert error.message.endswith("（第五条）")


def test_a_clerk_cannot_move_an_account_to_a_unit_they_cannot_edit(clerk):
    weibo = _account("吴江人社", "新浪微博")
    with pytest.raises(PermissionDenied):
        actions.record_event(weibo, kind=EventKind.CHANGE, effective_date=today(),
                             changes={"unit": _unit(TALENT_CENTRE)}, public_notice="公告", actor=clerk)


def test_closing_without_a_suspension_notice_is_refused(office):
    weibo = _account("吴江人社", "新浪微博")
    error = _refusal(lambda: actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=today(), actor=office))
    assert error.field == "notice"
    assert error.message == "关停前须发布停更公告：请填写停更公告的链接或内容"


def test_closing_with_a_notice_sets_the_closing_date_and_keeps_the_notice(office):
    weibo = _account("吴江人社", "新浪微博")
    day = today()
    event = actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=day,
                                 notice="https://weibo.com/wjrs/notice", actor=office)
    weibo.refresh_from_db()
    assert weibo.closed_on == day
    assert weibo.status() == Status.CLOSED
    assert event.details == {"notice": "https://weibo.com/wjrs/notice"}


def test_cancelling_a_running_account_before_closing_it_is_refused(office):
    weibo = _account("吴江人社", "新浪微博")
    error = _refusal(lambda: actions.record_event(weibo, kind=EventKind.CANCEL, effective_date=today(),
                                                  actor=office))
    assert error.message == "注销前须先关停并发布停更公告（停更公告 → 平台注销 → 备案）"


def test_cancelling_after_closing_ends_the_account(office):
    weibo = _account("吴江人社", "新浪微博")
    day = today()
    actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=day, notice="停更公告", actor=office)
    actions.record_event(weibo, kind=EventKind.CANCEL, effective_date=day, actor=office)
    weibo.refresh_from_db()
    assert weibo.cancelled_on == day
    assert weibo.status() == Status.CANCELLED


def test_a_cancellation_dated_before_the_closure_is_refused(office):
    weibo = _account("吴江人社", "新浪微博")
    day = today()
    actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=day, notice="停更公告", actor=office)
    error = _refusal(lambda: actions.record_event(weibo, kind=EventKind.CANCEL,
                                                  effective_date=day - timedelta(days=1), actor=office))
    assert error.field == "effective_date"
    assert error.message == f"注销日期不能早于关停日期{day:%Y-%m-%d}"


def test_a_registration_that_never_opened_can_be_cancelled_directly(office, clerk):
    account = _register(office, managers=[clerk])
    actions.record_event(account, kind=EventKind.CANCEL, effective_date=today(), actor=office)
    account.refresh_from_db()
    assert account.status() == Status.CANCELLED


@pytest.mark.parametrize("kind", list(EventKind))
def test_no_event_is_accepted_after_cancellation(office, kind):
    weibo = _account("吴江人社", "新浪微博")
    day = today()
    actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=day, notice="停更公告", actor=office)
    actions.record_event(weibo, kind=EventKind.CANCEL, effective_date=day, actor=office)
    error = _refusal(lambda: actions.record_event(weibo, kind=kind, effective_date=day, notice="公告",
                                                  changes={"name": "新名称"}, actor=office))
    assert error.message == f"该账号已于{day:%Y-%m-%d}注销，不能再登记变动"


def test_an_effective_date_before_the_opening_is_refused(office):
    weibo = _account("吴江人社", "新浪微博")
    error = _refusal(lambda: actions.record_event(
        weibo, kind=EventKind.CHANGE, effective_date=weibo.opened_on - timedelta(days=1),
        changes={"name": "新名称"}, actor=office,
    ))
    assert error.field == "effective_date"
    assert error.message == f"生效日期不能早于开设日期{weibo.opened_on:%Y-%m-%d}"


def _at(day: date, hh: int, mm: int, ss: int) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), tzinfo=SHANGHAI)


def test_a_closure_planned_for_next_week_takes_effect_on_its_day(office):
    weibo = _account("吴江人社", "新浪微博")
    closing = today() + timedelta(days=7)
    actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=closing, notice="停更公告", actor=office)
    weibo.refresh_from_db()
    assert weibo.status() == Status.RUNNING
    with time_machine.travel(_at(closing - timedelta(days=1), 23, 59, 59), tick=False):
        assert weibo.status() == Status.RUNNING
        assert Account.objects.in_status(Status.RUNNING).filter(pk=weibo.pk).exists()
    with time_machine.travel(_at(closing, 0, 0, 0), tick=False):
        assert weibo.status() == Status.CLOSED
        assert Account.objects.in_status(Status.CLOSED).filter(pk=weibo.pk).exists()
        assert not Account.objects.in_status(Status.RUNNING).filter(pk=weibo.pk).exists()
        assert Account.objects.with_status().get(pk=weibo.pk).status_code == Status.CLOSED


def test_status_in_queries_agrees_with_the_model_for_every_account(office, clerk):
    _register(office, managers=[clerk])
    weibo = _account("吴江人社", "新浪微博")
    actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=today(), notice="停更公告", actor=office)
    accounts = list(Account.objects.with_status())
    for account in accounts:
        assert account.status_code == account.status()
    for status in Status:
        expected = {a.pk for a in accounts if a.status() == status}
        assert set(Account.objects.in_status(status).values_list("pk", flat=True)) == expected
    assert {a.status() for a in accounts} == {Status.PREPARING, Status.RUNNING, Status.CLOSED}


# --- Exact audit sequences --------------------------------------------------------------------------


def test_registering_with_an_opening_date_audits_registration_then_opening(office, clerk):
    mark = _audit_mark()
    account = _register(office, managers=[clerk], opened_on=today())
    assert _audit_since(mark) == [EventType.ACCOUNT_REGISTERED, EventType.ACCOUNT_OPENED]
    rows = AuditEvent.objects.filter(seq__gt=mark)
    assert {(r.actor_id, r.object_type, r.object_id) for r in rows} == {(office.pk, "account", str(account.pk))}


def test_registering_without_an_opening_date_audits_only_the_registration(office, clerk):
    mark = _audit_mark()
    _register(office, managers=[clerk])
    assert _audit_since(mark) == [EventType.ACCOUNT_REGISTERED]


def test_importing_a_running_account_audits_only_the_registration(office, clerk):
    mark = _audit_mark()
    _register(office, managers=[clerk], opened_on=today() - timedelta(days=30), existing=True)
    assert _audit_since(mark) == [EventType.ACCOUNT_REGISTERED]


def test_a_lifecycle_from_change_to_cancellation_audits_each_step_once(office, clerk):
    weibo = _account("吴江人社", "新浪微博")
    day = today()
    mark = _audit_mark()
    actions.record_event(weibo, kind=EventKind.CHANGE, effective_date=day, changes={"name": "吴江人社发布"},
                         actor=clerk)
    actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=day, notice="停更公告", actor=clerk)
    actions.record_event(weibo, kind=EventKind.CANCEL, effective_date=day, actor=clerk)
    filing = Filing.objects.filter(event__account=weibo).first()
    actions.complete_filing(filing, filed_on=day, reference="苏备2026-001", actor=clerk)
    assert _audit_since(mark) == [EventType.ACCOUNT_CHANGED, EventType.ACCOUNT_CLOSED,
                                  EventType.ACCOUNT_CANCELLED, EventType.FILING_COMPLETED]


def test_platform_changes_are_audited_and_a_no_op_writes_nothing(office):
    mark = _audit_mark()
    platform = actions.add_platform(name="西瓜视频", actor=office)
    actions.set_platform_approved(platform, True, actor=office)
    actions.set_platform_approved(platform, False, actor=office)
    assert _audit_since(mark) == [EventType.PLATFORM_ADDED, EventType.PLATFORM_CHANGED]


def test_a_refusal_writes_no_audit_row(office, clerk):
    mark = _audit_mark()
    with pytest.raises(RegistryError):
        _register(office, platform=_platform("微信公众号"), managers=[clerk], opened_on=today())
    assert _audit_since(mark) == []


# --- Who may act ------------------------------------------------------------------------------------

NO_REGISTRY_RIGHTS = ["auditor", "vendor", "leader", "staff1"]  # staff1: a 信息员 of another unit


@pytest.mark.parametrize("persona", NO_REGISTRY_RIGHTS)
def test_only_editors_of_the_unit_may_register_an_account(bureau, persona):
    before = _counts()
    with pytest.raises(PermissionDenied):
        _register(bureau[persona], managers=[bureau["clerk"]], opened_on=today())
    assert _counts() == before


@pytest.mark.parametrize("persona", NO_REGISTRY_RIGHTS)
def test_only_editors_of_the_unit_may_record_an_event(bureau, persona):
    weibo = _account("吴江人社", "新浪微博")
    before = _counts()
    with pytest.raises(PermissionDenied):
        actions.record_event(weibo, kind=EventKind.CLOSE, effective_date=today(), notice="停更公告",
                             actor=bureau[persona])
    assert _counts() == before


@pytest.mark.parametrize("persona", NO_REGISTRY_RIGHTS)
def test_only_editors_of_the_unit_may_complete_a_filing(bureau, persona):
    filing = Filing.objects.open().first()
    with pytest.raises(PermissionDenied):
        actions.complete_filing(filing, filed_on=today(), reference="苏备2026-001", actor=bureau[persona])
    filing.refresh_from_db()
    assert filing.filed_on is None


def test_a_clerk_cannot_register_an_account_for_another_unit(clerk):
    with pytest.raises(PermissionDenied):
        _register(clerk, unit=_unit(INSPECTORATE), subject=INSPECTORATE, managers=[])


@pytest.mark.parametrize("persona", ["clerk", "chief", "director", "staff1"])
def test_editors_other_than_the_office_cannot_maintain_the_platform_list(bureau, persona):
    with pytest.raises(PermissionDenied):
        actions.add_platform(name="西瓜视频", actor=bureau[persona])
    with pytest.raises(PermissionDenied):
        actions.set_platform_approved(_platform("快手"), False, actor=bureau[persona])
    assert not Platform.objects.filter(name="西瓜视频").exists()
    assert _platform("快手").approved


@pytest.mark.parametrize("persona", ["clerk", "clerk2", "chief", "deputy", "director"])
def test_the_units_editors_may_register_an_account(bureau, persona):
    account = _register(bureau[persona], managers=[bureau["clerk"]])
    assert account.unit.name == BUREAU


def test_the_office_may_act_for_an_institution(office, outsider):
    inspectorate_wechat = _account("吴江劳动监察", "微信公众号")
    event = actions.record_event(inspectorate_wechat, kind=EventKind.CHANGE, effective_date=today(),
                                 changes={"purpose": "发布劳动保障监察信息"}, actor=office)
    assert event.details["purpose"][1] == "发布劳动保障监察信息"
